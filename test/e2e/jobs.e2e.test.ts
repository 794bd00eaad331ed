/**
 * The job-directory contract (docs/jobs.md, shared DESIGN.md), proven end to end: the real CLI in
 * a child process, a local site that logs every request it serves, signals, and a second run.
 */
import {extraFetches, expectEveryPageOnce, itemPages} from '../helpers/feed-pages.js';
import {afterEach, beforeAll, describe, expect, test} from '@jest/globals';
import {spawn} from 'node:child_process';
import {createHash} from 'node:crypto';
import {cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {deserialize} from 'node:v8';
import {START_PATH, startSite, type DemoSite} from '../../src/demo/site.js';
import {CLI, REPO_ROOT, runCli, startCli, waitFor, type CliResult} from '../helpers/cli.js';
import {responseBacklog} from '../../src/core/engine.js';

const SPIDER = join(REPO_ROOT, 'test', 'fixtures', 'jobs', 'site-spider.ts');
const CONCURRENCY = 16;
/** Requests the engine may hold un-acked: CONCURRENCY downloading, plus responses waiting for their callbacks. */
const MAX_IN_FLIGHT = CONCURRENCY + responseBacklog(CONCURRENCY);

let site: DemoSite | undefined;
let work: string;

beforeAll(() => {
  expect(statSync(join(REPO_ROOT, 'dist', 'index.js')).isFile()).toBe(true);
});

afterEach(async () => {
  await site?.close();
  site = undefined;
});

function newWork(): string {
  work = mkdtempSync(join(tmpdir(), 'dragline-jobs-'));
  return work;
}

function crawlArgs(dir: string, server: DemoSite, extra: string[] = [], spider = SPIDER): string[] {
  return [
    'runspider', spider,
    '-s', `JOBDIR=${join(dir, 'job')}`,
    '-o', join(dir, 'items.jsonl'),
    '-a', `startUrl=${server.url}${START_PATH}`,
    '-s', 'LOG_LEVEL=INFO',
    '-s', `CONCURRENT_REQUESTS=${CONCURRENCY}`,
    '-s', 'CONCURRENT_REQUESTS_PER_DOMAIN=16',
    ...extra,
  ];
}

/** How many times each page's item is in a job's items.jsonl. */
const jobItems = (dir: string) => itemPages([join(dir, 'items.jsonl')]);

function noStackTrace(result: CliResult): void {
  expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

describe('pause with Ctrl-C and resume', () => {
  test('two batches fetch every page exactly once, carry spider.state over and keep cumulative stats', async () => {
    const dir = newWork();
    const pages = 2000;
    site = await startSite({pages, latencyMs: 2});
    const server = site;
    const first = startCli(crawlArgs(dir, server));
    await waitFor(() => server.pageHits().size >= pages * 0.4, 60_000, '40% of the site');
    first.child.kill('SIGINT');
    const paused = await first.done;
    expect(paused.code).toBe(0);
    expect(paused.stderr).toContain('Received SIGINT, shutting down gracefully. Send again to force');
    expect(paused.stderr).toContain('Spider closed (shutdown)');
    expect(paused.stderr).toMatch(/Resume with: /);
    const fetchedInFirst = server.pageHits().size;
    expect(fetchedInFirst).toBeLessThan(pages);

    const second = await runCli(crawlArgs(dir, server));
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/Resuming crawl \(\d+ requests scheduled\)/);
    expect(second.stderr).toContain('Spider closed (finished)');

    const hits = server.pageHits();
    expect(hits.size).toBe(pages);
    expect(extraFetches(server)).toBe(0);
    expectEveryPageOnce(jobItems(dir), pages);

    const state = deserialize(readFileSync(join(dir, 'job', 'spider.state'))) as {pages: number};
    expect(state.pages).toBe(pages);
    const stats = JSON.parse(readFileSync(join(dir, 'job', 'stats.json'), 'utf8')) as {batches: number; cumulative: Record<string, number>};
    expect(stats.batches).toBe(2);
    expect(stats.cumulative.response_received_count).toBe(pages);
    expect(stats.cumulative.item_scraped_count).toBe(pages);
  });

  test('a second Ctrl-C stops at once, and the resumed job still loses nothing', async () => {
    const dir = newWork();
    const pages = 1000;
    site = await startSite({pages, latencyMs: 5});
    const server = site;
    const first = startCli(crawlArgs(dir, server));
    await waitFor(() => server.pageHits().size >= 200, 60_000, '200 pages');
    first.child.kill('SIGINT');
    await waitFor(() => first.output().stderr.includes('shutting down gracefully'), 10_000, 'the graceful message');
    first.child.kill('SIGINT');
    const forced = await first.done;
    expect(forced.stderr).toContain('Received SIGINT twice, forcing unclean shutdown');

    const second = await runCli(crawlArgs(dir, server));
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('Spider closed (finished)');
    expect(server.pageHits().size).toBe(pages);
    expect(extraFetches(server)).toBeLessThanOrEqual(MAX_IN_FLIGHT);
    expectEveryPageOnce(jobItems(dir), pages);
  });
});

describe('Ctrl-C without a JOBDIR', () => {
  test('stops gracefully and says the crawl cannot be resumed without a JOBDIR', async () => {
    site = await startSite({pages: 2000, latencyMs: 20});
    const server = site;
    const run = startCli(['runspider', SPIDER, '-a', `startUrl=${server.url}${START_PATH}`, '-s', 'LOG_LEVEL=INFO']);
    await waitFor(() => server.pageHits().size >= 30, 60_000, '30 pages');
    run.child.kill('SIGINT');
    const result = await run.done;
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Spider closed (shutdown)');
    expect(result.stderr).toContain('cannot be resumed: next time add -s JOBDIR=');
    expect(result.stderr).not.toContain('Resume with');
  });
});

describe('a pause against a slow site', () => {
  test('does not wait for slow requests past the grace period; they are fetched again on resume', async () => {
    const dir = newWork();
    const pages = 300;
    site = await startSite({pages});
    const server = site;
    const first = startCli(crawlArgs(dir, server, ['-s', 'SHUTDOWN_GRACE_PERIOD=1']));
    await waitFor(() => server.pageHits().size >= 20, 60_000, '20 pages');
    // From now on every response takes a minute: whatever is in flight at the pause is stuck.
    server.latencyMs = 60_000;
    await new Promise((resolve) => setTimeout(resolve, 300));
    const pausedAt = Date.now();
    first.child.kill('SIGINT');
    const paused = await first.done;
    // Well under the minute the stuck responses would take: the pause gave up on them.
    expect(Date.now() - pausedAt).toBeLessThan(30_000);
    expect(paused.code).toBe(0);
    expect(paused.stderr).toMatch(/Abandoning [1-9]\d* requests still in flight after 1s \(SHUTDOWN_GRACE_PERIOD\)/);
    expect(paused.stderr).toMatch(/in flight will be fetched again/);

    server.latencyMs = 0;
    const second = await runCli(crawlArgs(dir, server));
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/[1-9]\d* in-flight requests re-queued/);
    expect(second.stderr).toContain('Spider closed (finished)');
    expect(server.pageHits().size).toBe(pages);
    expectEveryPageOnce(jobItems(dir), pages);
  });
});

