import {isDraglineError} from './errors.js';
import {fingerprint} from './fingerprint.js';
import type {Request} from './http/request.js';
import type {Logger} from './logger.js';
import type {StatsCollector} from './stats.js';
import {DupeFilterLog} from './dupefilter.js';
import type {Job, SeenSet} from '../persistence/types.js';
import {MemoryQueue} from '../persistence/memory-queue.js';

export interface SchedulerOptions {
  job?: Job;
  /** The duplicates filter's set: the job's when JOBDIR is set, an in-memory one otherwise. */
  seen: SeenSet;
  stats: StatsCollector;
  logger: Logger;
  memoryOrder: 'lifo' | 'fifo';
  debug: boolean;
  dupefilterDebug: boolean;
  encode: (request: Request) => Buffer;
  decode: (payload: Buffer) => Request;
  /** False with DUPEFILTER_CLASS=BaseDupeFilter: nothing is a duplicate (fingerprints are still recorded). */
  filterDuplicates?: boolean;
  /** 20 bytes per request, by REQUEST_FINGERPRINTER_CLASS (default: Scrapy's fingerprint). */
  fingerprint?: (request: Request) => Buffer;
}

export interface ScheduledRequest {
  request: Request;
  /** Set for requests from the job's disk queue: the engine acks it once the request's outputs are written. */
  leaseId?: number;
}

/**
 * Decides what is fetched next and what is a duplicate, as Scrapy's Scheduler with RFPDupeFilter.
 * With a job, requests go to its disk queue; those that cannot be stored stay in memory, counted
 * in `scheduler/unserializable`, and memory is served first (Scrapy's order).
 */
export class Scheduler {
  private readonly memory: MemoryQueue<Request>;
  /** Fingerprints of requests kept only in memory: never written to requests.seen, so a resumed job can find them again. */
  private readonly memoryOnlySeen = new Set<string>();
  private readonly dupes: DupeFilterLog;
  private loggedUnserializable = false;

  constructor(private readonly options: SchedulerOptions) {
    this.memory = new MemoryQueue<Request>(options.memoryOrder);
    this.dupes = new DupeFilterLog(options.logger.child('dragline.dupefilters'), options.stats, options.dupefilterDebug);
  }

  get size(): number {
    return this.memory.size + (this.options.job?.queue.size ?? 0);
  }

  /** Requests that live only in this process's memory (lost if the crawl stops now). */
  get memoryOnly(): number {
    return this.options.job === undefined ? 0 : this.memory.size;
  }

  /**
   * Whether a request can be fingerprinted: false (with the error logged and counted in
   * `scheduler/fingerprint_failed`) if REQUEST_FINGERPRINTER_CLASS fails on it. The engine asks
   * before a commit starts, so a fingerprinter that fails on one link drops that link, not the
   * crawl (a failure inside the commit would tear it, and the resumed page would fail again).
   */
  canFingerprint(request: Request): boolean {
    if (request.dontFilter || this.options.fingerprint === undefined) return true;
    try {
      this.options.fingerprint(request);
      return true;
    } catch (error) {
      if (!isDraglineError(error) || error.code !== 'FINGERPRINTER_FAILED') throw error;
      this.options.stats.inc('scheduler/fingerprint_failed');
      this.options.logger.child('dragline.core.scheduler').error(`Dropped ${request}: ${error.message}`);
      return false;
    }
  }

  /** Queues a request unless it is a duplicate; returns false for a duplicate, as Scrapy's enqueue_request. */
  enqueue(request: Request): boolean {
    const {job, seen, stats} = this.options;
    let digest: Buffer | undefined;
    if (!request.dontFilter) {
      digest = this.options.fingerprint?.(request) ?? fingerprint(request);
      // Without filtering the fingerprint is still recorded, so a later batch that filters knows what was fetched.
      const duplicate = this.options.filterDuplicates !== false
        && (seen.has(digest) || (this.memoryOnlySeen.size > 0 && this.memoryOnlySeen.has(digest.toString('latin1'))));
      if (duplicate) {
        this.dupes.filtered(request);
        return false;
      }
    }
    stats.inc('scheduler/enqueued');
    if (job !== undefined) {
      const payload = this.tryEncode(request);
      if (payload !== undefined) {
        job.queue.push(payload, request.priority);
        if (digest !== undefined) seen.add(digest);
        stats.inc('scheduler/enqueued/disk');
        return true;
      }
      if (digest !== undefined) this.memoryOnlySeen.add(digest.toString('latin1'));
    } else if (digest !== undefined) {
      seen.add(digest);
    }
    this.memory.push(request, request.priority);
    stats.inc('scheduler/enqueued/memory');
    return true;
  }

  next(): ScheduledRequest | undefined {
    const {job, stats} = this.options;
    const fromMemory = this.memory.pop()?.payload;
    if (fromMemory !== undefined) {
      stats.inc('scheduler/dequeued/memory');
      stats.inc('scheduler/dequeued');
      return {request: fromMemory};
    }
    const lease = job?.queue.pop();
    if (lease === undefined) return undefined;
    stats.inc('scheduler/dequeued/disk');
    stats.inc('scheduler/dequeued');
    return {request: this.options.decode(lease.payload), leaseId: lease.id};
  }

  private tryEncode(request: Request): Buffer | undefined {
    try {
      return this.options.encode(request);
    } catch (error) {
      if (!isDraglineError(error) || error.code !== 'UNSERIALIZABLE_REQUEST') throw error;
      this.options.stats.inc('scheduler/unserializable');
      const logger = this.options.logger.child('dragline.core.scheduler');
      if (this.options.debug) {
        logger.warning(`Unable to serialize request: ${request} - reason: ${error.message} - it is kept in memory and will be lost if the crawl is paused`);
      } else if (!this.loggedUnserializable) {
        logger.warning(`Unable to serialize request: ${request} - reason: ${error.message} - kept in memory; set SCHEDULER_DEBUG=true to log each one (counted in scheduler/unserializable)`);
        this.loggedUnserializable = true;
      }
      return undefined;
    }
  }
}
