import {isAbsolute, resolve} from 'node:path';
import type {Crawler} from '../core/crawler.js';
import {IgnoreRequest} from '../core/errors.js';
import {fingerprint} from '../utils/fingerprint.js';
import {FilesystemCacheStorage} from '../extensions/httpcache/filesystem-storage.js';
import type {Request} from '../http/request.js';
import {Response} from '../http/response.js';
import {NotConfigured, type DownloaderMiddleware} from '../core/middleware.js';
import type {Spider} from '../spiders/spider.js';
import type {StatsCollector} from '../core/stats.js';

/**
 * Scrapy's HttpCacheMiddleware with its DummyPolicy and filesystem storage (HTTPCACHE_ENABLED): every
 * response is stored, and a request whose response is stored (and not older than
 * HTTPCACHE_EXPIRATION_SECS) gets it back without a download, flagged `cached`. Made for developing
 * a spider against pages already fetched once. `meta.dont_cache` leaves a request out.
 */
export class HttpCacheMiddleware implements DownloaderMiddleware {
  private readonly storage: FilesystemCacheStorage;
  private readonly ignoreStatuses: Set<number>;
  private readonly ignoreSchemes: Set<string>;
  private readonly ignoreMissing: boolean;
  private readonly stats: StatsCollector;

  constructor(private readonly crawler: Crawler) {
    const settings = crawler.settings;
    if (!settings.getBool('HTTPCACHE_ENABLED')) throw new NotConfigured('HTTPCACHE_ENABLED is off');
    const dir = settings.getString('HTTPCACHE_DIR');
    this.storage = new FilesystemCacheStorage(isAbsolute(dir) ? dir : resolve(dir), settings.getFloat('HTTPCACHE_EXPIRATION_SECS'));
    this.ignoreStatuses = new Set(settings.getList<number>('HTTPCACHE_IGNORE_HTTP_CODES').map(Number));
    this.ignoreSchemes = new Set(settings.getList<string>('HTTPCACHE_IGNORE_SCHEMES').map((scheme) => scheme.toLowerCase()));
    this.ignoreMissing = settings.getBool('HTTPCACHE_IGNORE_MISSING');
    this.stats = crawler.stats;
  }

  /** The request's folder name: its fingerprint by REQUEST_FINGERPRINTER_CLASS, in hex. */
  private keyOf(request: Request): string {
    return (this.crawler.requestFingerprint?.(request) ?? fingerprint(request)).toString('hex');
  }

  processRequest(request: Request, spider: Spider): Response | undefined {
    if (request.meta.dont_cache === true) return undefined;
    if (this.ignoreSchemes.has(request.url.slice(0, request.url.indexOf(':')).toLowerCase())) {
      request.meta._dont_cache = true;
      return undefined;
    }
    const cached = this.storage.retrieve(spider.name, this.keyOf(request));
    if (cached === undefined) {
      this.stats.inc('httpcache/miss');
      if (this.ignoreMissing) {
        this.stats.inc('httpcache/ignore');
        throw new IgnoreRequest(`Ignored request not in cache: ${request}`);
      }
      return undefined;
    }
    this.stats.inc('httpcache/hit');
    return new Response({url: cached.url, status: cached.status, headers: cached.headers, body: cached.body, request, flags: ['cached']});
  }

  processResponse(request: Request, response: Response, spider: Spider): Response {
    if (request.meta.dont_cache === true || request.meta._dont_cache === true) {
      delete request.meta._dont_cache;
      return response;
    }
    if (response.flags.includes('cached')) return response;
    this.stats.inc('httpcache/firsthand');
    if (this.ignoreStatuses.has(response.status)) {
      this.stats.inc('httpcache/uncacheable');
      return response;
    }
    this.storage.store(spider.name, this.keyOf(request), request, response);
    this.stats.inc('httpcache/store');
    return response;
  }
}
