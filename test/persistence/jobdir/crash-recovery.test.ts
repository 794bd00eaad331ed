import {describe, expect, test} from '@jest/globals';
import {createHash} from 'node:crypto';
import {readFileSync, statSync} from 'node:fs';
import {hostname} from 'node:os';
import {join} from 'node:path';
import type {ChildProcess} from 'node:child_process';
import {drain, killHard, open, runChild, useTempDirs} from '../helpers.js';

const {newDir, later} = useTempDirs();
function track(child: ChildProcess): ChildProcess {
  later(() => killHard(child));
  return child;
}
const fp = (text: string) => createHash('sha1').update(text).digest();

describe('after kill -9', () => {
  test.each(['lifo', 'fifo'] as const)('%s: leases never acked come back first, the dead lock is taken over', async (order) => {
    const dir = newDir();
    const {child, result} = await runChild({dir, name: 'inflight', order});
    track(child);
    await killHard(child);

    const job = await open(dir, {queueOrder: order});
    expect(job.report.fresh).toBe(false);
    expect(job.report.rolledBack).toBe(false);
    expect(job.report.requeued).toBe(2);
    expect(job.report.pending).toBe(10 - 3 + 1 + 2);
    expect(job.report.lastRun).toMatchObject({pid: result.pid, host: hostname(), unclean: true});
    expect(job.report.lastRun?.endedAt).toBeUndefined();
    expect(job.report.seen).toBe(11);
    const leased = result.leased as string[];
    const first = [job.queue.pop()!, job.queue.pop()!];
    expect(first.map((lease) => lease.payload.toString())).toEqual(leased.slice(1));
    const rest = drain(job);
    // The committed child, then the seven never popped; nothing twice, nothing lost.
    expect(rest[0]).toBe('child');
    expect([...first.map((lease) => lease.payload.toString()), ...rest].sort()).toEqual(
      ['child', ...Array.from({length: 10}, (_, i) => `r${i}`).filter((name) => name !== leased[0])].sort(),
    );
    await job.close('finished');
    const jobFile = JSON.parse(readFileSync(join(dir, 'job.json'), 'utf8'));
    expect(jobFile.lastRun).toMatchObject({reason: 'finished', pid: process.pid});
  });

  test.each(['lifo', 'fifo'] as const)('%s: a torn commit is rolled back (queue, seen, failed, feed offsets)', async (order) => {
    const dir = newDir();
    const {child, result} = await runChild({dir, name: 'torn', order});
    track(child);
    const seenBefore = statSync(join(dir, 'requests.seen')).size;
    expect(seenBefore).toBe(7 * 20);
    await killHard(child);

    const job = await open(dir, {queueOrder: order});
    expect(job.report.rolledBack).toBe(true);
    expect(job.report.feedOffsets).toEqual({items: 123, other: 7});
    expect(job.report.seen).toBe(5);
    expect(job.seen.has(fp('child-a'))).toBe(false);
    expect(job.seen.has(fp('r0'))).toBe(true);
    expect(job.report.requeued).toBe(1);
    expect(job.report.pending).toBe(5);
    expect(job.readFailed()).toEqual([]);
    // A run that stops before its feeds were cut back must leave the rollback for the next one.
    await job.close('error');
    const again = await open(dir, {queueOrder: order});
    expect(again.report.rolledBack).toBe(true);
    expect(again.report.feedOffsets).toEqual({items: 123, other: 7});
    again.feedsRestored();
    const all = drain(again);
    expect(all[0]).toBe(result.leased);
    expect(all.sort()).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    await again.close('finished');
    const settled = await open(dir, {queueOrder: order});
    expect(settled.report.rolledBack).toBe(false);
    expect(settled.report.feedOffsets).toEqual({});
    await settled.close('finished');
  });

  test('spider.state is what the acked commits left, not what a torn commit or the state file said', async () => {
    const dir = newDir();
    const {child} = await runChild({dir, name: 'state'});
    track(child);
    await killHard(child);

    const job = await open(dir);
    expect(job.report.rolledBack).toBe(true);
    expect(job.loadState()).toEqual({pages: 3, seen: ['r3', 'r2', 'r1']});
    // The state survives the compaction at open and a clean close.
    await job.close('shutdown');
    const again = await open(dir);
    expect(again.loadState()).toEqual({pages: 3, seen: ['r3', 'r2', 'r1']});
    await again.close('shutdown');
  });

  test('what closed() changes is kept by a clean close, not by one that abandoned pages', async () => {
    for (const complete of [true, false]) {
      const dir = newDir();
      const job = await open(dir);
      const state: Record<string, unknown> = {pages: 0};
      job.trackState(() => state, () => undefined);
      job.begin([], {});
      state.pages = 1;
      job.ack([]);
      state.closedRuns = 1;
      await job.close('finished', {stateComplete: complete});
      const reopened = await open(dir);
      expect(reopened.loadState()).toEqual(complete ? {pages: 1, closedRuns: 1} : {pages: 1});
      await reopened.close('finished');
    }
  });

  test('a state too large to journal with each page falls back to the state file, and the journal forgets its older one', async () => {
    const dir = newDir();
    const job = await open(dir);
    const state: Record<string, unknown> = {pages: 0};
    const reasons: string[] = [];
    job.trackState(() => state, (reason) => reasons.push(reason), 200);
    job.begin([], {});
    job.queue.push(Buffer.from('r0'), 0);
    state.pages = 1;
    job.ack([]);
    state.blob = 'x'.repeat(500);
    job.begin([], {});
    job.ack([]);
    expect(reasons).toEqual([expect.stringMatching(/^it is \d+ bytes, more than the 200 journaled with each page$/)]);
    // Giving up writes the last acked state to the file: a crash now (no periodic save yet) keeps it.
    const crashedView = await import('node:v8').then(({deserialize}) => deserialize(readFileSync(join(dir, 'spider.state'))));
    expect(crashedView).toEqual({pages: 1});
    job.saveState(state);
    await job.close('shutdown');
    const reopened = await open(dir);
    expect(reopened.loadState()).toEqual(state);
    await reopened.close('shutdown');
  });

  test('a request popped but killed before its lease was written is served again, once', async () => {
    const dir = newDir();
    const {child, result} = await runChild({dir, name: 'pop-unjournaled'});
    track(child);
    expect(result.leased).toBe('r3,r2');
    await killHard(child);
    const job = await open(dir);
    expect(job.report.pending).toBe(4);
    expect(job.report.requeued).toBe(0);
    expect(drain(job)).toEqual(['r3', 'r2', 'r1', 'r0']);
    await job.close('finished');
  });

  test('a journaled lease whose record is still in its segment does not serve the request twice', async () => {
    const dir = newDir();
    const {child, result} = await runChild({dir, name: 'pop-before-truncate'});
    track(child);
    await killHard(child);
    const job = await open(dir);
    expect(job.report.pending).toBe(4);
    expect(job.report.requeued).toBe(1);
    const all = drain(job);
    expect(all[0]).toBe(result.leased);
    expect(all.sort()).toEqual(['r0', 'r1', 'r2', 'r3']);
    await job.close('finished');
  });

  test('LIFO pops followed by shorter pushes never resurrect a popped request', async () => {
    const dir = newDir();
    const {child} = await runChild({dir, name: 'pops-then-pushes'});
    track(child);
    await killHard(child);
    const job = await open(dir);
    expect(job.report.requeued).toBe(0);
    expect(job.report.pending).toBe(2);
    expect(drain(job)).toEqual([`record-1-${'x'.repeat(10)}`, 'record-0-']);
    await job.close('finished');
  });
});

describe('the lock', () => {
  test('a live process holding the job is refused with its pid and host', async () => {
    const dir = newDir();
    const {child, result} = await runChild({dir, name: 'hold'});
    track(child);
    const before = readFileSync(join(dir, 'owner.json'), 'utf8');
    const error = await open(dir).then(() => undefined, (caught: unknown) => caught as {code: string; message: string});
    expect(error?.code).toBe('JOBDIR_LOCKED');
    expect(error?.message).toContain(String(result.pid));
    expect(error?.message).toContain(hostname());
    expect(readFileSync(join(dir, 'owner.json'), 'utf8')).toBe(before);
    await killHard(child);
    const job = await open(dir);
    expect(job.report.lastRun?.unclean).toBe(true);
    await job.close('finished');
  });

  test('a second open in the same process is refused until the first closes', async () => {
    const dir = newDir();
    const job = await open(dir);
    await expect(open(dir)).rejects.toMatchObject({code: 'JOBDIR_LOCKED'});
    await job.close('shutdown');
    const again = await open(dir);
    expect(again.report.lastRun).toMatchObject({reason: 'shutdown'});
    expect(again.report.lastRun?.unclean).toBeUndefined();
    await again.close('finished');
  });
});
