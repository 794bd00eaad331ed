import type {Crawler} from '../core/crawler.js';
import type {Request} from '../http/request.js';
import type {Response} from '../http/response.js';
import type {Logger} from '../core/logger.js';
import type {SpiderMiddleware} from '../core/middleware.js';
import type {Spider} from '../spiders/spider.js';
import type {StatsCollector} from '../core/stats.js';
import {isRequest} from './is-request.js';
import {hostOf} from '../utils/url-host.js';

/**
 * Drops requests a callback makes to hosts outside the spider's `allowedDomains` (subdomains included;
 * ports do not matter), as Scrapy's OffsiteMiddleware in its spider-middleware form (before 2.11, at 500).
 * Requests with `dontFilter` or `meta.allow_offsite` pass; so do start requests, which do not come from a callback.
 * A spider without `allowedDomains` may go anywhere.
 */
export class OffsiteMiddleware implements SpiderMiddleware {
  private hostPattern?: RegExp;
  private patternBuilt = false;
  private readonly domainsSeen = new Set<string>();
  private readonly stats: StatsCollector;
  private readonly logger: Logger;

  constructor(private readonly crawler: Crawler) {
    this.stats = crawler.stats;
    this.logger = crawler.logger.child('dragline.spidermiddlewares.offsite');
  }

  open(spider: Spider): void {
    this.hostPattern = this.buildHostPattern(spider);
    this.patternBuilt = true;
  }

  async *processSpiderOutput(_response: Response, result: AsyncIterable<unknown>, spider: Spider): AsyncIterable<unknown> {
    if (!this.patternBuilt) this.open(spider ?? this.crawler.spider);
    for await (const output of result) {
      if (!isRequest(output) || this.shouldFollow(output)) {
        yield output;
        continue;
      }
      const host = hostOf(output.url);
      if (host !== '' && !this.domainsSeen.has(host)) {
        this.domainsSeen.add(host);
        this.logger.debug(`Filtered offsite request to '${host}': ${output}`);
        this.stats.inc('offsite/domains');
      }
      this.stats.inc('offsite/filtered');
    }
  }

  private shouldFollow(request: Request): boolean {
    if (request.dontFilter || request.meta.allow_offsite) return true;
    const pattern = this.hostPattern;
    if (pattern === undefined) return true;
    return pattern.test(hostOf(request.url));
  }

  /** undefined means "everything is allowed". Entries that are URLs or carry a port are ignored with a warning, as Scrapy. */
  private buildHostPattern(spider: Spider | undefined): RegExp | undefined {
    const allowed = spider?.allowedDomains;
    if (!Array.isArray(allowed) || allowed.length === 0) return undefined;
    const domains: string[] = [];
    for (const entry of allowed) {
      if (typeof entry !== 'string' || entry === '') continue;
      if (/^https?:\/\//i.test(entry)) {
        this.logger.warning(`allowedDomains accepts only domains, not URLs. Ignoring URL entry ${entry} in allowedDomains.`);
      } else if (/:\d+$/.test(entry)) {
        this.logger.warning(`allowedDomains accepts only domains without ports. Ignoring entry ${entry} in allowedDomains.`);
      } else {
        domains.push(escapeRegExp(entry.toLowerCase()));
      }
    }
    // Every entry was ignored: nothing matches, so every callback request is offsite (as Scrapy).
    return new RegExp(`^(.*\\.)?(${domains.join('|')})$`);
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
