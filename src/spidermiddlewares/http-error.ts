import type {Crawler} from '../core/crawler.js';
import type {Response} from '../http/response.js';
import type {Logger} from '../core/logger.js';
import type {SpiderMiddleware} from '../core/middleware.js';
import type {Spider} from '../spiders/spider.js';
import type {StatsCollector} from '../core/stats.js';
import {spiderAttribute} from '../downloadermiddlewares/spider-attribute.js';

/**
 * A response whose status the spider does not handle, raised before the callback runs, as Scrapy's
 * HttpError. The engine hands it to the request's errback (`failure.response` is the response).
 */
export class HttpError extends Error {
  readonly code = 'HTTP_ERROR';
  constructor(readonly response: Response, message = 'Ignoring non-200 response') {
    super(message);
    this.name = 'HttpError';
  }
}

export function isHttpError(error: unknown): error is HttpError {
  return typeof error === 'object' && error !== null && (error as {code?: unknown}).code === 'HTTP_ERROR'
    && typeof (error as {response?: unknown}).response === 'object';
}

/**
 * Keeps non-2xx responses away from callbacks, as Scrapy's HttpErrorMiddleware. A status passes when it
 * is in `meta.handle_httpstatus_list` (which wins over everything but `meta.handle_httpstatus_all`),
 * or HTTPERROR_ALLOW_ALL is on, or it is in the spider's `handleHttpstatusList` (else HTTPERROR_ALLOWED_CODES).
 * An HttpError nobody handled (no errback, or an errback that rethrew it) is counted and logged at INFO in
 * processSpiderException, then swallowed.
 */
export class HttpErrorMiddleware implements SpiderMiddleware {
  private readonly allowAll: boolean;
  private readonly allowedCodes: number[];
  private readonly stats: StatsCollector;
  private readonly logger: Logger;

  constructor(crawler: Crawler) {
    this.allowAll = crawler.settings.getBool('HTTPERROR_ALLOW_ALL');
    this.allowedCodes = crawler.settings.getList('HTTPERROR_ALLOWED_CODES').map(Number);
    this.stats = crawler.stats;
    this.logger = crawler.logger.child('dragline.spidermiddlewares.httperror');
  }

  processSpiderInput(response: Response, spider: Spider): void {
    if (response.status >= 200 && response.status < 300) return;
    const meta = response.meta;
    if (meta.handle_httpstatus_all) return;
    let allowed: number[];
    if (Array.isArray(meta.handle_httpstatus_list)) allowed = meta.handle_httpstatus_list.map(Number);
    else if (this.allowAll) return;
    else allowed = (spiderAttribute<number[]>(spider, 'handleHttpstatusList') ?? this.allowedCodes).map(Number);
    if (allowed.includes(response.status)) return;
    throw new HttpError(response);
  }

  processSpiderException(response: Response, error: Error): unknown[] | undefined {
    if (!isHttpError(error)) return undefined;
    this.stats.inc('httperror/response_ignored_count');
    this.stats.inc(`httperror/response_ignored_status_count/${response.status}`);
    this.logger.info(`Ignoring response ${response}: HTTP status code is not handled or not allowed`);
    return [];
  }
}
