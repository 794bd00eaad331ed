import {afterAll, beforeAll, expect, test} from '@jest/globals';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {runCli} from '../helpers/cli.js';

// HTTPCACHE_ENABLED through a real crawl: the second run is answered from the cache, not the site.
let server: Server;
let base: string;
const served: string[] = [];
const workspace = mkdtempSync(join(tmpdir(), 'dragline-httpcache-'));

beforeAll(async () => {
  server = createServer((request, response) => {
    served.push(request.url ?? '');
    const n = Number(/\/page\/(\d+)/.exec(request.url ?? '')?.[1] ?? -1);
    response.writeHead(n >= 0 && n < 5 ? 200 : 404, {'content-type': 'text/html'});
    response.end(n >= 0 && n < 5 ? `<html><title>Page ${n}</title><a href="/page/${n + 1}">next</a></html>` : 'gone');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  writeFileSync(join(workspace, 'chain.mjs'), `import {Spider} from 'dragline';
export class ChainSpider extends Spider {
  static spiderName = 'chain';
  startUrls = ['${base}/page/0'];
  *parse(response) {
    yield {title: response.css('title::text').get(), cached: response.flags.includes('cached')};
    for (const href of response.css('a::attr(href)').getall()) yield response.follow(href);
  }
}
`);
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(workspace, {recursive: true, force: true});
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
