/**
 * The engine in-process: callbacks' many return shapes, errbacks, errors that do not stop the
 * crawl, CloseSpider, pipelines dropping items, cbKwargs, and when download slots are freed.
 */
import {afterAll, beforeAll, expect, test} from '@jest/globals';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {runSpider} from '../../src/core/crawler-process.js';
import {Settings} from '../../src/settings/settings.js';
import {Spider} from '../../src/spiders/spider.js';
import {Request, type Failure} from '../../src/http/request.js';
import type {Response} from '../../src/http/response.js';
import {CloseSpider, DropItem} from '../../src/core/errors.js';
import {responseBacklog} from '../../src/core/engine.js';

let server: http.Server;
let base: string;
/** Paths in the order the server received them. */
const served: string[] = [];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    served.push(request.url ?? '');
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
      yield new Request(`${base}/1`, {callback: this.single});
      yield new Request(`${base}/2`, {callback: this.array});
      yield new Request(`${base}/3`, {callback: this.promised});
      yield new Request(`${base}/4`, {callback: this.generator, cbKwargs: {label: 'four'}});
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
  // The closing stats Scrapy users look for.
  expect(result.stats).toMatchObject({finish_reason: 'finished', elapsed_time_seconds: expect.any(Number), 'memusage/max': expect.any(Number), 'memusage/startup': expect.any(Number)});
  const shapes = items(feed).map((item) => item.shape).sort();
  expect(shapes).toEqual(['array', 'array', 'generator', 'promise', 'value']);
  expect(items(feed).find((item) => item.shape === 'generator')?.label).toBe('four');
});

test('an errback receives a download failure; a callback error is counted and the crawl goes on', async () => {
  const failures: Failure[] = [];
  class ErrorsSpider extends Spider {
    static override spiderName = 'errors';
    override async *start() {
      yield new Request('http://127.0.0.1:1/refused', {callback: this.parse, errback: this.failed});
      yield new Request(`${base}/5`, {callback: this.broken});
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

/** Polls until `condition` holds or `ms` pass; says which. */
async function within(ms: number, condition: () => boolean): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

test('a download slot is free once the response has arrived: the next request is sent while the callback runs', async () => {
  class OverlapSpider extends Spider {
    static override spiderName = 'overlap';
    override startUrls = [`${base}/101`, `${base}/102`];
    override async parse(response: Response) {
      const other = response.url.endsWith('/101') ? '/102' : '/101';
      // With the slot held until the callback ended, the first callback would wait here in vain.
      return {page: response.url, sawOther: await within(3000, () => served.includes(other))};
    }
  }
  const {settings, feed} = settingsFor({CONCURRENT_REQUESTS: 1});
  const result = await runSpider({spiderClass: OverlapSpider, settings, handleSignals: false});
  expect(result.reason).toBe('finished');
  expect(items(feed).map((item) => item.sawOther)).toEqual([true, true]);
});

test('downloaded responses waiting for their callbacks are bounded: CONCURRENT_REQUESTS + responseBacklog in flight', async () => {
  const concurrency = 4;
  const paths = Array.from({length: 10}, (_, index) => `/${200 + index}`);
  let openGate: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (openGate = resolve));
  class GatedSpider extends Spider {
    static override spiderName = 'gated';
    override startUrls = paths.map((path) => `${base}${path}`);
    override async parse(response: Response) {
      await gate;
      return {page: response.url};
    }
  }
  const {settings, feed} = settingsFor({CONCURRENT_REQUESTS: concurrency, CONCURRENT_REQUESTS_PER_DOMAIN: concurrency});
  const crawl = runSpider({spiderClass: GatedSpider, settings, handleSignals: false});
  const fetched = (): number => served.filter((path) => paths.includes(path)).length;
  const limit = concurrency + responseBacklog(concurrency);
  expect(await within(3000, () => fetched() >= limit)).toBe(true);
  // Every callback is stuck: nothing more may be sent, however long they wait.
  expect(await within(300, () => fetched() > limit)).toBe(false);
  expect(fetched()).toBe(limit);
  openGate();
  const result = await crawl;
  expect(result.reason).toBe('finished');
  expect(items(feed).length).toBe(paths.length);
});

test('a file system error that is not a failed write (a pipeline reading a missing file) is not called a full disk', async () => {
  class ReadsConfig {
    open() {
      readFileSync('/nonexistent/dragline-config.json');
    }
    processItem(item: unknown) {
      return item;
    }
  }
  class Nothing extends Spider {
    static override spiderName = 'nothing';
  }
  const {settings} = settingsFor({ITEM_PIPELINES: {ReadsConfig: 100}});
  await expect(runSpider({spiderClass: Nothing, settings, handleSignals: false, resolveComponent: async () => ReadsConfig})).rejects.toMatchObject({code: 'ENOENT', syscall: 'open'});
});
