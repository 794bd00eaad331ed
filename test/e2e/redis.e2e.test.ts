/**
 * Distributed crawls on Redis (docs/distributed.md), end to end: real workers (the CLI as child
 * processes) against a logging local site and a real redis-server.
 */
import {afterAll, afterEach, beforeAll, describe, expect, test} from '@jest/globals';
import {existsSync, mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {START_PATH, startSite, type DemoSite} from '../../src/demo/site.js';
import {REPO_ROOT, startCli, waitFor, type CliResult, type RunningCli} from '../helpers/cli.js';
import {startRedis, type RedisServer} from '../helpers/redis-server.js';
import {responseBacklog} from '../../src/core/engine.js';

const SPIDER = join(REPO_ROOT, 'test', 'fixtures', 'jobs', 'site-spider.ts');
const CONCURRENCY = 8;
/** Leases one worker can hold: in flight (downloading plus responses waiting for callbacks) and prefetched. */
const MAX_HELD = CONCURRENCY + responseBacklog(CONCURRENCY) + Math.ceil(CONCURRENCY / 2);

let redis: RedisServer;
let site: DemoSite | undefined;
let work: string;
let running: RunningCli[] = [];

beforeAll(async () => {
  expect(statSync(join(REPO_ROOT, 'dist', 'index.js')).isFile()).toBe(true);
  redis = await startRedis();
});

afterAll(async () => {
  await redis?.stop();
});

afterEach(async () => {
  for (const worker of running) {
    if (worker.child.exitCode === null && worker.child.signalCode === null) {
      worker.child.kill('SIGKILL');
      await worker.done;
    }
  }
  running = [];
  await site?.close();
  site = undefined;
  if (work !== undefined) rmSync(work, {recursive: true, force: true});
});

function newWork(): string {
  work = mkdtempSync(join(tmpdir(), 'dragline-redis-e2e-'));
  return work;
}

function worker(jobKey: string, name: string, extra: string[] = []): RunningCli {
  const cli = startCli([
    'runspider', SPIDER,
    '-s', `JOBDIR=${redis.base}#${jobKey}`,
    '-s', `REDIS_WORKER_DIR=${join(work, 'workers')}`,
    '-o', join(work, `items-${name}.jsonl`),
    '-a', `startUrl=${site!.url}${START_PATH}`,
    '-s', 'LOG_LEVEL=INFO',
    '-s', `CONCURRENT_REQUESTS=${CONCURRENCY}`,
    '-s', `CONCURRENT_REQUESTS_PER_DOMAIN=${CONCURRENCY}`,
    ...extra,
  ], {cwd: work});
  running.push(cli);
  return cli;
}

/** How many times each page's item is in the union of the named feeds. */
function itemPages(names: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of names) {
    const path = join(work, `items-${name}.jsonl`);
    if (!existsSync(path)) continue;
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (line === '') continue;
      const page = String((JSON.parse(line) as {page: string}).page);
      counts.set(page, (counts.get(page) ?? 0) + 1);
    }
  }
  return counts;
}

function extraFetches(server: DemoSite): number {
  let extra = 0;
  for (const count of server.pageHits().values()) extra += count - 1;
  return extra;
}

function expectEveryPageOnce(items: Map<string, number>, pages: number): void {
  expect(items.size).toBe(pages);
  expect([...items.entries()].filter(([, count]) => count !== 1)).toEqual([]);
}

function expectClean(result: CliResult, reason: string): void {
  expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(result.stderr).toContain(`Spider closed (${reason})`);
  expect(result.code).toBe(0);
}

describe('a crawl shared by several workers through Redis', () => {
  test('two workers complete the site: every page fetched once, every item once across their feeds', async () => {
    newWork();
    const pages = 400;
    site = await startSite({pages, latencyMs: 2});
    const a = worker('two', 'a');
    const b = worker('two', 'b');
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expectClean(ra, 'finished');
    expectClean(rb, 'finished');
    expect(site.pageHits().size).toBe(pages);
    expect(extraFetches(site)).toBe(0);
    expectEveryPageOnce(itemPages(['a', 'b']), pages);
    // Both did part of the work.
    expect(itemPages(['a']).size).toBeGreaterThan(0);
    expect(itemPages(['b']).size).toBeGreaterThan(0);
    expect(redis.cli('HGET', 'dragline:{two}:meta', 'state')).toBe('finished');
  });

  test('kill -9 of a worker mid-crawl: its leases expire, the other completes, duplicates at most what it held; restarted, it writes its missing items and nothing twice', async () => {
    newWork();
    const pages = 400;
    site = await startSite({pages, latencyMs: 5});
    const server = site;
    const lease = ['-s', 'SCHEDULER_LEASE_SECONDS=1'];
    const a = worker('kill', 'a', lease);
    const b = worker('kill', 'b', lease);
    await waitFor(() => server.pageHits().size >= pages * 0.4, 60_000, '40% of the site');
    a.child.kill('SIGKILL');
    await a.done;
    const rb = await b.done;
    expectClean(rb, 'finished');
    expect(server.pageHits().size).toBe(pages);
    expect(extraFetches(server)).toBeLessThanOrEqual(MAX_HELD);
    const partial = itemPages(['a', 'b']);
    expect([...partial.values()].every((count) => count === 1)).toBe(true);
    // The same command again: the worker finds its watermark and writes what Redis holds and its feed lacks.
    const again = await worker('kill', 'a', lease).done;
    expectClean(again, 'finished');
    expectEveryPageOnce(itemPages(['a', 'b']), pages);
  });

  test('a worker stopped past its lease (SIGSTOP) and resumed (SIGCONT) writes nothing twice', async () => {
    newWork();
    const pages = 300;
    site = await startSite({pages, latencyMs: 5});
    const server = site;
    const lease = ['-s', 'SCHEDULER_LEASE_SECONDS=1'];
    const a = worker('stall', 'a', lease);
    const b = worker('stall', 'b', lease);
    await waitFor(() => server.pageHits().size >= pages * 0.3, 60_000, '30% of the site');
    a.child.kill('SIGSTOP');
    await new Promise((resolve) => setTimeout(resolve, 2500));
    a.child.kill('SIGCONT');
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expectClean(ra, 'finished');
    expectClean(rb, 'finished');
    expect(server.pageHits().size).toBe(pages);
    expectEveryPageOnce(itemPages(['a', 'b']), pages);
    // The stalled worker's late commits were refused (and wrote nothing), not merely absent.
    expect(Number(redis.cli('HGET', 'dragline:{stall}:counters', 'refused'))).toBeGreaterThan(0);
    expect(ra.stderr).toContain('A commit was refused');
  });
});
