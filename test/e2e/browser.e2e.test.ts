/**
 * Browser-rendered requests (docs/browser.md) end to end: the real CLI in a child process, the
 * system's Chromium, and a local site whose content is written by scripts (src/demo/js-site.ts).
 */
import {afterEach, beforeAll, describe, expect, test} from '@jest/globals';
import {execFileSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {startJsSite, type JsSite} from '../../src/demo/js-site.js';
import {REPO_ROOT, runCli, startCli, waitFor, type CliResult} from '../helpers/cli.js';
import {responseBacklog} from '../../src/core/engine.js';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'browser');
/** Marks this file's Chromium processes, so that the orphan check never counts another program's. */
const MARKER = `--dragline-browser-test=${process.pid}`;
const BROWSER = ['-s', 'DOWNLOAD_HANDLERS={"http":"playwright","https":"playwright"}', '-s', `PLAYWRIGHT_LAUNCH_OPTIONS=${JSON.stringify({args: [MARKER]})}`];

let site: JsSite | undefined;
const work: string[] = [];

beforeAll(() => {
  expect(statSync(join(REPO_ROOT, 'dist', 'index.js')).isFile()).toBe(true);
  let chromium = '';
  try {
    chromium = execFileSync('sh', ['-c', 'command -v chromium'], {encoding: 'utf8'}).trim();
  } catch {
    // Reported below.
  }
  if (chromium === '') throw new Error('The browser tests need Chromium: install the Debian package chromium (apt-get install -y chromium; scripts/system-packages.sh does)');
});

afterEach(async () => {
  await site?.close();
  site = undefined;
  for (const dir of work.splice(0)) rmSync(dir, {recursive: true, force: true});
});

function newWork(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dragline-browser-'));
  work.push(dir);
  return dir;
}

