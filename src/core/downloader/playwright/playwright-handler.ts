import type {Browser, BrowserContext, Page, Request as BrowserRequest, Response as BrowserResponse} from 'playwright-core';
import {DraglineError} from '../../errors.js';
import type {Request} from '../../../http/request.js';
import {Response} from '../../../http/response.js';
import {PAGE_METHODS_META_KEY, PageMethod} from '../../../http/page-method.js';
import type {DownloadHandler, DownloadHandlerContext} from '../download-handlers.js';
import {browserDownloadError} from './browser-errors.js';
import {cookiesIntoContext, cookiesOutOfContext} from './browser-cookies.js';
import {findChromium} from './chromium-executable.js';
import {PagePool} from './page-pool.js';

/**
 * Chromium as root on a machine without network access needs these: no sandbox (root), no GPU, and
 * none of Chromium's own connections (updates, sync, QUIC), which a closed network refuses.
 */
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** scrapy-playwright's meta keys, which dragline keeps (meta keys are Scrapy's names, docs/coming-from-scrapy.md). */
const CAMEL_CASE_META: Record<string, string> = {
  playwrightPageMethods: 'playwright_page_methods',
  playwrightIncludePage: 'playwright_include_page',
  playwrightPage: 'playwright_page',
  playwrightContext: 'playwright_context',
  playwrightContextKwargs: 'playwright_context_kwargs',
  playwrightPageGotoKwargs: 'playwright_page_goto_kwargs',
};

type AbortPredicate = (request: BrowserRequest) => boolean | Promise<boolean>;

/**
 * DOWNLOAD_HANDLERS "playwright", as scrapy-playwright's handler: a request with `meta.playwright`
 * is rendered by the system's Chromium (launched on the first such request, through playwright-core
 * loaded only then), the others go through plain HTTP. The response is the rendered DOM.
 */
export class PlaywrightDownloadHandler implements DownloadHandler {
  private readonly launchOptions: Record<string, unknown>;
  private readonly executablePath: string;
  private readonly contextOptions: Record<string, Record<string, unknown>>;
  private readonly maxPages: number;
  private readonly navigationTimeoutMs?: number;
  private readonly abortRequest?: AbortPredicate;
  private browser?: Promise<Browser>;
  private readonly contexts = new Map<string, Promise<BrowserContext>>();
  /** Per context name; kept across relaunches so that waiting requests keep their place. */
  private readonly pools = new Map<string, PagePool>();
  private readonly crashedPages = new WeakSet<Page>();
  private openPages = 0;
  private closed = false;

  constructor(private readonly context: DownloadHandlerContext) {
    const settings = context.settings;
    this.launchOptions = settings.getDict('PLAYWRIGHT_LAUNCH_OPTIONS');
    this.executablePath = findChromium(this.launchOptions.executablePath);
    this.contextOptions = settings.getDict<Record<string, unknown>>('PLAYWRIGHT_CONTEXTS');
    const maxPages = settings.getInt('PLAYWRIGHT_MAX_PAGES_PER_CONTEXT');
    this.maxPages = maxPages > 0 ? maxPages : Math.max(1, settings.getInt('CONCURRENT_REQUESTS'));
    const timeout = settings.get<unknown>('PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT');
    if (timeout !== undefined && timeout !== null && timeout !== '') this.navigationTimeoutMs = Number(timeout);
    const abort = settings.get<unknown>('PLAYWRIGHT_ABORT_REQUEST');
    if (abort !== undefined && abort !== null && abort !== '') {
      if (typeof abort !== 'function') throw new DraglineError('BAD_SETTING', 'PLAYWRIGHT_ABORT_REQUEST must be a function (set it in code: customSettings or the project settings)');
      this.abortRequest = abort as AbortPredicate;
    }
  }

