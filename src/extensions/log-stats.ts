import type {Logger} from '../core/logger.js';
import type {StatsCollector} from '../core/stats.js';

/** Scrapy's LogStats: "Crawled N pages (at P pages/min), scraped M items (at I items/min)" every interval. */
export class LogStats {
  private timer?: NodeJS.Timeout;
  private lastPages = 0;
  private lastItems = 0;

  constructor(
    private readonly stats: StatsCollector,
    private readonly logger: Logger,
    private readonly intervalSeconds: number,
  ) {}

  start(): void {
    this.log();
    if (this.intervalSeconds <= 0) return;
    this.timer = setInterval(() => this.log(), this.intervalSeconds * 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
  }

  private log(): void {
    const pages = this.stats.get<number>('response_received_count', 0)!;
    const items = this.stats.get<number>('item_scraped_count', 0)!;
    const perMinute = 60 / Math.max(this.intervalSeconds, 1e-9);
    const pageRate = Math.round((pages - this.lastPages) * perMinute);
    const itemRate = Math.round((items - this.lastItems) * perMinute);
    this.lastPages = pages;
    this.lastItems = items;
    this.logger.info(`Crawled ${pages} pages (at ${pageRate} pages/min), scraped ${items} items (at ${itemRate} items/min)`);
  }
}
