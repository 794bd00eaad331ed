import {isDraglineError} from './errors.js';
import {fingerprint} from '../utils/fingerprint.js';
import type {Request} from '../http/request.js';
import type {Logger} from './logger.js';
import type {StatsCollector} from './stats.js';
import {SIGNALS, type SignalManager} from './signals.js';
import {DupeFilterLog} from './dupefilter.js';
import {emptyOutputs, type CommitParticipant, type CrawlOutputs} from './commit.js';
import type {CommitBatch, CommitReply, Frontier} from '../persistence/frontier.js';
import {MemoryQueue} from '../persistence/memory/memory-queue.js';

export interface SchedulerOptions {
  /** Where pending requests and the seen set live (SCHEDULER_BACKEND): a job directory, memory, a user's module. */
  frontier: Frontier;
  stats: StatsCollector;
  logger: Logger;
  /** requestScheduled / requestDropped are sent once a commit says which requests were new. */
  signals?: SignalManager;
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
  /** Set for requests leased from the frontier: the commit of the request's outputs completes it. */
  leaseId?: number;
}

/** How the scheduler placed one child request of a batch. */
interface Placement {
  request: Request;
  /** Index into batch.requests; undefined for a request known to be a duplicate before the commit. */
  index?: number;
  /** Kept in this process's memory queue if new (not stored in the frontier). */
  local: boolean;
}

/**
 * Decides what is fetched next and what is a duplicate, as Scrapy's Scheduler with RFPDupeFilter,
 * over a Frontier. It is the commit participant for child requests: it fingerprints and encodes
 * them, the frontier's commit enqueues those it has not seen, and the reply decides the signals
 * and stats. With a durable frontier, requests that cannot be stored stay in memory, counted in
 * `scheduler/unserializable`, and memory is served first (Scrapy's order); with a frontier that is
 * not durable every request stays in memory as an object and the frontier keeps only the seen set.
 */
export class Scheduler implements CommitParticipant {
  private readonly memory: MemoryQueue<Request>;
  /** Fingerprints of requests kept only in memory by a durable frontier: never recorded there, so a resumed job can find them again. */
  private readonly memoryOnlySeen = new Set<string>();
  private readonly dupes: DupeFilterLog;
  /**
   * Each batch's placements from prepare() until committed(): a plain Map, emptied as each commit
   * lands (a WeakMap costs more to add to and to collect, for batches that live a few microseconds).
   * A commit whose frontier fails leaves its entry; the crawl stops on such a failure.
   */
  private readonly placements = new Map<CommitBatch, Placement[]>();
  private loggedUnserializable = false;

  constructor(private readonly options: SchedulerOptions) {
    this.memory = new MemoryQueue<Request>(options.memoryOrder);
    this.dupes = new DupeFilterLog(options.logger.child('dragline.dupefilters'), options.stats, options.dupefilterDebug);
  }

  get frontier(): Frontier {
    return this.options.frontier;
  }

  /** Pending requests as this process knows them (for back-pressure and progress; the frontier decides when the crawl is over). */
  get size(): number {
    return this.memory.size + this.options.frontier.pending;
  }

  /** Requests that live only in this process's memory (lost if the crawl stops now). */
  get memoryOnly(): number {
    return this.options.frontier.durable ? this.memory.size : 0;
  }

  /** Requests waiting in this process's memory queue. */
  get localSize(): number {
    return this.memory.size;
  }

  /**
   * Whether a request can be fingerprinted: false (with the error logged and counted in
   * `scheduler/fingerprint_failed`) if REQUEST_FINGERPRINTER_CLASS fails on it. Asked before a
   * commit starts, so a fingerprinter that fails on one link drops that link, not the crawl (a
   * failure inside the commit would tear it, and the resumed page would fail again).
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

  /**
   * Whether a request's priority can be ordered and stored: a middleware may set it after the
   * Request checked it (`priority - depth * undefined` is NaN). Such a request is dropped with the
   * error logged and counted in `scheduler/bad_priority`, not taken into a commit it would break.
   */
  private hasFinitePriority(request: Request): boolean {
    if (typeof request.priority === 'number' && Number.isFinite(request.priority)) return true;
    this.options.stats.inc('scheduler/bad_priority');
    this.options.logger.child('dragline.core.scheduler').error(`Dropped ${request}: its priority is ${String(request.priority)}, not a finite number`);
    return false;
  }

