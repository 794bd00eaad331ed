import {describe, expect, test} from '@jest/globals';
import {serialize} from 'node:v8';
import {ErrorReply} from '@redis/client';
import {parseRedisAddress} from '../../../src/persistence/redis/redis-address.js';
import {RedisConnection} from '../../../src/persistence/redis/redis-connection.js';
import {batch, child, fp, sleep, stall, useRedis} from './helpers.js';

const redis = useRedis();

function itemsIn(jobKey: string, worker: string): number {
  return Number(redis.server().cli('LLEN', `dragline:{${jobKey}}:items:${worker}`));
}

describe('the Redis frontier', () => {
  test('a commit enqueues only unseen children, and leases hand them out best first', async () => {
    const frontier = redis.frontier('basic');
    const report = await frontier.open();
    expect(report.fresh).toBe(true);
    const reply = await frontier.commit(batch({requests: [child('a'), child('a'), child('b', {fingerprint: undefined}), child('c', {priority: 5})]}));
    expect(reply.added).toEqual([true, false, true, true]);
    expect(frontier.knownSeen(fp('a'))).toBe(true);
    const status = await frontier.status();
    expect(status).toEqual({pending: 3, leased: 0, seen: 2, sizes: {0: 2, 5: 1}});
    const leases = await frontier.next(3);
    expect(leases.map((lease) => lease.payload.toString())).toEqual(['c', 'b', 'a']);
    expect(leases.map((lease) => lease.priority)).toEqual([5, 0, 0]);
    expect((await frontier.status()).leased).toBe(3);
    await frontier.commit(batch({leases: leases.map((lease) => lease.id)}));
    expect(await frontier.status()).toEqual({pending: 0, leased: 0, seen: 2, sizes: {}});
  });

  test('a second worker shares the seen set and refuses a job of another spider or fingerprinter', async () => {
    const a = redis.frontier('shared');
    await a.open();
    await a.commit(batch({requests: [child('x')]}));
    const b = redis.frontier('shared');
    const report = await b.open();
    expect(report.fresh).toBe(false);
    expect((await b.commit(batch({requests: [child('x'), child('y')]}))).added).toEqual([false, true]);
    await expect(redis.frontier('shared', {spiderName: 'books'}).open()).rejects.toMatchObject({code: 'JOBDIR_FOREIGN'});
    await expect(redis.frontier('shared', {fingerprinter: 'mine'}).open()).rejects.toMatchObject({code: 'JOBDIR_FOREIGN'});
  });

  test('an expired lease goes to another worker, and the stalled worker\'s late commit is refused and writes nothing', async () => {
    const a = redis.frontier('takeover', {leaseMs: 300});
    const b = redis.frontier('takeover', {leaseMs: 300});
    await a.open();
    await b.open();
    await a.commit(batch({requests: [child('page')]}));
    const [leaseA] = await a.next(1);
    stall(a);
    expect(await b.next(1)).toEqual([]);
    await sleep(450);
    const [leaseB] = await b.next(1);
    expect(leaseB.payload.toString()).toBe('page');
    const wrote: string[] = [];
    const late = await a.commit(batch({leases: [leaseA.id], requests: [child('child-of-a')], items: [{by: 'a'}], local: [{offsets: () => ({}), apply: () => wrote.push('a')}]}));
    expect(late.refused).toBe(true);
    expect(wrote).toEqual([]);
    expect(itemsIn('takeover', 'w1')).toBe(0);
    const onTime = await b.commit(batch({leases: [leaseB.id], requests: [child('child-of-b')], items: [{by: 'b'}], local: [{offsets: () => ({}), apply: () => wrote.push('b')}]}));
    expect(onTime.refused).toBeUndefined();
    expect(wrote).toEqual(['b']);
    expect(itemsIn('takeover', 'w2')).toBe(1);
    const status = await b.status();
    expect(status.pending).toBe(1);
    expect(status.leased).toBe(0);
    expect(redis.server().cli('HGET', 'dragline:{takeover}:counters', 'refused')).toBe('1');
  });

  test('a heartbeat keeps a slow worker\'s leases', async () => {
    const a = redis.frontier('beat', {leaseMs: 300});
    const b = redis.frontier('beat', {leaseMs: 300});
    await a.open();
    await b.open();
    await a.commit(batch({requests: [child('slow')]}));
    const [lease] = await a.next(1);
    await sleep(700);
    expect(await b.next(1)).toEqual([]);
    expect((await a.commit(batch({leases: [lease.id]}))).refused).toBeUndefined();
  });

  test('a commit retried after a lost reply is recognised and not applied twice', async () => {
    const a = redis.frontier('retry');
    await a.open();
    await a.commit(batch({requests: [child('p')]}));
    const [lease] = await a.next(1);
    const commitOf = () => batch({leases: [lease.id], requests: [child('q')], items: [{n: 1}]});
    expect((await a.commit(commitOf())).added).toEqual([true]);
    // The same commit again, as a retry after a lost reply sends it: same sequence number.
    const internals = a as unknown as {seq: number; held: Map<number, string>};
    internals.seq -= 1;
    internals.held.set(lease.id, '1');
    const again = await a.commit(commitOf());
    expect(again.refused).toBeUndefined();
    expect(itemsIn('retry', 'w1')).toBe(1);
    expect(redis.server().cli('HGET', 'dragline:{retry}:counters', 'items')).toBe('1');
    expect((await a.status()).pending).toBe(1);
  });

  test('a retried commit answers again for the children kept in the worker\'s memory, so none is dropped', async () => {
    const a = redis.frontier('retry-memory');
    await a.open();
    const children = () => [
      child('memory-only', {payload: undefined, record: false}),
      child('stored'),
      child('forced', {fingerprint: undefined, filter: false, record: false}),
    ];
    expect((await a.commit(batch({requests: children()}))).added).toEqual([true, true, true]);
    (a as unknown as {seq: number}).seq -= 1; // the same commit again, as a retry after a lost reply
    // The memory-only request and the one without fingerprint are new again; whether 'stored' was new is not known.
    expect((await a.commit(batch({requests: children()}))).added).toEqual([true, false, true]);
    expect((await a.status()).pending).toBe(2);
  });

  test('the job is finished only when nothing is pending, nothing leased and no worker still reads start()', async () => {
    const a = redis.frontier('finish');
    const b = redis.frontier('finish');
    await a.open();
    await b.open();
    await a.commit(batch({requests: [child('only')]}));
    const [lease] = await a.next(1);
    expect(await b.isFinished()).toBe(false); // leased by a
    await a.commit(batch({leases: [lease.id]}));
    expect(await b.isFinished()).toBe(false); // a has not said its start() is done
    expect(await a.isFinished()).toBe(true);
    expect(await b.isFinished()).toBe(true);
    expect(redis.server().cli('HGET', 'dragline:{finish}:meta', 'state')).toBe('finished');
  });

  test('a worker that died while reading start() does not keep the job open past its lease', async () => {
    const a = redis.frontier('dead-starter', {leaseMs: 200});
    const b = redis.frontier('dead-starter', {leaseMs: 200});
    await a.open();
    await b.open();
    stall(a);
    expect(await b.isFinished()).toBe(false);
    await sleep(300);
    expect(await b.isFinished()).toBe(true);
  });

  test('keep-alive: that worker never finishes, and while it lives the job stays running; a worker that fed it start URLs stops', async () => {
    const a = redis.frontier('keep', {keepAlive: true, leaseMs: 300});
    await a.open();
    expect(await a.isFinished()).toBe(false);
    const feeder = redis.frontier('keep', {leaseMs: 300});
    await feeder.open();
    await feeder.commit(batch({requests: [child('pushed')]}));
    expect(await feeder.isFinished()).toBe(false); // pending
    const [lease] = await a.next(1);
    expect(lease.payload.toString()).toBe('pushed');
    await a.commit(batch({leases: [lease.id]}));
    expect(await feeder.isFinished()).toBe(true);
    expect(redis.server().cli('HGET', 'dragline:{keep}:meta', 'state')).toBe('running');
    expect(await a.isFinished()).toBe(false);
    // Once the keep-alive worker is dead (no heartbeat for its lease time), the job can finish.
    stall(a);
    await sleep(450);
    const last = redis.frontier('keep', {leaseMs: 300});
    await last.open();
    expect(await last.isFinished()).toBe(true);
    expect(redis.server().cli('HGET', 'dragline:{keep}:meta', 'state')).toBe('finished');
    // It was only stalled: back, it does not stop with the others, and the job waits for it again.
    expect(await a.isFinished()).toBe(false);
    expect(redis.server().cli('HGET', 'dragline:{keep}:meta', 'state')).toBe('running');
  });

  test('release gives leases back at once, in their place', async () => {
    const a = redis.frontier('release');
    const b = redis.frontier('release');
    await a.open();
    await b.open();
    await a.commit(batch({requests: [child('1'), child('2')]}));
    const leases = await a.next(2);
    await a.release(leases.map((lease) => lease.id));
    expect((await b.next(2)).map((lease) => lease.payload.toString())).toEqual(['2', '1']);
  });

  test('a lease given back while its commit is queued is left to that commit (no refusal, no stalled warning)', async () => {
    const a = redis.frontier('release-queued');
    await a.open();
    await a.commit(batch({requests: [child('p'), child('q')]}));
    const [first, second] = await a.next(2);
    redis.messages.length = 0;
    const onTheWire = a.commit(batch({leases: [first.id], items: [{n: 1}]}));
    const queued = a.commit(batch({leases: [second.id], items: [{n: 2}]})); // waits for the first call's reply
    await a.release([second.id]);
    expect((await onTheWire).refused).toBeUndefined();
    expect((await queued).refused).toBeUndefined();
    expect(redis.messages.filter((message) => message.includes('refused'))).toEqual([]);
    expect(itemsIn('release-queued', 'w1')).toBe(2);
    expect((await a.status()).pending).toBe(0);
  });

  test('a worker named after its pid leaves no sequence mark or spider.state behind, only its items', async () => {
    const cli = (...args: string[]) => redis.server().cli(...args);
    const kept = redis.frontier('ephemeral', {workerName: 'stable'});
    const gone = redis.frontier('ephemeral', {workerName: 'host-4242', ephemeralName: true});
    for (const frontier of [kept, gone]) {
      await frontier.open();
      await frontier.commit(batch({items: [{n: 1}], state: {bytes: serialize({count: 1})}}));
      await frontier.close('finished', {stateComplete: true, finalState: serialize({count: 2})});
    }
    expect(cli('HKEYS', 'dragline:{ephemeral}:applied')).toBe('stable');
    expect(cli('HKEYS', 'dragline:{ephemeral}:state')).toBe('stable');
    expect(itemsIn('ephemeral', 'host-4242')).toBe(1);
  });

  test('prefetched leases wait in the worker and are given back when it closes', async () => {
    const a = redis.frontier('prefetch', {prefetch: 3});
    await a.open();
    await a.commit(batch({requests: ['1', '2', '3', '4', '5'].map((name) => child(name))}));
    expect(await a.next(1)).toHaveLength(1);
    const status = await a.status();
    expect(status.leased).toBe(4);
    expect(a.pending).toBe(4); // 1 remote, 3 buffered
    await a.close('shutdown');
    const b = redis.frontier('prefetch');
    await b.open();
    expect((await b.status()).pending).toBe(5);
  });

  test('a paused job hands out nothing and asks the worker to stop', async () => {
    const stops: string[] = [];
    const a = redis.frontier('pause', {onStop: (reason) => stops.push(reason)});
    await a.open();
    await a.commit(batch({requests: [child('p')]}));
    redis.server().cli('HSET', 'dragline:{pause}:meta', 'state', 'paused');
    expect(await a.next(1)).toEqual([]);
    expect(stops).toEqual(['shutdown']);
    await a.close('shutdown');
    const again = redis.frontier('pause', {workerName: 'w9'});
    await again.open();
    expect(redis.server().cli('HGET', 'dragline:{pause}:meta', 'state')).toBe('running');
    expect(await again.next(1)).toHaveLength(1);
  });

  test('failed requests and spider.state are kept in the job', async () => {
    const a = redis.frontier('failed-state', {workerName: 'same'});
    await a.open();
    await a.commit(batch({failed: [{payload: Buffer.from('bad'), reason: 'HTTP 500'}], state: {bytes: serialize({count: 3})}}));
    expect((await a.readFailed()).map(String)).toEqual(['bad']);
    await a.commit(batch({clearFailed: true}));
    expect(await a.readFailed()).toEqual([]);
    await a.close('shutdown');
    const again = redis.frontier('failed-state', {workerName: 'same'});
    await again.open();
    expect(again.jobDir?.loadState()).toEqual({count: 3});
  });

  test('items committed but not yet in the feeds are written again when the worker restarts', async () => {
    const {mkdtempSync} = await import('node:fs');
    const {tmpdir} = await import('node:os');
    const {join} = await import('node:path');
    const workerDir = mkdtempSync(join(tmpdir(), 'dragline-worker-'));
    const feed: unknown[] = [];
    const local = (items: unknown[]) => ({offsets: () => ({feed: feed.length}), apply: () => feed.push(...items)});
    const a = redis.frontier('replay', {workerName: 'stable', workerDir});
    await a.open();
    await a.commit(batch({items: [{n: 1}], local: [local([{n: 1}])]}));
    await a.commit(batch({items: [{n: 2}], local: [local([{n: 2}])]}));
    // kill -9: no close, so the watermark still says "before the first commit".
    stall(a);
    await (a as unknown as {connection: {close(): Promise<void>}}).connection.close();
    await (a as unknown as {worker: {close(): Promise<void>}}).worker.close();
    const again = redis.frontier('replay', {workerName: 'stable', workerDir});
    await again.open();
    expect(again.jobDir?.report.rolledBack).toBe(true);
    expect(again.jobDir?.report.feedOffsets).toEqual({feed: 0});
    expect(again.takeReplayedItems()).toEqual([[{n: 1}], [{n: 2}]]);
  });

  test('Redis out of memory: the commit waits with a clear message and lands once memory is back', async () => {
    const a = redis.frontier('oom');
    await a.open();
    redis.messages.length = 0;
    redis.server().cli('CONFIG', 'SET', 'maxmemory', '1');
    try {
      const landing = a.commit(batch({requests: [child('after-oom')]}));
      await sleep(400);
      expect(redis.messages.join('\n')).toContain('out of memory (maxmemory reached)');
      redis.server().cli('CONFIG', 'SET', 'maxmemory', '0');
      expect((await landing).added).toEqual([true]);
    } finally {
      redis.server().cli('CONFIG', 'SET', 'maxmemory', '0');
    }
    expect((await a.status()).pending).toBe(1);
  });

  test('job status sees the workers, their leases and their age, without joining the job', async () => {
    const {redisJobStatus} = await import('../../../src/persistence/redis/redis-job.js');
    const a = redis.frontier('status', {leaseMs: 5000});
    await a.open();
    await a.commit(batch({requests: [child('1'), child('2', {priority: 3}), child('3')], items: [{x: 1}]}));
    await a.next(2);
    await sleep(150);
    const status = await redisJobStatus(`${redis.server().base}#status`);
    expect(status).toMatchObject({spider: 'quotes', state: 'running', pending: 1, pendingByPriority: {0: 1}, leased: 2, expiredLeases: 0, seen: 3, items: 1});
    expect(status.workers).toHaveLength(1);
    expect(status.workers[0]).toMatchObject({alive: true, leases: 2, pid: process.pid});
    expect(status.workers[0].oldestLeaseSeconds).toBeGreaterThanOrEqual(0.1);
    expect(status.warnings.join(' ')).toContain('AOF');
  });

  test('a job gone from Redis (restarted without persistence) stops the worker with a clear error instead of finishing', async () => {
    const a = redis.frontier('gone');
    await a.open();
    await a.commit(batch({requests: [child('1')]}));
    const [lease] = await a.next(1);
    redis.server().cli('EVAL', "for _, k in ipairs(redis.call('KEYS', 'dragline:{gone}:*')) do redis.call('DEL', k) end", '0');
    await expect(a.commit(batch({leases: [lease.id], items: [{x: 1}]}))).rejects.toMatchObject({code: 'JOB_LOST', message: expect.stringContaining('is gone from Redis')});
    await expect(a.next(1)).rejects.toMatchObject({code: 'JOB_LOST'});
  });

  test('job delete is refused while a worker lives, then removes every key of the job and only those', async () => {
    const {deleteRedisJob} = await import('../../../src/persistence/redis/redis-job.js');
    const a = redis.frontier('del*ete');
    await a.open();
    await a.commit(batch({requests: [child('1'), child('2')], items: [{x: 1}]}));
    const other = redis.frontier('other');
    await other.open();
    const address = `${redis.server().base}#del*ete`;
    await expect(deleteRedisJob(address, false)).rejects.toMatchObject({code: 'BAD_ARGUMENT', message: expect.stringContaining('still run')});
    await a.close('shutdown');
    expect(await deleteRedisJob(address, false)).toBeGreaterThan(5);
    expect(redis.server().cli('KEYS', 'dragline:{del*ete}:*')).toBe('');
    expect(redis.server().cli('EXISTS', 'dragline:{other}:meta')).toBe('1');
  });
});

describe('a Redis Cluster node that does not own the job\'s slot', () => {
  test('a MOVED redirection stops the call with a one-line BAD_SETTING naming the node that holds the keys', async () => {
    const connection = new RedisConnection(parseRedisAddress(`${redis.server().base}#cluster-job`));
    await connection.open();
    try {
      // What a cluster node answers for a key of a slot another node serves (dragline's client does not follow it).
      (connection as unknown as {client: {sendCommand(): Promise<never>}}).client.sendCommand = async () => {
        throw new ErrorReply('MOVED 4031 10.0.0.7:6380');
      };
      await expect(connection.command(['HGET', 'dragline:{cluster-job}:meta', 'spider'])).rejects.toMatchObject({
        code: 'BAD_SETTING',
        message: expect.stringContaining('(they are on 10.0.0.7:6380): point the address at that node'),
      });
    } finally {
      await connection.close();
    }
  });
});