describe('crash safety', () => {
  test('kill -9 five times at random moments: no page missing, at most the requests in flight refetched per kill, items and spider.state exactly once', async () => {
    const dir = newWork();
    const pages = 2000;
    site = await startSite({pages, latencyMs: 1});
    const server = site;
    let kills = 0;
    for (let round = 0; round < 5; round += 1) {
      const run = startCli(crawlArgs(dir, server));
      let ended = false;
      void run.done.then(() => (ended = true));
      const target = server.pageHits().size + 100 + Math.floor(Math.random() * 200);
      await waitFor(() => ended || server.pageHits().size >= target, 60_000, `round ${round} progress`);
      if (ended) {
        expect((await run.done).stderr).not.toMatch(/JOBDIR_CORRUPT|damaged|locked/i);
        break;
      }
      run.child.kill('SIGKILL');
      const killed = await run.done;
      expect(killed.stderr).not.toMatch(/JOBDIR_CORRUPT|damaged|is locked/i);
      kills += 1;
    }
    const last = await runCli(crawlArgs(dir, server));
    expect(last.stderr).not.toMatch(/damaged|corrupt/i);
    expect(last.code).toBe(0);
    expect(last.stderr).toContain('Spider closed (finished)');
    expect(server.pageHits().size).toBe(pages);
    expect(extraFetches(server)).toBeLessThanOrEqual(kills * MAX_IN_FLIGHT);
    expectEveryPageOnce(jobItems(dir), pages);
    // spider.state counts each page once: it is journaled with each page's commit, so a killed page's increment went with it.
    const state = deserialize(readFileSync(join(dir, 'job', 'spider.state'))) as {pages: number};
    expect(state.pages).toBe(pages);
  });
});

