/**
 * The engine in-process: callbacks' many return shapes, errbacks, errors that do not stop the
 * crawl, CloseSpider, pipelines dropping items, and cbKwargs.
 */
import {afterAll, beforeAll, expect, test} from '@jest/globals';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {runSpider} from '../../src/core/crawler-process.js';
import {Settings} from '../../src/core/settings/settings.js';
import {Spider} from '../../src/core/spider.js';
import {Request, type Failure} from '../../src/core/http/request.js';
import type {Response} from '../../src/core/http/response.js';
import {CloseSpider, DropItem} from '../../src/core/errors.js';

let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const n = Number(/\/(\d+)$/.exec(request.url ?? '')?.[1] ?? 0);
    response.writeHead(200, {'Content-Type': 'text/html'});
    response.end(`<html><body><p class="n">${n}</p>${[1, 2, 3].map((k) => `<a href="/${n * 3 + k}">x</a>`).join('')}</body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function settingsFor(extra: Record<string, unknown> = {}): {settings: Settings; feed: string} {
  const feed = join(mkdtempSync(join(tmpdir(), 'dragline-engine-')), 'items.jsonl');
  const settings = new Settings();
  settings.update({LOG_ENABLED: false, FEEDS: {[feed]: {format: 'jsonl'}}, ...extra}, 'cmdline');
  return {settings, feed};
}

function items(feed: string): Array<Record<string, unknown>> {
  return readFileSync(feed, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
}

test('callbacks may return a value, an array, a promise or a generator; cbKwargs reach them', async () => {
  class ShapesSpider extends Spider {
    static override spiderName = 'shapes';
    override async *start() {
      yield new Request(`${base}/1`, {callback: this.single as never});
      yield new Request(`${base}/2`, {callback: this.array as never});
      yield new Request(`${base}/3`, {callback: this.promised as never});
      yield new Request(`${base}/4`, {callback: this.generator as never, cbKwargs: {label: 'four'}});
    }
    single(response: Response) {
      return {shape: 'value', n: response.css('p.n::text').get()};
    }
    array() {
      return [{shape: 'array', k: 1}, {shape: 'array', k: 2}];
    }
    async promised() {
      return {shape: 'promise'};
    }
    *generator(_response: Response, kwargs: {label: string}) {
      yield {shape: 'generator', label: kwargs.label};
    }
  }
  const {settings, feed} = settingsFor();
  const result = await runSpider({spiderClass: ShapesSpider, settings, handleSignals: false});
  expect(result.reason).toBe('finished');
  const shapes = items(feed).map((item) => item.shape).sort();
  expect(shapes).toEqual(['array', 'array', 'generator', 'promise', 'value']);
  expect(items(feed).find((item) => item.shape === 'generator')?.label).toBe('four');
});

test('an errback receives a download failure; a callback error is counted and the crawl goes on', async () => {
  const failures: Failure[] = [];
  class ErrorsSpider extends Spider {
    static override spiderName = 'errors';
    override async *start() {
      yield new Request('http://127.0.0.1:1/refused', {callback: this.parse, errback: this.failed as never});
      yield new Request(`${base}/5`, {callback: this.broken as never});
      yield new Request(`${base}/6`);
    }
    failed(failure: Failure) {
      failures.push(failure);
      return {recovered: failure.request.url};
    }
    broken(): never {
      throw new TypeError('callback bug');
    }
    override parse(response: Response) {
      return {ok: response.url};
    }
  }
  const {settings, feed} = settingsFor({RETRY_ENABLED: false});
  const result = await runSpider({spiderClass: ErrorsSpider, settings, handleSignals: false});
  expect(result.reason).toBe('finished');
  expect(failures).toHaveLength(1);
  expect(failures[0]!.error.code).toBe('ECONNREFUSED');
  expect(result.stats['spider_exceptions/TypeError']).toBe(1);
  expect(result.stats['log_count/ERROR']).toBeGreaterThanOrEqual(1);
  expect(items(feed).map((item) => item.recovered ?? item.ok).sort()).toEqual(['http://127.0.0.1:1/refused', `${base}/6`]);
});

test('CloseSpider from a callback closes with its reason; a DropItem in a pipeline drops the item', async () => {
  class DropOdd {
    processItem(item: {n: number}) {
      if (item.n % 2 === 1) throw new DropItem(`odd ${item.n}`);
      return item;
    }
  }
  class StopSpider extends Spider {
    static override spiderName = 'stop';
    override startUrls = [`${base}/0`];
    override *parse(response: Response) {
      const n = Number(response.css('p.n::text').get());
      if (n >= 12) throw new CloseSpider('enough');
      yield {n};
      yield* response.followAll({css: 'a'});
    }
  }
  const {settings, feed} = settingsFor({ITEM_PIPELINES: {DropOdd: 100}, CONCURRENT_REQUESTS: 1});
  const result = await runSpider({
    spiderClass: StopSpider,
    settings,
    handleSignals: false,
    resolveComponent: async (key) => (key === 'DropOdd' ? DropOdd : undefined),
  });
  expect(result.reason).toBe('enough');
  expect(result.stats.item_dropped_count).toBeGreaterThan(0);
  expect(items(feed).every((item) => (item.n as number) % 2 === 0)).toBe(true);
  expect(items(feed).length).toBe(result.stats.item_scraped_count);
});
