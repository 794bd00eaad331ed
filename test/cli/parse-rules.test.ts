/**
 * `dragline parse URL --rules`, as Scrapy's: a CrawlSpider's rules pick the callback of one page,
 * so they can be tried without a crawl; -c, --meta, --cbkwargs and --depth combine with it.
 */
import {beforeAll, expect, test} from '@jest/globals';
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {runCli} from '../helpers/cli.js';
import {send, useTestSite, useWorkspace} from '../helpers/site.js';

const PAGES: Record<string, string> = {
  '/': '<title>Docs</title><a href="/guide/intro.html">intro</a> <a href="/api/index.html">api</a>',
  '/guide/intro.html': '<title>Intro</title><a href="/guide/setup.html#install">setup</a> <a href="/api/index.html">api</a>',
  '/guide/setup.html': '<title>Setup</title>',
  '/api/index.html': '<title>API</title><a href="/api/spider.html">spider</a>',
  '/api/spider.html': '<title>Spider</title>',
};

const site = useTestSite((request, response) => {
  const body = PAGES[request.url ?? ''];
  send(response, body === undefined ? 404 : 200, 'text/html', body ?? 'not found');
});
const project = join(useWorkspace('parse-rules'), 'docs');

beforeAll(() => {
  mkdirSync(join(project, 'spiders'), {recursive: true});
  writeFileSync(join(project, 'dragline.config.mjs'), "export default {settings: {SPIDER_MODULES: ['spiders'], ROBOTSTXT_OBEY: false}};\n");
  writeFileSync(join(project, 'spiders', 'docs.mjs'), `import {CrawlSpider, LinkExtractor, Rule} from 'dragline';
export class DocsSpider extends CrawlSpider {
  static spiderName = 'docs';
  allowedDomains = ['127.0.0.1'];
  rules = [
    new Rule(new LinkExtractor({allow: /\\/guide\\//}), {callback: 'parseGuide', cbKwargs: {section: 'guide'}, follow: true}),
    new Rule(new LinkExtractor({allow: /\\/api\\//}), {callback: 'parseApi'}),
  ];
  parseGuide(response, kwargs) { return {guide: response.css('title::text').get(), section: kwargs.section, extra: kwargs.extra ?? null, tag: response.meta.tag ?? null}; }
  parseApi(response) { return {api: response.css('title::text').get()}; }
}
`);
});

function level(stdout: string, depth: number): {items: unknown[]; requests: string} {
  const part = stdout.split(`>>> STATUS DEPTH LEVEL ${depth} <<<\n`)[1]?.split('>>> STATUS')[0] ?? '';
  const items = part.split(/# Scraped Items +-+\n/)[1]?.split('\n\n')[0] ?? '[]';
  return {items: JSON.parse(items) as unknown[], requests: part.split(/# Requests +-+\n/)[1] ?? ''};
}

test("--rules hands the page to the matching rule's callback with its cbKwargs, and follows its links as the crawl would", async () => {
  const result = await runCli(['parse', `${site.base}/guide/intro.html`, '--rules', '--nolog', '--cbkwargs', '{"extra": 1}', '--meta', '{"tag": "t"}'], {cwd: project});
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const first = level(result.stdout, 1);
  expect(first.items).toEqual([{guide: 'Intro', section: 'guide', extra: 1, tag: 't'}]);
  // The guide rule follows: both links are requests, each won by the first rule that extracts it.
  expect(first.requests).toContain(`<GET ${site.base}/guide/setup.html#install>`);
  expect(first.requests).toContain(`<GET ${site.base}/api/index.html>`);
});

test('--rules with --depth 2 runs the followed pages through their own rules', async () => {
  const result = await runCli(['parse', `${site.base}/guide/intro.html`, '-r', '-d', '2', '--nolog'], {cwd: project});
  expect(result.code).toBe(0);
  const second = level(result.stdout, 2);
  expect(second.items).toEqual(expect.arrayContaining([{guide: 'Setup', section: 'guide', extra: null, tag: null}, {api: 'API'}]));
  expect(second.items).toHaveLength(2);
  // The api rule has a callback and no follow: its page's links are not requested.
  expect(second.requests).not.toContain('/api/spider.html');
});

test('-c wins over --rules; a URL no rule matches is a one-line error', async () => {
  const chosen = await runCli(['parse', `${site.base}/guide/intro.html`, '--rules', '-c', 'parseApi', '--nolog'], {cwd: project});
  expect(chosen.code).toBe(0);
  expect(level(chosen.stdout, 1).items).toEqual([{api: 'Intro'}]);

  const unmatched = await runCli(['parse', `${site.base}/`, '--rules', '--nolog'], {cwd: project});
  expect(unmatched.code).toBe(1);
  expect(unmatched.stderr.split('\n')[0]).toBe(` ›   Error: Cannot find a rule that matches ${site.base}/ in spider: docs`);
  expect(unmatched.stderr).toContain('Code: CALLBACK_NOT_FOUND');
});
