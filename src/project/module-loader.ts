import {register} from 'node:module';
import {pathToFileURL} from 'node:url';
import {register as registerTsxEsm} from 'tsx/esm/api';
import {register as registerTsxCjs} from 'tsx/cjs/api';
import {DRAGLINE_ENTRY_URL} from './paths.js';
import {installRequireBridge} from './require-bridge.js';

const runningFromSource = import.meta.url.endsWith('.ts');
let prepared: Promise<void> | undefined;

/**
 * Makes user modules loadable: TypeScript through tsx (no build step, no typecheck), and the bare
 * specifier `dragline` resolved to the running dragline, in both ES modules and CommonJS.
 */
export function prepareModuleLoading(): Promise<void> {
  prepared ??= (async () => {
    // bin/dev.js has registered tsx already when dragline itself runs from its sources.
    if (!runningFromSource) {
      registerTsxCjs();
      registerTsxEsm();
    }
    // Registered after tsx, so these hooks run first and short-circuit `dragline`.
    register(new URL(`./dragline-resolve-hooks${runningFromSource ? '.ts' : '.js'}`, import.meta.url));
    installRequireBridge(await import(DRAGLINE_ENTRY_URL));
  })();
  return prepared;
}

/**
 * Imports a user's module and returns its exports. A module tsx compiled to CommonJS arrives as
 * `{default: module.exports}`; its real exports (with its own `default`) are unwrapped here.
 */
export async function importUserModule(file: string): Promise<Record<string, unknown>> {
  await prepareModuleLoading();
  const namespace = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const inner = namespace.default as {__esModule?: unknown} | undefined;
  if (typeof inner === 'object' && inner !== null && inner.__esModule === true) return inner as Record<string, unknown>;
  return namespace;
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
