/**
 * Review of the Redis frontier (issue 13): each test here showed a way the contract broke (the
 * comment above it says how); all are fixed, and the tests keep them fixed.
 */
import {describe, expect, test} from '@jest/globals';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {batch, child, sleep, stall, useRedis} from './helpers.js';

const redis = useRedis();

function cli(...args: string[]): string {
  return redis.server().cli(...args);
}

/** Sends the commit that was just sent again, as RedisConnection does after a lost reply (same sequence number). */
function resendNextCommitWithSameSeq(frontier: unknown): void {
  (frontier as {seq: number}).seq -= 1;
}

describe('review: the Redis frontier', () => {
  // Bug: the failed list stores "reason\npayload" and readFailed() cuts at the FIRST newline. A
  // reason is `${code}: ${error.message}`, and messages can span lines (Playwright's "Call log:",
  // AggregateError, a user's exception): the payload read back then starts with the rest of the
  // message, decodeRequest throws, and `crawl --retry-failed` fails for the whole job.
  test('a failed request whose reason spans lines is read back intact', async () => {
    const a = redis.frontier('failed-multiline');
    await a.open();
    const payload = Buffer.from([0x00, 0x01, 0x02, 0x0a, 0xff]);
    await a.commit(batch({failed: [{payload, reason: 'Error: page.goto: net::ERR_NAME_NOT_RESOLVED\nCall log:\n  - navigating to "https://x/"'}]}));
    expect(await a.readFailed()).toEqual([payload]);
    // A record of the earlier format ("reason\npayload") still reads.
    cli('RPUSH', 'dragline:{failed-multiline}:failed', 'TIMEOUT: took too long\npayload-2');
    expect((await a.readFailed()).map(String)).toEqual([payload.toString(), 'payload-2']);
  });

  // Bug: the idempotency record (APPLIED) is per worker NAME, and OPEN assumes a name has one live
  // process. Two live processes with one name (REDIS_WORKER_NAME in a shared settings file, or the
  // default name on two containers with the same hostname, folder and -o path: their worker dirs
  // are on different disks, so the lock does not see it) share the sequence counter. The second
  // OPEN takes the first one's leases back, then the first one's next commit reuses a sequence
  // number already applied and is answered 'already': nothing of it is written to Redis (its child
  // requests are lost for good), yet the worker writes its feed lines as if it had landed.
  test('a second live process with the same worker name cannot make the first one\'s commit vanish', async () => {
    const a = redis.frontier('dup-name', {workerName: 'same'});
    await a.open();
    await a.commit(batch({requests: [child('page')]}));
    const [lease] = await a.next(1);
    const b = redis.frontier('dup-name', {workerName: 'same'});
    try {
      await b.open();
    } catch {
      return; // Refusing a name that is still alive is a fix too.
    }
    await b.commit(batch({requests: [child('start-of-b')]}));
    const wrote: string[] = [];
    const reply = await a.commit(batch({leases: [lease.id], requests: [child('child-of-page')], items: [{by: 'a'}], local: [{offsets: () => ({}), apply: () => wrote.push('a')}]}));
    const queued = cli('HVALS', 'dragline:{dup-name}:req').split('\n');
    const outcome = {refused: reply.refused === true, wrote, childQueued: queued.includes('child-of-page')};
    // Either refused and nothing written, or applied: its child is queued and its line written.
    expect([{refused: true, wrote: [], childQueued: false}, {refused: false, wrote: ['a'], childQueued: true}]).toContainEqual(outcome);
  });

  test('a second process with a live worker\'s name, from another folder, is refused with WORKER_NAME_TAKEN', async () => {
    const a = redis.frontier('dup-name-refused', {workerName: 'same'});
    await a.open();
    const b = redis.frontier('dup-name-refused', {workerName: 'same'});
    await expect(b.open()).rejects.toMatchObject({code: 'WORKER_NAME_TAKEN', message: expect.stringContaining(`process ${process.pid} on`)});
    expect(cli('HLEN', 'dragline:{dup-name-refused}:workers')).toBe('1');
    expect((await a.commit(batch({requests: [child('still-a')]}))).added).toEqual([true]);
  });

  test('a worker that stalled past its lease and was restarted elsewhere under its name stops and writes nothing more', async () => {
    const compromised: Error[] = [];
    const a = redis.frontier('renamed', {workerName: 'same', leaseMs: 200, onLockCompromised: (error) => compromised.push(error)});
    await a.open();
    await a.commit(batch({requests: [child('page')]}));
    const [lease] = await a.next(1);
    stall(a);
    await sleep(350);
    const b = redis.frontier('renamed', {workerName: 'same'});
    await b.open(); // the earlier run's heartbeat is older than its lease: it counts as dead
    const wrote: string[] = [];
    const reply = await a.commit(batch({leases: [lease.id], items: [{late: 1}], local: [{offsets: () => ({}), apply: () => wrote.push('a')}]}));
    expect(reply.refused).toBe(true);
    expect(await a.commit(batch({requests: [child('start-of-a')]}))).toMatchObject({refused: true});
    expect(wrote).toEqual([]);
    expect(compromised.map((error) => (error as Error & {code?: string}).code)).toEqual(['JOBDIR_TAKEN_OVER']);
    expect(await a.next(1)).toEqual([]);
    expect(cli('HVALS', 'dragline:{renamed}:req').split('\n')).not.toContain('start-of-a');
    // The page went back to the queue when b opened, and b's numbers follow a's.
    const [again] = await b.next(1);
    expect(again.payload.toString()).toBe('page');
    expect((await b.commit(batch({leases: [again.id], items: [{n: 1}]}))).refused).toBeUndefined();
    expect(cli('LLEN', 'dragline:{renamed}:items:same')).toBe('1');
  });

  // Bug: a refused commit does not move the name's APPLIED mark, so the next incarnation of the
  // same name (a restart after the job was paused or the worker was stopped) reuses the refused
  // sequence numbers. Its commit with such a number is applied, but a retry of it after a lost
  // reply finds the id in REFUSED, skips the 'already' answer, and (with no lease to check, as for
  // start() output) applies it a second time: items and counters twice.
  test('a retried commit is not applied twice when its sequence number was refused in an earlier run of the worker', async () => {
    const workerDir = mkdtempSync(join(tmpdir(), 'dragline-worker-'));
    const a = redis.frontier('reuse-seq', {workerName: 'same', workerDir, leaseMs: 300});
    const b = redis.frontier('reuse-seq', {workerName: 'other', leaseMs: 300});
    await a.open();
    await b.open();
    await a.commit(batch({requests: [child('page')]}));
    const [leaseA] = await a.next(1);
    stall(a);
    await sleep(450);
    expect(await b.next(1)).toHaveLength(1);
    expect((await a.commit(batch({leases: [leaseA.id]}))).refused).toBe(true);
    await a.close('shutdown');

    expect(cli('SCARD', 'dragline:{reuse-seq}:refused')).toBe('1');
    const again = redis.frontier('reuse-seq', {workerName: 'same', workerDir});
    await again.open();
    expect(cli('SCARD', 'dragline:{reuse-seq}:refused')).toBe('0'); // no retry of the earlier run's can come now
    const startOutput = () => batch({items: [{start: 1}]});
    await again.commit(startOutput());
    resendNextCommitWithSameSeq(again);
    await again.commit(startOutput());
    expect(cli('LLEN', 'dragline:{reuse-seq}:items:same')).toBe('1');
    expect(cli('HGET', 'dragline:{reuse-seq}:counters', 'items')).toBe('1');
  });

  // The same reuse, for a commit that completes a lease: its retry is answered 'refused' although
  // the first send was applied, so the worker writes no feed line for items Redis holds.
  test('a retried commit of a lease is answered as applied when its sequence number was refused in an earlier run', async () => {
    const workerDir = mkdtempSync(join(tmpdir(), 'dragline-worker-'));
    const a = redis.frontier('reuse-seq-lease', {workerName: 'same', workerDir, leaseMs: 300});
    const b = redis.frontier('reuse-seq-lease', {workerName: 'other', leaseMs: 300});
    await a.open();
    await b.open();
    await a.commit(batch({requests: [child('page'), child('second')]}));
    const [leaseA] = await a.next(1);
    stall(a);
    await sleep(450);
    expect(await b.next(1)).toHaveLength(1);
    expect((await a.commit(batch({leases: [leaseA.id]}))).refused).toBe(true);
    await a.close('shutdown');

    const again = redis.frontier('reuse-seq-lease', {workerName: 'same', workerDir});
    await again.open();
    const [lease] = await again.next(1);
    const held = (again as unknown as {held: Map<number, string>}).held;
    const id = held.get(lease.id)!;
    expect((await again.commit(batch({leases: [lease.id], items: [{n: 1}]}))).refused).toBeUndefined();
    resendNextCommitWithSameSeq(again);
    held.set(lease.id, id);
    const retried = await again.commit(batch({leases: [lease.id], items: [{n: 1}]}));
    expect(retried.refused).toBeUndefined();
  });

  // Bug: a Lua script that errors after its first write keeps the writes (Redis does not roll
  // back). COMMIT acks the lease (HDEL) and enqueues children one by one; a child whose priority
  // is NaN (Request takes any number: `depth * undefined` gives NaN) makes ZADD fail mid-script.
  // The lease is acked, the earlier children and the bad one's fingerprint are written, the items
  // and the applied mark are not: the page is never fetched again, its items are lost, and the
  // crawl stops on the error. Every argument should be checked before the first write (or the
  // priority validated in the scheduler).
  test('a commit that fails in the middle of its script writes nothing', async () => {
    const a = redis.frontier('partial');
    await a.open();
    await a.commit(batch({requests: [child('page')]}));
    const [lease] = await a.next(1);
    let failed = false;
    try {
      await a.commit(batch({leases: [lease.id], requests: [child('first'), child('bad', {priority: Number.NaN})], items: [{n: 1}]}));
    } catch (error) {
      failed = true;
      expect((error as Error).message).toContain('child request 2 has priority NaN');
    }
    const after = {
      failed,
      leased: Number(cli('ZCARD', 'dragline:{partial}:leases')),
      pending: Number(cli('ZCARD', 'dragline:{partial}:pending')),
      items: Number(cli('LLEN', 'dragline:{partial}:items:w1')),
    };
    // All or nothing: refused with the lease still held and nothing queued, or applied whole.
    expect([{failed: true, leased: 1, pending: 0, items: 0}, {failed: false, leased: 0, pending: 2, items: 1}]).toContainEqual(after);
    // The lease is still this worker's: the page's good commit lands whole.
    expect((await a.commit(batch({leases: [lease.id], requests: [child('first')], items: [{n: 1}]}))).refused).toBeUndefined();
    expect(cli('ZCARD', 'dragline:{partial}:pending')).toBe('1');
    expect(cli('LLEN', 'dragline:{partial}:items:w1')).toBe('1');
  });

  // Bug: the scripts never check that the job still exists. Redis restarted without persistence
  // (Debian's default config has AOF off), a FLUSHDB, or an eviction under another
  // maxmemory-policy leaves the workers running against empty keys: their leases are gone, the
  // next FINISH sees nothing pending, nothing leased, nobody starting, writes state=finished into a
  // meta hash without a spider, and every worker stops with reason 'finished' on a crawl that did
  // not happen. The job vanishing should stop the worker with an error (JOB_LOST), never 'finished'.
  test('a job that vanished from Redis is not reported finished', async () => {
    const a = redis.frontier('vanished');
    await a.open();
    await a.commit(batch({requests: [child('1'), child('2'), child('3')]}));
    const [lease] = await a.next(1);
    cli('FLUSHDB'); // what a restart of a redis-server without AOF leaves
    await expect(a.commit(batch({leases: [lease.id], requests: [child('4')]}))).rejects.toMatchObject({code: 'JOB_LOST'});
    let finished: boolean | 'error';
    try {
      finished = await a.isFinished();
    } catch (error) {
      finished = 'error';
      expect(error).toMatchObject({code: 'JOB_LOST', message: expect.stringContaining('is gone from Redis')});
    }
    expect(finished).not.toBe(true);
    expect(cli('HGET', 'dragline:{vanished}:meta', 'state')).not.toBe('finished');
    // Nothing was written into the empty job by the commit or the finish check.
    expect(cli('KEYS', 'dragline:{vanished}:*')).toBe('');
  });

  test('a worker whose job vanished fails its next lease with JOB_LOST', async () => {
    const a = redis.frontier('vanished-lease');
    await a.open();
    cli('FLUSHDB');
    await expect(a.next(1)).rejects.toMatchObject({code: 'JOB_LOST'});
    expect(cli('KEYS', 'dragline:{vanished-lease}:*')).toBe('');
  });

  test('a worker that Redis hands a lease number it already holds (acknowledged writes lost) stops with JOB_LOST', async () => {
    const a = redis.frontier('rollback');
    await a.open();
    await a.commit(batch({requests: [child('p1'), child('p2')]}));
    const pattern = 'dragline:{rollback}:*';
    // The last second before a power loss (appendfsync everysec): a snapshot now, then everything after it lost.
    cli('EVAL', "for _, k in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('COPY', k, 'snap:' .. k, 'REPLACE') end", '0', pattern);
    const [first] = await a.next(1);
    cli('EVAL', "for _, k in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', k) end for _, k in ipairs(redis.call('KEYS', 'snap:' .. ARGV[1])) do redis.call('COPY', k, string.sub(k, 6), 'REPLACE') end", '0', pattern);
    await expect(a.next(1)).rejects.toMatchObject({code: 'JOB_LOST', message: expect.stringContaining('lost writes it had acknowledged')});
    // Nothing is committed under that number any more: it could ack the other page.
    expect(first.payload.toString()).toBe('p2');
    await expect(a.commit(batch({leases: [first.id]}))).rejects.toMatchObject({code: 'JOB_LOST'});
    expect(cli('HLEN', 'dragline:{rollback}:req')).toBe('2');
  });

  // Bug: LEASE is not safe to run again, yet RedisConnection retries every script after a lost
  // reply (a connection cut after the server ran it). The first run's leases belong to this owner
  // with tokens the worker never learned: not handed out, not renewed, not released at close. They
  // come back only when they expire (SCHEDULER_LEASE_SECONDS, 60 s by default), and until then no
  // worker can finish the job.
  test('a lease call retried after a lost reply does not hide requests until their lease expires', async () => {
    const a = redis.frontier('lease-retry');
    await a.open();
    await a.commit(batch({requests: [child('only')]}));
    const client = (a as unknown as {connection: {client: {sendCommand(args: unknown[]): Promise<unknown>}}}).connection.client;
    const send = client.sendCommand.bind(client);
    let cut = false;
    client.sendCommand = async (args: unknown[]) => {
      const reply = await send(args);
      if (!cut && String(args[0]) === 'EVALSHA' && (reply as unknown[])?.length > 2) {
        cut = true;
        throw new Error('Socket closed unexpectedly'); // the server ran it; the reply is lost
      }
      return reply;
    };
    const leases = await a.next(1);
    expect(cut).toBe(true);
    expect(leases.map((lease) => lease.payload.toString())).toEqual(['only']);
    expect(cli('ZCARD', 'dragline:{lease-retry}:leases')).toBe('1'); // the first run's lease went back, only the retry's is held
    expect((await a.commit(batch({leases: [leases[0].id]}))).refused).toBeUndefined();
    expect(await a.isFinished()).toBe(true);
  });

  // Bug (memory, low): OPEN takes back the leases of the name's earlier incarnations but leaves
  // their records in `workers` and `alive` for good: every crash and restart of a worker adds one
  // "dead worker" to the job (and to `job status`) forever.
  test('restarting a crashed worker does not leave its earlier incarnation behind', async () => {
    const workerDir = mkdtempSync(join(tmpdir(), 'dragline-worker-'));
    for (let run = 0; run < 3; run += 1) {
      const a = redis.frontier('incarnations', {workerName: 'same', workerDir});
      await a.open();
      // kill -9: no close
      stall(a);
      await (a as unknown as {connection: {close(): Promise<void>}}).connection.close();
      await (a as unknown as {worker: {close(): Promise<void>}}).worker.close();
    }
    const last = redis.frontier('incarnations', {workerName: 'same', workerDir});
    await last.open();
    expect(cli('HLEN', 'dragline:{incarnations}:workers')).toBe('1');
    expect(cli('ZCARD', 'dragline:{incarnations}:alive')).toBe('1');
  });

  // Bug: when a commit's feed write fails after Redis applied it (a full disk: WRITE_FAILED; or the
  // feeds already closed because a pause abandoned in-flight requests while their commits were on
  // the wire: engine.run() returns with those commits pending and closeComponents closes the feeds
  // before frontier.close() waits for them), a later commit of the same queue with no item lines
  // still moves appliedSeq past it, and close() saves that as the feeds' watermark. The next start
  // replays only after it: the failed commit's items are in Redis but in no feed, for good.
  test('a commit whose feed write failed is written again when the worker restarts', async () => {
    const workerDir = mkdtempSync(join(tmpdir(), 'dragline-worker-'));
    const feed: unknown[] = [];
    const a = redis.frontier('feed-failed', {workerName: 'stable', workerDir});
    await a.open();
    await a.commit(batch({items: [{n: 1}], local: [{offsets: () => ({feed: feed.length}), apply: () => feed.push({n: 1})}]}));
    const full = a.commit(batch({items: [{n: 2}], local: [{offsets: () => ({feed: feed.length}), apply: () => {
      throw new Error('Cannot write the feed: no space left on device');
    }}]}));
    const linksOnly = a.commit(batch({requests: [child('next')], local: [{offsets: () => ({feed: feed.length}), apply: () => undefined}]}));
    await expect(full).rejects.toThrow('no space left');
    await linksOnly;
    await a.close('shutdown');
    const again = redis.frontier('feed-failed', {workerName: 'stable', workerDir});
    await again.open();
    expect(again.takeReplayedItems().flat()).toContainEqual({n: 2});
  });

  // Bug (wasted work, no loss): under OOM, Redis refuses a script whose first write is a
  // "deny-oom" command; BEAT starts with ZADD alive, so no heartbeat lands while Redis is full.
  // An OOM longer than the lease expires every worker's leases at once; when memory is back the
  // first LEASE of any worker takes them over and every page in flight is refused and fetched
  // again. BEAT (and RELEASE) grow nothing: `#!lua flags=allow-oom` would keep them running.
  test('a worker keeps its leases through a Redis out-of-memory spell longer than the lease', async () => {
    const a = redis.frontier('oom-beat', {leaseMs: 300});
    const b = redis.frontier('oom-beat', {leaseMs: 300});
    await a.open();
    await b.open();
    await a.commit(batch({requests: [child('page')]}));
    const [lease] = await a.next(1);
    cli('CONFIG', 'SET', 'maxmemory', '1');
    try {
      await sleep(800);
    } finally {
      cli('CONFIG', 'SET', 'maxmemory', '0');
    }
    expect(await b.next(1)).toEqual([]);
    expect((await a.commit(batch({leases: [lease.id]}))).refused).toBeUndefined();
  });

  // Bug: FINISH judges whether a worker still reading start() is alive by the CALLER's lease
  // length (ARGV ttl), not the other worker's. A worker started with SCHEDULER_LEASE_SECONDS=60
  // beats every 20 s; one started with a short lease finds its heartbeat "stale", drops it from
  // the starting set and marks the job finished while the first is still reading start().
  test('a worker with a short lease does not finish the job while a worker with a long lease still reads start()', async () => {
    const slow = redis.frontier('mixed-lease', {leaseMs: 60_000});
    const quick = redis.frontier('mixed-lease', {leaseMs: 200});
    await slow.open();
    await quick.open();
    expect(await quick.isFinished()).toBe(false);
    await sleep(400);
    expect(await quick.isFinished()).toBe(false);
    expect(cli('HGET', 'dragline:{mixed-lease}:meta', 'state')).toBe('running');
  });
});
