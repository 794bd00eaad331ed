import {describe, expect, test} from '@jest/globals';
import {Scheduler} from '../../src/core/scheduler.js';
import {Request} from '../../src/http/request.js';
import {Logger, type LogSink} from '../../src/core/logger.js';
import {StatsCollector} from '../../src/core/stats.js';
import {MemoryFrontier} from '../../src/persistence/memory/memory-frontier.js';
import {DraglineError} from '../../src/core/errors.js';

function build(options: {frontier?: StoringFrontier; debug?: boolean; dupefilterDebug?: boolean} = {}) {
  const lines: string[] = [];
  const sink: LogSink = {write: (line) => lines.push(line)};
  const stats = new StatsCollector();
  const frontier = options.frontier ?? new MemoryFrontier();
  const scheduler = new Scheduler({
    frontier,
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
  return {scheduler, stats, lines, frontier};
}

/** A durable frontier whose queue lives in memory: enough to see what the scheduler stores and where. */
class StoringFrontier extends MemoryFrontier {
  override readonly durable = true;

  get seenSize(): number {
    return this.seen.size;
  }
}

/** Every request the scheduler hands out, one at a time, until none is left (bounded). */
async function drain(scheduler: Scheduler): Promise<Array<{request: Request; leaseId?: number}>> {
  const out = [];
  for (let i = 0; i < 1000; i += 1) {
    const [next] = await scheduler.next(1);
    if (next === undefined) break;
    out.push(next);
  }
  return out;
}

describe('Scheduler', () => {
  test('filters duplicates by fingerprint: argument order and fragments do not make a new request', async () => {
    const {scheduler, stats, lines} = build();
    expect(await scheduler.enqueue(new Request('http://a.test/p?x=1&y=2'))).toBe(true);
    expect(await scheduler.enqueue(new Request('http://a.test/p?y=2&x=1#top'))).toBe(false);
    expect(await scheduler.enqueue(new Request('http://a.test/p?y=2&x=1'))).toBe(false);
    expect(await scheduler.enqueue(new Request('http://a.test/p?x=1&y=2', {dontFilter: true}))).toBe(true);
    expect(scheduler.size).toBe(2);
    expect(stats.get('dupefilter/filtered')).toBe(2);
    const logged = lines.filter((line) => line.includes('Filtered duplicate request'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('no more duplicates will be shown (see DUPEFILTER_DEBUG to show all duplicates)');
  });

  test('DUPEFILTER_DEBUG logs every duplicate', async () => {
    const {scheduler, lines} = build({dupefilterDebug: true});
    await scheduler.enqueue(new Request('http://a.test/'));
    await scheduler.enqueue(new Request('http://a.test/'));
    await scheduler.enqueue(new Request('http://a.test/'));
    expect(lines.filter((line) => line.includes('Filtered duplicate request'))).toHaveLength(2);
  });

  test('highest priority first', async () => {
    const {scheduler} = build();
    for (const priority of [-2, 1, -1, 0, 2]) await scheduler.enqueue(new Request(`http://a.test/${priority}`, {priority}));
    expect((await drain(scheduler)).map((next) => next.request.priority)).toEqual([2, 1, 0, -1, -2]);
  });

  test('highest priority first from a durable frontier too, which gets the encoded requests', async () => {
    const frontier = new StoringFrontier();
    const {scheduler} = build({frontier});
    for (const priority of [-2, 1, -1, 0, 2]) await scheduler.enqueue(new Request(`http://a.test/${priority}`, {priority}));
    expect(frontier.pending).toBe(5);
    const served = await drain(scheduler);
    expect(served.map((next) => next.request.priority)).toEqual([2, 1, 0, -1, -2]);
    expect(served.every((next) => next.leaseId !== undefined)).toBe(true);
  });

  test('with a job, storable requests go to disk and unstorable ones stay in memory, counted, and are served first', async () => {
    const frontier = new StoringFrontier();
    const {scheduler, stats, lines} = build({frontier});
    await scheduler.enqueue(new Request('http://a.test/disk'));
    await scheduler.enqueue(new Request('http://a.test/memory-1', {meta: {unstorable: true}}));
    await scheduler.enqueue(new Request('http://a.test/memory-2', {meta: {unstorable: true}}));
    expect(frontier.pending).toBe(1);
    expect(scheduler.memoryOnly).toBe(2);
    expect(stats.get('scheduler/unserializable')).toBe(2);
    expect(stats.get('scheduler/enqueued/disk')).toBe(1);
    expect(stats.get('scheduler/enqueued/memory')).toBe(2);
    expect(lines.filter((line) => line.includes('Unable to serialize request'))).toHaveLength(1);
    const [first, , last] = await drain(scheduler);
    expect(first.request.url).toContain('memory');
    expect(first.leaseId).toBeUndefined();
    expect(last.request.url).toBe('http://a.test/disk');
    expect(last.leaseId).toBeDefined();
  });

  test('the fingerprints of memory-only requests are not written to the job, but still filter within the batch', async () => {
    const frontier = new StoringFrontier();
    const {scheduler} = build({frontier});
    await scheduler.enqueue(new Request('http://a.test/m', {meta: {unstorable: true}}));
    expect(frontier.seenSize).toBe(0);
    expect(await scheduler.enqueue(new Request('http://a.test/m', {meta: {unstorable: true}}))).toBe(false);
  });

  test('a request whose priority a middleware made NaN is dropped with an error, not stored', async () => {
    const frontier = new StoringFrontier();
    const {scheduler, stats, lines} = build({frontier});
    const request = new Request('http://a.test/nan');
    request.priority -= 1 * (undefined as unknown as number);
    expect(await scheduler.enqueue(request)).toBe(false);
    expect(await scheduler.enqueue(new Request('http://a.test/fine'))).toBe(true);
    expect(frontier.pending).toBe(1);
    expect(stats.get('scheduler/bad_priority')).toBe(1);
    expect(lines.filter((line) => line.includes('Dropped <GET http://a.test/nan>: its priority is NaN'))).toHaveLength(1);
  });

  test('SCHEDULER_DEBUG logs each unstorable request with its reason', async () => {
    const {scheduler, lines} = build({frontier: new StoringFrontier(), debug: true});
    for (let i = 0; i < 3; i += 1) await scheduler.enqueue(new Request(`http://a.test/${i}`, {meta: {unstorable: true}}));
    const logged = lines.filter((line) => /Unable to serialize request: <GET http:\/\/a\.test\/\d> - reason: callback is not a method/.test(line));
    expect(logged).toHaveLength(3);
  });
});
