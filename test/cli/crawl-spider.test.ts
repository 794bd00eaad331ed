import {beforeAll, expect, test} from '@jest/globals';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {runCli} from '../helpers/cli.js';
import {send, useTestSite, useWorkspace} from '../helpers/site.js';

// A CrawlSpider with rules, run with a JOBDIR through the built CLI, against a small shop.
function page(path: string): string | undefined {
  const link = (href: string) => `<a href="${href}">${href}</a>`;
  if (path === '/') return `<title>Home</title>${link('/cat/1')}${link('/cat/2')}${link('/cat/3')}${link('/about')}`;
  const category = /^\/cat\/(\d)$/.exec(path);
  if (category) return `<title>Category ${category[1]}</title>${[1, 2, 3, 4].map((n) => link(`/item/${category[1]}-${n}`)).join('')}${link('/')}`;
  const item = /^\/item\/(\d-\d)$/.exec(path);
  if (item) return `<title>Item ${item[1]}</title>${link('/secret')}${link('/cat/1')}`;
  if (path === '/about' || path === '/secret') return `<title>${path}</title>`;
  return undefined;
}

const site = useTestSite((request, response) => {
  const body = page(request.url ?? '');
  send(response, body === undefined ? 404 : 200, 'text/html', body ?? 'not found');
});
const served = site.served;
const workspace = useWorkspace('crawlspider');

beforeAll(() => {
  writeFileSync(join(workspace, 'shop.mjs'), `import {CrawlSpider, LinkExtractor, Rule} from 'dragline';
export class ShopSpider extends CrawlSpider {
  static spiderName = 'shop';
  startUrls = ['${site.base}/'];
  rules = [
    new Rule(new LinkExtractor({allow: /\\/item\\//}), {callback: 'parseItem', cbKwargs: {source: 'rule'}}),
    new Rule(new LinkExtractor({allow: /\\/cat\\//}), {processLinks: 'firstTwo'}),
  ];
  parseStartUrl(response) { return {start: response.url}; }
  parseItem(response, kwargs) { return {item: response.css('title::text').get(), source: kwargs.source, rule: response.meta.rule, linkText: response.meta.link_text}; }
  firstTwo(links) { return links.slice(0, 2); }
}
`);
});

test('rules pick the links, hand item pages to their callback, follow the rest, and every request fits in the JOBDIR', async () => {
  const result = await runCli(['runspider', 'shop.mjs', '-O', 'items.jsonl', '-L', 'INFO', '-s', 'JOBDIR=job', '-s', 'ROBOTSTXT_OBEY=false'], {cwd: workspace});
  expect(result.code).toBe(0);
  const items = readFileSync(join(workspace, 'items.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(items.filter((item) => 'start' in item)).toEqual([{start: `${site.base}/`}]);
  const scraped = items.filter((item) => 'item' in item);
  // processLinks kept two categories of three; items of both, through the first rule, with its cbKwargs.
  expect(scraped.map((item) => item.item).sort()).toEqual(['1-1', '1-2', '1-3', '1-4', '2-1', '2-2', '2-3', '2-4'].map((id) => `Item ${id}`));
  expect(scraped.every((item) => item.source === 'rule' && item.rule === 0 && typeof item.linkText === 'string' && String(item.linkText).startsWith('/item/'))).toBe(true);
  // No rule matches /about; the item rule has a callback, so item pages' links (/secret) are not followed.
  expect(served).not.toContain('/about');
  expect(served).not.toContain('/secret');
  expect(served).not.toContain('/cat/3');
  expect(served.filter((path) => path === '/cat/1')).toHaveLength(1);
  // Callbacks are stored by rule index: nothing had to stay in memory.
  const enqueued = Number(/"scheduler\/enqueued": (\d+)/.exec(result.stderr)?.[1]);
  expect(enqueued).toBe(11);
  expect(result.stderr).toContain(`"scheduler/enqueued/disk": ${enqueued}`);
  expect(result.stderr).not.toContain('scheduler/unserializable');
});