  prepare(outputs: CrawlOutputs, batch: CommitBatch): void {
    const {frontier} = this.options;
    const filter = this.options.filterDuplicates !== false;
    const placements: Placement[] = [];
    for (const request of outputs.requests) {
      if (!this.hasFinitePriority(request) || !this.canFingerprint(request)) continue;
      let digest: Buffer | undefined;
      if (!request.dontFilter) {
        digest = this.options.fingerprint?.(request) ?? fingerprint(request);
        // Known duplicates are never encoded: most links of a page were seen before.
        if (filter && (frontier.knownSeen?.(digest) || (this.memoryOnlySeen.size > 0 && this.memoryOnlySeen.has(digest.toString('latin1'))))) {
          placements.push({request, local: false});
          continue;
        }
      }
      const payload = frontier.durable ? this.tryEncode(request) : undefined;
      const local = payload === undefined;
      // A durable frontier must not record what it does not store; later copies in this process are still duplicates.
      const record = !(local && frontier.durable);
      if (!record && digest !== undefined) this.memoryOnlySeen.add(digest.toString('latin1'));
      placements.push({request, local, index: batch.requests.length});
      batch.requests.push({payload, priority: request.priority, fingerprint: digest, filter, record});
    }
    this.placements.set(batch, placements);
  }

  committed(batch: CommitBatch, reply: CommitReply): void {
    const {stats, signals} = this.options;
    const placements = this.placements.get(batch);
    if (placements === undefined) return;
    this.placements.delete(batch);
    for (const {request, index, local} of placements) {
      if (index === undefined || !reply.added[index]) {
        this.dupes.filtered(request);
        signals?.emit(SIGNALS.requestDropped, request);
        continue;
      }
      stats.inc('scheduler/enqueued');
      if (local) {
        this.memory.push(request, request.priority);
        stats.inc('scheduler/enqueued/memory');
      } else {
        stats.inc('scheduler/enqueued/disk');
      }
      signals?.emit(SIGNALS.requestScheduled, request);
    }
  }

  /** Queues one request unless it is a duplicate, in a commit of its own; false for a duplicate, as Scrapy's enqueue_request. */
  async enqueue(request: Request): Promise<boolean> {
    const outputs = emptyOutputs();
    outputs.requests.push(request);
    const batch: CommitBatch = {leases: [], requests: [], failed: [], local: []};
    this.prepare(outputs, batch);
    const placement = this.placements.get(batch)?.[0];
    let reply: CommitReply;
    try {
      reply = await this.options.frontier.commit(batch);
    } catch (error) {
      this.placements.delete(batch);
      throw error;
    }
    this.committed(batch, reply);
    return placement?.index !== undefined && reply.added[placement.index] === true;
  }

  /** Up to `n` requests: this process's memory first, then leases from the frontier. */
  async next(n: number): Promise<ScheduledRequest[]> {
    const {stats, frontier} = this.options;
    const out: ScheduledRequest[] = [];
    while (out.length < n) {
      const fromMemory = this.memory.pop()?.payload;
      if (fromMemory === undefined) break;
      stats.inc('scheduler/dequeued/memory');
      stats.inc('scheduler/dequeued');
      out.push({request: fromMemory});
    }
    if (out.length >= n || (!frontier.durable && frontier.pending === 0)) return out;
    for (const lease of await frontier.next(n - out.length)) {
      stats.inc('scheduler/dequeued/disk');
      stats.inc('scheduler/dequeued');
      out.push({request: this.options.decode(lease.payload), leaseId: lease.id});
    }
    return out;
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