describe('job/batches', () => {
  test('counts a batch killed before it ever saved its stats', async () => {
    site = await startSite({pages: 400, latencyMs: 2});
    const server = site;
    const dir = newWork();
    // No periodic save in the killed batch: only what it wrote when it started can count it.
    const killed = startCli(crawlArgs(dir, server, ['-s', 'JOBDIR_STATE_INTERVAL=3600']));
    await waitFor(() => server.pageHits().size >= 50, 60_000, '50 pages');
    killed.child.kill('SIGKILL');
    await killed.done;
    const resumed = await runCli(crawlArgs(dir, server, ['-s', 'LOG_LEVEL=INFO']));
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain('"job/batches": 2');
    const stats = JSON.parse(readFileSync(join(dir, 'job', 'stats.json'), 'utf8')) as {batches: number; cumulative: {batches: number}};
    expect([stats.batches, stats.cumulative.batches]).toEqual([2, 2]);
  });
});

describe('requests that cannot be stored', () => {
  test('are kept in memory and counted; SCHEDULER_DEBUG logs each one with its reason', async () => {
    site = await startSite({pages: 30});
    const quiet = newWork();
    const plain = await runCli(crawlArgs(quiet, site, ['-a', 'unserializable=1']));
    expect(plain.code).toBe(0);
    const quietStats = JSON.parse(readFileSync(join(quiet, 'job', 'stats.json'), 'utf8')) as {cumulative: Record<string, number>};
    const count = quietStats.cumulative['scheduler/unserializable'];
    expect(count).toBeGreaterThan(1);
    expect(plain.stderr.match(/Unable to serialize request/g)).toHaveLength(1);
    expect(plain.stderr).toContain('SCHEDULER_DEBUG');
    expect(quietStats.cumulative['scheduler/enqueued/memory']).toBe(count);

    await site.close();
    site = await startSite({pages: 30});
    const loud = newWork();
    const debug = await runCli(crawlArgs(loud, site, ['-a', 'unserializable=1', '-s', 'SCHEDULER_DEBUG=true']));
    expect(debug.code).toBe(0);
    const loudStats = JSON.parse(readFileSync(join(loud, 'job', 'stats.json'), 'utf8')) as {cumulative: Record<string, number>};
    const lines = debug.stderr.match(/Unable to serialize request: <GET [^>]+\/tag\/[^>]+> - reason: .*callback/g) ?? [];
    expect(lines.length).toBe(loudStats.cumulative['scheduler/unserializable']);
  });

  test('pausing says how many memory-only requests it dropped', async () => {
    site = await startSite({pages: 30});
    const dir = newWork();
    // The first page closes the crawl, so the memory-only requests its callback made are still pending.
    const result = await runCli(crawlArgs(dir, site, ['-a', 'unserializable=1', '-s', 'CLOSESPIDER_PAGECOUNT=1', '-s', 'CONCURRENT_REQUESTS=1']));
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Spider closed (closespider_pagecount)');
    expect(result.stderr).toMatch(/Pausing dropped [1-9]\d* requests that could only be kept in memory/);
  });
});

