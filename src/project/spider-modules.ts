import {existsSync, readdirSync, statSync} from 'node:fs';
import {join, resolve} from 'node:path';
import {DraglineError} from '../core/errors.js';

const MODULE_FILE = /\.(ts|mts|js|mjs)$/;

/**
 * Every module file under the SPIDER_MODULES entries (folders, searched recursively as Scrapy walks
 * submodules, or single files), relative to the project root, in a stable order.
 */
export function spiderModuleFiles(root: string, modules: string[], projectFile: string): string[] {
  const files: string[] = [];
  for (const entry of modules) {
    const path = resolve(root, entry);
    if (!existsSync(path)) {
      throw new DraglineError('PROJECT_FILE_INVALID', `Invalid project file ${projectFile}: SPIDER_MODULES names '${entry}', which does not exist in ${root}`);
    }
    if (statSync(path).isDirectory()) files.push(...walk(path, 0));
    else files.push(path);
  }
  return [...new Set(files)];
}

export function isModuleFile(name: string): boolean {
  return MODULE_FILE.test(name) && !/\.d\.m?ts$/.test(name);
}

function walk(folder: string, depth: number): string[] {
  if (depth > 32) return [];
  const found: string[] = [];
  const entries = readdirSync(folder, {withFileTypes: true}).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...walk(path, depth + 1));
    else if (isModuleFile(entry.name)) found.push(path);
  }
  return found;
}
