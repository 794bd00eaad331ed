import {afterAll, beforeAll, expect, test} from '@jest/globals';
import {startSite, START_PATH, type DemoSite} from '../../src/demo/site.js';
import {runSpider} from '../../src/core/crawler-process.js';
import {Settings} from '../../src/settings/settings.js';
import {Spider} from '../../src/spiders/spider.js';
import {Request} from '../../src/http/request.js';
import type {Response} from '../../src/http/response.js';
import type {Crawler} from '../../src/core/crawler.js';
import {SIGNALS} from '../../src/core/signals.js';

let site: DemoSite;

beforeAll(async () => {
  site = await startSite({pages: 12});
});

afterAll(async () => {
  await site.close();
});

class SmallSpider extends Spider {
  static override spiderName = 'small';
  override async *start() {
    yield new Request(`${site.url}${START_PATH}`);
  }
  override async *parse(response: Response) {
    for (const href of response.css('ul.links a::attr(href)').getall()) yield response.follow(href);
  }
}

/** A user's extension as in Scrapy: built by fromCrawler, it connects to signals. */
class PageCounter {
  static instances: PageCounter[] = [];
  pages = 0;
  events: string[] = [];

  static fromCrawler(crawler: Crawler): PageCounter {
    const counter = new PageCounter();
    crawler.signals.on(SIGNALS.responseReceived, () => (counter.pages += 1));
    crawler.signals.on(SIGNALS.spiderOpened, () => counter.events.push('opened'));
    crawler.signals.on(SIGNALS.spiderClosed, () => counter.events.push('closed'));
    PageCounter.instances.push(counter);
    return counter;
  }

  start(): void {
    this.events.push('start');
  }

  stop(): void {
    this.events.push('stop');
  }
}

function settingsWith(values: Record<string, unknown>): Settings {
  const settings = new Settings();
  settings.update({LOG_LEVEL: 'INFO', LOGSTATS_INTERVAL: 0.05, ...values}, 'cmdline');
  return settings;
}

test("a user's extension named in EXTENSIONS is built with fromCrawler, hears the signals and is started and stopped", async () => {
  PageCounter.instances = [];
  const result = await runSpider({
    spiderClass: SmallSpider,
    settings: settingsWith({EXTENSIONS: {'./extensions.ts#PageCounter': 500}, LOG_ENABLED: false}),
    handleSignals: false,
    resolveComponent: async (key) => (key === './extensions.ts#PageCounter' ? PageCounter : undefined),
  });
  expect(result.reason).toBe('finished');
  expect(PageCounter.instances).toHaveLength(1);
  const [counter] = PageCounter.instances;
  expect(counter.pages).toBe(result.stats.response_received_count);
  expect(counter.pages).toBe(12);
  expect(counter.events).toEqual(['start', 'opened', 'stop', 'closed']);
});

test('a built-in extension mapped to null is off: CloseSpider limits are ignored without it, kept with it', async () => {
  const limited = await runSpider({spiderClass: SmallSpider, settings: settingsWith({LOG_ENABLED: false, CLOSESPIDER_PAGECOUNT: 3, CONCURRENT_REQUESTS: 1}), handleSignals: false});
  expect(limited.reason).toBe('closespider_pagecount');
  const off = await runSpider({
    spiderClass: SmallSpider,
    settings: settingsWith({LOG_ENABLED: false, CLOSESPIDER_PAGECOUNT: 3, CONCURRENT_REQUESTS: 1, EXTENSIONS: {'scrapy.extensions.closespider.CloseSpider': null}}),
    handleSignals: false,
  });
  expect(off.reason).toBe('finished');
  expect(off.stats.response_received_count).toBe(12);
});
