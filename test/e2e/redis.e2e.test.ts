/**
 * Distributed crawls on Redis (docs/distributed.md), end to end: real workers (the CLI as child
 * processes) against a logging local site and a real redis-server.
 */
import {afterAll, afterEach, beforeAll, describe, expect, test} from '@jest/globals';
import {existsSync, mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {START_PATH, startSite, type DemoSite} from '../../src/demo/site.js';
import {killRunning, REPO_ROOT, runCli, startCli, waitFor, type CliResult, type RunningCli} from '../helpers/cli.js';
import {extraFetches, expectEveryPageOnce, itemPages} from '../helpers/feed-pages.js';
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
  await killRunning(running);
  running = [];
  await site?.close();
  site = undefined;
  if (work !== undefined) rmSync(work, {recursive: true, force: true});
});

function newWork(): string {
  work = mkdtempSync(join(tmpdir(), 'dragline-redis-e2e-'));
  return work;
}

function worker(jobKey: string, name: string, extra: string[] = [], server = redis): RunningCli {
  const cli = startCli([
    'runspider', SPIDER,
    '-s', `JOBDIR=${server.base}#${jobKey}`,
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

/** How many times each page's item is in the union of the named workers' feeds. */
const workerItems = (names: string[]) => itemPages(names.map((name) => join(work, `items-${name}.jsonl`)));

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
    expectEveryPageOnce(workerItems(['a', 'b']), pages);
    // Both did part of the work.
    expect(workerItems(['a']).size).toBeGreaterThan(0);
    expect(workerItems(['b']).size).toBeGreaterThan(0);
    expect(redis.cli('HGET', 'dragline:{two}:meta', 'state')).toBe('finished');
  });

  test('four workers complete a 5,000-page site: every page fetched once, every item once across their feeds', async () => {
    newWork();
    const pages = 5000;
    site = await startSite({pages, latencyMs: 0});
    const names = ['a', 'b', 'c', 'd'];
    const results = await Promise.all(names.map((name) => worker('four', name, ['-s', 'CONCURRENT_REQUESTS=16']).done));
    for (const result of results) expectClean(result, 'finished');
    expect(site.pageHits().size).toBe(pages);
    expect(extraFetches(site)).toBe(0);
    expectEveryPageOnce(workerItems(names), pages);
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
    const partial = workerItems(['a', 'b']);
    expect([...partial.values()].every((count) => count === 1)).toBe(true);
    // The same command again: the worker finds its watermark and writes what Redis holds and its feed lacks.
    const again = await worker('kill', 'a', lease).done;
    expectClean(again, 'finished');
    expectEveryPageOnce(workerItems(['a', 'b']), pages);
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
    expectEveryPageOnce(workerItems(['a', 'b']), pages);
    // The stalled worker's late commits were refused (and wrote nothing), not merely absent.
    expect(Number(redis.cli('HGET', 'dragline:{stall}:counters', 'refused'))).toBeGreaterThan(0);
    expect(ra.stderr).toContain('A commit was refused');
  });
});

describe('Ctrl-C on one worker', () => {
  test('stops only that worker and gives its leases back at once: the other completes without waiting for them to expire', async () => {
    newWork();
    const pages = 400;
    site = await startSite({pages, latencyMs: 20});
    const server = site;
    const a = worker('ctrl-c', 'a');
    const b = worker('ctrl-c', 'b');
    await waitFor(() => server.pageHits().size >= pages * 0.2, 60_000, '20% of the site');
    a.child.kill('SIGINT');
    const ra = await a.done;
    expectClean(ra, 'shutdown');
    const started = Date.now();
    const rb = await b.done;
    expectClean(rb, 'finished');
    // The default lease is 60 s: finishing well before proves the leases came back at once.
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(server.pageHits().size).toBe(pages);
    expect(extraFetches(server)).toBe(0);
    expectEveryPageOnce(workerItems(['a', 'b']), pages);
  });
});

