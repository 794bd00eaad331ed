import {existsSync, readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {DraglineError, isDraglineError} from '../core/errors.js';
import {Settings} from '../settings/settings.js';
import {describeLoadError, importUserModule} from './module-loader.js';

/** Names a project file may have, in the order they are looked for in one folder. */
export const PROJECT_FILE_NAMES = ['dragline.config.ts', 'dragline.config.mts', 'dragline.config.js', 'dragline.config.mjs', 'dragline.config.json'];

export interface Project {
  /** The folder holding the project file; relative paths in the project resolve from here. */
  root: string;
  file: string;
  /** The project's settings as written, to be applied at `project` priority. */
  settings: Record<string, unknown>;
}

/** The nearest project file in `start` or one of its parents, as Scrapy looks for scrapy.cfg. */
export function findProjectFile(start: string): string | undefined {
  let folder = start;
  for (let depth = 0; depth < 256; depth++) {
    const found = PROJECT_FILE_NAMES.map((name) => join(folder, name)).find((candidate) => existsSync(candidate));
    if (found !== undefined) return found;
    const parent = dirname(folder);
    if (parent === folder) return undefined;
    folder = parent;
  }
  return undefined;
}

export async function loadProject(cwd: string = process.cwd()): Promise<Project | undefined> {
  const file = findProjectFile(cwd);
  if (file === undefined) return undefined;
  const config = await readProjectFile(file);
  return {root: dirname(file), file, settings: validateConfig(config, file)};
}

/** The project around `cwd`, or NOT_IN_PROJECT for a command that needs one. */
export async function requireProject(command: string, cwd: string = process.cwd()): Promise<Project> {
  const project = await loadProject(cwd);
  if (project !== undefined) return project;
  throw new DraglineError(
    'NOT_IN_PROJECT',
    `The ${command} command must be run inside a dragline project (no dragline.config.* found in ${cwd} or its parents).`
      + ` Use 'dragline runspider FILE' for a spider file outside a project, or 'dragline startproject NAME' to make one.`,
  );
}

async function readProjectFile(file: string): Promise<unknown> {
  try {
    if (file.endsWith('.json')) return JSON.parse(readFileSync(file, 'utf8'));
    const exports = await importUserModule(file);
    return exports.default ?? (exports.settings === undefined ? undefined : {settings: exports.settings});
  } catch (error) {
    const {line, message} = describeLoadError(error, file);
    throw invalid(file, `it could not be loaded${line === undefined ? '' : ` (line ${line})`}: ${message}`, error);
  }
}

function validateConfig(config: unknown, file: string): Record<string, unknown> {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw invalid(file, 'it must export an object such as `export default {settings: {BOT_NAME: \'mybot\'}}`');
  }
  const unknownKeys = Object.keys(config).filter((key) => key !== 'settings');
  if (unknownKeys.length > 0) throw invalid(file, `unknown key '${unknownKeys[0]}' (the only key is 'settings')`);
  const settings = (config as {settings?: unknown}).settings ?? {};
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) throw invalid(file, "'settings' must be an object of NAME: value");
  try {
    // Coerces and checks every value the way `-s` values are checked.
    new Settings(settings as Record<string, unknown>, 'project');
  } catch (error) {
    if (isDraglineError(error)) throw invalid(file, error.message);
    throw error;
  }
  const modules = (settings as Record<string, unknown>).SPIDER_MODULES;
  if (modules !== undefined && typeof modules !== 'string' && !(Array.isArray(modules) && modules.every((entry) => typeof entry === 'string'))) {
    throw invalid(file, 'SPIDER_MODULES must be a list of folders, such as [\'spiders\']');
  }
  return settings as Record<string, unknown>;
}

function invalid(file: string, problem: string, cause?: unknown): DraglineError {
  return new DraglineError('PROJECT_FILE_INVALID', `Invalid project file ${file}: ${problem}`, {cause});
}
