import {describe, expect, test} from '@jest/globals';
import {isRedisAddress, parseRedisAddress} from '../../../src/persistence/redis/redis-address.js';
import {RedisKeys, seenSlot} from '../../../src/persistence/redis/redis-keys.js';
import {defaultWorkerName} from '../../../src/persistence/redis/redis-backend.js';

describe('Redis addresses', () => {
  test('a TCP address with a database and a job key', () => {
    expect(parseRedisAddress('redis://10.0.0.5:6379/2#quotes-1')).toMatchObject({url: 'redis://10.0.0.5:6379/2', database: 2, tls: false, jobKey: 'quotes-1'});
    expect(parseRedisAddress('rediss://:secret@host#job')).toMatchObject({tls: true, database: 0, jobKey: 'job', shown: 'rediss://:***@host#job'});
  });

  test('a unix socket', () => {
    expect(parseRedisAddress('redis+unix:///run/redis.sock?db=3#j')).toMatchObject({socketPath: '/run/redis.sock', database: 3, jobKey: 'j'});
    expect(parseRedisAddress('unix:///tmp/r.sock#j')).toMatchObject({socketPath: '/tmp/r.sock', database: 0});
  });

  test('what is not a Redis address, and what is refused', () => {
    expect(isRedisAddress('crawls/quotes-1')).toBe(false);
    expect(isRedisAddress('REDIS://h#j')).toBe(true);
    expect(() => parseRedisAddress('redis://host:6379/0')).toThrow(/names no job/);
    expect(() => parseRedisAddress('redis://host/x#j')).toThrow(/must be a number/);
    expect(() => parseRedisAddress('redis://host/0#a{b}')).toThrow(/braces/);
  });

  test('every key of a job carries one hash tag', () => {
    const keys = new RedisKeys('q');
    for (const key of [keys.meta, keys.pending, keys.items('w'), keys.seenBucket(7)]) expect(key).toMatch(/^dragline:\{q\}:/);
    const slot = seenSlot(Buffer.alloc(20, 0xff), 65536);
    expect(slot.bucket).toBe(65535);
    expect(slot.field).toHaveLength(10);
  });

  test('default worker names: the same feeds give the same name again; without feeds, every process its own', () => {
    expect(defaultWorkerName(['items.jsonl'])).toBe(defaultWorkerName(['items.jsonl']));
    expect(defaultWorkerName(['items.jsonl'])).not.toBe(defaultWorkerName(['other.jsonl']));
    expect(defaultWorkerName([])).toMatch(new RegExp(`-${process.pid}-[0-9a-f]{6}$`));
    expect(defaultWorkerName([])).not.toBe(defaultWorkerName([]));
  });
});
