import {describe, expect, test} from '@jest/globals';
import {mkdirSync, readFileSync, readdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {jobStatus} from '../../../src/persistence/jobdir/job-status.js';
import {open, useTempDirs} from '../helpers.js';

const {newDir} = useTempDirs();
async function codeOf(promise: Promise<unknown>): Promise<{code?: string; message?: string} | undefined> {
  return promise.then(() => undefined, (error: unknown) => error as {code?: string; message?: string});
}
function snapshot(dir: string, out: Record<string, string> = {}, prefix = ''): Record<string, string> {
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    if (entry.isDirectory()) snapshot(join(dir, entry.name), out, `${prefix}${entry.name}/`);
    else out[prefix + entry.name] = readFileSync(join(dir, entry.name)).toString('base64');
  }
  return out;
}

describe('job.json', () => {
  test('a new job writes job.json; reopening by the same spider works', async () => {
    const dir = newDir();
    const job = await open(dir);
    expect(job.report.fresh).toBe(true);
    expect(job.report.lastRun).toBeUndefined();
    const written = JSON.parse(readFileSync(join(dir, 'job.json'), 'utf8'));
    expect(written).toMatchObject({format: 1, spider: 'quotes', draglineVersion: '0.1.0-test', lastRun: {reason: 'running', pid: process.pid}});
    await job.close('finished');
    const again = await open(dir);
    expect(again.report.fresh).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, 'job.json'), 'utf8')).createdAt).toBe(written.createdAt);
    await again.close('finished');
  });

  test('another spider is refused, naming both, and nothing changes', async () => {
    const dir = newDir();
    const job = await open(dir);
    await job.close('shutdown');
    const before = snapshot(dir);
    const error = await codeOf(open(dir, {spiderName: 'books'}));
    expect(error?.code).toBe('JOBDIR_FOREIGN');
    expect(error?.message).toContain("'quotes'");
    expect(error?.message).toContain("'books'");
    expect(snapshot(dir)).toEqual(before);
  });

  test('an unknown format is JOBDIR_VERSION; unparseable job.json is JOBDIR_CORRUPT', async () => {
    const dir = newDir();
    mkdirSync(dir, {recursive: true});
    writeFileSync(join(dir, 'job.json'), JSON.stringify({format: 2, spider: 'quotes', draglineVersion: '9.0.0'}));
    expect((await codeOf(open(dir)))?.code).toBe('JOBDIR_VERSION');
    writeFileSync(join(dir, 'job.json'), '{"format": 1, "spi');
    const before = snapshot(dir);
    expect((await codeOf(open(dir)))?.code).toBe('JOBDIR_CORRUPT');
    expect(snapshot(dir)).toEqual(before);
  });

  test('a directory with files but no job.json is not adopted', async () => {
    const dir = newDir();
    mkdirSync(dir, {recursive: true});
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const error = await codeOf(open(dir));
    expect(error?.code).toBe('JOBDIR_FOREIGN');
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });
});

describe('job documents', () => {
  test('spider.state, JSON documents and failed requests survive a reopen', async () => {
    const dir = newDir();
    let job = await open(dir);
    expect(job.loadState()).toBeUndefined();
    job.saveState({itemsCount: 3, when: new Date(5), tags: new Set(['a'])});
    job.saveJson('stats', {'item_scraped_count': 3});
    job.saveJson('cookies.json', [{key: 'a'}]);
    job.recordFailed(Buffer.from('req-1'), 'HTTP 500');
    job.recordFailed(Buffer.from('req-2'), 'timeout');
    expect(() => job.saveState({fn: () => 1})).toThrow(/spider.state cannot be saved/);
    expect(() => job.saveJson('../escape', 1)).toThrow();
    await job.close('shutdown');

    job = await open(dir);
    expect(job.loadState()).toEqual({itemsCount: 3, when: new Date(5), tags: new Set(['a'])});
    expect(job.loadJson('stats.json')).toEqual({'item_scraped_count': 3});
    expect(job.loadJson('cookies')).toEqual([{key: 'a'}]);
    expect(job.loadJson('missing')).toBeUndefined();
    expect(job.readFailed().map((payload) => payload.toString())).toEqual(['req-1', 'req-2']);
    expect(job.readFailed()).toHaveLength(2);
    job.clearFailed();
    expect(job.readFailed()).toEqual([]);
    await job.close('finished');
  });
});

describe('job status', () => {
  test('shows pending by priority, in-flight, seen, state keys, stats and the lock holder without locking', async () => {
    const dir = newDir();
    const job = await open(dir);
    job.begin([], {});
    for (let i = 0; i < 5; i++) job.queue.push(Buffer.from(`r${i}`), i === 0 ? 1 : 0);
    job.seen.add(Buffer.alloc(20, 1));
    job.seen.add(Buffer.alloc(20, 2));
    job.ack([]);
    job.queue.pop();
    job.saveState({count: 1, last: 'x'});
    job.saveJson('stats', {'item_scraped_count': 7});
    job.recordFailed(Buffer.from('bad'), 'HTTP 404');

    const status = await jobStatus(dir);
    expect(status).toMatchObject({
      spider: 'quotes', format: 1, pending: 5, pendingByPriority: {0: 4, 1: 1}, inFlight: 1, seen: 2, failed: 1,
      state: {keys: ['count', 'last']}, stats: {'item_scraped_count': 7}, tornCommit: false,
      lock: {pid: process.pid, alive: true},
    });
    // Reading status takes no lock: the job is still usable and closes normally.
    job.queue.push(Buffer.from('later'), 0);
    await job.close('shutdown');
    const after = await jobStatus(dir);
    expect(after.lock).toBeUndefined();
    expect(after.pending).toBe(6);
    expect(after.lastRun).toMatchObject({reason: 'shutdown'});
    expect(after.fingerprinter).toBe('default');
  });

  test('state keys come from the state journaled with the last acked page when there is one, not the older file', async () => {
    const dir = newDir();
    const job = await open(dir, {fingerprinter: 'IgnoreSessionId'});
    const state: Record<string, unknown> = {count: 1};
    job.trackState(() => state, () => undefined);
    job.saveState(state);
    job.begin([], {});
    state.lastPage = '/p/2';
    job.ack([]);
    job.saveJson('feeds', {'out/%(time)s.jsonl': 'out/2026-11-24T08-00-00+00-00.jsonl'});
    const status = await jobStatus(dir);
    expect(status.state).toEqual({keys: ['count', 'lastPage']});
    expect(status.fingerprinter).toBe('IgnoreSessionId');
    expect(status.feeds).toEqual({'out/%(time)s.jsonl': 'out/2026-11-24T08-00-00+00-00.jsonl'});
    await job.close('shutdown');
  });

  test('a directory that is not a job is JOBDIR_NOT_FOUND', async () => {
    const dir = newDir();
    expect((await codeOf(jobStatus(dir)))?.code).toBe('JOBDIR_NOT_FOUND');
    mkdirSync(dir, {recursive: true});
    expect((await codeOf(jobStatus(dir)))?.code).toBe('JOBDIR_NOT_FOUND');
    writeFileSync(join(dir, 'job.json'), 'nope');
    expect((await codeOf(jobStatus(dir)))?.code).toBe('JOBDIR_CORRUPT');
  });
});
