/**
 * A feed on a disk that fills up mid-crawl (issue 11, section 3): the crawl stops with a one-line
 * error, and once space is freed the same command finishes with every item exactly once and the
 * feed valid in every format. The disk is a tmpfs of a few pages, grown again with a remount.
 */
import {afterAll, afterEach, beforeAll, describe, expect} from '@jest/globals';
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {START_PATH, startSite, type DemoSite} from '../../src/demo/site.js';
import {REPO_ROOT, runCli} from '../helpers/cli.js';
import {cannotMount, mountTmpfs, remount, testMounting, unmount} from '../helpers/mount.js';

const SPIDER = join(REPO_ROOT, 'test', 'fixtures', 'jobs', 'site-spider.ts');
const PAGES = 600;
/** Room for well under all the items in every format (tmpfs counts whole 4 KiB pages). */
const SMALL = '8k';
const LARGE = '4m';

const work = mkdtempSync(join(tmpdir(), 'dragline-full-disk-'));
const disk = join(work, 'disk');
let mounted = false;
let site: DemoSite | undefined;

beforeAll(() => {
  expect(statSync(join(REPO_ROOT, 'dist', 'index.js')).isFile()).toBe(true);
  mkdirSync(disk);
  if (cannotMount !== undefined) return;
  mountTmpfs(disk, SMALL);
  mounted = true;
});

afterEach(async () => {
  await site?.close();
  site = undefined;
});

afterAll(() => {
  if (mounted) unmount(disk);
  rmSync(work, {recursive: true, force: true});
});

function crawlArgs(job: string, feed: string, server: DemoSite): string[] {
  return [
    'runspider', SPIDER,
    '-s', `JOBDIR=${job}`,
    '-o', feed,
    '-a', `startUrl=${server.url}${START_PATH}`,
    '-s', 'LOG_LEVEL=INFO',
    '-s', 'CONCURRENT_REQUESTS=8',
  ];
}

type Item = {page: string; author: string};

/** Parses a whole feed strictly: a damaged line or a glued pair of items throws. */
const READERS: Record<string, (text: string) => Item[]> = {
  jsonl: (text) => {
    expect(text.endsWith('\n')).toBe(true);
    return text.slice(0, -1).split('\n').map((line) => JSON.parse(line) as Item);
  },
  json: (text) => JSON.parse(text) as Item[],
  csv: (text) => {
    const lines = text.split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines.shift()).toBe('page,author');
    return lines.map((line) => {
      const match = /^(\d+),([A-Za-z ]+)$/.exec(line);
      if (match === null) throw new Error(`not a CSV row of this feed: ${JSON.stringify(line)}`);
      return {page: match[1], author: match[2]};
    });
  },
  xml: (text) => {
    const prolog = '<?xml version="1.0" encoding="utf-8"?>\n<items>\n';
    expect(text.startsWith(prolog)).toBe(true);
    expect(text.endsWith('</items>')).toBe(true);
    const body = text.slice(prolog.length, -'</items>'.length);
    return body.slice(0, -1).split('\n').map((line) => {
      const match = /^<item><page>(\d+)<\/page><author>([A-Za-z ]+)<\/author><\/item>$/.exec(line);
      if (match === null) throw new Error(`not an XML item line of this feed: ${JSON.stringify(line)}`);
      return {page: match[1], author: match[2]};
    });
  },
};

describe('a feed on a disk that fills up', () => {
  const cases = [
    ...Object.keys(READERS).map((format) => ({format, jobOnDisk: false})),
    // The job directory on the full disk too: its journal, queue and seen file hit the full disk as well.
    {format: 'jsonl', jobOnDisk: true},
  ];
  for (const {format, jobOnDisk} of cases) {
    testMounting(`${format}${jobOnDisk ? ' (and the JOBDIR)' : ''}: the crawl stops with a one-line error; after space is freed, the same command finishes with every item once`, async () => {
      for (const name of readdirSync(disk)) rmSync(join(disk, name), {recursive: true});
      remount(disk, `size=${jobOnDisk ? '64k' : SMALL}`);
      site = await startSite({pages: PAGES});
      const feed = join(disk, `items.${format}`);
      const args = crawlArgs(join(jobOnDisk ? disk : work, `job-${format}`), feed, site);

      const full = await runCli(args);
      expect(full.code).toBe(1);
      expect(full.stderr).toMatch(/WRITE_FAILED|no space left on the device/);
      if (!jobOnDisk) expect(full.stderr).toContain(feed);
      expect(full.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
      const pagesBefore = site.pageHits().size;
      expect(pagesBefore).toBeLessThan(PAGES);

      remount(disk, `size=${LARGE}`);
      const resumed = await runCli(args);
      expect(resumed.stderr).toContain('Spider closed (finished)');
      expect(resumed.code).toBe(0);

      const items = READERS[format](readFileSync(feed, 'utf8'));
      const pages = items.map((item) => Number(item.page)).sort((a, b) => a - b);
      expect(pages).toEqual(Array.from({length: PAGES}, (_, n) => n));
    });
  }
});