  /**
   * DOWNLOAD_TIMEOUT (or meta.download_timeout) bounds the whole rendering, waiting for a page and
   * the page methods included, as it bounds a whole plain download: whatever the browser does, a
   * rendered request ends, as a retryable ETIMEDOUT at worst.
   */
  download(request: Request): Promise<Response> {
    const limitMs = downloadTimeoutMs(request, this.context.settings.getFloat('DOWNLOAD_TIMEOUT'));
    const progress = {stage: 'waiting for a page'};
    const rendering = this.render(request, progress);
    if (!request.meta.playwright || limitMs <= 0) return rendering;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(browserDownloadError(Object.assign(new Error(`no response after ${limitMs / 1000} s (DOWNLOAD_TIMEOUT), while ${progress.stage}`), {name: 'TimeoutError'}), request.url, undefined)), limitMs);
    });
    return Promise.race([rendering, deadline]).finally(() => clearTimeout(timer));
  }

  private async render(request: Request, progress: {stage: string}): Promise<Response> {
    const meta = request.meta;
    for (const [camel, scrapyName] of Object.entries(CAMEL_CASE_META)) {
      if (camel in meta) throw new DraglineError('BAD_ARGUMENT', `meta.${camel} is not read: write meta.${scrapyName} (meta keys keep scrapy-playwright's names, see docs/browser.md)`);
    }
    if (!meta.playwright) return this.context.httpDownload(request);
    if (this.closed) throw browserDownloadError(new Error('Browser has been closed'), request.url, undefined);
    const given = isPage(meta.playwright_page) ? meta.playwright_page : undefined;
    const pool = given === undefined ? this.pool(typeof meta.playwright_context === 'string' ? meta.playwright_context : 'default', meta.playwright_context_kwargs) : undefined;
    let page: Page | undefined;
    let reusable = false;
    let keepPage = false;
    try {
      page = given ?? await pool!.acquire();
      progress.stage = 'setting cookies';
      const browserContext = page.context();
      await cookiesIntoContext(browserContext, request.url, request.headers);
      if (request.method !== 'GET' || request.body.length > 0) {
        // The navigation carries the request's method and body; the page's other requests are its own.
        await page.route((url) => url.href === request.url, (route) => route.continue({method: request.method, postData: request.body.length > 0 ? request.body : undefined}), {times: 1});
      }
      const timeout = this.navigationTimeoutMs ?? downloadTimeoutMs(request, this.context.settings.getFloat('DOWNLOAD_TIMEOUT'));
      const gotoOptions = (typeof meta.playwright_page_goto_kwargs === 'object' && meta.playwright_page_goto_kwargs !== null ? meta.playwright_page_goto_kwargs : {}) as Record<string, unknown>;
      progress.stage = 'loading the page';
      const navigation = await page.goto(request.url, {timeout, ...gotoOptions});
      progress.stage = 'running the page methods';
      await runPageMethods(page, meta[PAGE_METHODS_META_KEY]);
      progress.stage = 'reading the rendered page';
      const response = await this.responseOf(request, page, browserContext, navigation);
      if (meta.playwright_include_page) {
        // The callback has the page now, and must close it: that frees its place in the context.
        meta.playwright_page = page;
        keepPage = true;
      }
      // A page with a route of its own, or handed over by a callback, is not reused.
      reusable = given === undefined && request.method === 'GET' && request.body.length === 0;
      return response;
    } catch (error) {
      if (error instanceof DraglineError) throw error;
      let crashed: 'page' | 'browser' | undefined = page !== undefined && this.crashedPages.has(page) ? 'page' : undefined;
      if (crashed === undefined && !this.closed && page?.context().browser()?.isConnected() === false) crashed = 'browser';
      throw browserDownloadError(error, request.url, crashed);
    } finally {
      if (page !== undefined && !keepPage) {
        if (!reusable || this.crashedPages.has(page)) await page.close().catch(() => {});
        pool?.release(page);
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const browser = this.browser;
    this.browser = undefined;
    this.contexts.clear();
    if (browser === undefined) return;
    try {
      await (await browser).close();
    } catch {
      // It never started, or it is gone already.
    }
  }

  private pool(name: string, kwargs: unknown): PagePool {
    let pool = this.pools.get(name);
    if (pool === undefined) {
      pool = new PagePool(this.maxPages, async () => this.newPage(await this.browserContext(name, kwargs)));
      this.pools.set(name, pool);
    }
    return pool;
  }

  private async newPage(browserContext: BrowserContext): Promise<Page> {
    const page = await untilDisconnected(browserContext, browserContext.newPage());
    const stats = this.context.stats;
    this.openPages += 1;
    stats?.inc('playwright/page_count');
    stats?.max('playwright/page_count/max_concurrent', this.openPages);
    page.once('crash', () => this.crashedPages.add(page));
    page.once('close', () => {
      this.openPages -= 1;
      stats?.inc('playwright/page_count/closed');
    });
    if (stats !== undefined) {
      page.on('request', (browserRequest) => {
        stats.inc('playwright/request_count');
        stats.inc(`playwright/request_count/method/${browserRequest.method()}`);
        stats.inc(`playwright/request_count/resource_type/${browserRequest.resourceType()}`);
        if (browserRequest.isNavigationRequest()) stats.inc('playwright/request_count/navigation');
      });
      page.on('response', (browserResponse) => {
        stats.inc('playwright/response_count');
        stats.inc(`playwright/response_count/resource_type/${browserResponse.request().resourceType()}`);
      });
    }
    return page;
  }

  /** The named context, made on first use from PLAYWRIGHT_CONTEXTS[name] (or meta.playwright_context_kwargs). */
  private browserContext(name: string, kwargs: unknown): Promise<BrowserContext> {
    let made = this.contexts.get(name);
    if (made === undefined) {
      const options = this.contextOptions[name] ?? (typeof kwargs === 'object' && kwargs !== null ? kwargs as Record<string, unknown> : {});
      made = this.launch().then(async (browser) => {
        const browserContext = await browser.newContext(options);
        this.context.stats?.inc('playwright/context_count');
        if (this.navigationTimeoutMs !== undefined) browserContext.setDefaultNavigationTimeout(this.navigationTimeoutMs);
        if (this.abortRequest !== undefined) {
          const abort = this.abortRequest;
          await browserContext.route('**/*', async (route) => {
            if (await abort(route.request())) {
              this.context.stats?.inc('playwright/request_count/aborted');
              await route.abort();
            } else {
              await route.fallback();
            }
          });
        }
        return browserContext;
      });
      this.contexts.set(name, made);
      made.catch(() => {
        if (this.contexts.get(name) === made) this.contexts.delete(name);
      });
    }
    return made;
  }

  /** The browser, launched on first use and again after it crashed or closed. */
  private launch(): Promise<Browser> {
    if (this.browser !== undefined) return this.browser;
    const launching = (async () => {
      const {chromium} = await import('playwright-core');
      const extraArgs = Array.isArray(this.launchOptions.args) ? this.launchOptions.args.map(String) : [];
      const browser = await chromium.launch({
        ...this.launchOptions,
        executablePath: this.executablePath,
        args: [...CHROMIUM_FLAGS, ...extraArgs],
        // dragline's Ctrl-C pauses the crawl and closes the browser itself, within the grace period.
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      });
      this.context.stats?.inc('playwright/browser_count');
      browser.once('disconnected', () => {
        if (this.browser !== launching) return;
        this.browser = undefined;
        this.contexts.clear();
        for (const pool of this.pools.values()) pool.reset();
        if (!this.closed) this.context.logger?.warning('The browser closed unexpectedly; it is launched again for the next rendered request');
      });
      return browser;
    })();
    this.browser = launching;
    launching.catch(() => {
      if (this.browser === launching) this.browser = undefined;
    });
    return launching;
  }

  private async responseOf(request: Request, page: Page, browserContext: BrowserContext, navigation: BrowserResponse | null): Promise<Response> {
    const html = await page.content();
    const headers: Record<string, string | string[]> = {};
    for (const {name, value} of navigation === null ? [] : await navigation.headersArray()) {
      const key = name.toLowerCase();
      // The body is the DOM serialized again, as UTF-8 HTML: the original encoding and length no longer apply.
      if (key === 'content-encoding' || key === 'content-length' || key === 'content-type' || key === 'set-cookie') continue;
      const previous = headers[key];
      headers[key] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
    }
    headers['content-type'] = 'text/html; charset=utf-8';
    const url = page.url();
    const setCookies = await cookiesOutOfContext(browserContext, url);
    if (setCookies.length > 0) headers['set-cookie'] = setCookies;
    const server = navigation === null ? null : await navigation.serverAddr().catch(() => null);
    return new Response({
      url,
      status: navigation?.status() ?? 200,
      headers,
      body: Buffer.from(html, 'utf8'),
      request,
      flags: ['playwright'],
      ip: server?.ipAddress,
      encoding: 'utf-8',
    });
  }
}

/** Calls each PageMethod on the page in order and keeps what it returned in `result`. */
async function runPageMethods(page: Page, methods: unknown): Promise<void> {
  if (methods === undefined || methods === null) return;
  if (!Array.isArray(methods)) throw new DraglineError('BAD_ARGUMENT', `meta.${PAGE_METHODS_META_KEY} must be a list of PageMethod`);
  for (const item of methods) {
    if (!(item instanceof PageMethod)) throw new DraglineError('BAD_ARGUMENT', `meta.${PAGE_METHODS_META_KEY} must hold PageMethod instances (new PageMethod('waitForSelector', 'div.quote'))`);
    const method = (page as unknown as Record<string, unknown>)[item.method];
    if (typeof method !== 'function') throw new DraglineError('BAD_ARGUMENT', `PageMethod('${item.method}'): a Playwright Page has no such method (use its JavaScript name, such as waitForSelector)`);
    item.result = await (method as (...args: unknown[]) => unknown).apply(page, item.args);
  }
}

/**
 * `pending`, or a rejection once the context's browser is gone: a newPage() under way when Chromium
 * died was seen to never settle, which left its request waiting for a page until DOWNLOAD_TIMEOUT.
 */
function untilDisconnected<T>(browserContext: BrowserContext, pending: Promise<T>): Promise<T> {
  const browser = browserContext.browser();
  if (browser === null) return pending;
  let onDisconnected: (() => void) | undefined;
  const gone = new Promise<never>((_resolve, reject) => {
    onDisconnected = () => reject(new Error('Target page, context or browser has been closed (the browser disconnected)'));
    if (!browser.isConnected()) onDisconnected();
    else browser.once('disconnected', onDisconnected);
  });
  return Promise.race([pending, gone]).finally(() => browser.off('disconnected', onDisconnected!));
}

function isPage(value: unknown): value is Page {
  return typeof value === 'object' && value !== null && typeof (value as Page).goto === 'function' && typeof (value as Page).isClosed === 'function';
}

function downloadTimeoutMs(request: Request, fallbackSeconds: number): number {
  const seconds = request.meta.download_timeout === undefined ? fallbackSeconds : Number(request.meta.download_timeout);
  return seconds > 0 ? seconds * 1000 : 0;
}
