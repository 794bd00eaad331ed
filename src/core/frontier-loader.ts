import type {Crawler} from './crawler.js';
import {DraglineError} from './errors.js';
import {checkJobDir} from '../settings/job-dir.js';
import {DRAGLINE_VERSION} from './version.js';
import type {Frontier} from '../persistence/frontier.js';
import {MemoryFrontier} from '../persistence/memory/memory-frontier.js';
import {JobDirFrontier} from '../persistence/jobdir/jobdir-frontier.js';
import {isRedisAddress} from '../persistence/redis/redis-address.js';

export interface FrontierContext {
  /** REQUEST_FINGERPRINTER_CLASS's name, which a durable frontier keeps with the seen set. */
  fingerprinter: string;
  /** Called if the job stops being this process's (its lock was lost or taken over). */
  onLockCompromised: (error: Error) => void;
  /** A shared job asks this process to stop, as a pause does (dragline job pause). */
  onStop?: (reason: string) => void;
}

type FrontierFactory = (crawler: Crawler, context: FrontierContext) => Frontier;

/**
 * The Redis frontier, imported only for a crawl that uses it: its client is ~480 modules, which
 * every crawl loading it paid for in resident memory (a one-page crawl 90 -> 101 MB).
 */
async function buildRedisFrontier(crawler: Crawler, context: FrontierContext): Promise<Frontier> {
  const {buildRedisFrontier: build} = await import('../persistence/redis/redis-backend.js');
  return build(crawler, context);
}

/** SCHEDULER_BACKEND's built-in names. */
export const BUILT_IN_FRONTIERS: Record<string, (crawler: Crawler, context: FrontierContext) => Frontier | Promise<Frontier>> = {
  memory: () => new MemoryFrontier(),
  jobdir: (crawler, context) => {
    const {settings} = crawler;
    const dir = settings.getString('JOBDIR');
    if (dir === '') throw new DraglineError('BAD_SETTING', "SCHEDULER_BACKEND 'jobdir' needs a job directory: add -s JOBDIR=DIR");
    checkJobDir(dir);
    if (isRedisAddress(dir)) return buildRedisFrontier(crawler, context);
    const order = settings.getString('SCHEDULER_DISK_QUEUE', 'lifo').toLowerCase();
    if (order !== 'lifo' && order !== 'fifo') {
      throw new DraglineError('BAD_SETTING', `Invalid value for setting SCHEDULER_DISK_QUEUE: '${order}' (use lifo or fifo)`);
    }
    return new JobDirFrontier(dir, {
      spiderName: crawler.spider.name,
      queueOrder: order,
      fsync: settings.getBool('JOBDIR_FSYNC'),
      fsyncIntervalMs: settings.getFloat('JOBDIR_FSYNC_INTERVAL') * 1000,
      draglineVersion: DRAGLINE_VERSION,
      fingerprinter: context.fingerprinter,
      onLockCompromised: context.onLockCompromised,
    });
  },
  redis: (crawler, context) => {
    if (!isRedisAddress(crawler.settings.getString('JOBDIR'))) {
      throw new DraglineError('BAD_SETTING', "SCHEDULER_BACKEND 'redis' needs a Redis address: add -s JOBDIR=redis://host:6379/0#jobkey");
    }
    return buildRedisFrontier(crawler, context);
  },
};

const FRONTIER_METHODS = ['open', 'next', 'commit', 'release', 'isFinished', 'status', 'readFailed', 'close'] as const;

/**
 * The frontier SCHEDULER_BACKEND names: `jobdir` (the default with JOBDIR; a JOBDIR that is a
 * redis:// address picks `redis`), `memory` (the default
 * without), or a user's class as other components are named (`./my-frontier.ts#MyFrontier`),
 * built with `fromCrawler(crawler, context)` if it has one, else `new Cls(crawler, context)`.
 */
export async function buildFrontier(crawler: Crawler, context: FrontierContext, resolve: ((key: string) => Promise<unknown>) | undefined): Promise<Frontier> {
  const {settings} = crawler;
  const name = settings.getString('SCHEDULER_BACKEND').trim() || (settings.getString('JOBDIR') !== '' ? 'jobdir' : 'memory');
  const builtIn = BUILT_IN_FRONTIERS[name.toLowerCase()];
  if (builtIn !== undefined) return await builtIn(crawler, context);
  if (resolve === undefined) {
    throw new DraglineError('BAD_SETTING', `SCHEDULER_BACKEND '${name}' is neither ${Object.keys(BUILT_IN_FRONTIERS).join(' nor ')}, and a frontier can be named by path only inside a project`);
  }
  const cls = await resolve(name) as {fromCrawler?: FrontierFactory; new (crawler: Crawler, context: FrontierContext): Frontier};
  if (typeof cls !== 'function') throw new DraglineError('BAD_SETTING', `SCHEDULER_BACKEND '${name}' is not a class`);
  const frontier = typeof cls.fromCrawler === 'function' ? cls.fromCrawler(crawler, context) : new cls(crawler, context);
  const missing = FRONTIER_METHODS.filter((method) => typeof (frontier as unknown as Record<string, unknown>)[method] !== 'function');
  if (missing.length > 0) throw new DraglineError('BAD_SETTING', `SCHEDULER_BACKEND '${name}' is not a Frontier: it has no ${missing.map((method) => `${method}()`).join(', ')}`);
  return frontier;
}
