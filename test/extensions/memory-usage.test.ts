/**
 * MEMUSAGE_*: a crawl past its memory limit closes as memusage_exceeded (resumable with a JOBDIR),
 * a warning fires once, and the stats record startup and peak memory.
 */
import {expect, test} from '@jest/globals';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {runSpider} from '../../src/core/crawler-process.js';
import {Settings} from '../../src/settings/settings.js';
import {Spider} from '../../src/spiders/spider.js';
import type {Response} from '../../src/http/response.js';
import {MemoryUsage} from '../../src/extensions/memory-usage.js';
import {fakeCrawler} from '../helpers/fake-crawler.js';
import {useTestSite} from '../helpers/site.js';

// 100 pages, each 20 ms away, each linking to the next two: long enough for a few checks.
const site = useTestSite((request, response) => {
  const n = Number(/\/(\d+)$/.exec(request.url ?? '')?.[1] ?? 0);
  setTimeout(() => {
    response.writeHead(200, {'Content-Type': 'text/html'});
    response.end(`<html><body>${[n + 1, n + 2].filter((k) => k < 100).map((k) => `<a href="/${k}">${k}</a>`).join('')}</body></html>`);
  }, 20);
});

class ChainSpider extends Spider {
  static override spiderName = 'chain';
  override parse(response: Response) {
    return response.followAll({css: 'a'});
  }
}

function settingsWith(values: Record<string, unknown>): Settings {
  const settings = new Settings();
  settings.update({LOG_ENABLED: false, CONCURRENT_REQUESTS: 2, MEMUSAGE_CHECK_INTERVAL_SECONDS: 0.05, ...values}, 'cmdline');
  return settings;
}

test('past MEMUSAGE_LIMIT_MB the spider closes as memusage_exceeded, and with a JOBDIR the job can resume', async () => {
  class Start extends ChainSpider {
    override startUrls = [`${site.base}/0`];
  }
  const jobdir = join(mkdtempSync(join(tmpdir(), 'dragline-memusage-')), 'job');
  // Any process is past 1 MiB: the first check closes the crawl.
  const result = await runSpider({spiderClass: Start, settings: settingsWith({MEMUSAGE_LIMIT_MB: 1, JOBDIR: jobdir}), handleSignals: false});
  expect(result.reason).toBe('memusage_exceeded');
  expect(result.stats['memusage/limit_reached']).toBe(1);
  expect(result.stats['memusage/startup']).toBeGreaterThan(1024 * 1024);
  expect(result.pending).toBeGreaterThan(0);
  const resumed = await runSpider({spiderClass: Start, settings: settingsWith({JOBDIR: jobdir}), handleSignals: false});
  expect(resumed.reason).toBe('finished');
});

test('MEMUSAGE_WARNING_MB warns once and the crawl goes on', async () => {
  const crawler = fakeCrawler({MEMUSAGE_WARNING_MB: 100, MEMUSAGE_LIMIT_MB: 0, MEMUSAGE_CHECK_INTERVAL_SECONDS: 0.01});
  let rss = 50 * 1024 * 1024;
  const extension = new MemoryUsage(crawler, () => rss);
  extension.start();
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(crawler.stats.get('memusage/warning_reached')).toBeUndefined();
  rss = 150 * 1024 * 1024;
  await new Promise((resolve) => setTimeout(resolve, 80));
  extension.stop();
  expect(crawler.stats.get('memusage/warning_reached')).toBe(1);
  expect(crawler.logged('WARNING').filter((line) => line.includes('Memory usage reached 100MiB (150MiB)'))).toHaveLength(1);
  expect(crawler.closeReasons).toEqual([]);
  expect(crawler.stats.get('memusage/max')).toBe(150 * 1024 * 1024);
});
