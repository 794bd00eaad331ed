import {afterAll, beforeAll, expect, test} from '@jest/globals';
import {startSite, START_PATH, type DemoSite} from '../../src/demo/site.js';
import {runSpider} from '../../src/core/crawler-process.js';
import {Settings} from '../../src/settings/settings.js';
import {Spider} from '../../src/spiders/spider.js';
import {Request} from '../../src/http/request.js';
import type {Response} from '../../src/http/response.js';
import type {CrawlerRun} from '../../src/core/crawler-run.js';
import {MemoryFrontier} from '../../src/persistence/memory/memory-frontier.js';
import type {Lease} from '../../src/persistence/frontier.js';

let site: DemoSite;

beforeAll(async () => {
  site = await startSite({pages: 50});
});

afterAll(async () => {
  await site.close();
});

/** A durable in-memory frontier that remembers what it leased and what it was given back. */
class RecordingFrontier extends MemoryFrontier {
  static last?: RecordingFrontier;
  override readonly durable = true;
  leasedIds: number[] = [];
  released: number[] = [];

  constructor() {
    super();
    RecordingFrontier.last = this;
  }

  override async next(n: number): Promise<Lease[]> {
    const leases = await super.next(n);
    this.leasedIds.push(...leases.map((lease) => lease.id));
    return leases;
  }

  override async release(leases: number[]): Promise<void> {
    this.released.push(...leases);
    await super.release(leases);
  }
}

class PausingSpider extends Spider {
  static override spiderName = 'pausing';
  override async *start() {
    yield new Request(`${site.url}${START_PATH}`);
  }
  override async *parse(response: Response) {
    for (const href of response.css('ul.links a::attr(href)').getall()) yield response.follow(href);
    // After the first page, the site turns slow and the crawl is paused (a Ctrl-C).
    site.latencyMs = 5000;
    setTimeout(() => (this.crawler as unknown as CrawlerRun).pause(), 50);
  }
}

test('a pause gives the leases of the requests it abandoned back to the frontier, and no others', async () => {
  site.latencyMs = 0;
  const settings = new Settings();
  settings.update({LOG_ENABLED: false, SCHEDULER_BACKEND: 'recording', SHUTDOWN_GRACE_PERIOD: 0.2, CONCURRENT_REQUESTS: 4}, 'cmdline');
  const result = await runSpider({spiderClass: PausingSpider, settings, handleSignals: false, resolveComponent: async () => RecordingFrontier});
  site.latencyMs = 0;
  expect(result.reason).toBe('shutdown');
  expect(result.abandoned).toBeGreaterThan(0);
  const frontier = RecordingFrontier.last!;
  // The first page was committed; the requests leased after it were abandoned and given back.
  expect(frontier.released).toHaveLength(result.abandoned);
  expect(frontier.released.every((id) => frontier.leasedIds.includes(id))).toBe(true);
  expect(frontier.released).not.toContain(frontier.leasedIds[0]);
});
