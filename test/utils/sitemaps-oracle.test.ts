import {describe, expect, test} from '@jest/globals';
import {Request, type Headers} from '../../src/http/request.js';
import {Response} from '../../src/http/response.js';
import {responseClassOf} from '../../src/http/response-types.js';
import type {Logger} from '../../src/core/logger.js';
import {parseSitemap, sitemapUrlsFromRobots, type SitemapEntry} from '../../src/utils/sitemap.js';
import {SitemapSpider} from '../../src/spiders/sitemap-spider.js';
import {itMatchesInstalledScrapy, oracleFixture} from '../helpers/oracle.js';

// Scrapy's answers (test/oracle/sitemaps.py) for sitemap bodies, robots.txt texts and SitemapSpider
// callbacks on responses. Bodies are latin1 strings.
interface SpiderConfig {
  rules: Array<[string, string]>;
  follow: string[];
  alternate: boolean;
  lastmod_from?: string;
}

interface Fixture {
  sitemaps: Array<{name: string; body: string; type?: string; entries?: SitemapEntry[]; error?: true}>;
  robots: Array<{name: string; text: string; base: string; urls: string[]}>;
  responses: Array<{name: string; url: string; headers: Headers; body: string; spider: SpiderConfig; class: string; outcome: string; requests: Array<[string, string]>}>;
}

const fixture = oracleFixture<Fixture>('sitemaps');

describe('parseSitemap answers as Scrapy’s Sitemap', () => {
  test.each(fixture.sitemaps.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const parsed = parseSitemap(Buffer.from(c.body, 'latin1'));
    if (c.error) {
      expect(parsed).toBeUndefined();
      return;
    }
    // Fields a sitemap does not have are absent in Scrapy's dicts, undefined here.
    expect(JSON.parse(JSON.stringify(parsed))).toEqual({type: c.type, entries: c.entries});
  });
});

describe('sitemapUrlsFromRobots answers as Scrapy’s sitemap_urls_from_robots', () => {
  test.each(fixture.robots.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(sitemapUrlsFromRobots(c.text, c.base)).toEqual(c.urls);
  });
});

class OracleSpider extends SitemapSpider {
  override name = 'oracle';
  lastmodFrom?: string;
  warnings: string[] = [];

  constructor(config: SpiderConfig) {
    super();
    this.sitemapRules = config.rules;
    this.sitemapFollow = config.follow;
    this.sitemapAlternateLinks = config.alternate;
    this.lastmodFrom = config.lastmod_from;
    this.logger = {warning: (message: string) => this.warnings.push(message)} as unknown as Logger;
  }

  override sitemapFilter(entries: SitemapEntry[]): Iterable<SitemapEntry> {
    const from = this.lastmodFrom;
    return from === undefined ? entries : entries.filter((entry) => (entry.lastmod ?? '') >= from);
  }

  override parse(): void {}
  parse_product(): void {}
  parse_blog(): void {}
}

describe('SitemapSpider yields the requests Scrapy’s does', () => {
  test.each(fixture.responses.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const spider = new OracleSpider(c.spider);
    const request = new Request(c.url);
    const response = new Response({url: c.url, status: 200, headers: c.headers, body: Buffer.from(c.body, 'latin1'), request});
    expect(responseClassOf(response)).toBe(c.class);
    const callbackName = new Map<unknown, string>([
      [spider.parseSitemap, 'sitemap'],
      [spider.parse, 'parse'],
      [spider.parse_product, 'parse_product'],
      [spider.parse_blog, 'parse_blog'],
    ]);
    const requests: Array<[string, string | undefined]> = [];
    let outcome = 'ok';
    try {
      for (const yielded of spider.parseSitemap(response)) requests.push([yielded.url, callbackName.get(yielded.callback)]);
    } catch {
      outcome = 'failed';
    }
    if (spider.warnings.some((message) => message.startsWith('Ignoring invalid sitemap'))) outcome = 'ignored';
    if (spider.warnings.some((message) => message.startsWith('Ignoring unreadable sitemap'))) outcome = 'unreadable';
    expect({outcome, requests}).toEqual({outcome: c.outcome, requests: c.requests});
  });
});

itMatchesInstalledScrapy('sitemaps');
