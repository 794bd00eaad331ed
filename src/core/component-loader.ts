import {NotConfigured, type ComponentClass} from './middleware.js';
import type {Crawler} from './crawler.js';
import {DraglineError} from './errors.js';

/** A component with its order: an entry of a built-in table (DOWNLOADER_MIDDLEWARES_BASE, EXTENSIONS_BASE, ...) or of the user's setting once resolved. */
export interface ComponentEntry<T> {
  order: number;
  component: ComponentClass<T>;
}

/**
 * Builds the components of one kind (downloader middlewares, spider middlewares or pipelines) in
 * order: the built-in table merged with the user's setting, where a key maps to an order number, or
 * to null to switch a built-in off, as in Scrapy's *_BASE / user dict pair.
 */
export async function buildComponents<T>(
  crawler: Crawler,
  base: Record<string, ComponentEntry<T>>,
  user: Record<string, unknown>,
  resolve: ((key: string) => Promise<unknown>) | undefined,
  /** Built-in components that are off unless the user's setting names them (`{FilesPipeline: 1}`). */
  named: Record<string, ComponentClass<T>> = {},
): Promise<T[]> {
  const chosen: Array<ComponentEntry<T> & {key: string}> = [];
  for (const [key, entry] of Object.entries(base)) {
    if (key in user) continue;
    chosen.push({order: entry.order, component: entry.component, key});
  }
  for (const [key, order] of Object.entries(user)) {
    if (order === null || order === undefined) continue;
    const builtIn = base[key]?.component ?? named[key];
    const component = builtIn ?? (typeof order === 'function' ? order : await resolveUserComponent(key, resolve));
    chosen.push({order: typeof order === 'number' ? order : (base[key]?.order ?? 500), component: component as ComponentClass<T>, key});
  }
  chosen.sort((a, b) => a.order - b.order);
  const built: T[] = [];
  for (const {component} of chosen) {
    try {
      built.push(typeof component.fromCrawler === 'function' ? component.fromCrawler(crawler) : new component(crawler));
    } catch (error) {
      if ((error as Error)?.name === 'NotConfigured' || error instanceof NotConfigured) continue;
      throw error;
    }
  }
  return built;
}

async function resolveUserComponent(key: string, resolve: ((key: string) => Promise<unknown>) | undefined): Promise<unknown> {
  if (resolve === undefined) {
    throw new DraglineError('PROJECT_FILE_INVALID', `Cannot load component '${key}': components can be named by path only inside a project`);
  }
  const cls = await resolve(key);
  if (typeof cls !== 'function') throw new DraglineError('PROJECT_FILE_INVALID', `Component '${key}' is not a class`);
  return cls;
}
