import {readFileSync} from 'node:fs';
import {register} from 'node:module';
import {dirname, extname, join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {DRAGLINE_ENTRY_URL} from './paths.js';
import {installRequireBridge} from './require-bridge.js';

const runningFromSource = import.meta.url.endsWith('.ts');
const draglineHooksUrl = new URL(`./dragline-resolve-hooks${runningFromSource ? '.ts' : '.js'}`, import.meta.url);
/** Errors of resolving an import, raised before any module of the graph runs, that tsx may resolve. */
const RESOLUTION_ERRORS = new Set(['ERR_MODULE_NOT_FOUND', 'ERR_UNKNOWN_FILE_EXTENSION', 'ERR_UNSUPPORTED_DIR_IMPORT']);
let prepared: Promise<void> | undefined;
let typescriptReady: Promise<void> | undefined;

/** Makes the bare specifier `dragline` resolve to the running dragline, in ES modules and CommonJS. */
export function prepareModuleLoading(): Promise<void> {
  prepared ??= (async () => {
    register(draglineHooksUrl);
    installRequireBridge(await import(DRAGLINE_ENTRY_URL));
  })();
  return prepared;
}

/**
 * Makes TypeScript loadable through tsx (no build step, no typecheck). Loaded on first need only:
 * tsx costs about 20 MB and 0.3 s of start-up that a plain JavaScript spider never uses.
 */
export function prepareTypeScriptLoading(): Promise<void> {
  typescriptReady ??= (async () => {
    await prepareModuleLoading();
    // bin/dev.js has registered tsx already when dragline itself runs from its sources.
    if (runningFromSource) return;
    const [{register: registerTsxCjs}, {register: registerTsxEsm}] = await Promise.all([import('tsx/cjs/api'), import('tsx/esm/api')]);
    registerTsxCjs();
    registerTsxEsm();
    // Hooks registered last run first: registered again so `dragline` is still answered before tsx.
    register(draglineHooksUrl);
  })();
  return typescriptReady;
}

/**
 * Imports a user's module and returns its exports. A module tsx compiled to CommonJS arrives as
 * `{default: module.exports}`; its real exports (with its own `default`) are unwrapped here.
 */
export async function importUserModule(file: string): Promise<Record<string, unknown>> {
  return unwrapCommonJs(await importWithLoaders(file));
}

async function importWithLoaders(file: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(file).href;
  if (!isPlainEsModule(file)) {
    await prepareTypeScriptLoading();
    return (await import(url)) as Record<string, unknown>;
  }
  await prepareModuleLoading();
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (error) {
    // An ES module importing TypeScript or an extensionless path: that fails while linking, before
    // any of its modules ran, so it is loaded again (under another URL: the failure is cached) with tsx.
    if (typescriptReady !== undefined || !RESOLUTION_ERRORS.has((error as {code?: string}).code ?? '')) throw error;
    await prepareTypeScriptLoading();
    return (await import(`${url}?typescript`)) as Record<string, unknown>;
  }
}

function unwrapCommonJs(namespace: Record<string, unknown>): Record<string, unknown> {
  const inner = namespace.default as {__esModule?: unknown} | undefined;
  if (typeof inner === 'object' && inner !== null && inner.__esModule === true) return inner as Record<string, unknown>;
  return namespace;
}

/** A JavaScript file Node loads as an ES module by its own rules: `.mjs`, or `.js` in a `"type": "module"` package. */
function isPlainEsModule(file: string): boolean {
  const extension = extname(file);
  if (extension === '.mjs') return true;
  return extension === '.js' && nearestPackageType(dirname(file)) === 'module';
}

function nearestPackageType(start: string): string | undefined {
  let folder = start;
  for (let depth = 0; depth < 256; depth++) {
    try {
      return (JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as {type?: string}).type ?? 'commonjs';
    } catch (error) {
      // No package.json here: Node looks further up, and so does this. Anything else: left to tsx, as before.
      if ((error as {code?: string}).code !== 'ENOENT') return undefined;
    }
    const parent = dirname(folder);
    if (parent === folder) return undefined;
    folder = parent;
  }
  return undefined;
}

/**
 * The line and the first line of the message of an error thrown while loading `file`: a syntax
 * error reported by esbuild, a syntax error reported by Node, or an exception thrown at load time.
 */
export function describeLoadError(error: unknown, file: string): {line?: number; message: string} {
  if (!(error instanceof Object) || typeof (error as Error).message !== 'string') return {message: String(error)};
  const {message, stack = ''} = error as Error;
  const fileUrl = pathToFileURL(file).href;
  const esbuild = new RegExp(`^(?:${escape(file)}|${escape(fileUrl)}):(\\d+):\\d+: ERROR: (.*)$`, 'm').exec(message);
  if (esbuild) return {line: Number(esbuild[1]), message: esbuild[2]};
  const firstLine = message.split('\n').find((line) => line.trim() !== '') ?? message;
  const frame = new RegExp(`(?:${escape(file)}|${escape(fileUrl)}):(\\d+)`).exec(stack);
  return {line: frame ? Number(frame[1]) : undefined, message: firstLine.trim()};
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
