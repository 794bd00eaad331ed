import robotsParserModule from 'robots-parser';
import type {Crawler} from '../core/crawler.js';
import {IgnoreRequest} from '../core/errors.js';
import {Request} from '../http/request.js';
import type {Logger} from '../core/logger.js';
import {NotConfigured, type DownloaderMiddleware} from '../core/middleware.js';
import {errorType} from './downloader-stats.js';

interface RobotRules {
  isAllowed(url: string, userAgent?: string): boolean | undefined;
}
// robots-parser is CommonJS: under Node's ESM loader its function is the default import, under some
// transpilers it is the `default` member of it.
const robotsParser = ((robotsParserModule as unknown as {default?: unknown}).default ?? robotsParserModule) as (
  url: string,
  contents: string,
) => RobotRules;

/** robots.txt is fetched ahead of the pages waiting for it, as Scrapy's DOWNLOAD_PRIORITY. */
const ROBOTS_PRIORITY = 1000;

/**
 * Obeys robots.txt when ROBOTSTXT_OBEY is on, as Scrapy's RobotsTxtMiddleware: the first request to an
 * origin fetches its /robots.txt once (through `crawler.engine.download`), requests to that origin wait
 * for it, and forbidden URLs are dropped with IgnoreRequest. A robots.txt that is missing (any non-2xx
 * status) or cannot be downloaded allows everything. `meta.dont_obey_robotstxt` skips the check.
 */
export class RobotsTxtMiddleware implements DownloaderMiddleware {
  private readonly rules = new Map<string, Promise<RobotRules | undefined>>();
  private readonly robotsUserAgent: string;
  private readonly defaultUserAgent: string;
  private readonly logger: Logger;
  private warnedNoEngine = false;

  constructor(private readonly crawler: Crawler) {
    if (!crawler.settings.getBool('ROBOTSTXT_OBEY')) throw new NotConfigured('ROBOTSTXT_OBEY is off');
    this.robotsUserAgent = crawler.settings.getString('ROBOTSTXT_USER_AGENT');
    this.defaultUserAgent = crawler.settings.getString('USER_AGENT');
    this.logger = crawler.logger.child('dragline.downloadermiddlewares.robotstxt');
  }

  async processRequest(request: Request): Promise<void> {
    if (request.meta.dont_obey_robotstxt) return;
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return;

    const rules = await this.rulesFor(url);
    if (rules === undefined) return;
    const userAgent = this.robotsUserAgent || request.header('user-agent') || this.defaultUserAgent;
    if (rules.isAllowed(request.url, userAgent) === false) {
      this.logger.debug(`Forbidden by robots.txt: ${request}`);
      this.crawler.stats.inc('robotstxt/forbidden');
      throw new IgnoreRequest('Forbidden by robots.txt');
    }
  }

  private rulesFor(url: URL): Promise<RobotRules | undefined> {
    const origin = `${url.protocol}//${url.host}`;
    let rules = this.rules.get(origin);
    if (rules === undefined) {
      rules = this.fetchRules(`${origin}/robots.txt`);
      this.rules.set(origin, rules);
    }
    return rules;
  }

  private async fetchRules(robotsUrl: string): Promise<RobotRules | undefined> {
    const engine = this.crawler.engine;
    if (engine === undefined) {
      if (!this.warnedNoEngine) this.logger.warning('Cannot fetch robots.txt before the engine runs; allowing every URL');
      this.warnedNoEngine = true;
      return undefined;
    }
    const request = new Request(robotsUrl, {priority: ROBOTS_PRIORITY, meta: {dont_obey_robotstxt: true}});
    this.crawler.stats.inc('robotstxt/request_count');
    try {
      const response = await engine.download(request);
      this.crawler.stats.inc('robotstxt/response_count');
      this.crawler.stats.inc(`robotstxt/response_status_count/${response.status}`);
      if (response.status < 200 || response.status >= 300) return undefined;
      // Parsed as the robots.txt of the origin asked for, even if it was redirected elsewhere.
      return robotsParser(robotsUrl, response.body.toString('utf8'));
    } catch (error) {
      const failure = error as Error & {code?: unknown};
      if (failure.name !== 'IgnoreRequest') {
        this.logger.error(`Error downloading ${request}: ${failure.message}`);
        this.crawler.stats.inc(`robotstxt/exception_count/${errorType(failure)}`);
      }
      return undefined;
    }
  }
}
