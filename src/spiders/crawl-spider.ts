import {Request, type Callback, type Errback} from '../http/request.js';
import type {Response} from '../http/response.js';
import {isHtmlResponse} from '../http/response-types.js';
import {LinkExtractor, type Link} from '../linkextractors/link-extractor.js';
import {Spider, spiderMethod, type SpiderState} from './spider.js';
import {iterateOutput} from '../utils/iterate-output.js';

export interface RuleOptions {
  /** The spider method (by name, or the method itself) that gets the responses of these links. */
  callback?: string | Callback;
  errback?: string | Errback;
  cbKwargs?: Record<string, unknown>;
  /** Extract links from the responses of these links too. Default: true when there is no callback. */
  follow?: boolean;
  /** Filters or changes the links found (a method name or a function). */
  processLinks?: string | ((links: Link[]) => Link[]);
  /** Changes (or drops, by returning undefined) each request made for a link. */
  processRequest?: string | ((request: Request, response: Response) => Request | undefined);
}

/** Which links to follow and what to do with their pages, as Scrapy's Rule. */
export class Rule {
  readonly follow: boolean;

  constructor(readonly linkExtractor: LinkExtractor = new LinkExtractor(), readonly options: RuleOptions = {}) {
    this.follow = options.follow ?? options.callback === undefined;
  }
}

/**
 * Scrapy's CrawlSpider: follows the links its `rules` find, from the start pages on, and hands the
 * pages of each rule to that rule's callback. The first rule that extracts a link wins it.
 *
 * What a request remembers is a rule index in `meta.rule` and the method `parseRule` as its
 * callback, so a CrawlSpider's requests can be stored in a JOBDIR and resumed like any other.
 */
export class CrawlSpider<State extends SpiderState = SpiderState> extends Spider<State> {
  rules: Rule[] = [];

  /** The start pages go through the rules too; override parseStartUrl to scrape them as well. */
  override parse(response: Response): unknown {
    return this.followRules(response, this.parseStartUrl(response), true);
  }

  /** Called with each start page; what it returns is scraped like a callback's output. */
  parseStartUrl(_response: Response): unknown {
    return undefined;
  }

  /** Called with each item or request a rule callback produced, before it leaves; return undefined to drop it. */
  processResults(_response: Response, results: AsyncIterable<unknown>): AsyncIterable<unknown> {
    return results;
  }

  /** The callback of every request a rule made; `kwargs` (set by processRequest, say) add to the rule's cbKwargs. */
  parseRule(response: Response, kwargs: Record<string, unknown> = {}): unknown {
    const rule = this.rules[Number(response.meta.rule)];
    if (rule === undefined) {
      this.logger?.warning(`${this.name}: ${response.url} names rule ${String(response.meta.rule)}, which this spider does not have; its links are not followed`);
      return undefined;
    }
    const callback = this.methodFor(rule.options.callback, 'callback') as Callback | undefined;
    const output = callback === undefined ? undefined : callback.call(this, response, {...rule.options.cbKwargs, ...kwargs});
    return this.followRules(response, output, rule.follow);
  }

  private async *followRules(response: Response, output: unknown, follow: boolean): AsyncGenerator<unknown> {
    yield* this.processResults(response, iterateOutput(output));
    // As Scrapy, links are only looked for in HTML pages (a PDF or a JSON document a rule reached has none).
    if (!follow || !isHtmlResponse(response)) return;
    const seen = new Set<string>();
    for (const [index, rule] of this.rules.entries()) {
      let links = rule.linkExtractor.extractLinks(response).filter((link) => !seen.has(link.url));
      const processLinks = this.methodFor(rule.options.processLinks, 'processLinks') as ((links: Link[]) => Link[]) | undefined;
      if (processLinks !== undefined) links = processLinks.call(this, links);
      for (const link of links) {
        seen.add(link.url);
        const errback = this.methodFor(rule.options.errback, 'errback') as Errback | undefined;
        let request: Request | undefined = new Request(link.url, {callback: this.parseRule as Callback, errback, meta: {rule: index, link_text: link.text}});
        const processRequest = this.methodFor(rule.options.processRequest, 'processRequest') as ((request: Request, response: Response) => Request | undefined) | undefined;
        if (processRequest !== undefined) request = processRequest.call(this, request, response);
        if (request !== undefined) yield request;
      }
    }
  }

  /** A rule's option as a function: a method name is looked up on the spider, as Scrapy does. */
  private methodFor(option: string | Function | undefined, what: string): Function | undefined {
    return option === undefined ? undefined : spiderMethod(this, option, `rule ${what}`);
  }
}
