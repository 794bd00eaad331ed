import {DraglineError} from '../core/errors.js';
import {isRedisAddress} from '../persistence/redis/redis-address.js';

type RedisJobModule = typeof import('../persistence/redis/redis-job.js');

/** The Redis job queries, imported on use: the Redis client (~480 modules) loads only for a Redis address. */
export function importRedisJob(): Promise<RedisJobModule> {
  return import('../persistence/redis/redis-job.js');
}

/**
 * For a `job` command that works only on a Redis job: the queries if `address` is a Redis address,
 * else a BAD_ARGUMENT saying what to do with a job directory instead (`otherwise`).
 */
export async function redisJobFor(command: string, address: string, otherwise: string): Promise<RedisJobModule> {
  if (!isRedisAddress(address)) throw new DraglineError('BAD_ARGUMENT', `job ${command} takes a Redis address (redis://host:6379/0#jobkey); ${otherwise}`);
  return importRedisJob();
}