describe('a finished job', () => {
  test('run again, it says why it fetches nothing', async () => {
    site = await startSite({pages: 20});
    const dir = newWork();
    const first = await runCli(crawlArgs(dir, site));
    expect(first.code).toBe(0);
    expect(first.stderr).not.toContain('holds a finished job');
    const served = site.served.length;
    const again = await runCli(crawlArgs(dir, site));
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('holds a finished job');
    expect(again.stderr).toContain('Use a new JOBDIR');
    expect(site.served.length).toBe(served);
  });
});

describe('a job directory belongs to one job', () => {
  test('a second crawl on a running job is refused, naming the process that holds it', async () => {
    site = await startSite({pages: 2000, latencyMs: 50});
    const server = site;
    const dir = newWork();
    const first = startCli(crawlArgs(dir, server));
    await waitFor(() => server.pageHits().size >= 5, 30_000, 'the first crawl to start');
    const second = await runCli(crawlArgs(dir, server));
    first.child.kill('SIGINT');
    await first.done;
    expect(second.code).toBe(3);
    expect(second.stderr).toMatch(/locked/i);
    expect(second.stderr).toContain(String(first.child.pid));
    noStackTrace(second);
  });

  test("another spider's job directory is refused and left as it was", async () => {
    site = await startSite({pages: 20});
    const dir = newWork();
    expect((await runCli(crawlArgs(dir, site))).code).toBe(0);
    const other = join(dir, 'other-spider.ts');
    writeFileSync(other, readFileSync(SPIDER, 'utf8').replace("spiderName = 'site'", "spiderName = 'other'"));
    const before = snapshot(join(dir, 'job'));
    const result = await runCli(crawlArgs(dir, site, [], other));
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/site/);
    expect(result.stderr).toMatch(/other/);
    noStackTrace(result);
    expect(snapshot(join(dir, 'job'))).toEqual(before);
  });

  test('a damaged job.json is refused with a clear message and nothing in the directory changes', async () => {
    site = await startSite({pages: 20});
    const dir = newWork();
    expect((await runCli(crawlArgs(dir, site))).code).toBe(0);
    writeFileSync(join(dir, 'job', 'job.json'), '{"format": 1, "spider": ');
    const before = snapshot(join(dir, 'job'));
    const result = await runCli(crawlArgs(dir, site));
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/job\.json/);
    noStackTrace(result);
    expect(snapshot(join(dir, 'job'))).toEqual(before);
  });
});

