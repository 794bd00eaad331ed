import type {Crawler} from '../core/crawler.js';
import type {Request} from '../http/request.js';
import type {DownloaderMiddleware} from '../core/middleware.js';
import type {Spider} from '../spiders/spider.js';
import {setDefaultHeader} from './headers.js';
import {spiderAttribute} from './spider-attribute.js';

/** Sets the User-Agent header: USER_AGENT, or the spider's `userAgent` (as Scrapy's `spider.user_agent`). */
export class UserAgentMiddleware implements DownloaderMiddleware {
  private userAgent: string;

  constructor(crawler: Crawler) {
    this.userAgent = crawler.settings.getString('USER_AGENT');
    this.adoptSpider(crawler.spider);
  }

  open(spider: Spider): void {
    this.adoptSpider(spider);
  }

  processRequest(request: Request): void {
    if (this.userAgent) setDefaultHeader(request.headers, 'User-Agent', this.userAgent);
  }

  private adoptSpider(spider: Spider | undefined): void {
    const own = spiderAttribute<string>(spider, 'userAgent');
    if (own !== undefined) this.userAgent = own;
  }
}
