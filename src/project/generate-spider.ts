import {existsSync, mkdirSync, writeFileSync} from 'node:fs';
import {join, relative, resolve} from 'node:path';
import {DraglineError} from '../core/errors.js';
import {Settings} from '../settings/settings.js';
import type {Project} from './project-file.js';
import {SpiderLoader} from './spider-loader.js';
import {camelCase} from './start-project.js';
import {renderSpiderTemplate} from './templates.js';

const SPIDER_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

export interface GenerateSpiderOptions {
  name: string;
  domain: string;
  template: string;
  force: boolean;
  project?: Project;
  cwd?: string;
}

export interface GeneratedSpider {
  file: string;
  /** The file as the user would name it: relative to the project root, or to the cwd outside one. */
  shownAs: string;
  className: string;
  /** The spider's start URL, and whether https:// was added to what was given. */
  url: string;
  schemeAdded: boolean;
}

/** Writes a spider from a template, as Scrapy's genspider. */
export async function generateSpider(options: GenerateSpiderOptions): Promise<GeneratedSpider> {
  const {name, project, force} = options;
  if (!SPIDER_NAME.test(name)) {
    throw new DraglineError('BAD_NAME', `Invalid spider name '${name}': use letters, numbers, '_', '-' and '.', such as 'quotes' or 'books-toscrape'`);
  }
  const {url, domain, schemeAdded} = startUrlOf(options.domain);
  const moduleName = moduleNameOf(name);
  const className = `${camelCase(moduleName)}Spider`;
  const source = renderSpiderTemplate(options.template, {name, domain, url, ClassName: className, module: moduleName});
  const base = project?.root ?? options.cwd ?? process.cwd();
  const folder = resolve(base, project === undefined ? '.' : spiderFolderOf(project));
  const file = join(folder, `${moduleName}.ts`);
  const shownAs = relative(base, file);
  if (!force) {
    if (project !== undefined) await refuseExistingSpider(project, name);
    if (existsSync(file)) {
      throw new DraglineError('FILE_EXISTS', `File ${shownAs} already exists`, {suggestions: ['Pass --force to overwrite it, or choose another name']});
    }
  }
  mkdirSync(folder, {recursive: true});
  writeFileSync(file, source);
  return {file, shownAs, className, url, schemeAdded};
}

/** The module name Scrapy would give: '-' and '.' become '_', and it starts with a letter. */
export function moduleNameOf(name: string): string {
  const sanitized = name.replace(/[-.]/g, '_');
  return /^[A-Za-z]/.test(sanitized) ? sanitized : `a${sanitized}`;
}

/**
 * As Scrapy 2.13's genspider: a URL is kept as given (its scheme too), a bare domain (with a port,
 * perhaps) becomes https://domain/; allowedDomains gets the host alone, since a port there is
 * ignored by the offsite filter.
 */
export function startUrlOf(domainOrUrl: string): {url: string; domain: string; schemeAdded: boolean} {
  const schemeAdded = !/^[a-z][a-z0-9+.-]*:\/\//i.test(domainOrUrl);
  try {
    const parsed = new URL(schemeAdded ? `https://${domainOrUrl}` : domainOrUrl);
    if (parsed.hostname === '') throw new Error('no host');
    return {url: schemeAdded ? parsed.href : domainOrUrl, domain: parsed.hostname, schemeAdded};
  } catch {
    throw new DraglineError('BAD_ARGUMENT', `Invalid domain or URL '${domainOrUrl}'`, {suggestions: ['For example: dragline genspider quotes quotes.toscrape.com']});
  }
}

function spiderFolderOf(project: Project): string {
  const settings = new Settings(project.settings, 'project');
  return settings.getString('NEWSPIDER_MODULE') || settings.getList<string>('SPIDER_MODULES')[0] || 'spiders';
}

async function refuseExistingSpider(project: Project, name: string): Promise<void> {
  let existing: string | undefined;
  try {
    const loader = await SpiderLoader.fromProject(project);
    if (loader.list().includes(name)) existing = loader.load(name).file;
  } catch {
    // A broken spider elsewhere in the project must not stop the making of a new one.
    return;
  }
  if (existing !== undefined) {
    throw new DraglineError('FILE_EXISTS', `Spider '${name}' already exists in module: ${relative(project.root, existing)}`, {
      suggestions: ['Pass --force to write the new spider anyway, or choose another name'],
    });
  }
}
