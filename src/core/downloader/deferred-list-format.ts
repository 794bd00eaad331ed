/**
 * got's dependency @sindresorhus/is builds two `Intl.ListFormat`s when it is imported, only to word
 * the message of a failed type assertion. Building one loads ICU's list-format data: ~4 MB of the
 * process's resident memory, in every crawl. While got is being imported, `Intl.ListFormat` is a
 * stand-in whose real formatter is made the first time something is formatted; got-client.ts puts
 * the native one back once got is loaded, so no other code ever sees the stand-in.
 *
 * Importing this module installs the stand-in: import it just before the module that must not load
 * the data, and call `restoreListFormat()` right after.
 */
const NativeListFormat = Intl.ListFormat;

type ListFormatArgs = ConstructorParameters<typeof Intl.ListFormat>;

/** An `Intl.ListFormat` that makes the real one (and loads its data) on first use. */
export class DeferredListFormat {
  private readonly args: ListFormatArgs;
  private native?: Intl.ListFormat;

  constructor(...args: ListFormatArgs) {
    this.args = args;
  }

  format(list: Iterable<string>): string {
    return this.formatter().format(list);
  }

  formatToParts(list: Iterable<string>): Array<{type: 'element' | 'literal'; value: string}> {
    return this.formatter().formatToParts(list);
  }

  resolvedOptions(): Intl.ResolvedListFormatOptions {
    return this.formatter().resolvedOptions();
  }

  private formatter(): Intl.ListFormat {
    this.native ??= new NativeListFormat(...this.args);
    return this.native;
  }
}

/** Puts the native `Intl.ListFormat` back; formatters made meanwhile keep working. */
export function restoreListFormat(): void {
  setListFormat(NativeListFormat);
}

function setListFormat(constructor: unknown): void {
  (Intl as {ListFormat: unknown}).ListFormat = constructor;
}

setListFormat(DeferredListFormat);
