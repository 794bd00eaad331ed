// The public API a spider author imports: `import {Spider, Request} from 'dragline'`.
export {Spider, type SpiderClass, type SpiderArgs, type SpiderState} from './spiders/spider.js';
export {CrawlSpider, Rule, type RuleOptions} from './spiders/crawl-spider.js';
export {SitemapSpider} from './spiders/sitemap-spider.js';
export {XMLFeedSpider, CSVFeedSpider} from './spiders/feed-spiders.js';
export {parseSitemap, sitemapBody, sitemapUrlsFromRobots, type Sitemap, type SitemapEntry, type SitemapSource} from './utils/sitemap.js';
export {LinkExtractor, IGNORED_EXTENSIONS, type Link, type LinkExtractorOptions} from './linkextractors/link-extractor.js';
export {
  Request,
  JsonRequest,
  type RequestOptions,
  type CheckedRequestOptions,
  type KwargsGiven,
  type JsonRequestOptions,
  type RequestMeta,
  type Callback,
  type CallbackKwargs,
  type CallbackOutput,
  type Errback,
  type Failure,
  type Headers,
  type HeaderValue,
} from './http/request.js';
export {FormRequest, type FormRequestOptions, type FromResponseOptions, type FormRequestData, type FormValue} from './http/form-request.js';
export {PageMethod} from './http/page-method.js';
export type {ClickData, FormChoice} from './http/html-form.js';
export {Response, type ResponseInit, type FollowTarget} from './http/response.js';
export {Selector, SelectorList, type SelectorInit, type RegexInput, type RegexOptions, type TargetKind, type XPathOptions} from './selector/index.js';
export type {DocumentType} from './selector/page-tree.js';
export {Item, type ItemClass, type ItemFields} from './core/item.js';
export {FilesPipeline, type StoredFile} from './pipelines/files-pipeline.js';
export {ItemLoader, type ItemLoaderOptions, type FieldProcessors, type ValueOptions} from './loader/item-loader.js';
export {Identity, TakeFirst, Join, MapCompose, Compose, type Processor, type LoaderContext, type ComposeOptions, type ValueFunction} from './loader/processors.js';
export {Settings, type SettingName, type SettingValues, type CustomSettings, type SettingsPriority} from './settings/settings.js';
export type {BuiltInSettingName} from './settings/default-settings.js';
export {DraglineError, DropItem, CloseSpider, IgnoreRequest, type DraglineErrorCode} from './core/errors.js';
export {NotConfigured, type DownloaderMiddleware, type SpiderMiddleware, type ItemPipeline} from './core/middleware.js';
export {SIGNALS, SignalManager} from './core/signals.js';
export {Logger, type LogLevel, type LogSink} from './core/logger.js';
export {StatsCollector} from './core/stats.js';
export type {Job, JobDir, JobCloseOptions, JobOpenReport, LastRun, Lease, PendingQueue, SeenSet} from './persistence/types.js';
export {canonicalizeUrl, type CanonicalizeUrlOptions} from './utils/canonicalize-url.js';
export {fingerprint, fingerprintHex, type FingerprintOptions} from './utils/fingerprint.js';
export {DefaultRequestFingerprinter, type RequestFingerprinter} from './utils/request-fingerprinter.js';
export {runSpider, type RunSpiderOptions} from './core/crawler-process.js';
export type {CrawlResult} from './core/crawler-run.js';
export type {Crawler} from './core/crawler.js';
export {getRetryRequest, type RetryOptions} from './downloadermiddlewares/retry.js';
export {HttpError, isHttpError} from './spidermiddlewares/http-error.js';
export type {Frontier, FrontierStatus, FrontierOpenReport, FrontierCloseOptions, CommitBatch, CommitReply, ChildRequest, FailedRecord, StateChange, LocalWrite} from './persistence/frontier.js';
export type {FingerprintSet} from './persistence/seen-set.js';
export type {FsyncBatcher} from './persistence/fsync-batcher.js';
export type {MemoryQueue, MemoryLease} from './persistence/memory/memory-queue.js';
export type {FrontierContext} from './core/frontier-loader.js';
export {MemoryFrontier} from './persistence/memory/memory-frontier.js';

/** The shape of a project's dragline.config.ts: `export default {settings: {...}} satisfies ProjectConfig`. */
export interface ProjectConfig {
  settings?: Record<string, unknown>;
}
