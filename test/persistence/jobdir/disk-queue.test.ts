import {describe, expect, test} from '@jest/globals';
import {appendFileSync, existsSync, readFileSync, readdirSync, statSync} from 'node:fs';
import {join} from 'node:path';
import type {DiskQueue} from '../../../src/persistence/jobdir/disk-queue.js';
import {drain, open, payload, useTempDirs} from '../helpers.js';

const {newDir} = useTempDirs();

const small = {segmentLimits: {maxRecords: 4, maxBytes: 1 << 20}};

function segmentsOf(dir: string, priority: number): string[] {
  const lane = join(dir, 'requests.queue', `p${priority}`);
  return existsSync(lane) ? readdirSync(lane).filter((name) => name.endsWith('.seg')) : [];
}

describe('disk queue order', () => {
  test('highest priority first, LIFO within a priority (Scrapy order)', async () => {
    const dir = newDir();
    const job = await open(dir);
    for (const priority of [-2, 1, -1, 0, 2]) job.queue.push(payload(`p${priority}`), priority);
    job.queue.push(payload('p0-second'), 0);
    expect(job.queue.size).toBe(6);
    expect(job.queue.sizes()).toEqual({'-2': 1, '-1': 1, 0: 2, 1: 1, 2: 1});
    expect(drain(job)).toEqual(['p2', 'p1', 'p0-second', 'p0', 'p-1', 'p-2']);
    expect(job.queue.size).toBe(0);
    await job.close('finished');
  });

  test('FIFO within a priority', async () => {
    const dir = newDir();
    const job = await open(dir, {queueOrder: 'fifo'});
    for (const priority of [-2, 1, -1, 0, 2]) job.queue.push(payload(`p${priority}`), priority);
    job.queue.push(payload('p0-second'), 0);
    expect(drain(job)).toEqual(['p2', 'p1', 'p0', 'p0-second', 'p-1', 'p-2']);
    await job.close('finished');
  });

  test.each(['lifo', 'fifo'] as const)('%s: close and reopen in between keeps order and counts', async (queueOrder) => {
    const dir = newDir();
    let job = await open(dir, {queueOrder}, small);
    for (let i = 0; i < 11; i++) job.queue.push(payload(`a${i}`), i % 2);
    const first = [job.queue.pop()!, job.queue.pop()!];
    job.ack(first.map((lease) => lease.id));
    await job.close('shutdown');

    job = await open(dir, {queueOrder}, small);
    expect(job.report.fresh).toBe(false);
    expect(job.report.pending).toBe(9);
    expect(job.report.requeued).toBe(0);
    expect(job.queue.sizes()).toEqual({0: 6, 1: 3});
    const rest = drain(job);
    await job.close('finished');

    const ones = [1, 3, 5, 7, 9].map((i) => `a${i}`);
    const zeros = [0, 2, 4, 6, 8, 10].map((i) => `a${i}`);
    const expected = queueOrder === 'lifo'
      ? [...ones.reverse(), ...zeros.reverse()]
      : [...ones, ...zeros];
    expect([...first.map((lease) => lease.payload.toString()), ...rest]).toEqual(expected);
  });
});

describe('disk queue segments', () => {
  test.each(['lifo', 'fifo'] as const)('%s: segments are created when full and deleted when consumed', async (queueOrder) => {
    const dir = newDir();
    const job = await open(dir, {queueOrder}, small);
    for (let i = 0; i < 10; i++) job.queue.push(payload(`r${i}`), 0);
    expect(segmentsOf(dir, 0)).toHaveLength(3);
    for (let i = 0; i < 5; i++) job.queue.pop();
    expect(segmentsOf(dir, 0)).toHaveLength(queueOrder === 'lifo' ? 2 : 2);
    drain(job);
    expect(existsSync(join(dir, 'requests.queue', 'p0'))).toBe(false);
    await job.close('finished');
  });

  test.each(['lifo', 'fifo'] as const)('%s: a torn last record is dropped at reopen, the rest is read', async (queueOrder) => {
    const dir = newDir();
    let job = await open(dir, {queueOrder}, small);
    for (let i = 0; i < 6; i++) job.queue.push(payload(`record-${i}`), 0);
    await job.close('shutdown');
    const segments = segmentsOf(dir, 0).sort();
    const last = join(dir, 'requests.queue', 'p0', segments[segments.length - 1]);
    // A push torn by a crash: all but the last 3 bytes of a record, after the end the journal knows.
    const torn = readFileSync(last).subarray(0, statSync(last).size / 2 - 3);
    appendFileSync(last, torn);

    job = await open(dir, {queueOrder}, small);
    expect(job.report.pending).toBe(6);
    const got = drain(job);
    expect(got.sort()).toEqual(['record-0', 'record-1', 'record-2', 'record-3', 'record-4', 'record-5']);
    await job.close('finished');
  });

  test('garbage appended after the last record is ignored', async () => {
    const dir = newDir();
    let job = await open(dir);
    job.queue.push(payload('one'), 0);
    job.queue.push(payload('two'), 0);
    await job.close('shutdown');
    const segment = join(dir, 'requests.queue', 'p0', segmentsOf(dir, 0)[0]);
    appendFileSync(segment, Buffer.from([5, 0, 0, 0, 1, 2, 3, 4, 9, 9, 9, 9, 9]));
    job = await open(dir);
    expect(drain(job)).toEqual(['two', 'one']);
    await job.close('finished');
  });
});

