/**
 * The contract between the scheduler (src/core) and a job's storage (src/persistence). The core
 * never touches files; a Redis backend would implement the same interfaces.
 *
 * Crash safety rests on three rules:
 *  1. a popped request's lease (with its bytes) is journaled before its queue record can be
 *     overwritten or deleted; until then a crash leaves the record in the queue, as if never popped;
 *  2. everything a finished request produced (child requests, their fingerprints, feed items) is
 *     written between begin() and ack(), synchronously, so at most the last commit can be torn;
 *  3. at open, a torn commit is rolled back (queue, seen file and feeds truncated to the offsets
 *     begin() recorded) and every lease without an ack is served again, first.
 */
import type {StateChange} from './frontier.js';

/** A request record taken from the queue; `id` is what ack() takes. */
export interface Lease {
  id: number;
  priority: number;
  payload: Buffer;
}

export interface PendingQueue {
  /** Appends a serialized request; synchronous, durable against kill -9 when it returns. The queue may keep `payload` itself: do not change it afterwards. */
  push(payload: Buffer, priority: number): void;
  /** The next request: recovered in-flight leases first, then the highest priority, LIFO or FIFO within it. */
  pop(): Lease | undefined;
  /** Pending requests (including recovered leases not yet popped again). */
  readonly size: number;
  /** Pending requests per priority, for `job status`. */
  sizes(): Record<number, number>;
}

export interface SeenSet {
  /** Whether a 20-byte SHA-1 fingerprint is in the set. */
  has(fingerprint: Buffer): boolean;
  /** Adds a fingerprint (in memory, and appended to requests.seen). Returns false if it was there. */
  add(fingerprint: Buffer): boolean;
  readonly size: number;
}

/** What opening a job found and did. */
export interface JobOpenReport {
  /** True when the directory held no job before this run. */
  fresh: boolean;
  pending: number;
  seen: number;
  /** Requests that were in flight when the last batch stopped and will be fetched again. */
  requeued: number;
  /** True when a half-written commit was rolled back. */
  rolledBack: boolean;
  /** Byte length each feed (by its key) must be truncated to, if the job wrote feeds before. */
  feedOffsets: Record<string, number>;
  /** How the previous batch ended, if there was one. */
  lastRun?: LastRun;
}

export interface LastRun {
  reason: string;
  pid: number;
  host: string;
  startedAt: string;
  endedAt?: string;
  /** True when the previous batch never closed the job (killed, crashed). */
  unclean?: boolean;
}

export interface JobOptions {
  spiderName: string;
  /** Order within a priority: 'lifo' (Scrapy's default, depth-first) or 'fifo'. */
  queueOrder: 'lifo' | 'fifo';
  /** fsync journal and queue writes every `fsyncIntervalMs` (power-loss safety). */
  fsync: boolean;
  fsyncIntervalMs: number;
  /** Called if the lock is lost while the job runs (event loop stalled past the stale time, directory removed…). */
  onLockCompromised?: (error: Error) => void;
  /** dragline's version, written into job.json. */
  draglineVersion: string;
  /** REQUEST_FINGERPRINTER_CLASS's name: a job's seen set only makes sense with the fingerprinter that filled it. Default: `default`. */
  fingerprinter?: string;
}

export interface Job {
  readonly dir: string;
  readonly queue: PendingQueue;
  readonly seen: SeenSet;
  readonly report: JobOpenReport;

  /** Starts a commit for the given leases (none for start requests), recording feed byte offsets before writing. */
  begin(leaseIds: number[], feedOffsets: Record<string, number>): void;
  /** Ends the commit: the leases are done and will not be fetched again. `state` (from a commit participant) replaces asking the trackState() tracker. */
  ack(leaseIds: number[], state?: StateChange): void;

  /** Records requests that failed for good, for `crawl --retry-failed`. */
  recordFailed(payload: Buffer, reason: string): void;
  /** Every recorded failure, left in place (decode them all before changing anything). */
  readFailed(): Buffer[];
  /** Forgets the recorded failures: call it right after the commit that queued them again. */
  clearFailed(): void;
  /** The engine has cut its feeds back to report.feedOffsets: the job may forget them. */
  feedsRestored(): void;

  /** spider.state as of the last acked commit if the job journals it, else as last saved. */
  loadState(): Record<string, unknown> | undefined;
  /** Atomically replaces the spider.state file (v8-serialized). Throws if the state cannot be serialized. */
  saveState(state: Record<string, unknown>): void;
  /**
   * Journals `source()` with every ack in which it changed, so that after a crash spider.state is
   * exactly what the acked pages made it. Gives up (and says why) for a state that cannot be
   * serialized or outgrows `maxBytes`; the spider.state file, saved periodically, then stands alone.
   */
  trackState(source: () => Record<string, unknown>, onGiveUp: (reason: string) => void, maxBytes?: number): void;
  /** A small JSON document of the job (stats.json, cookies.json), replaced atomically. */
  loadJson<T = unknown>(name: string): T | undefined;
  saveJson(name: string, value: unknown): void;

  /** Compacts the journal, writes job.json's lastRun and releases the lock. */
  close(reason: string, options?: JobCloseOptions): Promise<void>;
}

export interface JobCloseOptions {
  /** No page was abandoned half-way: the state as it is now (`finalState`, or the tracker's) counts. */
  stateComplete?: boolean;
  /** spider.state's bytes at close, from the participant that tracks it, if they changed. */
  finalState?: Buffer;
}

/**
 * The part of a job that belongs to one process and one disk: the lock, job.json's lastRun, the
 * feed rollback, spider.state's file and small JSON documents (stats.json, cookies.json). A shared
 * frontier (Redis) keeps a worker's local files in one of these; the jobdir frontier's job is one.
 */
export interface JobDir {
  readonly dir: string;
  readonly report: JobOpenReport;
  /** The feeds were cut back to report.feedOffsets: forget them. */
  feedsRestored(): void;
  loadState(): Record<string, unknown> | undefined;
  saveState(state: Record<string, unknown>): void;
  loadJson<T = unknown>(name: string): T | undefined;
  saveJson(name: string, value: unknown): void;
}
