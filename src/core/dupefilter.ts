import {DraglineError} from './errors.js';
import type {Request} from '../http/request.js';
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

const FILTERING = new Set(['RFPDupeFilter', 'dragline.RFPDupeFilter', 'scrapy.dupefilters.RFPDupeFilter']);
const NOT_FILTERING = new Set(['BaseDupeFilter', 'dragline.BaseDupeFilter', 'scrapy.dupefilters.BaseDupeFilter']);

/**
 * DUPEFILTER_CLASS, as far as dragline has Scrapy's two: RFPDupeFilter (the default) filters
 * requests by fingerprint; BaseDupeFilter filters nothing. (A different idea of "the same request"
 * is REQUEST_FINGERPRINTER_CLASS's job.)
 */
export function filtersDuplicates(setting: string): boolean {
  if (setting === '' || FILTERING.has(setting)) return true;
  if (NOT_FILTERING.has(setting)) return false;
  throw new DraglineError('BAD_SETTING', `DUPEFILTER_CLASS '${setting}' is not one dragline has: use RFPDupeFilter (the default) or BaseDupeFilter (filter nothing); to change what counts as a duplicate, set REQUEST_FINGERPRINTER_CLASS`);
}