describe('damage and code changes between batches', () => {
  const damages: Array<[string, (job: string) => void, RegExp]> = [
    ['a byte flipped in the middle of a queue segment', (job) => {
      const segment = largestSegment(job);
      const bytes = readFileSync(segment);
      bytes[Math.floor(bytes.length / 2)] ^= 0xff;
      writeFileSync(segment, bytes);
    }, /\.seg/],
    ['requests.seen cut short', (job) => truncateSync(join(job, 'requests.seen'), 100), /requests\.seen/],
    ['a queue segment deleted', (job) => rmSync(largestSegment(job)), /\.seg/],
  ];
  test.each(damages)('%s: the crawl is refused with JOBDIR_CORRUPT and nothing changes; job repair says what was lost and the crawl then finishes', async (_name, damage, file) => {
    site = await startSite({pages: 300});
    const dir = newWork();
    const job = join(dir, 'job');
    const first = await runCli(crawlArgs(dir, site, ['-s', 'CLOSESPIDER_PAGECOUNT=40']));
    expect(first.code).toBe(0);
    damage(job);
    const before = snapshot(job);

    const refused = await runCli(crawlArgs(dir, site));
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('JOBDIR_CORRUPT');
    expect(refused.stderr).toMatch(file);
    expect(refused.stderr).toContain(`dragline job repair ${job}`);
    noStackTrace(refused);
    expect(snapshot(job)).toEqual(before);

    const status = await runCli(['job', 'status', job]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/DAMAGED +\S+/);
    expect(snapshot(job)).toEqual(before);

    const repaired = await runCli(['job', 'repair', job]);
    expect(repaired.code).toBe(0);
    expect(repaired.stdout).toMatch(/lost +\S+.*(requests|fingerprints)/);

    const resumed = await runCli(crawlArgs(dir, site));
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain('Spider closed (finished)');
    expect(resumed.stderr).not.toMatch(/JOBDIR_CORRUPT|damaged/);
  });

  test('a callback renamed between batches is named in the error, and nothing is lost', async () => {
    site = await startSite({pages: 200});
    const dir = newWork();
    const spider = join(dir, 'spider.ts');
    cpSync(SPIDER, spider);
    const first = await runCli(crawlArgs(dir, site, ['-s', 'CLOSESPIDER_PAGECOUNT=10'], spider));
    expect(first.code).toBe(0);
    const original = readFileSync(spider, 'utf8');
    writeFileSync(spider, original.replaceAll('parsePage', 'parseEntry'));
    const renamed = await runCli(crawlArgs(dir, site, [], spider));
    expect(renamed.code).toBe(1);
    expect(renamed.stderr).toContain('parsePage');
    noStackTrace(renamed);
    writeFileSync(spider, original);
    const fixed = await runCli(crawlArgs(dir, site, [], spider));
    expect(fixed.code).toBe(0);
    expect(site.pageHits().size).toBe(200);
    expectEveryPageOnce(jobItems(dir), 200);
  });
});

/** The queue segment holding the most requests. */
function largestSegment(job: string): string {
  const segments = listFiles(join(job, 'requests.queue')).filter((file) => file.endsWith('.seg'));
  expect(segments.length).toBeGreaterThan(0);
  return segments.sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true, recursive: true})
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

function snapshot(dir: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const file of listFiles(dir)) result[file] = createHash('sha1').update(readFileSync(file)).digest('hex');
  return result;
}

