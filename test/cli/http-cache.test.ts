import {beforeAll, expect, test} from '@jest/globals';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {runCli} from '../helpers/cli.js';
import {send, useTestSite, useWorkspace} from '../helpers/site.js';

// HTTPCACHE_ENABLED through a real crawl: the second run is answered from the cache, not the site.
const site = useTestSite((request, response) => {
  const n = Number(/\/page\/(\d+)/.exec(request.url ?? '')?.[1] ?? -1);
  if (n >= 0 && n < 5) send(response, 200, 'text/html', `<html><title>Page ${n}</title><a href="/page/${n + 1}">next</a></html>`);
  else send(response, 404, 'text/html', 'gone');
});
const served = site.served;
const workspace = useWorkspace('httpcache');

beforeAll(() => {
  writeFileSync(join(workspace, 'chain.mjs'), `import {Spider} from 'dragline';
export class ChainSpider extends Spider {
  static spiderName = 'chain';
  startUrls = ['${site.base}/page/0'];
  *parse(response) {
    yield {title: response.css('title::text').get(), cached: response.flags.includes('cached')};
    for (const href of response.css('a::attr(href)').getall()) yield response.follow(href);
  }
}
`);
});

test('a second crawl with HTTPCACHE_ENABLED fetches nothing and scrapes the same items', async () => {
  const run = (output: string) => runCli(['runspider', 'chain.mjs', '-O', output, '-L', 'INFO', '-s', 'HTTPCACHE_ENABLED=true', '-s', 'ROBOTSTXT_OBEY=false'], {cwd: workspace});
  const items = (file: string) => readFileSync(join(workspace, file), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as {title: string; cached: boolean});

  const first = await run('first.jsonl');
  expect(first.code).toBe(0);
  expect(served).toEqual(['/page/0', '/page/1', '/page/2', '/page/3', '/page/4', '/page/5']);
  expect(first.stderr).toMatch(/"httpcache\/store": 6/);

  served.length = 0;
  const second = await run('second.jsonl');
  expect(second.code).toBe(0);
  expect(served).toEqual([]);
  expect(second.stderr).toMatch(/"httpcache\/hit": 6/);
  expect(items('second.jsonl').map((item) => item.title)).toEqual(items('first.jsonl').map((item) => item.title));
  expect(items('second.jsonl').every((item) => item.cached)).toBe(true);
  expect(items('first.jsonl').some((item) => item.cached)).toBe(false);
});
