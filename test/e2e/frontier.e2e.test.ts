/**
 * SCHEDULER_BACKEND names a frontier class from the user's own module, as other components are
 * named: a real crawl (the CLI in a child process, a local site) runs on it.
 */
import {expect, test} from '@jest/globals';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {START_PATH} from '../../src/demo/site.js';
import {REPO_ROOT, runCli} from '../helpers/cli.js';
import {useSiteAndWorkspace} from '../helpers/site-workspace.js';

// The resolver looks for frontier modules next to the spider file (runspider) or in the project.
const SPIDER = join(REPO_ROOT, 'test', 'fixtures', 'jobs', 'site-spider.ts');
const PAGES = 40;

const run = useSiteAndWorkspace('dragline-frontier-');

test("a project's own frontier, named in SCHEDULER_BACKEND, carries a whole crawl: every page once, every request through its commits", async () => {
  const work = run.workspace();
  const site = await run.startSite({pages: PAGES});
  const report = join(work, 'report.json');
  const result = await runCli([
    'runspider', SPIDER, '-o', join(work, 'items.jsonl'), '-a', `startUrl=${site.url}${START_PATH}`, '-s', 'LOG_LEVEL=INFO',
    '-s', 'SCHEDULER_BACKEND=../frontier/list-frontier.ts#ListFrontier', '-s', `LIST_FRONTIER_REPORT=${report}`,
  ]);
  expect(result.stderr).toContain('Spider closed (finished)');
  expect(result.code).toBe(0);
  const pages = readFileSync(join(work, 'items.jsonl'), 'utf8').split('\n').filter(Boolean).map((line) => Number((JSON.parse(line) as {page: string}).page));
  expect(pages.sort((a, b) => a - b)).toEqual(Array.from({length: PAGES}, (_, n) => n));
  expect([...site.pageHits().values()].every((count) => count === 1)).toBe(true);
  const seenByFrontier = JSON.parse(readFileSync(report, 'utf8')) as {reason: string; commits: number; payloads: number; seen: number; leased: number};
  // Each page was stored in the custom frontier as bytes exactly once; one commit per response (and per start request).
  expect(seenByFrontier).toMatchObject({reason: 'finished', payloads: PAGES, seen: PAGES, leased: 0});
  expect(seenByFrontier.commits).toBeGreaterThanOrEqual(PAGES + 1);
});

test('a SCHEDULER_BACKEND class that is not a frontier is refused in one line', async () => {
  const site = await run.startSite({pages: 3});
  const result = await runCli(['runspider', SPIDER, '-a', `startUrl=${site.url}${START_PATH}`, '-s', 'SCHEDULER_BACKEND=./site-spider.ts']);
  expect(result.code).not.toBe(0);
  expect(result.stderr).toMatch(/SCHEDULER_BACKEND '\.\/site-spider\.ts' is not a Frontier: it has no open\(\), next\(\)/);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(site.served).toHaveLength(0);
});
