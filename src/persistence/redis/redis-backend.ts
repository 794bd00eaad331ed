import {createHash, randomBytes} from 'node:crypto';
import {hostname} from 'node:os';
import {join, resolve} from 'node:path';
import type {Crawler} from '../../core/crawler.js';
import {DraglineError} from '../../core/errors.js';
import {DRAGLINE_VERSION} from '../../core/version.js';
import type {FrontierContext} from '../../core/frontier-loader.js';
import {parseRedisAddress} from './redis-address.js';
import {RedisFrontier} from './redis-frontier.js';

/** SCHEDULER_BACKEND 'redis': the job at JOBDIR=redis://host:port/db#jobkey, shared by every worker naming it. */
export function buildRedisFrontier(crawler: Crawler, context: FrontierContext): RedisFrontier {
  const {settings} = crawler;
  const address = parseRedisAddress(settings.getString('JOBDIR'));
  const order = settings.getString('SCHEDULER_DISK_QUEUE', 'lifo').toLowerCase();
  if (order !== 'lifo' && order !== 'fifo') {
    throw new DraglineError('BAD_SETTING', `Invalid value for setting SCHEDULER_DISK_QUEUE: '${order}' (use lifo or fifo)`);
  }
  const leaseSeconds = settings.getFloat('SCHEDULER_LEASE_SECONDS');
  if (!(leaseSeconds > 0)) throw new DraglineError('BAD_SETTING', `SCHEDULER_LEASE_SECONDS must be more than 0, not ${leaseSeconds}`);
  const buckets = settings.getInt('REDIS_SEEN_BUCKETS');
  if (!(buckets >= 1 && buckets <= 2 ** 24)) throw new DraglineError('BAD_SETTING', `REDIS_SEEN_BUCKETS must be between 1 and 16777216, not ${buckets}`);
  const feedUris = Object.keys(settings.getDict('FEEDS'));
  const givenName = settings.getString('REDIS_WORKER_NAME').trim();
  const workerName = givenName || defaultWorkerName(feedUris);
  if (!/^[A-Za-z0-9._-]+$/.test(workerName)) throw new DraglineError('BAD_SETTING', `REDIS_WORKER_NAME '${workerName}' may hold only letters, digits, '.', '_' and '-'`);
  const log = crawler.logger.child('dragline.redis');
  const concurrency = Math.max(1, settings.getInt('CONCURRENT_REQUESTS'));
  return new RedisFrontier(address, {
    spiderName: crawler.spider.name,
    fingerprinter: context.fingerprinter,
    queueOrder: order,
    seenBuckets: buckets,
    leaseMs: leaseSeconds * 1000,
    keepAlive: settings.getBool('REDIS_KEEP_ALIVE'),
    workerName,
    ephemeralName: givenName === '' && feedUris.length === 0,
    workerDir: join(settings.getString('REDIS_WORKER_DIR') || '.dragline/workers', address.jobKey, workerName),
    prefetch: Math.ceil(concurrency / 2),
    draglineVersion: DRAGLINE_VERSION,
    warn: (message) => log.warning(message),
    info: (message) => log.info(message),
    onStop: (reason) => context.onStop?.(reason),
    onLockCompromised: context.onLockCompromised,
    stats: () => crawler.stats.toObject(),
  });
}

/**
 * The same machine, folder and feeds give the same name, so a restarted worker finds its feeds'
 * watermark again. A worker without feeds has nothing to find: it is named by its pid and a random
 * suffix (containers sharing the host's name, as with host networking, all run as pid 1).
 */
export function defaultWorkerName(feedUris: string[]): string {
  const host = hostname().replace(/[^A-Za-z0-9._-]/g, '_');
  if (feedUris.length === 0) return `${host}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const digest = createHash('sha1').update([process.cwd(), ...feedUris.map((uri) => resolve(uri)).sort()].join('\n')).digest('hex');
  return `${host}-${digest.slice(0, 8)}`;
}
