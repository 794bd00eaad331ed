import {createRequire} from 'node:module';
import type {CookieJar, SerializedCookieJar} from 'tough-cookie';
import type {Crawler} from '../core/crawler.js';
import type {Request} from '../http/request.js';
import type {Response} from '../http/response.js';
import type {Logger} from '../core/logger.js';
import {NotConfigured, type DownloaderMiddleware} from '../core/middleware.js';
import {SIGNALS} from '../core/signals.js';
import {headerValues, removeHeader} from './headers.js';

type ToughCookie = typeof import('tough-cookie');
let toughCookie: ToughCookie | undefined;

/** tough-cookie is loaded on first use: a crawl of a site that sets no cookie never pays for it. */
function loadToughCookie(): ToughCookie {
  toughCookie ??= createRequire(import.meta.url)('tough-cookie') as ToughCookie;
  return toughCookie;
}

/** The job-directory document the jars are saved to. */
export const COOKIES_FILE = 'cookies.json';

interface SavedCookies {
  version: 1;
  /** Jar key (`''` for the default jar, else JSON of `meta.cookiejar`) to tough-cookie's serialized jar. */
  jars: Record<string, SerializedCookieJar>;
}

/**
 * Keeps cookies as a browser does, as Scrapy's CookiesMiddleware: one jar per spider, and one more per
 * `meta.cookiejar` key; `request.cookies` go into the jar, responses' Set-Cookie are stored, and the
 * Cookie header of every request is set from the jar (a hand-written Cookie header is replaced).
 * `meta.dont_merge_cookies` leaves a request and its response alone.
 * Unlike Scrapy, with a job (JOBDIR) the jars are saved in the job and reloaded on resume.
 */
export class CookiesMiddleware implements DownloaderMiddleware {
  private readonly jars = new Map<string, CookieJar>();
  private readonly debug: boolean;
  private readonly logger: Logger;
  private readonly persist = (): void => this.save();

  constructor(private readonly crawler: Crawler) {
    if (!crawler.settings.getBool('COOKIES_ENABLED')) throw new NotConfigured('COOKIES_ENABLED is off');
    this.debug = crawler.settings.getBool('COOKIES_DEBUG');
    this.logger = crawler.logger.child('dragline.downloadermiddlewares.cookies');
  }

  open(): void {
    if (this.crawler.job === undefined) return;
    this.load();
    this.crawler.signals.on(SIGNALS.persist, this.persist);
  }

  close(): void {
    if (this.crawler.job === undefined) return;
    this.crawler.signals.off(SIGNALS.persist, this.persist);
    this.save();
  }

  processRequest(request: Request): void {
    if (request.meta.dont_merge_cookies) return;
    const cookies = Object.entries(request.cookies);
    if (cookies.length === 0 && !this.jars.has(jarName(request.meta.cookiejar))) {
      // No cookie to send: this key's jar was never made (jars are made only to hold cookies).
      removeHeader(request.headers, 'Cookie');
      return;
    }
    const jar = this.jarFor(request);
    for (const [name, value] of cookies) {
      jar.setCookieSync(`${name}=${value}`, request.url, {ignoreError: true});
    }
    removeHeader(request.headers, 'Cookie');
    const cookie = jar.getCookieStringSync(request.url);
    if (cookie !== '') {
      request.headers.Cookie = cookie;
      if (this.debug) this.logger.debug(`Sending cookies to: ${request}\nCookie: ${cookie}`);
    }
  }

  processResponse(request: Request, response: Response): Response {
    if (request.meta.dont_merge_cookies) return response;
    const setCookies = headerValues(response.headers, 'set-cookie');
    if (setCookies.length === 0) return response;
    const jar = this.jarFor(request);
    for (const setCookie of setCookies) jar.setCookieSync(setCookie, response.url, {ignoreError: true});
    if (this.debug) this.logger.debug(`Received cookies from: ${response}\n${setCookies.map((line) => `Set-Cookie: ${line}`).join('\n')}`);
    return response;
  }

  /** The jar for `meta.cookiejar` (the spider's default jar when it is not set). */
  jar(key?: unknown): CookieJar {
    const name = jarName(key);
    let jar = this.jars.get(name);
    if (jar === undefined) {
      jar = newJar();
      this.jars.set(name, jar);
    }
    return jar;
  }

  private jarFor(request: Request): CookieJar {
    return this.jar(request.meta.cookiejar);
  }

  private load(): void {
    const saved = this.crawler.job?.loadJson<SavedCookies>(COOKIES_FILE);
    if (saved === undefined || typeof saved !== 'object' || saved === null || typeof saved.jars !== 'object') return;
    const now = new Date();
    let expired = 0;
    for (const [name, serialized] of Object.entries(saved.jars)) {
      const cookies = Array.isArray(serialized?.cookies) ? serialized.cookies : [];
      const alive = cookies.filter((json) => {
        const expiry = loadToughCookie().Cookie.fromJSON(json)?.expiryTime(now);
        return expiry === undefined || expiry > now.getTime();
      });
      expired += cookies.length - alive.length;
      try {
        this.jars.set(name, loadToughCookie().CookieJar.deserializeSync({...serialized, cookies: alive}));
      } catch (error) {
        this.logger.warning(`Could not restore the cookie jar ${name || 'default'} from ${COOKIES_FILE}: ${(error as Error).message}; starting it empty`);
      }
    }
    if (expired > 0) {
      this.crawler.stats.inc('cookies/expired_at_resume', expired);
      this.logger.warning(`${expired} cookies expired while the job was paused; requests that need them may fail (see docs/jobs.md: cookies)`);
    }
  }

  private save(): void {
    const job = this.crawler.job;
    if (job === undefined) return;
    const jars: Record<string, SerializedCookieJar> = {};
    for (const [name, jar] of this.jars) {
      const serialized = jar.serializeSync();
      if (serialized !== undefined) jars[name] = serialized;
    }
    try {
      job.saveJson(COOKIES_FILE, {version: 1, jars} satisfies SavedCookies);
    } catch (error) {
      this.logger.warning(`Could not save cookies to the job: ${(error as Error).message}`);
    }
  }
}

function newJar(): CookieJar {
  // Loose mode accepts `Set-Cookie: value` without a name, as Python's cookiejar does.
  return new (loadToughCookie().CookieJar)(undefined, {looseMode: true});
}

function jarName(key: unknown): string {
  return key === undefined || key === null ? '' : JSON.stringify(key);
}
