import type {Crawler} from '../core/crawler.js';
import type {Request} from '../http/request.js';
import type {DownloaderMiddleware} from '../core/middleware.js';
import type {Spider} from '../spiders/spider.js';
import {spiderAttribute} from './spider-attribute.js';

/**
 * Puts the timeout in `meta.download_timeout` (seconds) unless the request has one: DOWNLOAD_TIMEOUT,
 * or the spider's `downloadTimeout`, as Scrapy's DownloadTimeoutMiddleware. The downloader reads it.
 */
export class DownloadTimeoutMiddleware implements DownloaderMiddleware {
  private timeout: number;

  constructor(crawler: Crawler) {
    this.timeout = crawler.settings.getFloat('DOWNLOAD_TIMEOUT');
    this.adoptSpider(crawler.spider);
  }

  open(spider: Spider): void {
    this.adoptSpider(spider);
  }

  processRequest(request: Request): void {
    if (this.timeout > 0 && request.meta.download_timeout === undefined) request.meta.download_timeout = this.timeout;
  }

  private adoptSpider(spider: Spider | undefined): void {
    const own = spiderAttribute<number>(spider, 'downloadTimeout');
    if (own !== undefined) this.timeout = Number(own);
  }
}
