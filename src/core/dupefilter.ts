import type {Request} from './http/request.js';
import type {Logger} from './logger.js';
import type {StatsCollector} from './stats.js';

/** The logging half of Scrapy's RFPDupeFilter: the first duplicate only, or every one with DUPEFILTER_DEBUG. */
export class DupeFilterLog {
  private loggedOne = false;

  constructor(
    private readonly logger: Logger,
    private readonly stats: StatsCollector,
    private readonly debug: boolean,
  ) {}

  filtered(request: Request): void {
    this.stats.inc('dupefilter/filtered');
    if (this.debug) {
      const referer = request.header('Referer') ?? 'None';
      this.logger.debug(`Filtered duplicate request: ${request} (referer: ${referer})`);
    } else if (!this.loggedOne) {
      this.logger.debug(`Filtered duplicate request: ${request} - no more duplicates will be shown (see DUPEFILTER_DEBUG to show all duplicates)`);
      this.loggedOne = true;
    }
  }
}
