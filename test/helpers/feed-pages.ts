/** What the end-to-end tests check of a crawl of the demo site: each page's item, and each page fetched, once. */
import {expect} from '@jest/globals';
import {existsSync, readFileSync} from 'node:fs';
import type {DemoSite} from '../../src/demo/site.js';

/** How many times each page's item is in the union of these JSON-lines feeds (missing files count none). */
export function itemPages(paths: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const path of paths) {
    if (!existsSync(path)) continue;
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (line === '') continue;
      const page = String((JSON.parse(line) as {page: string}).page);
      counts.set(page, (counts.get(page) ?? 0) + 1);
    }
  }
  return counts;
}

/** Fetches beyond the first of each page. */
export function extraFetches(server: DemoSite): number {
  let extra = 0;
  for (const count of server.pageHits().values()) extra += count - 1;
  return extra;
}

/** Every one of `pages` pages has its item exactly once; the ones that do not are listed on failure. */
export function expectEveryPageOnce(items: Map<string, number>, pages: number): void {
  expect(items.size).toBe(pages);
  expect([...items.entries()].filter(([, count]) => count !== 1)).toEqual([]);
}
