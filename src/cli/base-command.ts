import {Command, Flags} from '@oclif/core';
import {EXIT_CODES, isDraglineError} from '../core/errors.js';
import {LOG_LEVELS} from '../core/logger.js';
import {cmdlineSettings, type GlobalFlags} from './cmdline-settings.js';

const GLOBAL = 'GLOBAL';

/** One place that turns an error into one clear message and an exit code instead of a stack trace. */
export abstract class OneLineErrorCommand extends Command {
  protected async catch(error: Error & {oclif?: unknown}): Promise<unknown> {
    // oclif's own errors (bad flags, missing arguments, this.exit) already print well.
    if (error.oclif !== undefined) throw error;
    if (isDraglineError(error)) return this.fail(error.message, EXIT_CODES[error.code] ?? 1, error.code, error.suggestions, error);
    const firstLine = String(error?.message ?? error).split('\n')[0];
    return this.fail(`${firstLine} (unexpected error; run with DEBUG=dragline for details)`, 1, undefined, [], error);
  }

  /**
   * Prints the message on one line (oclif would wrap it at 80 columns when stderr is not a
   * terminal, splitting paths), then exits with `exit`.
   */
  private fail(message: string, exit: number, code: string | undefined, suggestions: string[], error: unknown): never {
    const lines = [`Error: ${message}`];
    if (code !== undefined) lines.push(`Code: ${code}`);
    if (suggestions.length === 1) lines.push(`Try this: ${suggestions[0]}`);
    else if (suggestions.length > 1) lines.push('Try this:', ...suggestions.map((suggestion) => `  * ${suggestion}`));
    process.stderr.write(lines.map((line) => ` ›   ${line}`).join('\n') + '\n');
    if (/dragline|\*/.test(process.env.DEBUG ?? '') && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    this.exit(exit);
  }
}

/** What every crawling dragline command shares: Scrapy's global options, and one-line errors. */
export abstract class BaseCommand extends OneLineErrorCommand {
  static baseFlags = {
    set: Flags.string({
      char: 's',
      multiple: true,
      multipleNonGreedy: true,
      helpValue: 'NAME=VALUE',
      description: 'Set a setting at command-line priority (repeatable)',
      helpGroup: GLOBAL,
    }),
    loglevel: Flags.string({
      char: 'L',
      helpValue: 'LEVEL',
      description: `Log level: ${Object.keys(LOG_LEVELS).join(', ')} (default: DEBUG)`,
      helpGroup: GLOBAL,
      parse: async (input) => {
        const level = input.toUpperCase();
        if (!(level in LOG_LEVELS)) throw new Error(`Expected --loglevel to be one of ${Object.keys(LOG_LEVELS).join(', ')}, not '${input}'`);
        return level;
      },
    }),
    logfile: Flags.string({helpValue: 'FILE', description: 'Write the log to FILE instead of stderr', helpGroup: GLOBAL}),
    nolog: Flags.boolean({description: 'Disable logging completely', helpGroup: GLOBAL}),
  };

  /** The settings the global options set, at command-line priority. */
  protected globalSettings(flags: GlobalFlags): Record<string, unknown> {
    return cmdlineSettings(flags);
  }
}
