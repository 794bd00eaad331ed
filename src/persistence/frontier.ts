/**
 * The frontier: the one interface between the scheduler (src/core) and wherever pending requests,
 * the seen set, leases and failed requests live. It is asynchronous so that a network store
 * (Redis, next) can implement it as well as today's job directory. Backends see only bytes: the
 * core encodes requests (request-codec) and computes fingerprints before anything reaches them.
 *
 * The contract every backend keeps (docs/architecture.md, "The frontier"):
 *  - `next(n)` hands out leases; a leased request is not handed out again while its lease holds.
 *  - `commit(batch)` applies everything one response produced in one atomic step: the leases it
 *    completes, its child requests (each enqueued only if its fingerprint is unseen), its failed
 *    requests, its spider.state and the local writes (feed lines) that must land with it. After a
 *    crash either all of a commit counts or none of it does.
 *  - The engine calls commit() one at a time, in the order the responses finished, and awaits each
 *    before the next (core/commit.ts): a backend never sees two commits at once.
 *  - A lease whose commit never came is served again: at the next open (jobdir), or when it expires
 *    (a shared backend, where a commit for a lease taken over must be refused).
 */

import type {JobDir, Lease} from './types.js';

/** A request handed out by `next()`; `id` is what a commit completes. */
export type {Lease};

/** One request a response produced, as the frontier sees it. */
export interface ChildRequest {
  /** The encoded request, queued if new. Absent when this process keeps the request itself: the frontier only answers whether it is new. */
  payload?: Buffer;
  priority: number;
  /** 20 bytes; absent for dont_filter requests (always new, nothing recorded). */
  fingerprint?: Buffer;
  /** Whether a fingerprint already seen makes the request a duplicate (false under BaseDupeFilter, where fingerprints are still recorded). */
  filter: boolean;
  /** Whether the fingerprint is added to the seen set (false for a request kept only in a process's memory by a durable frontier: a resumed job must find it again). */
  record: boolean;
}

/** A request that failed for good, kept for `crawl --retry-failed`. */
export interface FailedRecord {
  payload: Buffer;
  reason: string;
}

/** What a commit's spider.state part says. */
export interface StateChange {
  /** spider.state, v8-serialized, when it changed since the last commit. */
  bytes?: Buffer;
  /** spider.state is no longer journaled with each commit (too big, or not serializable): drop what the frontier holds. */
  stopTracking?: boolean;
}

/** Everything one response (or one start() output) produced: built by the commit participants (core/commit.ts). */
export interface CommitBatch {
  /** Leases this commit completes (none for start requests). */
  leases: number[];
  requests: ChildRequest[];
  failed: FailedRecord[];
  /** Forget every failed request recorded before this commit (`--retry-failed` queued them again in it). */
  clearFailed?: boolean;
  state?: StateChange;
  /**
   * Writes to this process's own files (feed lines) that must count exactly when the commit does.
   * `offsets()` gives their lengths before the writes (a crash mid-commit cuts the files back to
   * them); `apply()` writes. A durable backend calls both inside its commit, in that order.
   */
  local: LocalWrite[];
  /** The items this commit's feed lines hold: a shared backend stores them with the commit, so a lost worker's acknowledged items survive it. */
  items?: unknown[];
}

export interface LocalWrite {
  offsets(): Record<string, number>;
  apply(): void;
}

export interface CommitReply {
  /** One flag per `batch.requests` entry: true if it was new (queued, or to be kept by the process). */
  added: boolean[];
  /** A shared backend refused the commit (its lease was taken over by another worker): nothing of it was written, here or there. */
  refused?: boolean;
}

export interface FrontierStatus {
  /** Requests waiting, including leases recovered from a previous run and not yet handed out again. */
  pending: number;
  /** Requests leased and not committed. */
  leased: number;
  seen: number;
  /** Pending requests per priority. */
  sizes: Record<number, number>;
}

/** What opening found: a frontier that starts empty reports `fresh` and zeros. */
export interface FrontierOpenReport {
  fresh: boolean;
  pending: number;
  seen: number;
  /** Requests that were in flight when the previous run stopped and will be fetched again. */
  requeued: number;
  /** True when a half-written commit was rolled back. */
  rolledBack: boolean;
}

export interface Frontier {
  /** Whether pending requests and the seen set outlive the process. When false the scheduler keeps requests as objects and sends no payloads (Scrapy's memory queue). */
  readonly durable: boolean;
  /** This run's per-process files (lock, job.json, feed offsets, stats.json…), when the backend keeps a job directory. */
  readonly jobDir?: JobDir;
  /** What the process knows of the pending count without asking the store: for back-pressure and progress, never to decide the crawl is over. */
  readonly pending: number;
  /** Other processes add requests to this frontier: an idle engine asks again now and then instead of waiting for its own work. */
  readonly shared?: boolean;
  /** commit() may be called again before the previous commit settled (the backend keeps them in order and may send them together). */
  readonly pipelined?: boolean;
  /** Items the backend holds as committed that this process's feeds may have missed (a crash after the commit): written to the feeds once they are open. */
  takeReplayedItems?(): unknown[][];
  /**
   * Optional, synchronous: true if this fingerprint is certainly in the seen set. The seen set only
   * grows, so a local cache of it may answer; the scheduler then skips encoding a known duplicate.
   * The commit still decides.
   */
  knownSeen?(fingerprint: Buffer): boolean;
  open(): Promise<FrontierOpenReport>;
  /** Up to `n` leases, best first (recovered leases, then the highest priority, LIFO or FIFO within it). */
  next(n: number): Promise<Lease[]>;
  commit(batch: CommitBatch): Promise<CommitReply>;
  /** Gives leases back unprocessed (a pause): they are served again. */
  release(leases: number[]): Promise<void>;
  /** True when nothing is pending and nothing is leased, as one observation (across every worker of a shared backend). */
  isFinished(): Promise<boolean>;
  status(): Promise<FrontierStatus>;
  /** Every failed request recorded, left in place. */
  readFailed(): Promise<Buffer[]>;
  close(reason: string, options?: FrontierCloseOptions): Promise<void>;
}

export interface FrontierCloseOptions {
  /** No page was abandoned half-way, so spider.state as it is at close counts. */
  stateComplete?: boolean;
  /** spider.state's bytes at close, if they changed since the last commit. */
  finalState?: Buffer;
}
