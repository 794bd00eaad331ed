import {createWriteStream} from 'node:fs';
import {once} from 'node:events';
import {DraglineError} from '../../core/errors.js';
import {parseRedisAddress, type RedisAddress} from './redis-address.js';
import {RedisConnection} from './redis-connection.js';
import {hashEntries} from './redis-frontier.js';
import {RedisKeys} from './redis-keys.js';
import {SCRIPTS, fixedKeys} from './redis-scripts.js';

/** What `dragline job status redis://…#job` shows; read without joining the job. */
export interface RedisJobStatus {
  address: string;
  spider: string;
  fingerprinter: string;
  draglineVersion: string;
  createdAt: string;
  state: string;
  pending: number;
  pendingByPriority: Record<string, number>;
  leased: number;
  /** Leases past their deadline, given back at the next lease or finish check of any worker. */
  expiredLeases: number;
  workers: Array<{owner: string; host: string; pid: number; startedAt: string; lastBeatSecondsAgo: number; alive: boolean; leases: number; oldestLeaseSeconds: number}>;
  seen: number;
  items: number;
  failed: number;
  counters: Record<string, number>;
  /** Scrapy's counters summed over the workers that closed (a killed worker's are missing). */
  stats: Record<string, number>;
  redis: {usedMemory: number; maxMemory: number; aof: boolean; version: string};
  warnings: string[];
}

async function withJob<T>(value: string, action: (connection: RedisConnection, keys: RedisKeys, address: RedisAddress) => Promise<T>): Promise<T> {
  const address = parseRedisAddress(value);
  const connection = new RedisConnection(address);
  await connection.open();
  try {
    const keys = new RedisKeys(address.jobKey);
    if (await connection.command(['EXISTS', keys.meta]) === 0) {
      throw new DraglineError('JOBDIR_NOT_FOUND', `There is no job ${address.jobKey} at ${address.shown}: a crawl with -s JOBDIR=${address.shown} creates it`);
    }
    return await action(connection, keys, address);
  } finally {
    await connection.close();
  }
}

export function redisJobStatus(value: string): Promise<RedisJobStatus> {
  return withJob(value, async (connection, keys, address) => {
    const [meta, sizes, leaseRecords, deadlines, workers, alive, counters, failed, time, memory, persistence, server, stats] = await Promise.all([
      connection.command(['HGETALL', keys.meta]),
      connection.command(['HGETALL', keys.sizes]),
      connection.command(['HGETALL', keys.leaseOwners]),
      connection.command(['ZRANGE', keys.leaseDeadlines, '0', '-1', 'WITHSCORES']),
      connection.command(['HGETALL', keys.workers]),
      connection.command(['ZRANGE', keys.alive, '0', '-1', 'WITHSCORES']),
      connection.command(['HGETALL', keys.counters]),
      connection.command(['LLEN', keys.failed]),
      connection.command(['TIME']),
      connection.command(['INFO', 'memory']),
      connection.command(['INFO', 'persistence']),
      connection.command(['INFO', 'server']),
      connection.command(['HGETALL', keys.stats]),
    ]);
    const m = hashEntries(meta);
    const now = Number(String((time as Buffer[])[0])) * 1000 + Math.floor(Number(String((time as Buffer[])[1])) / 1000);
    const pendingByPriority: Record<string, number> = {};
    for (const [priority, count] of Object.entries(hashEntries(sizes))) if (Number(count) > 0) pendingByPriority[priority] = Number(count);
    const deadlineOf = new Map(pairsOf(deadlines).map(([id, deadline]) => [id, Number(deadline)]));
    const leasesOf = new Map<string, number[]>();
    let expired = 0;
    for (const [id, record] of Object.entries(hashEntries(leaseRecords))) {
      const [owner, , leasedAt] = record.split('|');
      leasesOf.set(owner, [...(leasesOf.get(owner) ?? []), Number(leasedAt)]);
      if ((deadlineOf.get(id) ?? 0) < now) expired += 1;
    }
    const beats = new Map(pairsOf(alive).map(([owner, beat]) => [owner, Number(beat)]));
    const workerList = Object.entries(hashEntries(workers)).map(([owner, json]) => {
      const info = JSON.parse(json) as {host: string; pid: number; started: string; leaseMs?: number};
      const beat = beats.get(owner) ?? 0;
      const leases = leasesOf.get(owner) ?? [];
      return {
        owner,
        host: info.host,
        pid: info.pid,
        startedAt: info.started,
        lastBeatSecondsAgo: round((now - beat) / 1000),
        alive: now - beat < (info.leaseMs ?? 60_000),
        leases: leases.length,
        oldestLeaseSeconds: leases.length === 0 ? 0 : round((now - Math.min(...leases)) / 1000),
      };
    });
    const counterValues = Object.fromEntries(Object.entries(hashEntries(counters)).map(([name, count]) => [name, Number(count)]));
    const memoryInfo = infoFields(memory);
    const aof = infoFields(persistence).aof_enabled === '1';
    const warnings: string[] = [];
    if (!aof) warnings.push('Redis persistence (AOF) is off: a restart of redis-server loses the job. Run it with --appendonly yes (see docs/distributed.md)');
    if (memoryInfo.maxmemory !== '0' && memoryInfo.maxmemory_policy !== 'noeviction') warnings.push(`maxmemory-policy is ${memoryInfo.maxmemory_policy}: Redis may evict the job's keys; use noeviction`);
    return {
      address: address.shown,
      spider: m.spider ?? '',
      fingerprinter: m.fingerprinter ?? '',
      draglineVersion: m.version ?? '',
      createdAt: new Date(Number(m.created ?? 0)).toISOString(),
      state: m.state ?? '',
      pending: Object.values(pendingByPriority).reduce((a, b) => a + b, 0),
      pendingByPriority,
      leased: deadlineOf.size,
      expiredLeases: expired,
      workers: workerList,
      seen: Number(m.seen ?? 0),
      items: counterValues.items ?? 0,
      failed: failed as number,
      counters: counterValues,
      stats: Object.fromEntries(Object.entries(hashEntries(stats)).map(([name, value]) => [name, Number(value)]).sort(([a], [b]) => String(a).localeCompare(String(b)))),
      redis: {usedMemory: Number(memoryInfo.used_memory ?? 0), maxMemory: Number(memoryInfo.maxmemory ?? 0), aof, version: infoFields(server).redis_version ?? ''},
      warnings,
    };
  });
}

