// What components (middlewares, pipelines, extensions) see of a running crawl: CrawlerRun
// implements it, tests fake it.
import type {Settings} from '../settings/settings.js';
import type {StatsCollector} from './stats.js';
import type {Logger} from './logger.js';
import type {SignalManager} from './signals.js';
import type {Spider} from '../spiders/spider.js';
import type {JobDir} from '../persistence/types.js';
import type {Request} from '../http/request.js';
import type {Response} from '../http/response.js';

export interface Crawler {
  settings: Settings;
  stats: StatsCollector;
  logger: Logger;
  signals: SignalManager;
  spider: Spider;
  /** The job directory's local files (stats.json, cookies.json…) when the frontier keeps one (JOBDIR). */
  job?: JobDir;
  /**
   * The engine, once the crawl runs. `download()` fetches a request through the downloader
   * middlewares and the downloader, outside the scheduler (what RobotsTxtMiddleware uses).
   */
  engine?: {download(request: Request): Promise<Response>};
  /** Closes the spider with a reason (what the close-spider limits call). */
  closeSpider(reason: string): void;
  /** A request's 20-byte fingerprint by REQUEST_FINGERPRINTER_CLASS, once the crawl runs (Scrapy's crawler.request_fingerprinter). */
  requestFingerprint?(request: Request): Buffer;
}
