import {afterAll, afterEach, beforeAll} from '@jest/globals';
import {createHash} from 'node:crypto';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {ChildRequest, CommitBatch} from '../../../src/persistence/frontier.js';
import {parseRedisAddress} from '../../../src/persistence/redis/redis-address.js';
import {RedisFrontier, type RedisFrontierOptions} from '../../../src/persistence/redis/redis-frontier.js';
import {startRedis, type RedisServer} from '../../helpers/redis-server.js';

/** One redis-server for the test file; frontiers opened through `open` are closed after each test. */
export function useRedis(): {server(): RedisServer; frontier(jobKey: string, options?: Partial<RedisFrontierOptions>): RedisFrontier; messages: string[]} {
  let server: RedisServer | undefined;
  let opened: RedisFrontier[] = [];
  const dirs: string[] = [];
  const messages: string[] = [];
  beforeAll(async () => {
    server = await startRedis();
  });
  afterEach(async () => {
    for (const frontier of opened) await frontier.close('test').catch(() => undefined);
    opened = [];
    for (const dir of dirs.splice(0)) rmSync(dir, {recursive: true, force: true});
  });
  afterAll(async () => {
    await server?.stop();
  });
  return {
    server: () => server!,
    messages,
    frontier(jobKey, options = {}) {
      const dir = mkdtempSync(join(tmpdir(), 'dragline-worker-'));
      dirs.push(dir);
      const frontier = new RedisFrontier(parseRedisAddress(`${server!.base}#${jobKey}`), {
        spiderName: 'quotes',
        fingerprinter: 'default',
        queueOrder: 'lifo',
        seenBuckets: 16,
        leaseMs: 60_000,
        keepAlive: false,
        workerName: `w${opened.length + 1}`,
        workerDir: dir,
        prefetch: 0,
        draglineVersion: '0.1.0-test',
        warn: (message) => messages.push(message),
        info: (message) => messages.push(message),
        onStop: () => undefined,
        onLockCompromised: () => undefined,
        ...options,
      });
      opened.push(frontier);
      return frontier;
    },
  };
}

export function fp(name: string): Buffer {
  return createHash('sha1').update(name).digest();
}

export function child(name: string, options: Partial<ChildRequest> = {}): ChildRequest {
  return {payload: Buffer.from(name), priority: 0, fingerprint: fp(name), filter: true, record: true, ...options};
}

export function batch(parts: Partial<CommitBatch> = {}): CommitBatch {
  return {leases: [], requests: [], failed: [], local: [], ...parts};
}

/** Stops a frontier's heartbeat, as a stalled process would (SIGSTOP). */
export function stall(frontier: RedisFrontier): void {
  clearInterval((frontier as unknown as {heartbeat: NodeJS.Timeout}).heartbeat);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
