/**
 * response.url is the URL as downloaded, without the fragment (Scrapy's download handlers drop it);
 * the request keeps its own. Otherwise whichever fragment was followed first leaks into items.
 */
import {describe, expect, test} from '@jest/globals';
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {runSpider} from '../../src/core/crawler-process.js';
import {Request} from '../../src/http/request.js';
import type {Response} from '../../src/http/response.js';
import {Settings} from '../../src/settings/settings.js';
import {Spider} from '../../src/spiders/spider.js';
import {urlWithoutFragment} from '../../src/utils/url-without-fragment.js';
import {itMatchesInstalledScrapy, oracleFixture} from '../helpers/oracle.js';
import {send, useTestSite} from '../helpers/site.js';

const site = useTestSite((request, response) => {
  if (request.headers['x-echo'] !== undefined) send(response, 200, 'text/plain', request.url ?? '');
  else if (request.url === '/') send(response, 200, 'text/html', '<a href="/guide#install">install</a> <a href="/guide#usage">usage</a> <a href="/faq#top">faq</a>');
  else send(response, 200, 'text/html', `<title>${request.url}</title>`);
});

test('items keyed by response.url carry no fragment; response.request.url keeps the one followed', async () => {
  const feed = join(mkdtempSync(join(tmpdir(), 'dragline-response-url-')), 'items.jsonl');
  class DocsSpider extends Spider {
    static override spiderName = 'docs';
    override startUrls = [`${site.base}/#start`];
    override async *parse(response: Response) {
      yield {url: response.url, requested: response.request.url, served: response.css('title::text').get() ?? '/'};
      for (const href of response.css('a::attr(href)').getall()) yield response.follow(href);
    }
  }
  const settings = new Settings();
  settings.update({LOG_ENABLED: false, FEEDS: {[feed]: {format: 'jsonl'}}}, 'cmdline');
  await runSpider({spiderClass: DocsSpider, settings, handleSignals: false});
  const items = readFileSync(feed, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, string>);
  const byUrl = Object.fromEntries(items.map((item) => [item.url, item]));
  expect(Object.keys(byUrl).sort()).toEqual([`${site.base}/`, `${site.base}/faq`, `${site.base}/guide`]);
  // The duplicates filter ignores fragments, so /guide is fetched once, for the first link to it.
  expect(byUrl[`${site.base}/guide`].requested).toBe(`${site.base}/guide#install`);
  expect(byUrl[`${site.base}/`].requested).toBe(`${site.base}/#start`);
  expect(byUrl[`${site.base}/faq`].served).toBe('/faq');
});

test('urlWithoutFragment cuts at the first #, as urldefrag', () => {
  expect(urlWithoutFragment('http://a.example/p?q=1#x#y')).toBe('http://a.example/p?q=1');
  expect(urlWithoutFragment('http://a.example/p#')).toBe('http://a.example/p');
  expect(urlWithoutFragment('http://a.example/p?q=#')).toBe('http://a.example/p?q=');
  expect(urlWithoutFragment('http://a.example/p')).toBe('http://a.example/p');
});

interface FragmentCase {
  path: string;
  response_url: string;
  request_url: string;
  served: string;
}

test('response.url, and the path the server saw, are what Scrapy gives for each URL with a fragment (test/oracle/response_url_fragment.py)', async () => {
  const cases = oracleFixture<FragmentCase[]>('response_url_fragment');
  const seen: Record<string, {responseUrl: string; requestUrl: string; served: string}> = {};
  class FragmentsSpider extends Spider {
    static override spiderName = 'fragments';
    override async *start() {
      for (const {path} of cases) yield new Request(site.base + path, {headers: {'x-echo': '1'}, cbKwargs: {path}, dontFilter: true});
    }
    override parse(response: Response, kwargs?: {path: string}) {
      if (kwargs === undefined) return;
      seen[kwargs.path] = {responseUrl: response.url.slice(site.base.length), requestUrl: response.request.url.slice(site.base.length), served: response.text};
    }
  }
  const settings = new Settings();
  settings.update({LOG_ENABLED: false}, 'cmdline');
  await runSpider({spiderClass: FragmentsSpider, settings, handleSignals: false});
  for (const expected of cases) {
    expect({path: expected.path, response_url: seen[expected.path]?.responseUrl, served: seen[expected.path]?.served}).toEqual({path: expected.path, response_url: expected.response_url, served: expected.served});
    // The request keeps a fragment wherever Scrapy's does (how it is escaped is the request's own business).
    if (expected.request_url.includes('#')) expect(seen[expected.path]?.requestUrl).toContain('#');
  }
});

describe('the oracle', () => {
  itMatchesInstalledScrapy('response_url_fragment');
});
