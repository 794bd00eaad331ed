import type {Crawler} from '../core/crawler.js';
import type {Request} from '../http/request.js';
import type {Response} from '../http/response.js';
import type {Logger} from '../core/logger.js';
import type {SpiderMiddleware} from '../core/middleware.js';
import type {StatsCollector} from '../core/stats.js';
import {isRequest} from './is-request.js';

/**
 * Tracks how many links away from a start request each request is, as Scrapy's DepthMiddleware:
 * start requests get `meta.depth` 0 and a request made from a response its depth + 1. Requests deeper
 * than DEPTH_LIMIT (0: no limit) are dropped; DEPTH_PRIORITY lowers the priority by depth × DEPTH_PRIORITY
 * (positive: breadth-first). Stats: `request_depth_max`, and `request_depth_count/<n>` with DEPTH_STATS_VERBOSE.
 */
export class DepthMiddleware implements SpiderMiddleware {
  private readonly maxDepth: number;
  private readonly depthPriority: number;
  private readonly verboseStats: boolean;
  private readonly stats: StatsCollector;
  private readonly logger: Logger;

  constructor(crawler: Crawler) {
    this.maxDepth = crawler.settings.getInt('DEPTH_LIMIT');
    this.depthPriority = crawler.settings.getInt('DEPTH_PRIORITY');
    this.verboseStats = crawler.settings.getBool('DEPTH_STATS_VERBOSE');
    this.stats = crawler.stats;
    this.logger = crawler.logger.child('dragline.spidermiddlewares.depth');
  }

  async *processStart(start: AsyncIterable<unknown>): AsyncIterable<unknown> {
    for await (const output of start) {
      if (isRequest(output) && output.meta.depth === undefined) {
        output.meta.depth = 0;
        if (this.verboseStats) this.stats.inc('request_depth_count/0');
      }
      yield output;
    }
  }

  async *processSpiderOutput(response: Response, result: AsyncIterable<unknown>): AsyncIterable<unknown> {
    this.initDepth(response);
    for await (const output of result) {
      if (!isRequest(output) || this.admit(output, response)) yield output;
    }
  }

  /** A response whose request never went through processStart (e.g. `dragline parse`) is a depth-0 page. */
  private initDepth(response: Response): void {
    if (response.meta.depth !== undefined) return;
    response.meta.depth = 0;
    if (this.verboseStats) this.stats.inc('request_depth_count/0');
  }

  private admit(request: Request, response: Response): boolean {
    const depth = Number(response.meta.depth) + 1;
    request.meta.depth = depth;
    if (this.depthPriority !== 0) request.priority -= depth * this.depthPriority;
    if (this.maxDepth > 0 && depth > this.maxDepth) {
      this.logger.debug(`Ignoring link (depth > ${this.maxDepth}): ${request.url}`);
      return false;
    }
    if (this.verboseStats) this.stats.inc(`request_depth_count/${depth}`);
    this.stats.max('request_depth_max', depth);
    return true;
  }
}