function items(file: string): Array<Record<string, unknown>> {
  return readFileSync(file, 'utf8').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** How many times each `/page/N` was served. */
function pageHits(server: JsSite): Map<string, number> {
  const hits = new Map<string, number>();
  for (const path of server.served) if (path.startsWith('/page/')) hits.set(path, (hits.get(path) ?? 0) + 1);
  return hits;
}

function expectEveryItemOnce(file: string, pages: number): void {
  const counts = new Map<string, number>();
  for (const item of items(file)) counts.set(String(item.page), (counts.get(String(item.page)) ?? 0) + 1);
  expect(counts.size).toBe(pages);
  expect([...counts.values()].every((count) => count === 1)).toBe(true);
}

/** This file's Chromium processes (found by MARKER in their command line). */
function markedBrowsers(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes(MARKER)) pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

function noStackTrace(result: CliResult): void {
  expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

function jsCrawl(dir: string, server: JsSite, extra: string[] = []): string[] {
  return [
    'runspider', join(FIXTURES, 'js-spider.ts'),
    '-a', `startUrl=${server.url}/page/0`,
    '-o', join(dir, 'items.jsonl'),
    '-s', 'LOG_LEVEL=INFO',
    ...BROWSER,
    ...extra,
  ];
}

describe('rendered pages', () => {
  test('a spider gets the links and items a script writes only with meta.playwright; plain requests still use HTTP', async () => {
    site = await startJsSite(15);
    const plainDir = newWork();
    const plain = await runCli(jsCrawl(plainDir, site));
    expect(plain.code).toBe(0);
    expect(items(join(plainDir, 'items.jsonl'))).toEqual([]);
    expect([...pageHits(site).keys()]).toEqual(['/page/0']);
    // The handler was enabled but no request asked for a browser: none was launched.
    expect(plain.stderr).not.toContain('playwright/browser_count');

    site.served.length = 0;
    const renderedDir = newWork();
    const rendered = await runCli(jsCrawl(renderedDir, site, ['-a', 'render=1']));
    expect(rendered.code).toBe(0);
    expectEveryItemOnce(join(renderedDir, 'items.jsonl'), 15);
    expect(items(join(renderedDir, 'items.jsonl')).find((item) => item.page === '3')).toEqual({page: '3', text: 'Quote 3'});
    expect([...pageHits(site).values()].every((count) => count === 1)).toBe(true);
    expect(rendered.stderr).toMatch(/"playwright\/request_count": \d+/);
    expect(rendered.stderr).toContain('"playwright/browser_count": 1');
    expect(rendered.stderr).toContain('"downloader/response_count": 15');
  });

  test('page methods (wait for a selector, click, scroll, evaluate) and the live page change what the callback sees', async () => {
    site = await startJsSite(1);
    const dir = newWork();
    const result = await runCli(['runspider', join(FIXTURES, 'page-methods-spider.ts'), '-a', `base=${site.url}`, '-o', join(dir, 'items.jsonl'), ...BROWSER]);
    expect(result.code).toBe(0);
    const byCase = Object.fromEntries(items(join(dir, 'items.jsonl')).map((item) => [item.case, item]));
    expect(byCase).toEqual({
      'late-wait': {case: 'late-wait', quotes: 1, result: null},
      'click-none': {case: 'click-none', quotes: 0, result: null},
      click: {case: 'click', quotes: 1, result: null},
      'scroll-none': {case: 'scroll-none', quotes: 0, result: null},
      scroll: {case: 'scroll', quotes: 1, result: null},
      evaluate: {case: 'evaluate', quotes: 1, result: 41},
      'include-page': {case: 'include-page', quotes: 0, result: 1},
    });
  });

  test('cookies set by a rendered page are sent by plain requests, and the other way round', async () => {
    site = await startJsSite(1);
    const dir = newWork();
    const result = await runCli(['runspider', join(FIXTURES, 'cookie-spider.ts'), '-a', `base=${site.url}`, '-o', join(dir, 'items.jsonl'), ...BROWSER]);
    expect(result.code).toBe(0);
    expect(items(join(dir, 'items.jsonl'))).toEqual([
      {step: 'plain after script', cookie: 'js=from-script'},
      {step: 'rendered after header', cookie: 'js=from-script; hdr=from-header'},
    ]);
  });

  test('PLAYWRIGHT_ABORT_REQUEST aborts a page\'s requests; a named context from PLAYWRIGHT_CONTEXTS gets its options', async () => {
    site = await startJsSite(1);
    const dir = newWork();
    const result = await runCli(['runspider', join(FIXTURES, 'contexts-spider.ts'), '-a', `base=${site.url}`, '-o', join(dir, 'items.jsonl'), ...BROWSER]);
    expect(result.code).toBe(0);
    const byCase = Object.fromEntries(items(join(dir, 'items.jsonl')).map((item) => [item.case, item]));
    expect(byCase.external).toEqual({case: 'external', quotes: 0});
    expect(site.served).toContain('/external');
    expect(site.served).not.toContain('/external.js');
    expect(result.stderr).toMatch(/"playwright\/request_count\/aborted": [1-9]/);
    expect(byCase['agent in agent']).toEqual({case: 'agent in agent', agent: 'dragline-test-agent/1.0'});
    expect(String(byCase['agent in default']!.agent)).not.toBe('dragline-test-agent/1.0');
    expect(result.stderr).toContain('"playwright/context_count": 2');
  });

  test('a browser that crashes mid-crawl is relaunched and its requests retried: every item once', async () => {
    const pages = 40;
    site = await startJsSite(pages);
    const server = site;
    const dir = newWork();
    const run = startCli(jsCrawl(dir, server, ['-a', 'render=1', '-s', 'CONCURRENT_REQUESTS=8', '-s', 'DOWNLOAD_TIMEOUT=20']));
    await waitFor(() => pageHits(server).size >= 12, 60_000, 'a third of the site');
    const browsers = markedBrowsers();
    expect(browsers.length).toBeGreaterThan(0);
    for (const pid of browsers) process.kill(pid, 'SIGKILL');
    const stuck = setTimeout(() => run.child.kill('SIGKILL'), 50_000);
    const result = await run.done.finally(() => clearTimeout(stuck));
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('The browser closed unexpectedly');
    // No request was left waiting for a page of the dead browser (it would end only at DOWNLOAD_TIMEOUT).
    expect(result.stderr).not.toContain('took too long');
    expect(result.stderr).toMatch(/"playwright\/browser_count": [2-9]/);
    expect(pageHits(server).size).toBe(pages);
    expectEveryItemOnce(join(dir, 'items.jsonl'), pages);
  });
});

describe('jobs', () => {
  const PAGES = 200;
  const CONCURRENCY = 8;
  /** Requests a kill -9 may leave un-acked: those downloading, plus responses waiting for their callbacks. */
  const MAX_IN_FLIGHT = CONCURRENCY + responseBacklog(CONCURRENCY);
  const jobArgs = (dir: string, server: JsSite): string[] => jsCrawl(dir, server, ['-a', 'render=1', '-s', `JOBDIR=${join(dir, 'job')}`, '-s', `CONCURRENT_REQUESTS=${CONCURRENCY}`]);

  // One job paused and killed, so that the suite renders the 200 pages once rather than once per case.
  test('Ctrl-C at 40% closes the browser and the rerun renders no page twice; kill -9 at 70% leaves no Chromium and the rerun finishes: every item once', async () => {
    site = await startJsSite(PAGES);
    const server = site;
    const dir = newWork();
    const first = startCli(jobArgs(dir, server));
    await waitFor(() => pageHits(server).size >= PAGES * 0.4, 60_000, '40% of the site');
    first.child.kill('SIGINT');
    const paused = await first.done;
    expect(paused.code).toBe(0);
    expect(paused.stderr).toContain('Spider closed (shutdown)');
    expect(markedBrowsers()).toEqual([]);
    const renderedBeforePause = new Set(pageHits(server).keys());
    expect(renderedBeforePause.size).toBeLessThan(PAGES);

    const second = startCli(jobArgs(dir, server));
    await waitFor(() => pageHits(server).size >= PAGES * 0.7, 60_000, '70% of the site');
    expect(second.output().stderr).toMatch(/Resuming crawl \(\d+ requests scheduled\)/);
    expect(markedBrowsers().length).toBeGreaterThan(0);
    second.child.kill('SIGKILL');
    await second.done;
    // Chromium reads its commands from a pipe to the crawl: the pipe closed, so it exits.
    await waitFor(() => markedBrowsers().length === 0, 10_000, 'the orphaned Chromium to exit');

    const third = await runCli(jobArgs(dir, server));
    expect(third.code).toBe(0);
    expect(third.stderr).toContain('Spider closed (finished)');
    const hits = pageHits(server);
    expect(hits.size).toBe(PAGES);
    // The pause lost nothing and fetched nothing twice; the kill refetches at most what was in flight.
    expect([...renderedBeforePause].every((path) => hits.get(path) === 1)).toBe(true);
    let extra = 0;
    for (const count of hits.values()) extra += count - 1;
    expect(extra).toBeLessThanOrEqual(MAX_IN_FLIGHT);
    expectEveryItemOnce(join(dir, 'items.jsonl'), PAGES);
  });
});

describe('no browser', () => {
  test('without Chromium on PATH the crawl stops before it starts, in one line naming the package', async () => {
    site = await startJsSite(1);
    const dir = newWork();
    // A PATH with node and nothing else (node may live beside chromium, in /usr/bin).
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    const result = await runCli(jsCrawl(dir, site, ['-a', 'render=1']), {env: {PATH: bin}});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('BROWSER_NOT_FOUND');
    expect(result.stderr).toContain('apt-get install -y chromium');
    noStackTrace(result);
    expect(site.served).toEqual([]);
  });

  test('an executablePath that is not a program is a setting error', async () => {
    site = await startJsSite(1);
    const dir = newWork();
    const result = await runCli(jsCrawl(dir, site, ['-a', 'render=1', '-s', 'PLAYWRIGHT_LAUNCH_OPTIONS={"executablePath":"/nonexistent/chromium"}']));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('PLAYWRIGHT_LAUNCH_OPTIONS.executablePath "/nonexistent/chromium" is not an executable file');
    noStackTrace(result);
  });
});
