import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join, relative} from 'node:path';
import {DraglineError} from '../core/errors.js';
import {TEMPLATES_DIR} from './paths.js';

const TEMPLATE_SUFFIX = '.tmpl';

/** Fills `{{name}}` placeholders; `{{` is rare enough in TypeScript to leave template literals alone. */
export function renderTemplate(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => values[name] ?? whole);
}

export const PROJECT_TEMPLATE_DIR = join(TEMPLATES_DIR, 'project');
export const SPIDER_TEMPLATES_DIR = join(TEMPLATES_DIR, 'spiders');

/** The files a project template writes, as paths relative to the new project's folder. */
export function projectTemplateFiles(): string[] {
  return walk(PROJECT_TEMPLATE_DIR).map((file) => stripSuffix(relative(PROJECT_TEMPLATE_DIR, file)));
}

/** Copies templates/project into `target`, rendering `*.tmpl` files and dropping their suffix, as Scrapy's startproject. */
export function copyProjectTemplate(target: string, values: Record<string, string>): string[] {
  const written: string[] = [];
  for (const source of walk(PROJECT_TEMPLATE_DIR)) {
    const path = join(target, stripSuffix(relative(PROJECT_TEMPLATE_DIR, source)));
    mkdirSync(join(path, '..'), {recursive: true});
    const content = readFileSync(source, 'utf8');
    writeFileSync(path, source.endsWith(TEMPLATE_SUFFIX) ? renderTemplate(content, values) : content);
    written.push(path);
  }
  return written;
}

/** The spider templates genspider offers: `templates/spiders/<name>.ts.tmpl`. */
export function spiderTemplateNames(): string[] {
  return readdirSync(SPIDER_TEMPLATES_DIR)
    .filter((name) => name.endsWith(`.ts${TEMPLATE_SUFFIX}`))
    .map((name) => name.slice(0, -`.ts${TEMPLATE_SUFFIX}`.length))
    .sort();
}

export function renderSpiderTemplate(template: string, values: Record<string, string>): string {
  const names = spiderTemplateNames();
  if (!names.includes(template)) {
    throw new DraglineError('TEMPLATE_NOT_FOUND', `Unable to find template: ${template}. Available templates: ${names.join(', ')}`, {
      suggestions: ["Run 'dragline genspider --list' to see all available templates"],
    });
  }
  return renderTemplate(readFileSync(join(SPIDER_TEMPLATES_DIR, `${template}.ts${TEMPLATE_SUFFIX}`), 'utf8'), values);
}

function stripSuffix(path: string): string {
  return path.endsWith(TEMPLATE_SUFFIX) ? path.slice(0, -TEMPLATE_SUFFIX.length) : path;
}

function walk(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, {withFileTypes: true})
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => (entry.isDirectory() ? walk(join(folder, entry.name)) : [join(folder, entry.name)]));
}
