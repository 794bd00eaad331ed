/**
 * A job directory written by an earlier release resumes under this code: the fixture in
 * test/fixtures/jobs/previous-release was paused with SIGINT by the release before the frontier
 * (see its origin.json). Its requests name the port its site had then, so this test's site, on a
 * port of its own, answers them as an HTTP proxy (http_proxy), which the demo site can.
 */
import {expect, test} from '@jest/globals';
import {cpSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {deserialize} from 'node:v8';
import {REPO_ROOT, runCli} from '../helpers/cli.js';
import {useSiteAndWorkspace} from '../helpers/site-workspace.js';

const FIXTURE = join(REPO_ROOT, 'test', 'fixtures', 'jobs', 'previous-release');
const SPIDER = join(REPO_ROOT, 'test', 'fixtures', 'jobs', 'site-spider.ts');
const origin = JSON.parse(readFileSync(join(FIXTURE, 'origin.json'), 'utf8')) as {sitePages: number; startUrl: string; itemsWritten: number; pending: number};

const run = useSiteAndWorkspace('dragline-previous-release-');

function pagesIn(file: string): number[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => Number((JSON.parse(line) as {page: string}).page));
}

test('a job paused by the previous release resumes: every page once, no page of the first batch fetched again, spider.state carried over', async () => {
  const work = run.workspace();
  cpSync(FIXTURE, work, {recursive: true});
  const before = pagesIn(join(work, 'items.jsonl'));
  expect(before).toHaveLength(origin.itemsWritten);
  const site = await run.startSite({pages: origin.sitePages});
  const result = await runCli(
    ['runspider', SPIDER, '-s', 'JOBDIR=job', '-o', 'items.jsonl', '-a', `startUrl=${origin.startUrl}`, '-s', 'LOG_LEVEL=INFO'],
    {cwd: work, env: {http_proxy: site.url, no_proxy: ''}},
  );
  expect(result.stderr).toMatch(new RegExp(`Resumed \\S+job: ${origin.pending} pending, ${origin.sitePages} seen`));
  expect(result.code).toBe(0);
  expect(result.stderr).toContain('Spider closed (finished)');
  const pages = pagesIn(join(work, 'items.jsonl'));
  expect([...pages].sort((a, b) => a - b)).toEqual(Array.from({length: origin.sitePages}, (_, n) => n));
  // Only the pages the first batch had not done were fetched now, each once.
  const hits = site.pageHits();
  for (const page of before) expect(hits.get(page)).toBeUndefined();
  expect([...hits.values()].every((count) => count === 1)).toBe(true);
  expect(hits.size).toBe(origin.sitePages - before.length);
  const state = deserialize(readFileSync(join(work, 'job', 'spider.state'))) as {pages: number};
  expect(state.pages).toBe(origin.sitePages);
});
