import {existsSync} from 'node:fs';
import {createRequire} from 'node:module';
import {isAbsolute, join, resolve} from 'node:path';
import {DraglineError} from '../core/errors.js';
import {describeLoadError, importUserModule} from './module-loader.js';

/**
 * Resolves a user's key of ITEM_PIPELINES / DOWNLOADER_MIDDLEWARES / SPIDER_MIDDLEWARES, written
 * `'./pipelines.ts#PricePipeline'` (a module relative to `baseDir`, then the export; the default
 * export when `#Name` is left out), to the class it names.
 */
export function createComponentResolver(baseDir: string): (key: string) => Promise<unknown> {
  return async (key: string) => {
    const hash = key.lastIndexOf('#');
    const specifier = hash === -1 ? key : key.slice(0, hash);
    const exportName = hash === -1 ? 'default' : key.slice(hash + 1) || 'default';
    const fail = (problem: string, cause?: unknown): never => {
      throw new DraglineError('PROJECT_FILE_INVALID', `Cannot resolve component '${key}': ${problem}`, {
        cause,
        suggestions: [`Write component keys as 'MODULE#ExportName', with MODULE relative to ${baseDir} (for example './pipelines.ts#PricePipeline')`],
      });
    };
    const file = locate(specifier, baseDir) ?? fail(`no module '${specifier}' found from ${baseDir}`);
    let exports: Record<string, unknown>;
    try {
      exports = await importUserModule(file);
    } catch (error) {
      const {line, message} = describeLoadError(error, file);
      return fail(`${file}${line === undefined ? '' : `:${line}`} could not be loaded: ${message}`, error);
    }
    const value = exports[exportName];
    if (value === undefined) {
      const names = Object.keys(exports).filter((name) => name !== '__esModule');
      return fail(`${specifier} has no export '${exportName}' (it exports: ${names.join(', ') || 'nothing'})`);
    }
    if (typeof value !== 'function') return fail(`export '${exportName}' of ${specifier} is not a class`);
    return value;
  };
}

function locate(specifier: string, baseDir: string): string | undefined {
  if (specifier.startsWith('.') || isAbsolute(specifier)) {
    const path = resolve(baseDir, specifier);
    return existsSync(path) ? path : undefined;
  }
  try {
    return createRequire(join(baseDir, 'noop.js')).resolve(specifier);
  } catch {
    return undefined;
  }
}
