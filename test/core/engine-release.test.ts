/** A response, its text and its parsed tree can be collected once its callback is done, before its commit lands. */
import {expect, test} from '@jest/globals';
import {Engine, type EngineParts} from '../../src/core/engine.js';
import type {CrawlOutputs} from '../../src/core/commit.js';
import {Request} from '../../src/http/request.js';
import {Response} from '../../src/http/response.js';
import {Spider} from '../../src/spiders/spider.js';
import {SignalManager} from '../../src/core/signals.js';
import {StatsCollector} from '../../src/core/stats.js';
import {Logger} from '../../src/core/logger.js';

const gc = (globalThis as {gc?: () => void}).gc;

test('while the commit of a response\'s outputs is awaited, the response and its tree are collectable', async () => {
  if (gc === undefined) throw new Error('This test needs --expose-gc (npm test sets it: NODE_OPTIONS=--expose-gc)');
  const pages = 3;
  const responses: Array<WeakRef<object>> = [];
  const trees: Array<WeakRef<object>> = [];
  const stillHeld: number[] = [];

  class PagesSpider extends Spider {
    static override spiderName = 'pages';
    override parse(response: Response) {
      responses.push(new WeakRef(response));
      trees.push(new WeakRef(response.selector));
      return {title: response.css('title::text').get()};
    }
  }
  const spider = new PagesSpider();
  const queue = Array.from({length: pages}, (_, n) => ({request: new Request(`http://127.0.0.1/${n}`), leaseId: n}));
  const committedItems: unknown[] = [];
  const parts = {
    spider,
    scheduler: {
      next: async (free: number) => queue.splice(0, free),
      get size() {
        return queue.length;
      },
      get localSize() {
        return queue.length;
      },
      frontier: {isFinished: async () => queue.length === 0},
    },
    downloader: {
      download: async (request: Request) => ({
        response: new Response({url: request.url, status: 200, headers: {'content-type': 'text/html'}, body: Buffer.from(`<html><head><title>${request.url}</title></head><body>${'<p>x</p>'.repeat(1000)}</body></html>`), request}),
      }),
    },
    spiderMiddlewares: {
      processInput: async () => undefined,
      processOutput: (_response: Response, stream: AsyncIterable<unknown>) => stream,
      processException: async () => undefined,
      processStart: (stream: AsyncIterable<unknown>) => stream,
    },
    pipelines: {process: async (item: unknown) => item},
    committer: {
      // A slow frontier: each commit waits for a timer, then looks whether the response it came from is still held.
      commit: async (_leases: number[], outputs: CrawlOutputs) => {
        committedItems.push(...outputs.items);
        if (outputs.items.length === 0) return true;
        const index = committedItems.length - 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
        gc();
        if (responses[index]?.deref() !== undefined || trees[index]?.deref() !== undefined) stillHeld.push(index);
        return true;
      },
      stop: () => undefined,
    },
    stats: new StatsCollector(),
    signals: new SignalManager(),
    logger: Logger.create({level: 'ERROR', sink: {write: () => undefined}}),
    concurrency: 1,
  } as unknown as EngineParts;
  spider.start = async function* () {};

  const reason = await new Engine(parts).run();
  expect(reason).toBe('finished');
  expect(committedItems).toHaveLength(pages);
  expect(responses).toHaveLength(pages);
  expect(stillHeld).toEqual([]);
});
