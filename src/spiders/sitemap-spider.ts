import {Request, type Callback} from '../http/request.js';
import type {Response} from '../http/response.js';
import {parseSitemap, sitemapBody, SitemapTooLargeError, sitemapUrlsFromRobots, type SitemapEntry} from '../utils/sitemap.js';
import {Spider, spiderMethod, type SpiderState} from './spider.js';
import {searchPattern} from '../utils/search-pattern.js';

type Pattern = string | RegExp;

/**
 * Scrapy's SitemapSpider: starts from `sitemapUrls` (sitemaps, sitemap indexes, gzipped or not,
 * or a robots.txt whose `Sitemap:` lines name them), follows the sitemap indexes whose URLs match
 * `sitemapFollow`, and requests each page URL with the callback of the first `sitemapRules` entry
 * whose pattern it matches.
 */
export class SitemapSpider<State extends SpiderState = SpiderState> extends Spider<State> {
  sitemapUrls: string[] = [];
  /** [pattern, callback] pairs: a pattern (searched in the URL; a string is Python regex syntax) and a method name or method. */
  sitemapRules: Array<[Pattern, string | Callback]> = [['', 'parse']];
  /** Which sitemaps of a sitemap index to read (default: all). */
  sitemapFollow: Pattern[] = [''];
  /** Also request the alternate-language URLs (`<xhtml:link rel="alternate">`) of each entry. */
  sitemapAlternateLinks = false;

  override async *start(): AsyncGenerator<unknown> {
    for (const url of this.sitemapUrls) yield new Request(url, {callback: this.parseSitemap as Callback});
  }

  /** Override to drop or change entries (each has loc, lastmod, changefreq, priority, alternate). */
  sitemapFilter(entries: SitemapEntry[]): Iterable<SitemapEntry> {
    return entries;
  }

  /** The callback of sitemap and robots.txt responses. */
  *parseSitemap(response: Response): Generator<Request> {
    if (response.url.endsWith('/robots.txt')) {
      for (const url of sitemapUrlsFromRobots(response.text, response.url)) yield new Request(url, {callback: this.parseSitemap as Callback});
      return;
    }
    const body = this.sitemapBodyOf(response);
    if (body === undefined) {
      this.logger?.warning(`Ignoring invalid sitemap: ${response}`);
      return;
    }
    const sitemap = parseSitemap(body);
    if (sitemap === undefined) {
      this.logger?.warning(`Ignoring unreadable sitemap (no XML document in it): ${response}`);
      return;
    }
    const urls = [...this.sitemapFilter(sitemap.entries)].flatMap((entry) => (this.sitemapAlternateLinks ? [entry.loc, ...entry.alternate] : [entry.loc]));
    if (sitemap.type === 'sitemapindex') {
      const follow = this.sitemapFollow.map((pattern) => searchPattern(pattern, 'sitemapFollow'));
      for (const url of urls) if (follow.some((pattern) => pattern.test(url))) yield new Request(url, {callback: this.parseSitemap as Callback});
      return;
    }
    if (sitemap.type !== 'urlset') return;
    const rules = this.sitemapRules.map(([pattern, callback]) => [searchPattern(pattern, 'sitemapRules'), spiderMethod<Callback>(this, callback, 'sitemapRules callback')] as const);
    for (const url of urls) {
      const rule = rules.find(([pattern]) => pattern.test(url));
      if (rule !== undefined) yield new Request(url, {callback: rule[1]});
    }
  }

  /** The sitemap a response holds; a gzip body may unpack to at most DOWNLOAD_MAXSIZE bytes (the request's `download_maxsize` meta wins). */
  private sitemapBodyOf(response: Response): Buffer | undefined {
    const maxSize = Number(response.meta.download_maxsize ?? this.settings?.getInt('DOWNLOAD_MAXSIZE') ?? 0);
    try {
      return sitemapBody(response, maxSize);
    } catch (error) {
      if (!(error instanceof SitemapTooLargeError)) throw error;
      this.logger?.warning(`${response}: ${error.message} (DOWNLOAD_MAXSIZE)`);
      return undefined;
    }
  }
}