describe('disk queue reads', () => {
  test('lifo: pops interleaved with pushes return each record once, past what is kept in memory and across segments', async () => {
    const dir = newDir();
    const job = await open(dir, {}, {segmentLimits: {maxRecords: 1_000, maxBytes: 1 << 20}});
    const model: string[] = [];
    const popped: string[] = [];
    const popOne = () => {
      const lease = job.queue.pop();
      if (lease === undefined) throw new Error('the queue ran dry before the model did');
      popped.push(lease.payload.toString());
      expect(lease.payload.toString()).toBe(model.pop());
      job.begin([lease.id], {});
      job.ack([lease.id]);
    };
    // 12,000 records of ~300 bytes: more than the recent records a lane keeps in memory, over 12+ segments.
    for (let i = 0; i < 12_000; i++) {
      const value = `${i}:${'x'.repeat(290)}`;
      job.begin([], {});
      job.queue.push(Buffer.from(value), 0);
      job.ack([]);
      model.push(value);
      if (i % 3 === 2) popOne();
    }
    while (model.length > 0) popOne();
    expect(job.queue.pop()).toBeUndefined();
    expect(new Set(popped).size).toBe(popped.length);
    expect(popped.length).toBe(12_000);
    await job.close('finished');
  });
});

describe('disk queue scale', () => {
  test('memory stays flat while 200k records are pushed and reopening does not read them all', async () => {
    const dir = newDir();
    let job = await open(dir);
    const record = Buffer.alloc(100, 0x61);
    for (let i = 0; i < 5_000; i++) job.queue.push(record, i % 3);
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 200_000; i++) job.queue.push(record, i % 3);
    global.gc?.();
    const growth = process.memoryUsage().heapUsed - before;
    // 200k records are ~22 MB on disk; a queue in memory would grow by at least that much.
    expect(growth).toBeLessThan(12 * 1024 * 1024);
    expect(job.queue.size).toBe(205_000);
    await job.close('shutdown');

    job = await open(dir);
    expect(job.report.pending).toBe(205_000);
    const queue = job.queue as DiskQueue;
    const onDisk = readdirSync(join(dir, 'requests.queue'))
      .filter((name) => name.startsWith('p'))
      .flatMap((lane) => readdirSync(join(dir, 'requests.queue', lane)).map((file) => statSync(join(dir, 'requests.queue', lane, file)).size))
      .reduce((sum, size) => sum + size, 0);
    // One tail segment per priority at most (3 × 10k records), not the 22 MB of the queue.
    expect(queue.openBytesRead).toBeLessThan(onDisk / 4);
    expect(queue.openBytesRead).toBeGreaterThan(0);
    expect(job.queue.pop()?.payload.equals(record)).toBe(true);
    await job.close('shutdown');
  });
});

describe('file descriptors', () => {
  test('closing a LIFO queue whose tail was sealed closes only its own files', async () => {
    const dir = newDir();
    const {openSync, closeSync, fstatSync, mkdtempSync} = await import('node:fs');
    const {tmpdir} = await import('node:os');
    const canaries = mkdtempSync(join(tmpdir(), 'dragline-canary-'));
    const low = openSync(join(canaries, 'low'), 'w');
    const job = await open(dir, {}, small);
    for (let i = 0; i < 4; i++) job.queue.push(payload(`a${i}`), 0);
    // Free a lower descriptor so the next tail gets a different number than the first one had.
    closeSync(low);
    job.queue.push(payload('a4'), 0);
    const canary = openSync(join(canaries, 'canary'), 'w');
    await job.close('shutdown');
    expect(() => fstatSync(canary)).not.toThrow();
    closeSync(canary);
    const again = await open(dir, {}, small);
    expect(again.report.pending).toBe(5);
    await again.close('finished');
  });
});
