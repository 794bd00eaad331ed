import type {Crawler} from '../core/crawler.js';
import type {Request} from '../http/request.js';
import type {DownloaderMiddleware} from '../core/middleware.js';
import type {Spider} from '../spiders/spider.js';
import {hasHeader} from './headers.js';
import {spiderAttribute} from './spider-attribute.js';

/**
 * HTTP Basic authentication from the spider's `httpUser` / `httpPass`, as Scrapy's HttpAuthMiddleware.
 * Credentials go only to `httpAuthDomain` and its subdomains; when the spider does not set it, to the
 * domain of the first request; `httpAuthDomain = null` sends them everywhere.
 */
export class HttpAuthMiddleware implements DownloaderMiddleware {
  private authorization?: string;
  private domain?: string | null;

  constructor(crawler: Crawler) {
    if (crawler.spider !== undefined) this.open(crawler.spider);
  }

  open(spider: Spider): void {
    const user = spiderAttribute<string>(spider, 'httpUser');
    const password = spiderAttribute<string>(spider, 'httpPass');
    if (user === undefined && password === undefined) return;
    this.authorization = `Basic ${Buffer.from(`${user ?? ''}:${password ?? ''}`).toString('base64')}`;
    const raw = (spider as unknown as Record<string, unknown>).httpAuthDomain;
    this.domain = raw === null ? null : typeof raw === 'string' ? raw.toLowerCase() : undefined;
  }

  processRequest(request: Request): void {
    if (this.authorization === undefined || hasHeader(request.headers, 'Authorization')) return;
    const host = new URL(request.url).hostname.toLowerCase();
    if (this.domain === undefined) this.domain = host;
    if (this.domain === null || host === this.domain || host.endsWith(`.${this.domain}`)) request.headers.Authorization = this.authorization;
  }
}