describe('failed requests and looking inside a job', () => {
  test('requests that failed for good are recorded, and --retry-failed fetches them again', async () => {
    site = await startSite({pages: 50, failPages: [7, 9]});
    const server = site;
    const dir = newWork();
    const first = await runCli(crawlArgs(dir, server, ['-s', 'RETRY_TIMES=1']));
    expect(first.code).toBe(0);
    expect(server.pageHits().has(7)).toBe(false);
    const status = await runCli(['job', 'status', join(dir, 'job'), '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({failed: 2});

    server.failPages.clear();
    const plainRerun = await runCli(crawlArgs(dir, server));
    expect(plainRerun.code).toBe(0);
    expect(server.pageHits().has(7)).toBe(false);

    // A retry that cannot start (the failed requests name a callback that was renamed) keeps the records.
    const renamed = join(dir, 'renamed-spider.ts');
    writeFileSync(renamed, readFileSync(SPIDER, 'utf8').replaceAll('parsePage', 'parseEntry'));
    const refused = await runCli(crawlArgs(dir, server, ['--retry-failed'], renamed));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('parsePage');
    const kept = await runCli(['job', 'status', join(dir, 'job'), '--json']);
    expect(JSON.parse(kept.stdout)).toMatchObject({failed: 2});

    const retried = await runCli(crawlArgs(dir, server, ['--retry-failed']));
    expect(retried.code).toBe(0);
    expect(retried.stderr).toContain('Re-queued 2 requests that had failed');
    expect(server.pageHits().get(7)).toBe(1);
    expect(server.pageHits().get(9)).toBe(1);
    expectEveryPageOnce(jobItems(dir), 50);
  });

  test('job status shows pending, seen, state and how the last batch ended, without running the spider', async () => {
    site = await startSite({pages: 500, latencyMs: 5});
    const server = site;
    const dir = newWork();
    const run = startCli(crawlArgs(dir, server));
    await waitFor(() => server.pageHits().size >= 100, 60_000, '100 pages');
    run.child.kill('SIGINT');
    expect((await run.done).code).toBe(0);
    const servedBefore = server.served.length;
    const status = await runCli(['job', 'status', join(dir, 'job'), '--json']);
    expect(status.code).toBe(0);
    const report = JSON.parse(status.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({spider: 'site', failed: 0, state: {keys: ['pages']}, lastRun: {reason: 'shutdown'}});
    expect((report.lock as {alive?: boolean} | undefined)?.alive ?? false).toBe(false);
    expect(Number(report.pending)).toBeGreaterThan(0);
    expect(Number(report.seen)).toBeGreaterThan(Number(report.pending));
    expect(server.served.length).toBe(servedBefore);
  });
});

describe('the job lock', () => {
  test('a crawl stopped with SIGSTOP past the old stale time keeps its job: a second crawl is refused, and after SIGCONT every page and item comes once', async () => {
    const dir = newWork();
    const pages = 1500;
    site = await startSite({pages, latencyMs: 5});
    const server = site;
    // What a time-based lock would call stale: the stop below outlasts it.
    const env = {DRAGLINE_LOCK_STALE_MS: '2000'};
    const first = startCli(crawlArgs(dir, server), {env});
    try {
      await waitFor(() => server.pageHits().size >= pages * 0.3, 60_000, '30% of the site');
      first.child.kill('SIGSTOP');
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const second = await runCli(crawlArgs(dir, server), {env});
      expect(second.code).toBe(3);
      expect(second.stderr).toContain(`is in use by process ${first.child.pid} on `);
      noStackTrace(second);
      const status = await runCli(['job', 'status', join(dir, 'job'), '--json']);
      expect(JSON.parse(status.stdout).lock).toMatchObject({pid: first.child.pid, alive: true});

      first.child.kill('SIGCONT');
      const finished = await first.done;
      expect(finished.code).toBe(0);
      expect(finished.stderr).toContain('Spider closed (finished)');
    } finally {
      first.child.kill('SIGCONT');
      if (first.child.exitCode === null && first.child.signalCode === null) first.child.kill('SIGKILL');
    }
    expect(server.pageHits().size).toBe(pages);
    expect(extraFetches(server)).toBe(0);
    expectEveryPageOnce(jobItems(dir), pages);
    const state = deserialize(readFileSync(join(dir, 'job', 'spider.state'))) as {pages: number};
    expect(state.pages).toBe(pages);
  });

  test('a crawl killed with kill -9 whose parent does not reap it (a zombie) is resumed by a rerun at once', async () => {
    const dir = newWork();
    const pages = 1000;
    site = await startSite({pages, latencyMs: 2});
    const server = site;
    // The shell starts the crawl in the background and becomes `sleep`, which never waits for it.
    const parent = spawn('sh', ['-c', '"$0" "$@" & echo "PID $!"; exec sleep 120', process.execPath, CLI, ...crawlArgs(dir, server)], {
      cwd: REPO_ROOT, env: {...process.env, NODE_OPTIONS: '', FORCE_COLOR: '0'}, stdio: ['ignore', 'pipe', 'ignore'],
    });
    try {
      let out = '';
      parent.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
      await waitFor(() => /PID \d+/.test(out) && server.pageHits().size >= 300, 60_000, '300 pages');
      const pid = Number(/PID (\d+)/.exec(out)![1]);
      process.kill(pid, 'SIGKILL');
      const stateOf = () => readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[0];
      await waitFor(() => stateOf() === 'Z', 10_000, 'the killed crawl to be a zombie');

      const rerun = await runCli(crawlArgs(dir, server));
      expect(rerun.stderr).not.toContain('JOBDIR_LOCKED');
      expect(rerun.code).toBe(0);
      expect(rerun.stderr).toContain('after an unclean stop');
      expect(rerun.stderr).toContain('Spider closed (finished)');
      expect(stateOf()).toBe('Z');
    } finally {
      parent.kill('SIGKILL');
    }
    expect(server.pageHits().size).toBe(pages);
    expectEveryPageOnce(jobItems(dir), pages);
  });
});
