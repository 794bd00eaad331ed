import {existsSync} from 'node:fs';
import {relative, resolve} from 'node:path';
import {DraglineError} from '../core/errors.js';
import {Spider, spiderNameOf, type SpiderClass} from '../spiders/spider.js';
import {Settings} from '../settings/settings.js';
import {unnamedSpiderProblem} from '../spiders/spider-check.js';
import {describeLoadError, importUserModule} from './module-loader.js';
import type {Project} from './project-file.js';
import {isModuleFile, spiderModuleFiles} from './spider-modules.js';

export interface SpiderEntry {
  name: string;
  spiderClass: SpiderClass;
  file: string;
}

/**
 * A spider class: a subclass of the running dragline's Spider, or (when a module imported another
 * copy of dragline) a class whose prototype chain has a `Spider` with `start()`.
 */
export function isSpiderClass(value: unknown): value is SpiderClass {
  if (typeof value !== 'function' || value === Spider) return false;
  if (value.prototype instanceof Spider) return true;
  let proto: unknown = Object.getPrototypeOf(value.prototype);
  for (let depth = 0; proto !== null && proto !== undefined && depth < 64; depth++) {
    const ctor = (proto as {constructor?: {name?: string}}).constructor;
    if (ctor?.name === 'Spider' && typeof (proto as {start?: unknown}).start === 'function') return true;
    proto = Object.getPrototypeOf(proto);
  }
  return false;
}

/** The named spiders a module exports (base classes without a name are skipped, as in Scrapy). */
export async function spidersInModule(file: string, displayFrom: string = process.cwd()): Promise<SpiderEntry[]> {
  let exports: Record<string, unknown>;
  try {
    exports = await importUserModule(file);
  } catch (error) {
    const {line, message} = describeLoadError(error, file);
    const shown = relative(displayFrom, file) || file;
    const where = line === undefined ? shown : `${shown} (line ${line})`;
    throw new DraglineError('SPIDER_LOAD_FAILED', `Could not load spider module ${where}: ${message}`, {
      cause: error,
      suggestions: [`Fix ${where}, or run with DEBUG=dragline to see the whole error`],
    });
  }
  const seen = new Set<unknown>();
  const entries: SpiderEntry[] = [];
  for (const value of Object.values(exports)) {
    if (!isSpiderClass(value) || seen.has(value)) continue;
    seen.add(value);
    const shownFile = relative(displayFrom, file) || file;
    const name = nameOrRefusal(value, shownFile);
    if (name !== undefined) entries.push({name, spiderClass: value, file});
    else refuseMisnamedSpider(value, shownFile);
  }
  return entries;
}

/** The spider's name; a spider that refuses to be built (a DraglineError) is refused naming its file. */
function nameOrRefusal(spiderClass: SpiderClass, shownFile: string): string | undefined {
  try {
    return spiderNameOf(spiderClass);
  } catch (error) {
    const refusal = error as DraglineError;
    throw new DraglineError(refusal.code, `${refusal.message} (in ${shownFile})`, {suggestions: refusal.suggestions, cause: error});
  }
}

/** A class without a name is a base class, unless it holds a name where dragline does not read one. */
function refuseMisnamedSpider(spiderClass: SpiderClass, shownFile: string): void {
  const problem = unnamedSpiderProblem(spiderClass);
  if (problem !== undefined) throw new DraglineError('SPIDER_INVALID', `Spider class ${problem} (in ${shownFile})`);
}

/** The spiders of a project, by name, as Scrapy's SpiderLoader. */
export class SpiderLoader {
  private constructor(private readonly spiders: Map<string, SpiderEntry>, private readonly project: Project) {}

  static async fromProject(project: Project): Promise<SpiderLoader> {
    const modules = new Settings(project.settings, 'project').getList<string>('SPIDER_MODULES');
    const spiders = new Map<string, SpiderEntry>();
    for (const file of spiderModuleFiles(project.root, modules, project.file)) {
      for (const entry of await spidersInModule(file, project.root)) {
        const existing = spiders.get(entry.name);
        if (existing !== undefined && existing.spiderClass !== entry.spiderClass) {
          throw new DraglineError(
            'SPIDER_DUPLICATE',
            `There are two spiders named '${entry.name}': in ${relative(project.root, existing.file)} and in ${relative(project.root, entry.file)}`,
            {suggestions: ['Rename one of them (spider names must be unique within a project)']},
          );
        }
        if (existing === undefined) spiders.set(entry.name, entry);
      }
    }
    return new SpiderLoader(spiders, project);
  }

  list(): string[] {
    return [...this.spiders.keys()].sort();
  }

  /**
   * The spiders that handle `url`, as Scrapy's find_by_request: its host is one of a spider's
   * allowedDomains (or a subdomain of one), or the spider's name.
   */
  findByUrl(url: string): SpiderEntry[] {
    const host = new URL(url).hostname.toLowerCase();
    const handles = (domain: string): boolean => {
      const wanted = domain.toLowerCase().replace(/^\.+/, '');
      return wanted !== '' && (host === wanted || host.endsWith(`.${wanted}`));
    };
    return [...this.spiders.values()].filter((entry) => {
      let domains: unknown;
      try {
        domains = new entry.spiderClass().allowedDomains;
      } catch {
        domains = undefined;
      }
      return [entry.name, ...(Array.isArray(domains) ? domains : [])].some((domain) => typeof domain === 'string' && handles(domain));
    });
  }

  load(name: string): SpiderEntry {
    const entry = this.spiders.get(name);
    if (entry !== undefined) return entry;
    const known = this.list();
    throw new DraglineError(
      'SPIDER_NOT_FOUND',
      `Spider not found: ${name}. ${known.length === 0 ? `The project at ${this.project.root} has no spiders.` : `Known spiders: ${known.join(', ')}`}`,
      {suggestions: ["Run 'dragline list' to see the project's spiders, or 'dragline genspider NAME DOMAIN' to make one"]},
    );
  }
}

/** The one spider a file exports, for `runspider FILE`. */
export async function spiderFromFile(path: string): Promise<SpiderEntry> {
  const file = resolve(path);
  if (!existsSync(file)) throw new DraglineError('BAD_ARGUMENT', `File not found: ${path}`);
  if (!isModuleFile(file)) throw new DraglineError('BAD_ARGUMENT', `Unable to load '${path}' as a spider module: use a .ts, .mts, .js or .mjs file`);
  const spiders = await spidersInModule(file);
  if (spiders.length === 0) {
    throw new DraglineError('SPIDER_NOT_FOUND', `No spider found in file: ${path}`, {
      suggestions: ["Export a class that extends Spider and has a name: export class QuotesSpider extends Spider { static spiderName = 'quotes' }"],
    });
  }
  if (spiders.length > 1) {
    throw new DraglineError('BAD_ARGUMENT', `${path} exports ${spiders.length} spiders (${spiders.map((spider) => spider.name).join(', ')}); runspider runs exactly one`, {
      suggestions: ["Move the others to their own files, or make a project and use 'dragline crawl NAME'"],
    });
  }
  return spiders[0];
}
