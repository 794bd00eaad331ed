import type {Crawler} from '../core/crawler.js';
import {IgnoreRequest} from '../core/errors.js';
import type {Request} from '../http/request.js';
import type {Response} from '../http/response.js';
import type {Logger} from '../core/logger.js';
import {NotConfigured, type DownloaderMiddleware} from '../core/middleware.js';
import type {Spider} from '../spiders/spider.js';
import {removeHeader} from './headers.js';
import {spiderAttribute} from './spider-attribute.js';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Headers that describe a body; they go when a redirect turns the request into a bodiless GET. */
const BODY_HEADERS = ['Content-Type', 'Content-Length', 'Content-Encoding', 'Content-Language', 'Content-Location', 'Transfer-Encoding'];

/**
 * What RedirectMiddleware and MetaRefreshMiddleware share: the redirect bookkeeping in meta
 * (`redirect_times`, `redirect_ttl`, `redirect_urls`, `redirect_reasons`), the limit and the log lines,
 * as Scrapy's BaseRedirectMiddleware.
 */
export class RedirectFollower {
  readonly maxTimes: number;
  readonly priorityAdjust: number;

  constructor(crawler: Crawler, private readonly logger: Logger) {
    this.maxTimes = crawler.settings.getInt('REDIRECT_MAX_TIMES');
    this.priorityAdjust = crawler.settings.getInt('REDIRECT_PRIORITY_ADJUST');
  }

  /** The redirected request, or IgnoreRequest when the chain is too long. */
  follow(redirected: Request, request: Request, reason: number | string): Request {
    const ttl = Number(request.meta.redirect_ttl ?? this.maxTimes);
    const times = Number(request.meta.redirect_times ?? 0) + 1;
    if (ttl > 0 && times <= this.maxTimes) {
      redirected.meta = {
        ...redirected.meta,
        redirect_times: times,
        redirect_ttl: ttl - 1,
        redirect_urls: [...asArray(request.meta.redirect_urls), request.url],
        redirect_reasons: [...asArray(request.meta.redirect_reasons), reason],
      };
      // A back-off delay belongs to the retry that set it, not to where the server sends us next.
      delete redirected.meta.retry_delay_ms;
      redirected.dontFilter = request.dontFilter;
      redirected.priority = request.priority + this.priorityAdjust;
      this.logger.debug(`Redirecting (${reason}) to ${redirected} from ${request}`);
      return redirected;
    }
    this.logger.debug(`Discarding ${request}: max redirections reached`);
    throw new IgnoreRequest('max redirections reached');
  }
}

/**
 * A copy of `request` aimed at `url`. Cookie and Authorization headers are dropped when the host
 * changes (and Cookie also on an https→http downgrade), so credentials never leak to another site,
 * as Scrapy does since 2.11.1; so are `request.cookies`, which the cookie jar already holds for the first host.
 */
export function buildRedirectRequest(request: Request, url: string, changes: {method?: string; body?: Buffer} = {}): Request {
  const from = new URL(request.url);
  const to = new URL(url);
  const otherHost = from.hostname !== to.hostname;
  const redirected = request.replace({url, headers: {...request.headers}, cookies: otherHost ? {} : request.cookies, ...changes});
  if (otherHost || (from.protocol === 'https:' && to.protocol === 'http:')) removeHeader(redirected.headers, 'Cookie');
  if (otherHost || from.protocol !== to.protocol) removeHeader(redirected.headers, 'Authorization');
  return redirected;
}

/** A GET without body to `url`, as a browser does after a 303 (or a 301/302 answering a POST). */
export function buildGetRedirectRequest(request: Request, url: string): Request {
  const redirected = buildRedirectRequest(request, url, {method: 'GET', body: Buffer.alloc(0)});
  for (const name of BODY_HEADERS) removeHeader(redirected.headers, name);
  return redirected;
}

/** Whether the request asked to see this response as it is (`dont_redirect`, `handle_httpstatus_list`…). */
export function wantsResponseAsIs(request: Request, response: Response, spider: Spider | undefined): boolean {
  if (request.meta.dont_redirect || request.meta.handle_httpstatus_all) return true;
  if (asArray(request.meta.handle_httpstatus_list).map(Number).includes(response.status)) return true;
  return asArray(spiderAttribute(spider, 'handleHttpstatusList')).map(Number).includes(response.status);
}

/**
 * Follows HTTP redirects (301, 302, 303, 307, 308 with a Location) by returning a new request, which
 * goes back through the scheduler and its duplicates filter, as Scrapy's RedirectMiddleware.
 * 303 becomes a GET (except for HEAD); so do 301 and 302 answering a POST; 307 and 308 keep the method and body.
 */
export class RedirectMiddleware implements DownloaderMiddleware {
  private readonly follower: RedirectFollower;

  constructor(private readonly crawler: Crawler) {
    if (!crawler.settings.getBool('REDIRECT_ENABLED')) throw new NotConfigured('REDIRECT_ENABLED is off');
    this.follower = new RedirectFollower(crawler, crawler.logger.child('dragline.downloadermiddlewares.redirect'));
  }

  processResponse(request: Request, response: Response, spider: Spider): Request | Response {
    if (wantsResponseAsIs(request, response, spider ?? this.crawler.spider)) return response;
    if (!REDIRECT_STATUSES.has(response.status)) return response;
    const location = response.header('location');
    if (location === undefined || location.trim() === '') return response;

    let target: URL;
    try {
      target = new URL(location.trim(), request.url);
    } catch {
      return response;
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') return response;

    const toGet = (response.status === 303 && request.method !== 'HEAD')
      || ((response.status === 301 || response.status === 302) && request.method === 'POST');
    const redirected = toGet ? buildGetRedirectRequest(request, target.toString()) : buildRedirectRequest(request, target.toString());
    return this.follower.follow(redirected, request, response.status);
  }
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
