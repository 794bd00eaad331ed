import {STATUS_CODES} from 'node:http';
import type {Crawler} from '../core/crawler.js';
import type {Request} from '../http/request.js';
import type {Response} from '../http/response.js';
import type {Logger} from '../core/logger.js';
import {NotConfigured, type DownloaderMiddleware} from '../core/middleware.js';
import type {Spider} from '../spiders/spider.js';
import {errorType} from './downloader-stats.js';

export const RETRY_LOGGER_NAME = 'dragline.downloadermiddlewares.retry';

export interface RetryOptions {
  spider: Spider;
  /** The crawler whose settings and stats are used; `spider.crawler` when not given. */
  crawler?: Crawler;
  /** A status message ("503 Service Unavailable") or the download error. */
  reason?: string | (Error & {code?: unknown});
  /** Retries allowed on top of the first download; `meta.max_retry_times`, then RETRY_TIMES, when not given. */
  maxRetryTimes?: number;
  priorityAdjust?: number;
  logger?: Logger;
  /** Prefix of the stats keys (`retry/count`…), as Scrapy's `stats_base_key`. */
  statsBaseKey?: string;
}

/**
 * A copy of `request` to download again, or undefined when it has been retried enough, as Scrapy's
 * `get_retry_request()`. Usable from a callback or errback: `return getRetryRequest(response.request, {spider: this, reason: 'empty page'})`.
 * With RETRY_BACKOFF_BASE set, the copy carries `meta.retry_delay_ms`, which the downloader waits before fetching it.
 */
export function getRetryRequest(request: Request, options: RetryOptions): Request | undefined {
  const crawler = options.crawler ?? options.spider.crawler;
  const settings = crawler.settings;
  const logger = options.logger ?? crawler.logger.child(RETRY_LOGGER_NAME);
  const statsBaseKey = options.statsBaseKey ?? 'retry';
  const retryTimes = Number(request.meta.retry_times ?? 0) + 1;
  const maxRetryTimes = options.maxRetryTimes ?? numberOr(request.meta.max_retry_times, settings.getInt('RETRY_TIMES'));
  const reason = options.reason ?? 'unspecified';
  const reasonText = typeof reason === 'string' ? reason : describeError(reason);

  if (retryTimes > maxRetryTimes) {
    crawler.stats.inc(`${statsBaseKey}/max_reached`);
    logger.error(`Gave up retrying ${request} (failed ${retryTimes} times): ${reasonText}`);
    return undefined;
  }

  logger.debug(`Retrying ${request} (failed ${retryTimes} times): ${reasonText}`);
  const priorityAdjust = options.priorityAdjust ?? settings.getInt('RETRY_PRIORITY_ADJUST');
  const meta: Record<string, unknown> = {...request.meta, retry_times: retryTimes};
  const delayMs = backoffDelayMs(retryTimes, settings.getFloat('RETRY_BACKOFF_BASE'), settings.getFloat('RETRY_BACKOFF_MAX'));
  if (delayMs > 0) meta.retry_delay_ms = delayMs;
  else delete meta.retry_delay_ms;
  const retry = request.replace({dontFilter: true, priority: request.priority + priorityAdjust, meta});

  crawler.stats.inc(`${statsBaseKey}/count`);
  crawler.stats.inc(`${statsBaseKey}/reason_count/${typeof reason === 'string' ? reason : errorType(reason as Error)}`);
  return retry;
}

/** Exponential back-off: base, 2·base, 4·base… seconds, capped at `max`; 0 when back-off is off. */
export function backoffDelayMs(retryTimes: number, base: number, max: number): number {
  if (!(base > 0)) return 0;
  const seconds = base * 2 ** Math.max(0, retryTimes - 1);
  return Math.round(Math.min(seconds, max > 0 ? max : seconds) * 1000);
}

/** "500 Internal Server Error", as Scrapy's `response_status_message()`. */
export function statusMessage(status: number): string {
  return `${status} ${STATUS_CODES[status] ?? 'Unknown Status'}`;
}

/**
 * Retries responses with a status in RETRY_HTTP_CODES and downloads that failed with a network error
 * code in RETRY_EXCEPTIONS, up to RETRY_TIMES times, as Scrapy's RetryMiddleware.
 * `meta.dont_retry` turns it off for one request; `meta.max_retry_times` and `meta.priority_adjust` override the settings.
 */
export class RetryMiddleware implements DownloaderMiddleware {
  private readonly codes: Set<number>;
  private readonly errorCodes: Set<string>;
  private readonly logger: Logger;

  constructor(private readonly crawler: Crawler) {
    const settings = crawler.settings;
    if (!settings.getBool('RETRY_ENABLED')) throw new NotConfigured('RETRY_ENABLED is off');
    this.codes = new Set(settings.getList('RETRY_HTTP_CODES').map(Number));
    this.errorCodes = new Set(settings.getList('RETRY_EXCEPTIONS').map(String));
    this.logger = crawler.logger.child(RETRY_LOGGER_NAME);
  }

  processResponse(request: Request, response: Response, spider: Spider): Request | Response {
    if (request.meta.dont_retry) return response;
    if (!this.codes.has(response.status)) return response;
    return this.retry(request, statusMessage(response.status), spider) ?? response;
  }

  processException(request: Request, error: Error, spider: Spider): Request | undefined {
    if (request.meta.dont_retry || !this.isRetryable(error)) return undefined;
    return this.retry(request, error, spider);
  }

  private retry(request: Request, reason: string | Error, spider: Spider): Request | undefined {
    return getRetryRequest(request, {
      spider: spider ?? this.crawler.spider,
      crawler: this.crawler,
      reason,
      maxRetryTimes: numberOr(request.meta.max_retry_times, this.crawler.settings.getInt('RETRY_TIMES')),
      priorityAdjust: numberOr(request.meta.priority_adjust, this.crawler.settings.getInt('RETRY_PRIORITY_ADJUST')),
      logger: this.logger,
    });
  }

  private isRetryable(error: Error & {code?: unknown; cause?: unknown}): boolean {
    if (typeof error.code === 'string' && this.errorCodes.has(error.code)) return true;
    const cause = error.cause as {code?: unknown} | undefined;
    return typeof cause?.code === 'string' && this.errorCodes.has(cause.code);
  }
}

function numberOr(value: unknown, fallback: number): number {
  return value === undefined || value === null || Number.isNaN(Number(value)) ? fallback : Number(value);
}

function describeError(error: Error & {code?: unknown}): string {
  const code = typeof error.code === 'string' ? error.code : error.name;
  return error.message.includes(code) ? error.message : `${code}: ${error.message}`;
}