/** Pauses (or resumes) the whole job: every worker finishes its pages in flight and stops; the same crawl command resumes. Returns the state before. */
export function setRedisJobState(value: string, state: 'paused' | 'running'): Promise<string> {
  return withJob(value, async (connection, keys) => {
    const before = await connection.run(SCRIPTS.setState, fixedKeys(keys, '-'), [state]) as Buffer | null;
    return before?.toString() ?? '';
  });
}

/** Writes every item the job's workers committed to `output` as JSON lines, worker by worker, in commit order. */
export function exportRedisJob(value: string, output: string): Promise<{items: number; workers: number}> {
  return withJob(value, async (connection, keys) => {
    const writers = (await connection.command(['SMEMBERS', keys.itemWriters]) as Buffer[]).map(String).sort();
    const file = createWriteStream(output);
    let items = 0;
    const chunk = 1000;
    for (const writer of writers) {
      for (let start = 0; ; start += chunk) {
        const entries = await connection.command(['LRANGE', keys.items(writer), String(start), String(start + chunk - 1)]) as Buffer[];
        for (const entry of entries) {
          const list = JSON.parse(entry.subarray(entry.indexOf(0x0a) + 1).toString()) as unknown[];
          for (const item of list) {
            if (!file.write(JSON.stringify(item) + '\n')) await once(file, 'drain');
            items += 1;
          }
        }
        if (entries.length < chunk) break;
      }
    }
    file.end();
    await once(file, 'finish');
    return {items, workers: writers.length};
  });
}

function pairsOf(reply: unknown): Array<[string, string]> {
  return Object.entries(hashEntries(reply));
}

function infoFields(reply: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of String(reply).split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) out[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return out;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Deletes every key of the job. Refused while a worker is alive, unless `force`. Returns how many keys went. */
export function deleteRedisJob(value: string, force: boolean): Promise<number> {
  return withJob(value, async (connection, keys, address) => {
    if (!force) {
      const status = await redisJobStatus(value);
      const live = status.workers.filter((worker) => worker.alive).length;
      if (live > 0) {
        throw new DraglineError('BAD_ARGUMENT', `${live} worker${live > 1 ? 's' : ''} of ${address.shown} still run: pause the job first (dragline job pause), or add --force`);
      }
    }
    let deleted = 0;
    let cursor = '0';
    for (let round = 0; round < 1_000_000; round += 1) {
      const [next, found] = await connection.command(['SCAN', cursor, 'MATCH', keys.pattern, 'COUNT', '1000']) as [Buffer, Buffer[]];
      if (found.length > 0) deleted += await connection.command(['UNLINK', ...found.map(String)]) as number;
      cursor = String(next);
      if (cursor === '0') break;
    }
    return deleted;
  });
}
