// The public API a spider author imports: `import {Spider, Request} from 'dragline'`.
export {Spider, type SpiderClass, type SpiderArgs} from './core/spider.js';
export {CrawlSpider, Rule, type RuleOptions} from './core/crawl-spider.js';
export {SitemapSpider} from './core/sitemap-spider.js';
export {XMLFeedSpider, CSVFeedSpider} from './core/feed-spiders.js';
export {parseSitemap, sitemapBody, sitemapUrlsFromRobots, type Sitemap, type SitemapEntry} from './core/sitemap.js';
export {LinkExtractor, IGNORED_EXTENSIONS, type Link, type LinkExtractorOptions} from './core/link-extractor.js';
export {Request, JsonRequest, type RequestOptions, type Callback, type Errback, type Failure, type Headers} from './core/http/request.js';
export {FormRequest, type FormRequestOptions, type FromResponseOptions, type FormRequestData, type FormValue} from './core/http/form-request.js';
export {PageMethod} from './core/http/page-method.js';
export type {ClickData, FormChoice} from './core/http/html-form.js';
export {Response} from './core/http/response.js';
export {Selector, SelectorList} from './core/selector/index.js';
export {Item, type ItemFields} from './core/item.js';
export {FilesPipeline, type StoredFile} from './core/pipelines/files-pipeline.js';
export {ItemLoader, type ItemLoaderOptions, type FieldProcessors, type ValueOptions} from './core/loader/item-loader.js';
export {Identity, TakeFirst, Join, MapCompose, Compose, type Processor, type LoaderContext, type ComposeOptions} from './core/loader/processors.js';
export {Settings} from './core/settings/settings.js';
export {DraglineError, DropItem, CloseSpider, IgnoreRequest} from './core/errors.js';
export {NotConfigured, type DownloaderMiddleware, type SpiderMiddleware, type ItemPipeline} from './core/middleware.js';
export {SIGNALS} from './core/signals.js';
export {canonicalizeUrl} from './core/utils/canonicalize-url.js';
export {fingerprint, fingerprintHex, type FingerprintOptions} from './core/fingerprint.js';
export {DefaultRequestFingerprinter, type RequestFingerprinter} from './core/request-fingerprinter.js';
export {runSpider, type RunSpiderOptions} from './core/crawler-process.js';
export type {Crawler} from './core/crawler.js';
export {getRetryRequest} from './core/downloadermiddlewares/retry.js';
export {HttpError, isHttpError} from './core/spidermiddlewares/http-error.js';

/** The shape of a project's dragline.config.ts: `export default {settings: {...}} satisfies ProjectConfig`. */
export interface ProjectConfig {
  settings?: Record<string, unknown>;
}
