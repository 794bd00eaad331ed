import type {Request} from '../http/request.js';
import type {Response} from '../http/response.js';
import type {Spider} from '../spiders/spider.js';
import type {Crawler} from './crawler.js';

type Maybe<T> = T | undefined | void;
type MaybePromise<T> = T | Promise<T>;

/**
 * A downloader middleware, as in Scrapy: every method is optional. processRequest may return a
 * Response (no download), a Request (rescheduled instead) or nothing; it may throw IgnoreRequest.
 */
export interface DownloaderMiddleware {
  open?(spider: Spider): MaybePromise<void>;
  close?(spider: Spider, reason: string): MaybePromise<void>;
  processRequest?(request: Request, spider: Spider): MaybePromise<Maybe<Request | Response>>;
  processResponse?(request: Request, response: Response, spider: Spider): MaybePromise<Request | Response>;
  processException?(request: Request, error: Error, spider: Spider): MaybePromise<Maybe<Request | Response>>;
}

/**
 * A spider middleware, as in Scrapy. processSpiderOutput and processStart receive and return async
 * iterables, so a middleware can filter, add or change what a callback produced.
 */
export interface SpiderMiddleware {
  open?(spider: Spider): MaybePromise<void>;
  close?(spider: Spider, reason: string): MaybePromise<void>;
  processSpiderInput?(response: Response, spider: Spider): MaybePromise<void>;
  processSpiderOutput?(response: Response, result: AsyncIterable<unknown>, spider: Spider): AsyncIterable<unknown>;
  processSpiderException?(response: Response, error: Error, spider: Spider): MaybePromise<Maybe<Iterable<unknown> | AsyncIterable<unknown>>>;
  processStart?(start: AsyncIterable<unknown>, spider: Spider): AsyncIterable<unknown>;
}

/**
 * An item pipeline: processItem returns the item (possibly changed) or throws DropItem. `In` is the
 * item it receives, `Out` what it passes on: `implements ItemPipeline<Book, PricedBook>`.
 */
export interface ItemPipeline<In = unknown, Out = In> {
  open?(spider: Spider): MaybePromise<void>;
  close?(spider: Spider, reason: string): MaybePromise<void>;
  processItem(item: In, spider: Spider): MaybePromise<Out>;
}

/**
 * How middleware and pipeline classes are built: `static fromCrawler(crawler)` when the class has
 * it, `new Class(crawler)` otherwise. Throwing NotConfigured leaves the component out.
 */
export type ComponentClass<T> = (new (crawler: Crawler) => T) & {fromCrawler?: (crawler: Crawler) => T};

export class NotConfigured extends Error {
  constructor(message = 'not configured') {
    super(message);
    this.name = 'NotConfigured';
  }
}
