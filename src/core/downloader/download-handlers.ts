import {DraglineError} from '../errors.js';
import {findChromium} from './playwright/chromium-executable.js';
import type {Request} from '../../http/request.js';
import type {Response} from '../../http/response.js';
import type {Logger} from '../logger.js';
import type {Settings} from '../../settings/settings.js';
import type {StatsCollector} from '../stats.js';

/**
 * What downloads the requests of one URL scheme, as Scrapy's download handlers. The downloader
 * keeps slots, delays and concurrency; a handler only turns one request into one response.
 */
export interface DownloadHandler {
  download(request: Request): Promise<Response>;
  close(): Promise<void>;
}

/** What a handler is built with: the crawl's settings, stats and logger, and the plain HTTP download it may fall back to. */
export interface DownloadHandlerContext {
  settings: Settings;
  stats?: StatsCollector;
  logger?: Logger;
  httpDownload: (request: Request) => Promise<Response>;
}

/** The name of the built-in HTTP handler (got), the default for every scheme. */
export const HTTP_HANDLER = 'http';

/** Built-in handlers by the name DOWNLOAD_HANDLERS gives them; each module is imported only when a scheme names it. */
const BUILT_IN: Record<string, {make: (context: DownloadHandlerContext) => Promise<DownloadHandler>; check?: (settings: Settings) => void}> = {
  playwright: {
    make: async (context) => {
      const {PlaywrightDownloadHandler} = await import('./playwright/playwright-handler.js');
      return new PlaywrightDownloadHandler(context);
    },
    // Before the crawl starts: a missing browser is one line then, not an error on every rendered request.
    check: (settings) => void findChromium(settings.getDict('PLAYWRIGHT_LAUNCH_OPTIONS').executablePath),
  },
};

/**
 * DOWNLOAD_HANDLERS read as scheme → handler name, as Scrapy's setting (`{http: 'playwright',
 * https: 'playwright'}`). Schemes it leaves out, or sets to 'http' or null, use the HTTP handler.
 * An unknown name is refused before the crawl starts.
 */
export function configuredHandlers(settings: Settings): Map<string, string> {
  const raw = settings.get<unknown>('DOWNLOAD_HANDLERS');
  const handlers = new Map<string, string>();
  if (raw === undefined || raw === null || raw === '') return handlers;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new DraglineError('BAD_SETTING', `DOWNLOAD_HANDLERS must map URL schemes to handler names, as {"http": "playwright", "https": "playwright"}; got ${JSON.stringify(raw)}`);
  }
  for (const [scheme, name] of Object.entries(raw as Record<string, unknown>)) {
    if (name === null || name === undefined || name === HTTP_HANDLER) continue;
    if (typeof name !== 'string' || !(name in BUILT_IN)) {
      throw new DraglineError('BAD_SETTING', `DOWNLOAD_HANDLERS: unknown handler ${JSON.stringify(name)} for ${scheme}: use one of ${[HTTP_HANDLER, ...Object.keys(BUILT_IN)].join(', ')}`);
    }
    handlers.set(scheme.toLowerCase().replace(/:$/, ''), name);
  }
  return handlers;
}

/**
 * The handlers a crawl uses, made on the first request of their scheme (so that a crawl that never
 * needs a browser never loads one), one instance per name shared by its schemes.
 */
export class DownloadHandlers {
  private readonly names: Map<string, string>;
  private readonly made = new Map<string, Promise<DownloadHandler>>();
  private warnedUnrendered = false;

  constructor(private readonly context: DownloadHandlerContext) {
    this.names = configuredHandlers(context.settings);
    for (const name of new Set(this.names.values())) BUILT_IN[name]!.check?.(context.settings);
  }

  /** Downloads with the scheme's handler, or with plain HTTP when none is configured. */
  download(request: Request): Promise<Response> {
    const name = this.names.size === 0 ? undefined : this.names.get(schemeOf(request.url));
    if (name === undefined) {
      if (request.meta.playwright && !this.warnedUnrendered) {
        // scrapy-playwright would fetch it plainly without a word; a missing setting is worth one.
        this.warnedUnrendered = true;
        this.context.logger?.warning(`${request} asks for a browser (meta.playwright) but DOWNLOAD_HANDLERS has no "playwright" for its scheme: it is fetched with plain HTTP (see docs/browser.md)`);
      }
      return this.context.httpDownload(request);
    }
    return this.handler(name).then((handler) => handler.download(request));
  }

  async close(): Promise<void> {
    const handlers = [...this.made.values()];
    this.made.clear();
    await Promise.all(handlers.map(async (made) => {
      try {
        await (await made).close();
      } catch {
        // A handler that failed to start has nothing to close.
      }
    }));
  }

  private handler(name: string): Promise<DownloadHandler> {
    let made = this.made.get(name);
    if (made === undefined) {
      made = BUILT_IN[name]!.make(this.context);
      this.made.set(name, made);
    }
    return made;
  }
}

function schemeOf(url: string): string {
  const colon = url.indexOf(':');
  return colon < 0 ? '' : url.slice(0, colon).toLowerCase();
}
