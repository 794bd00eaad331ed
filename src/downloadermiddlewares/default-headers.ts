import type {Crawler} from '../core/crawler.js';
import type {Request} from '../http/request.js';
import type {DownloaderMiddleware} from '../core/middleware.js';
import {setDefaultHeader} from './headers.js';

/** Adds DEFAULT_REQUEST_HEADERS to every request that does not set them, as Scrapy's DefaultHeadersMiddleware. */
export class DefaultHeadersMiddleware implements DownloaderMiddleware {
  private readonly headers: Record<string, string>;

  constructor(crawler: Crawler) {
    this.headers = crawler.settings.getDict<string>('DEFAULT_REQUEST_HEADERS');
  }

  processRequest(request: Request): void {
    for (const [name, value] of Object.entries(this.headers)) {
      if (value !== undefined && value !== null) setDefaultHeader(request.headers, name, String(value));
    }
  }
}
