/**
 * The first end-to-end crawl (issue "The crawl engine", done-when): a site of a few thousand linked
 * pages with every awkward case, crawled by the real CLI. Every page is fetched exactly once, every
 * item lands in the feed, and the stats say so.
 */
import {afterAll, beforeAll, expect, test} from '@jest/globals';
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {START_PATH, startSite, type DemoSite} from '../../src/demo/site.js';
import {REPO_ROOT, runCli, type CliResult} from '../helpers/cli.js';

const PAGES = 3000;
let site: DemoSite;
let dir: string;
let result: CliResult;
let stats: Record<string, number>;

beforeAll(async () => {
  site = await startSite({pages: PAGES, traps: true});
  dir = mkdtempSync(join(tmpdir(), 'dragline-crawl-'));
  result = await runCli([
    'runspider', join(REPO_ROOT, 'test', 'fixtures', 'jobs', 'site-spider.ts'),
    '-a', `startUrl=${site.url}${START_PATH}`,
    '-o', join(dir, 'items.json'),
    '-o', join(dir, 'items.csv'),
    '-s', `JOBDIR=${join(dir, 'job')}`,
    '-s', 'ROBOTSTXT_OBEY=true',
    '-s', 'LOG_LEVEL=INFO',
  ], {timeoutMs: 120_000});
  stats = (JSON.parse(readFileSync(join(dir, 'job', 'stats.json'), 'utf8')) as {cumulative: Record<string, number>}).cumulative;
}, 150_000);

afterAll(async () => {
  await site.close();
});

test('the crawl finishes and exits 0', () => {
  expect(result.code).toBe(0);
  expect(result.stderr).toContain('Spider closed (finished)');
});

test('every page is fetched exactly once, though links to it differ in argument order and fragment', () => {
  const hits = site.pageHits();
  expect(hits.size).toBe(PAGES);
  expect([...hits.values()].every((count) => count === 1)).toBe(true);
  expect(stats['dupefilter/filtered']).toBeGreaterThan(PAGES);
});

test('a redirect is followed through the duplicates filter, a 500 is retried, a 404 is ignored', () => {
  const served = site.served.map((entry) => `${entry.status} ${entry.url.split('?')[0]}`);
  expect(served.filter((line) => line === '301 /redirect/1')).toHaveLength(1);
  expect(served.filter((line) => line.endsWith(' /flaky/1'))).toEqual(['500 /flaky/1', '200 /flaky/1']);
  expect(served).toContain('404 /missing');
  expect(stats['retry/count']).toBe(1);
  expect(stats['downloader/response_status_count/301']).toBe(1);
  expect(stats['httperror/response_ignored_status_count/404']).toBe(1);
});

test('robots.txt is fetched once and obeyed; offsite links are filtered', () => {
  expect(site.served.filter((entry) => entry.url === '/robots.txt')).toHaveLength(1);
  expect(site.served.some((entry) => entry.url.startsWith('/private/'))).toBe(false);
  expect(stats['robotstxt/forbidden']).toBe(1);
  expect(stats['offsite/filtered']).toBeGreaterThanOrEqual(1);
});

test('every item lands in every feed, and the stats count them', () => {
  const json = JSON.parse(readFileSync(join(dir, 'items.json'), 'utf8')) as Array<{page: string}>;
  const pages = new Set(json.map((item) => item.page));
  expect(json).toHaveLength(PAGES + 1);
  expect(pages.size).toBe(PAGES + 1);
  expect(pages.has('flaky-1')).toBe(true);
  const csv = readFileSync(join(dir, 'items.csv'), 'utf8').trim().split('\r\n');
  expect(csv[0]).toBe('page,author');
  expect(csv).toHaveLength(PAGES + 2);
  expect(stats.item_scraped_count).toBe(PAGES + 1);
  expect(stats.response_received_count).toBe(PAGES + 2);
});
