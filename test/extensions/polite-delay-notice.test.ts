/**
 * The project template's polite settings stay, and a crawl visibly slowed by them says so once:
 * after 10 delays' worth of crawling, most downloads had to wait for DOWNLOAD_DELAY before they
 * could start, with more requests pending. Against a local site, with a 0.1 s delay so that the window is 1 s; 46 pages take ~4.6 s, so the notice has several once-a-second checks to be said in even when a loaded machine starts fewer than 10 downloads in the first second.
 */
import {expect, test} from '@jest/globals';
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {runSpider} from '../../src/core/crawler-process.js';
import type {Response} from '../../src/http/response.js';
import {Settings, type SettingsPriority} from '../../src/settings/settings.js';
import {Spider} from '../../src/spiders/spider.js';
import {send, useTestSite} from '../helpers/site.js';

const site = useTestSite((request, response) => {
  const links = request.url === '/' ? Array.from({length: 45}, (_, n) => `<a href="/page/${n}">${n}</a>`).join('') : '';
  send(response, 200, 'text/html', `<title>${request.url}</title>${links}`);
});

const NOTICE = 'This crawl is held back by its polite settings';

async function crawl(settingsByPriority: Partial<Record<SettingsPriority, Record<string, unknown>>>): Promise<{log: string; pages: number}> {
  const log = join(mkdtempSync(join(tmpdir(), 'dragline-polite-')), 'crawl.log');
  class SiteSpider extends Spider {
    static override spiderName = 'site';
    override startUrls = [`${site.base}/`];
    override *parse(response: Response) {
      yield* response.followAll({css: 'a'});
    }
  }
  const settings = new Settings();
  settings.update({LOG_FILE: log, LOG_LEVEL: 'INFO', ROBOTSTXT_OBEY: false, RANDOMIZE_DOWNLOAD_DELAY: false}, 'cmdline');
  for (const [priority, values] of Object.entries(settingsByPriority)) settings.update(values, priority as SettingsPriority);
  const {stats} = await runSpider({spiderClass: SiteSpider, settings, handleSignals: false});
  return {log: readFileSync(log, 'utf8'), pages: Number(stats.response_received_count)};
}

test('a crawl held back by the project file\'s delay says so once, naming the settings, their origin and how to change them', async () => {
  const {log, pages} = await crawl({project: {DOWNLOAD_DELAY: 0.1, CONCURRENT_REQUESTS_PER_DOMAIN: 1}});
  expect(pages).toBe(46);
  const notices = log.split('\n').filter((line) => line.includes(NOTICE));
  expect(notices).toHaveLength(1);
  expect(notices[0]).toMatch(/\[dragline\.core\.downloader\] INFO: This crawl is held back by its polite settings: in its first \d+ s, \d+ of \d+ downloads waited for DOWNLOAD_DELAY=0\.1 \(from the project file\) before they could start, one at a time per site \(CONCURRENT_REQUESTS_PER_DOMAIN=1, from the project file\), with \d+ requests waiting\. For a site that can take more, lower them \(-s DOWNLOAD_DELAY=0\.25 -s CONCURRENT_REQUESTS_PER_DOMAIN=4, or in dragline\.config\.ts\), or set AUTOTHROTTLE_ENABLED=true/);
});

test('no notice without a delay, or when the delay was given on the command line', async () => {
  expect((await crawl({project: {DOWNLOAD_DELAY: 0, CONCURRENT_REQUESTS_PER_DOMAIN: 1}})).log).not.toContain(NOTICE);
  const chosen = await crawl({cmdline: {DOWNLOAD_DELAY: 0.1}, project: {CONCURRENT_REQUESTS_PER_DOMAIN: 1}});
  expect(chosen.pages).toBe(46);
  expect(chosen.log).not.toContain(NOTICE);
});
