import {describe, expect, test} from '@jest/globals';
import {createHash} from 'node:crypto';
import type {ChildRequest, CommitBatch, CommitReply, Frontier} from '../../src/persistence/frontier.js';
import {MemoryFrontier} from '../../src/persistence/memory/memory-frontier.js';
import {JobDirFrontier} from '../../src/persistence/jobdir/jobdir-frontier.js';
import {Committer, emptyOutputs, type CommitParticipant} from '../../src/core/commit.js';
import {jobOptions, useTempDirs} from './helpers.js';

const dirs = useTempDirs();

function fp(name: string): Buffer {
  return createHash('sha1').update(name).digest();
}

function child(name: string, options: Partial<ChildRequest> = {}): ChildRequest {
  return {payload: Buffer.from(name), priority: 0, fingerprint: fp(name), filter: true, record: true, ...options};
}

function batch(parts: Partial<CommitBatch> = {}): CommitBatch {
  return {leases: [], requests: [], failed: [], local: [], ...parts};
}

/** A memory frontier that stores payloads (as a durable one would). */
class StoringMemoryFrontier extends MemoryFrontier {
  override readonly durable = true;
}

const backends: Array<[string, () => Promise<Frontier>]> = [
  ['memory', async () => new StoringMemoryFrontier()],
  ['jobdir', async () => new JobDirFrontier(dirs.newDir(), jobOptions())],
];

describe.each(backends)('the %s frontier', (_name, make) => {
  test('a commit enqueues only unseen children, in order, and its reply says which were new', async () => {
    const frontier = await make();
    await frontier.open();
    const reply = await frontier.commit(batch({requests: [
      child('a'),
      child('a'), // a copy within the same commit
      child('b', {fingerprint: undefined}), // dont_filter
      child('b', {fingerprint: undefined}),
      child('c', {payload: undefined, record: false}), // kept by the process, only asked about
      child('c'),
      child('d', {filter: false}),
    ]}));
    expect(reply.added).toEqual([true, false, true, true, true, true, true]);
    expect((await frontier.status()).pending).toBe(5);
    expect((await frontier.commit(batch({requests: [child('a'), child('c'), child('d'), child('d', {filter: false})]}))).added).toEqual([false, false, false, true]);
    await frontier.close('finished');
  });

  test('leases hold a request until the commit that completes them; only then is the frontier finished', async () => {
    const frontier = await make();
    await frontier.open();
    await frontier.commit(batch({requests: [child('x'), child('y')]}));
    const leases = await frontier.next(5);
    expect(leases.map((lease) => lease.payload.toString()).sort()).toEqual(['x', 'y']);
    expect(await frontier.next(5)).toEqual([]);
    expect(await frontier.isFinished()).toBe(false);
    await frontier.commit(batch({leases: [leases[0].id]}));
    expect(await frontier.isFinished()).toBe(false);
    await frontier.commit(batch({leases: [leases[1].id], requests: [child('x')]}));
    expect(await frontier.isFinished()).toBe(true);
    await frontier.close('finished');
  });

  test('local writes run inside the commit, after their offsets are taken; failed requests are kept until cleared', async () => {
    const frontier = await make();
    await frontier.open();
    const steps: string[] = [];
    await frontier.commit(batch({
      failed: [{payload: Buffer.from('lost'), reason: 'TIMEOUT: slow'}],
      local: [{offsets: () => (steps.push('offsets'), {feed: 0}), apply: () => void steps.push('apply')}],
    }));
    expect(steps.filter((step) => step === 'apply')).toHaveLength(1);
    if (steps.includes('offsets')) expect(steps.indexOf('offsets')).toBeLessThan(steps.indexOf('apply'));
    expect((await frontier.readFailed()).map(String)).toEqual(['lost']);
    await frontier.commit(batch({clearFailed: true}));
    expect(await frontier.readFailed()).toEqual([]);
    await frontier.close('finished');
  });
});

test('the jobdir frontier keeps its queue and seen set across a close and a reopen', async () => {
  const dir = dirs.newDir();
  const first = new JobDirFrontier(dir, jobOptions());
  expect((await first.open()).fresh).toBe(true);
  await first.commit(batch({requests: [child('p'), child('q')]}));
  const [leased] = await first.next(1);
  await first.close('shutdown');
  const second = new JobDirFrontier(dir, jobOptions());
  const report = await second.open();
  // pending counts the recovered lease too (it waits to be served again).
  expect(report).toMatchObject({fresh: false, pending: 2, requeued: 1, seen: 2});
  // The lease never committed is served again, first.
  expect((await second.next(1))[0].payload.equals(leased.payload)).toBe(true);
  expect((await second.commit(batch({requests: [child('p')]}))).added).toEqual([false]);
  await second.close('finished');
});

describe('Committer', () => {
  test('commits one at a time in the order asked, each batch built only when the previous commit landed', async () => {
    const events: string[] = [];
    let release: (() => void) | undefined;
    const frontier = new (class extends StoringMemoryFrontier {
      override async commit(b: CommitBatch): Promise<CommitReply> {
        events.push(`commit ${b.leases[0]}`);
        // The first commit takes a while: the second must not start meanwhile.
        if (b.leases[0] === 1) await new Promise<void>((resolve) => (release = resolve));
        events.push(`done ${b.leases[0]}`);
        return super.commit(b);
      }
    })();
    const participant: CommitParticipant = {
      prepare: (_outputs, b) => void events.push(`prepare ${b.leases[0]}`),
      committed: (b) => void events.push(`committed ${b.leases[0]}`),
    };
    const committer = new Committer(frontier, [participant]);
    const first = committer.commit([1], emptyOutputs());
    const second = committer.commit([2], emptyOutputs());
    for (let i = 0; i < 20 && release === undefined; i += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(['prepare 1', 'commit 1']);
    release!();
    await Promise.all([first, second]);
    expect(events).toEqual(['prepare 1', 'commit 1', 'done 1', 'committed 1', 'prepare 2', 'commit 2', 'done 2', 'committed 2']);
  });

  test('a failed commit rejects its caller and the next commit still runs; after stop() nothing is committed', async () => {
    let calls = 0;
    const frontier = new (class extends StoringMemoryFrontier {
      override async commit(b: CommitBatch): Promise<CommitReply> {
        calls += 1;
        if (calls === 1) throw new Error('disk full');
        return super.commit(b);
      }
    })();
    const committer = new Committer(frontier, []);
    await expect(committer.commit([], emptyOutputs())).rejects.toThrow('disk full');
    await committer.commit([], emptyOutputs());
    expect(calls).toBe(2);
    committer.stop();
    await committer.commit([], emptyOutputs());
    expect(calls).toBe(2);
  });
});
