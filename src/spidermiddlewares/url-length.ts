import type {Crawler} from '../core/crawler.js';
import type {Response} from '../http/response.js';
import type {Logger} from '../core/logger.js';
import {NotConfigured, type SpiderMiddleware} from '../core/middleware.js';
import type {StatsCollector} from '../core/stats.js';
import {isRequest} from './is-request.js';

/** Drops requests whose URL is longer than URLLENGTH_LIMIT characters, as Scrapy's UrlLengthMiddleware. */
export class UrlLengthMiddleware implements SpiderMiddleware {
  private readonly maxLength: number;
  private readonly stats: StatsCollector;
  private readonly logger: Logger;

  constructor(crawler: Crawler) {
    this.maxLength = crawler.settings.getInt('URLLENGTH_LIMIT');
    if (this.maxLength <= 0) throw new NotConfigured('URLLENGTH_LIMIT is 0');
    this.stats = crawler.stats;
    this.logger = crawler.logger.child('dragline.spidermiddlewares.urllength');
  }

  async *processSpiderOutput(_response: Response, result: AsyncIterable<unknown>): AsyncIterable<unknown> {
    for await (const output of result) {
      if (isRequest(output) && output.url.length > this.maxLength) {
        this.logger.info(`Ignoring link (url length > ${this.maxLength}): ${output.url}`);
        this.stats.inc('urllength/request_ignored_count');
        continue;
      }
      yield output;
    }
  }
}
