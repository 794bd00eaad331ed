import type {DownloaderMiddleware, SpiderMiddleware} from './middleware.js';
import type {ComponentEntry} from './component-loader.js';
import {RobotsTxtMiddleware} from '../downloadermiddlewares/robots-txt.js';
import {HttpAuthMiddleware} from '../downloadermiddlewares/http-auth.js';
import {DownloadTimeoutMiddleware} from '../downloadermiddlewares/download-timeout.js';
import {DefaultHeadersMiddleware} from '../downloadermiddlewares/default-headers.js';
import {UserAgentMiddleware} from '../downloadermiddlewares/user-agent.js';
import {RetryMiddleware} from '../downloadermiddlewares/retry.js';
import {MetaRefreshMiddleware} from '../downloadermiddlewares/meta-refresh.js';
import {RedirectMiddleware} from '../downloadermiddlewares/redirect.js';
import {CookiesMiddleware} from '../downloadermiddlewares/cookies.js';
import {HttpProxyMiddleware} from '../downloadermiddlewares/http-proxy.js';
import {DownloaderStatsMiddleware} from '../downloadermiddlewares/downloader-stats.js';
import {HttpCacheMiddleware} from '../downloadermiddlewares/http-cache.js';
import {HttpErrorMiddleware} from '../spidermiddlewares/http-error.js';
import {OffsiteMiddleware} from '../spidermiddlewares/offsite.js';
import {RefererMiddleware} from '../spidermiddlewares/referer.js';
import {UrlLengthMiddleware} from '../spidermiddlewares/url-length.js';
import {DepthMiddleware} from '../spidermiddlewares/depth.js';

/**
 * The built-in downloader middlewares with Scrapy's order numbers. processRequest runs in ascending
 * order (robots.txt first, stats last, nearest the downloader), processResponse and processException
 * in descending order. HttpCompression (590) is left out: the downloader decompresses bodies itself.
 */
export const DOWNLOADER_MIDDLEWARES_BASE: Record<string, ComponentEntry<DownloaderMiddleware>> = {
  RobotsTxtMiddleware: {order: 100, component: RobotsTxtMiddleware},
  HttpAuthMiddleware: {order: 300, component: HttpAuthMiddleware},
  DownloadTimeoutMiddleware: {order: 350, component: DownloadTimeoutMiddleware},
  DefaultHeadersMiddleware: {order: 400, component: DefaultHeadersMiddleware},
  UserAgentMiddleware: {order: 500, component: UserAgentMiddleware},
  RetryMiddleware: {order: 550, component: RetryMiddleware},
  MetaRefreshMiddleware: {order: 580, component: MetaRefreshMiddleware},
  RedirectMiddleware: {order: 600, component: RedirectMiddleware},
  CookiesMiddleware: {order: 700, component: CookiesMiddleware},
  HttpProxyMiddleware: {order: 750, component: HttpProxyMiddleware},
  DownloaderStatsMiddleware: {order: 850, component: DownloaderStatsMiddleware},
  HttpCacheMiddleware: {order: 900, component: HttpCacheMiddleware},
};

/**
 * The built-in spider middlewares with Scrapy's order numbers (processSpiderInput ascending,
 * processSpiderOutput descending). Offsite is the spider-middleware form at 500, as Scrapy before 2.11:
 * it filters what callbacks yield and leaves start requests alone.
 */
export const SPIDER_MIDDLEWARES_BASE: Record<string, ComponentEntry<SpiderMiddleware>> = {
  HttpErrorMiddleware: {order: 50, component: HttpErrorMiddleware},
  OffsiteMiddleware: {order: 500, component: OffsiteMiddleware},
  RefererMiddleware: {order: 700, component: RefererMiddleware},
  UrlLengthMiddleware: {order: 800, component: UrlLengthMiddleware},
  DepthMiddleware: {order: 900, component: DepthMiddleware},
};