describe('the whole job: pause, resume, status, export, and Redis itself restarting', () => {
  test('job pause stops every worker after its pages in flight; the same command resumes; status and export see the job', async () => {
    newWork();
    const pages = 400;
    // Slow pages: the crawl must still be running when `job pause` (a CLI of its own) gets there.
    site = await startSite({pages, latencyMs: 100});
    const server = site;
    const address = `${redis.base}#pause`;
    const a = worker('pause', 'a');
    const b = worker('pause', 'b');
    await waitFor(() => server.pageHits().size >= pages * 0.1, 60_000, '10% of the site');
    const paused = await runCli(['job', 'pause', address], {cwd: work});
    expect(paused.code).toBe(0);
    expect(paused.stdout).toContain('Paused');
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expectClean(ra, 'shutdown');
    expectClean(rb, 'shutdown');
    expect(ra.stderr).toContain('is paused (dragline job pause)');
    const fetched = server.pageHits().size;
    expect(fetched).toBeLessThan(pages);

    const status = await runCli(['job', 'status', address, '--json'], {cwd: work});
    expect(status.code).toBe(0);
    const json = JSON.parse(status.stdout) as {state: string; pending: number; leased: number; items: number; workers: unknown[]; warnings: string[]; seen: number; stats: Record<string, number>};
    expect(json.state).toBe('paused');
    expect(json.pending).toBeGreaterThan(0);
    expect(json.leased).toBe(0); // every lease was committed or given back
    expect(json.workers).toEqual([]); // both left
    expect(json.items).toBe(fetched);
    expect(json.stats.item_scraped_count).toBe(fetched);
    expect(json.warnings.join(' ')).toContain('AOF');
    const text = await runCli(['job', 'status', address], {cwd: work});
    expect(text.stdout).toMatch(/state\s+paused/);

    const [again1, again2] = await Promise.all([worker('pause', 'a').done, worker('pause', 'b').done]);
    expectClean(again1, 'finished');
    expectClean(again2, 'finished');
    expect(again1.stderr + again2.stderr).toContain('Resuming the paused job');
    expect(server.pageHits().size).toBe(pages);
    expect(extraFetches(server)).toBe(0);
    expectEveryPageOnce(workerItems(['a', 'b']), pages);

    const exported = await runCli(['job', 'export', address, '-o', join(work, 'items-export.jsonl')], {cwd: work});
    expect(exported.code).toBe(0);
    expectEveryPageOnce(workerItems(['export']), pages);
    const deleted = await runCli(['job', 'delete', address], {cwd: work});
    expect(deleted.code).toBe(0);
    expect(redis.cli('EXISTS', 'dragline:{pause}:meta')).toBe('0');
  });

  test('job commands name what is wrong in one line', async () => {
    newWork();
    const missing = await runCli(['job', 'status', `${redis.base}#no-such-job`], {cwd: work});
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('There is no job no-such-job');
    const unreachable = await runCli(['job', 'status', 'redis://127.0.0.1:1/0#x'], {cwd: work});
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('Cannot reach Redis');
    expect(unreachable.stderr).not.toMatch(/^\s+at /m);
    const pauseDir = await runCli(['job', 'pause', join(work, 'some-dir')], {cwd: work});
    expect(pauseDir.code).toBe(2);
    expect(pauseDir.stderr).toContain('Ctrl-C');
    site = await startSite({pages: 10, latencyMs: 0});
    const noJobKey = await runCli(['runspider', SPIDER, '-s', 'JOBDIR=redis://127.0.0.1:1/0', '-a', `startUrl=${site.url}${START_PATH}`], {cwd: work});
    expect(noJobKey.code).toBe(2);
    expect(noJobKey.stderr).toContain('names no job: end it with #jobkey');
    const crawlUnreachable = await runCli(['runspider', SPIDER, '-s', 'JOBDIR=redis://127.0.0.1:1/0#x', '-a', `startUrl=${site.url}${START_PATH}`], {cwd: work});
    expect(crawlUnreachable.code).toBe(1);
    expect(crawlUnreachable.stderr).toContain('REDIS_UNAVAILABLE');
    expect(crawlUnreachable.stderr).not.toMatch(/^\s+at /m);
    expect(site.pageHits().size).toBe(0);
  });

  test('a worker name in use and a job gone from Redis stop a worker in one line, never as finished', async () => {
    newWork();
    // Slow pages: the first worker must still be crawling when the others start (~2,000 × 50 ms / 8).
    site = await startSite({pages: 2000, latencyMs: 50});
    const server = site;
    const a = worker('lost', 'a', ['-s', 'REDIS_WORKER_NAME=shared']);
    await waitFor(() => server.pageHits().size >= 20, 60_000, 'the first pages');
    // Same name, another worker folder: another live process, as two containers with one hostname would be.
    const b = await worker('lost', 'b', ['-s', 'REDIS_WORKER_NAME=shared', '-s', `REDIS_WORKER_DIR=${join(work, 'elsewhere')}`]).done;
    expect(b.code).toBe(3);
    expect(b.stderr).toContain('WORKER_NAME_TAKEN');
    expect(b.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(join(work, 'items-b.jsonl')) ? readFileSync(join(work, 'items-b.jsonl'), 'utf8') : '').toBe('');
    // What a restart of a redis-server without AOF leaves: no job.
    redis.cli('EVAL', "for _, k in ipairs(redis.call('KEYS', 'dragline:{lost}:*')) do redis.call('DEL', k) end", '0');
    const ra = await a.done;
    expect(ra.code).toBe(1);
    expect(ra.stderr).toContain('JOB_LOST');
    expect(ra.stderr).not.toContain('Spider closed (finished)');
    expect(ra.stderr).not.toMatch(/^\s+at /m);
    expect(redis.cli('KEYS', 'dragline:{lost}:*')).toBe('');
  });

  test('kill -9 of redis-server with AOF on, restarted: the workers wait, then go on, and nothing is lost or written twice', async () => {
    newWork();
    const durable = await startRedis({aof: true});
    try {
      const pages = 400;
      site = await startSite({pages, latencyMs: 5});
      const server = site;
      const a = worker('aof', 'a', [], durable);
      const b = worker('aof', 'b', [], durable);
      await waitFor(() => server.pageHits().size >= pages * 0.3, 60_000, '30% of the site');
      await durable.kill();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await durable.restart();
      const [ra, rb] = await Promise.all([a.done, b.done]);
      expectClean(ra, 'finished');
      expectClean(rb, 'finished');
      expect(ra.stderr + rb.stderr).toContain('is unavailable');
      expect(server.pageHits().size).toBe(pages);
      expect(extraFetches(server)).toBe(0);
      expectEveryPageOnce(workerItems(['a', 'b']), pages);
    } finally {
      await durable.stop();
    }
  });
});
