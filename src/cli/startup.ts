// How bin/run.js starts oclif without loading what a crawl never uses. Each of these is resident
// memory for the whole run, measured in docs/performance.md ("Memory (session 6)"):
// - @oclif/core checks the Node version against its own engines field when imported, requiring
//   semver (47 modules); dragline's engines field is the stricter one, and npm checks it.
// - oclif's config load sorts the command IDs with localeCompare, which loads ICU's collation data;
//   the IDs are lower-case ASCII, which a code-unit comparison sorts the same way.
import type * as Oclif from '@oclif/core';

const ENGINE_WARNING = 'OCLIF_DISABLE_ENGINE_WARNING';

/** Runs `work` with `process.env[name]` set to `value`, then puts the variable back as it was (or removes it). */
export async function withEnv<T>(name: string, value: string, work: () => Promise<T>): Promise<T> {
  const had = Object.hasOwn(process.env, name);
  const previous = process.env[name];
  process.env[name] = value;
  try {
    return await work();
  } finally {
    if (had) process.env[name] = previous;
    else delete process.env[name];
  }
}

/** Orders strings by UTF-16 code units, as `localeCompare` orders lower-case ASCII. */
function compareCodeUnits(this: unknown, that: string): number {
  const self = String(this);
  const other = String(that);
  return self < other ? -1 : self > other ? 1 : 0;
}

/** Runs `work` with `String.prototype.localeCompare` comparing code units, then puts the native one back. */
export async function withCodeUnitCompare<T>(work: () => Promise<T>): Promise<T> {
  const native = String.prototype.localeCompare;
  String.prototype.localeCompare = compareCodeUnits as typeof native;
  try {
    return await work();
  } finally {
    String.prototype.localeCompare = native;
  }
}

/**
 * @oclif/core with its Node version check skipped, and its next `Config.load` (the one
 * `execute` makes) run under withCodeUnitCompare.
 */
export async function importOclif(): Promise<typeof Oclif> {
  const oclif = await withEnv(ENGINE_WARNING, '1', () => import('@oclif/core'));
  const {Config} = oclif;
  const load = Config.load;
  Config.load = function loadComparingCodeUnits(this: typeof Config, ...args: Parameters<typeof load>) {
    Config.load = load;
    return withCodeUnitCompare(() => load.apply(this, args));
  };
  return oclif;
}

/** Runs the CLI whose bin script is `binUrl` (bin/run.js's `import.meta.url`), as oclif's `execute`. */
export async function runCli(binUrl: string): Promise<void> {
  const {execute} = await importOclif();
  await execute({dir: binUrl});
}
