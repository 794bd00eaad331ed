import {describe, expect, test} from '@jest/globals';
import {Scheduler} from '../../src/core/scheduler.js';
import {Request} from '../../src/core/http/request.js';
import {Logger, type LogSink} from '../../src/core/logger.js';
import {StatsCollector} from '../../src/core/stats.js';
import {FingerprintSet} from '../../src/persistence/seen-set.js';
import {MemoryPendingQueue} from '../../src/persistence/memory-queue.js';
import {DraglineError} from '../../src/core/errors.js';
import type {Job} from '../../src/persistence/types.js';

function build(options: {job?: Job; debug?: boolean; dupefilterDebug?: boolean} = {}) {
  const lines: string[] = [];
  const sink: LogSink = {write: (line) => lines.push(line)};
  const stats = new StatsCollector();
  const seen = options.job?.seen ?? FingerprintSet.inMemory();
  const scheduler = new Scheduler({
    job: options.job,
    seen,
    stats,
    logger: Logger.create({sink}),
    memoryOrder: 'lifo',
    debug: options.debug ?? false,
    dupefilterDebug: options.dupefilterDebug ?? false,
    encode: (request) => {
      if (request.meta.unstorable) throw new DraglineError('UNSERIALIZABLE_REQUEST', 'callback is not a method of the spider');
      return Buffer.from(JSON.stringify({url: request.url, priority: request.priority}));
    },
    decode: (payload) => {
      const record = JSON.parse(payload.toString()) as {url: string; priority: number};
      return new Request(record.url, {priority: record.priority});
    },
  });
  return {scheduler, stats, lines, seen};
}

/** A job whose queue lives in memory: enough to see what the scheduler stores and where. */
function fakeJob(): Job {
  const queue = new MemoryPendingQueue('lifo');
  return {queue, seen: FingerprintSet.inMemory()} as unknown as Job;
}

describe('Scheduler', () => {
  test('filters duplicates by fingerprint: argument order and fragments do not make a new request', () => {
    const {scheduler, stats, lines} = build();
    expect(scheduler.enqueue(new Request('http://a.test/p?x=1&y=2'))).toBe(true);
    expect(scheduler.enqueue(new Request('http://a.test/p?y=2&x=1#top'))).toBe(false);
    expect(scheduler.enqueue(new Request('http://a.test/p?y=2&x=1'))).toBe(false);
    expect(scheduler.enqueue(new Request('http://a.test/p?x=1&y=2', {dontFilter: true}))).toBe(true);
    expect(scheduler.size).toBe(2);
    expect(stats.get('dupefilter/filtered')).toBe(2);
    const logged = lines.filter((line) => line.includes('Filtered duplicate request'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('no more duplicates will be shown (see DUPEFILTER_DEBUG to show all duplicates)');
  });

  test('DUPEFILTER_DEBUG logs every duplicate', () => {
    const {scheduler, lines} = build({dupefilterDebug: true});
    scheduler.enqueue(new Request('http://a.test/'));
    scheduler.enqueue(new Request('http://a.test/'));
    scheduler.enqueue(new Request('http://a.test/'));
    expect(lines.filter((line) => line.includes('Filtered duplicate request'))).toHaveLength(2);
  });

  test('highest priority first', () => {
    const {scheduler} = build();
    for (const priority of [-2, 1, -1, 0, 2]) scheduler.enqueue(new Request(`http://a.test/${priority}`, {priority}));
    const order: number[] = [];
    for (let next = scheduler.next(); next !== undefined; next = scheduler.next()) order.push(next.request.priority);
    expect(order).toEqual([2, 1, 0, -1, -2]);
  });

  test('with a job, storable requests go to disk and unstorable ones stay in memory, counted, and are served first', () => {
    const job = fakeJob();
    const {scheduler, stats, lines} = build({job});
    scheduler.enqueue(new Request('http://a.test/disk'));
    scheduler.enqueue(new Request('http://a.test/memory-1', {meta: {unstorable: true}}));
    scheduler.enqueue(new Request('http://a.test/memory-2', {meta: {unstorable: true}}));
    expect(job.queue.size).toBe(1);
    expect(scheduler.memoryOnly).toBe(2);
    expect(stats.get('scheduler/unserializable')).toBe(2);
    expect(stats.get('scheduler/enqueued/disk')).toBe(1);
    expect(stats.get('scheduler/enqueued/memory')).toBe(2);
    expect(lines.filter((line) => line.includes('Unable to serialize request'))).toHaveLength(1);
    const first = scheduler.next()!;
    expect(first.request.url).toContain('memory');
    expect(first.leaseId).toBeUndefined();
    scheduler.next();
    const last = scheduler.next()!;
    expect(last.request.url).toBe('http://a.test/disk');
    expect(last.leaseId).toBeDefined();
  });

  test('the fingerprints of memory-only requests are not written to the job, but still filter within the batch', () => {
    const job = fakeJob();
    const {scheduler} = build({job});
    scheduler.enqueue(new Request('http://a.test/m', {meta: {unstorable: true}}));
    expect(job.seen.size).toBe(0);
    expect(scheduler.enqueue(new Request('http://a.test/m', {meta: {unstorable: true}}))).toBe(false);
  });

  test('SCHEDULER_DEBUG logs each unstorable request with its reason', () => {
    const {scheduler, lines} = build({job: fakeJob(), debug: true});
    for (let i = 0; i < 3; i += 1) scheduler.enqueue(new Request(`http://a.test/${i}`, {meta: {unstorable: true}}));
    const logged = lines.filter((line) => /Unable to serialize request: <GET http:\/\/a\.test\/\d> - reason: callback is not a method/.test(line));
    expect(logged).toHaveLength(3);
  });
});
