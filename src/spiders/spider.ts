import {Request, type Callback} from '../http/request.js';
import type {Response} from '../http/response.js';
import type {Logger} from '../core/logger.js';
import type {Settings} from '../settings/settings.js';
import type {Crawler} from '../core/crawler.js';
import {isDraglineError} from '../core/errors.js';

export type SpiderArgs = Record<string, string>;
/** What `spider.state` holds unless the spider says: `class S extends Spider<{pages: number}>`. */
export type SpiderState = Record<string, any>;

/**
 * The base class of every spider. Give it a name (`static spiderName = 'quotes'`, or an instance
 * `name` field), start URLs and callbacks; `start()` yields the first requests. Spider arguments
 * (`-a key=value`) become instance attributes after construction, as in Scrapy. `State` types
 * `this.state`: `class BooksSpider extends Spider<{pages: number}>` (give it a starting value with
 * `override state = {pages: 0}`; a resumed job replaces it with the saved one).
 */
export class Spider<State extends SpiderState = SpiderState> {
  /** The spider's name, read without building the spider (what `dragline list` and `crawl NAME` use). */
  static spiderName?: string;
  /** Settings this spider overrides, above the project's and below the command line's. */
  static customSettings?: Record<string, unknown>;
  // Read from the class, never from an instance: declared here (with no value) so that an instance
  // field of these names is a compile error; spider-check.ts refuses one at run time too.
  /** Not read from an instance: write `static customSettings = {...}`. */
  declare customSettings?: never;
  /** Not read from an instance: write `static spiderName = '...'` (or `name = '...'`). */
  declare spiderName?: never;
  // Read from the instance: a static one is refused the same two ways.
  /** Not read from the class: write `startUrls = [...]` without `static`. */
  declare static startUrls?: never;
  /** Not read from the class: write `allowedDomains = [...]` without `static`. */
  declare static allowedDomains?: never;

  name!: string;
  allowedDomains?: string[];
  startUrls: string[] = [];
  /** Key/value state that survives pause and resume when JOBDIR is set. Keep it v8-serializable. */
  state: State = {} as State;
  crawler!: Crawler;
  settings!: Settings;
  logger!: Logger;

  constructor() {
    const ctor = this.constructor as typeof Spider;
    if (ctor.spiderName !== undefined) this.name = ctor.spiderName;
  }

  /** The first requests (and items). By default one request per start URL, handled by `parse`. */
  async *start(): AsyncGenerator<unknown> {
    for (const url of this.startUrls) yield new Request(url, {callback: this.parse as Callback});
  }

  /** The default callback. Yield or return items and requests. */
  parse(response: Response): unknown {
    this.logger?.warning(`${this.name}: parse() is not defined; ignoring ${response.url}`);
    return undefined;
  }

  /** Called when the spider closes, with the close reason. */
  closed?(reason: string): unknown;
}

/**
 * A method of `spider` given by name (as Scrapy lets rules and sitemaps name callbacks) or as the
 * function itself; throws a TypeError naming `what` when the spider has no such method.
 */
export function spiderMethod<T extends Function>(spider: Spider, method: string | T, what: string): T {
  if (typeof method === 'function') return method;
  const found = (spider as unknown as Record<string, unknown>)[method];
  if (typeof found !== 'function') throw new TypeError(`${spider.name}: ${what} '${method}' is not a method of the spider`);
  return found as T;
}

/** A spider class as the loader sees it. */
export type SpiderClass = (new () => Spider) & {spiderName?: string; customSettings?: Record<string, unknown>};

/** The name of a spider class: `static spiderName`, or the `name` an instance gets. */
export function spiderNameOf(cls: SpiderClass): string | undefined {
  if (typeof cls.spiderName === 'string' && cls.spiderName !== '') return cls.spiderName;
  try {
    const name = new cls().name;
    return typeof name === 'string' && name !== '' ? name : undefined;
  } catch (error) {
    // A spider that refuses to be built for a reason it can say (a LinkExtractor with Scrapy's option names) says it, rather than vanish from the list.
    if (isDraglineError(error)) throw error;
    return undefined;
  }
}
