import {mkdirSync, rmSync} from 'node:fs';
import {join, resolve} from 'node:path';
import {deserialize, serialize} from 'node:v8';
import {DraglineError} from '../../core/errors.js';
import type {Job, JobCloseOptions, JobOpenReport, JobOptions, LastRun} from '../types.js';
import type {StateChange} from '../frontier.js';
import {DiskQueue, type SegmentLimits} from './disk-queue.js';
import {FailedLog} from './failed-log.js';
import {FsyncBatcher} from '../fsync-batcher.js';
import {acquireJobLock, type HeldLock} from './job-lock.js';
import {damagedJobError, findDamage} from './job-damage.js';
import {checkJobDirectory, checkJobEntries, jobFsError} from './job-entries.js';
import {checkFingerprinter, readJobFile, startRunInJobFile, writeJobFile, type JobFile} from './job-file.js';
import {Journal, replayJournal, type JournalState} from './journal.js';
import {listLanes, rollbackQueue} from './queue-layout.js';
import {FingerprintSet} from '../seen-set.js';
import {JobDocuments, STATE_NAME} from './job-documents.js';

export const QUEUE_DIR = 'requests.queue';
export const JOURNAL_NAME = 'journal';
export const SEEN_NAME = 'requests.seen';
export const FAILED_NAME = 'requests.failed';
export {STATE_NAME};
/** Larger states are saved to the spider.state file only (periodically), not with each page. */
const DEFAULT_STATE_JOURNAL_MAX_BYTES = 64 * 1024;

/** Knobs for tests and benchmarks; the defaults are what a crawl uses. */
export interface JobTuning {
  segmentLimits?: SegmentLimits;
  /** The journal is compacted when it grows past this many bytes (and at open and close). */
  journalMaxBytes?: number;
}

const DEFAULT_JOURNAL_MAX_BYTES = 4 * 1024 * 1024;

/**
 * Opens (or creates) a job directory for one run: checks whose job it is, locks it, repairs what a
 * crash left (torn records, a torn commit, leases never acked) and loads the queue and seen set.
 */
export async function openJob(dir: string, options: JobOptions, tuning: JobTuning = {}): Promise<Job> {
  try {
    checkJobDirectory(dir, resolve(dir));
    return await openJobDirectory(dir, options, tuning);
  } catch (error) {
    throw jobFsError(dir, error);
  }
}

async function openJobDirectory(dir: string, options: JobOptions, tuning: JobTuning): Promise<Job> {
  const root = resolve(dir);
  const previous = readJobFile(root, options.spiderName);
  if (previous !== undefined) checkFingerprinter(root, previous, options.fingerprinter ?? 'default');
  mkdirSync(root, {recursive: true});
  let job: DirectoryJob | undefined;
  const lock = await acquireJobLock(root, (error) => {
    if (job !== undefined) job.lose(error);
    else process.emitWarning(`dragline lost the lock of ${root}: ${error.message}`);
  });
  const fsync = new FsyncBatcher(options.fsync, options.fsyncIntervalMs);
  const opened: Array<{close(): void}> = [];
  try {
    // Under the lock: a running crawl's files are read only once it has finished with them.
    checkJobEntries(dir, root);
    const queueDir = join(root, QUEUE_DIR);
    const journalPath = join(queueDir, JOURNAL_NAME);
    let state: JournalState;
    try {
      state = replayJournal(journalPath);
    } catch (error) {
      throw new DraglineError('JOBDIR_CORRUPT', `${journalPath} holds a record that cannot be read (${(error as Error).message}); the job directory is damaged. Nothing was changed; run \`dragline job repair ${dir}\` to keep every intact record`, {
        suggestions: [`dragline job repair ${dir}`], cause: error,
      });
    }
    // Damage is refused before anything is repaired or written: only a torn end is a crash's doing.
    const damage = findDamage(root, state, previous !== undefined);
    if (damage.length > 0) throw damagedJobError(dir, damage);
    const epoch = state.epoch + 1;
    // Before the first change: a run that still thinks it owns the job sees this and stops writing.
    lock.claim(epoch);
    const torn = state.openBegin;
    if (torn) rollbackQueue(queueDir, torn.tops);
    const seen = FingerprintSet.open(join(root, SEEN_NAME), fsync, torn?.seenLength);
    opened.push(seen);
    const failed = new FailedLog(join(root, FAILED_NAME), fsync, torn?.failedLength);
    opened.push(failed);
    mkdirSync(queueDir, {recursive: true});
    const journal = new Journal(journalPath, fsync);
    opened.push(journal);
    // Switching LIFO/FIFO under queued requests would misread FIFO's consumed records: a job keeps its order until its queue is empty.
    const order = state.order && listLanes(queueDir).length > 0 ? state.order : options.queueOrder;
    const queue = DiskQueue.open(queueDir, {order, journal, fsync, limits: tuning.segmentLimits, epoch, state});
    opened.push(queue);
    // From here on the repaired state is the truth: a crash now replays this checkpoint, not the old
    // journal. The feeds are cut back later, by the engine: until it says so, the checkpoint keeps
    // the lengths, so a run that stops during start-up does not forget them.
    const feedRollback = torn ? {...torn.feedOffsets} : state.feedRollback;
    journal.compact({...queue.checkpoint(), feedRollback, state: state.committedState, seenLength: seen.fileLength, failedLength: failed.length});

    const {jobFile, previousRun: lastRun} = startRunInJobFile(root, previous, {...options, tookOver: lock.tookOverFrom !== undefined, syncDirectory: options.fsync});

    const report: JobOpenReport = {
      fresh: previous === undefined,
      pending: queue.size,
      seen: seen.size,
      requeued: queue.requeued,
      rolledBack: feedRollback !== undefined,
      feedOffsets: feedRollback ?? {},
      lastRun,
    };
    job = new DirectoryJob(root, queue, seen, failed, journal, fsync, lock, jobFile, report, tuning.journalMaxBytes ?? DEFAULT_JOURNAL_MAX_BYTES, feedRollback, state.committedState, options.onLockCompromised);
    return job;
  } catch (error) {
    for (const resource of opened.reverse()) {
      try {
        resource.close();
      } catch {
        // Already failing; the first error is the one to report.
      }
    }
    fsync.stop();
    await lock.release();
    throw error;
  }
}

class DirectoryJob implements Job {
  private commitOpen = false;
  private closed = false;
  private stateTracker?: {source: () => Record<string, unknown>; onGiveUp: (reason: string) => void; maxBytes: number};
  /** Tracking stopped during this commit: the journal's state records must go. */
  private stateDropped = false;
  /** Set once another run owns the job (or our lock is gone): from then on nothing is written. */
  private lost?: Error;
  private readonly documents: JobDocuments;

  constructor(
    readonly dir: string,
    readonly queue: DiskQueue,
    readonly seen: FingerprintSet,
    private readonly failed: FailedLog,
    private readonly journal: Journal,
    private readonly fsync: FsyncBatcher,
    private readonly lock: HeldLock,
    private readonly jobFile: JobFile,
    readonly report: JobOpenReport,
    private readonly journalMaxBytes: number,
    private feedRollback: Record<string, number> | undefined,
    /** spider.state as of the last acked commit, when journaled. */
    private committedState: Buffer | undefined,
    private readonly onLockCompromised: ((error: Error) => void) | undefined,
  ) {
    this.documents = new JobDocuments(dir, () => this.ensureOwned(), () => this.fsync.enabled);
  }

  /** The job is no longer ours: every later write throws `error`, and close() writes nothing. */
  lose(error: Error): void {
    if (this.lost !== undefined) return;
    this.lost = error;
    if (this.onLockCompromised) this.onLockCompromised(error);
    else process.emitWarning(error.message);
  }

  /**
   * Before anything that writes: throws if the job was lost, or if another run has claimed it
   * since this one did (the lock failed: a shared disk without working locks, the time-based
   * fallback). Costs one fstat.
   */
  private ensureOwned(): void {
    if (this.lost === undefined) {
      try {
        this.lock.check();
      } catch (error) {
        this.lose(error as Error);
      }
    }
    if (this.lost !== undefined) throw this.lost;
  }

  feedsRestored(): void {
    if (this.feedRollback === undefined) return;
    this.ensureOwned();
    this.feedRollback = undefined;
    this.journal.compact(this.checkpoint());
  }

  private checkpoint() {
    return {...this.queue.checkpoint(), feedRollback: this.feedRollback, state: this.committedState, seenLength: this.seen.fileLength, failedLength: this.failed.length};
  }

  begin(leaseIds: number[], feedOffsets: Record<string, number>): void {
    if (this.commitOpen) throw new Error('begin() while a commit is open: call ack() first');
    this.ensureOwned();
    this.journal.append({
      t: 'begin', leases: leaseIds, seenLength: this.seen.fileLength, failedLength: this.failed.length,
      feedOffsets, tops: this.queue.tops(), pending: this.queue.size,
    });
    this.commitOpen = true;
    this.queue.commitOpen = true;
  }

  ack(leaseIds: number[], change?: StateChange): void {
    // A commit participant that tracks spider.state itself says what changed; otherwise the tracker set by trackState() is asked.
    if (change?.stopTracking) this.dropJournaledState();
    const state = change !== undefined ? change.bytes : this.changedState();
    // Written in one write with the ack: a crash before it leaves neither.
    if (state !== undefined) this.journal.appendLater({t: 'state', bytes: state});
    this.journal.append({t: 'ack', leases: leaseIds});
    if (state !== undefined) this.committedState = state;
    const mustCompact = this.stateDropped;
    this.stateDropped = false;
    this.queue.release(leaseIds);
    this.commitOpen = false;
    this.queue.commitOpen = false;
    // Compacting costs the size of the checkpoint (the un-acked leases), so wait until the journal doubled past it.
    if (mustCompact || this.journal.length > Math.max(this.journalMaxBytes, 2 * this.journal.compactedLength)) {
      this.ensureOwned();
      this.journal.compact(this.checkpoint());
    }
  }

  recordFailed(payload: Buffer, reason: string): void {
    this.failed.append(payload, reason);
  }

  readFailed(): Buffer[] {
    return this.failed.readAll();
  }

  clearFailed(): void {
    this.ensureOwned();
    // The journal first learns that the log is empty: otherwise an empty log would look cut short.
    if (this.failed.length > 0 && !this.commitOpen) this.journal.compact({...this.checkpoint(), failedLength: 0});
    this.failed.clear();
  }

  trackState(source: () => Record<string, unknown>, onGiveUp: (reason: string) => void, maxBytes = DEFAULT_STATE_JOURNAL_MAX_BYTES): void {
    this.stateTracker = {source, onGiveUp, maxBytes};
  }

  /** The tracked state's bytes if they differ from the last acked ones. */
  private changedState(): Buffer | undefined {
    const tracker = this.stateTracker;
    if (tracker === undefined) return undefined;
    let bytes: Buffer;
    try {
      bytes = serialize(tracker.source());
    } catch (error) {
      this.stopTrackingState(`it cannot be serialized (${(error as Error).message})`);
      return undefined;
    }
    if (bytes.length > tracker.maxBytes) {
      this.stopTrackingState(`it is ${bytes.length} bytes, more than the ${tracker.maxBytes} journaled with each page`);
      return undefined;
    }
    return this.committedState !== undefined && bytes.equals(this.committedState) ? undefined : bytes;
  }

  /**
   * From now on the state file alone holds spider.state: it gets the last acked state now (the
   * periodic save may be older, or fail for good), and the journal is compacted after this ack so
   * it holds no state of its own.
   */
  private stopTrackingState(reason: string): void {
    const {onGiveUp} = this.stateTracker!;
    this.stateTracker = undefined;
    this.dropJournaledState();
    onGiveUp(reason);
  }

  private dropJournaledState(): void {
    if (this.committedState !== undefined) this.writeStateFile(this.committedState);
    this.committedState = undefined;
    this.stateDropped = true;
  }

  loadState(): Record<string, unknown> | undefined {
    if (this.committedState !== undefined) {
      try {
        return deserialize(this.committedState) as Record<string, unknown>;
      } catch (error) {
        throw new DraglineError('JOBDIR_CORRUPT', `spider.state in ${join(this.dir, QUEUE_DIR, JOURNAL_NAME)} cannot be read (${(error as Error).message}); the job directory is damaged`, {cause: error});
      }
    }
    return this.documents.readStateFile();
  }

  saveState(state: Record<string, unknown>): void {
    this.documents.saveState(state);
  }

  private writeStateFile(bytes: Buffer): void {
    this.documents.writeStateFile(bytes);
  }

  loadJson<T = unknown>(name: string): T | undefined {
    return this.documents.loadJson<T>(name);
  }

  saveJson(name: string, value: unknown): void {
    this.documents.saveJson(name, value);
  }

  async close(reason: string, options: JobCloseOptions = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      this.ensureOwned();
    } catch (error) {
      // Not ours any more: no last compaction, no cutting of queue files, no job.json. Our files
      // are left open until the process exits (closing the queue would truncate its tails).
      this.fsync.stop();
      await this.lock.release();
      throw error;
    }
    try {
      await this.closeFiles(reason, options);
    } catch (error) {
      throw jobFsError(this.dir, error);
    }
  }

  private async closeFiles(reason: string, options: JobCloseOptions): Promise<void> {
    // What closed() and the spider_closed handlers changed counts when no page was abandoned
    // half-way (an abandoned page's changes would be made again when it is fetched again).
    if (options.stateComplete && !this.commitOpen) {
      const state = options.finalState ?? this.changedState();
      if (state !== undefined) this.committedState = state;
    }
    // A commit still open at close is left for the next open to roll back, like a crash.
    if (!this.commitOpen) this.journal.compact(this.checkpoint());
    this.queue.close();
    this.seen.close();
    this.failed.close();
    this.journal.close();
    this.fsync.stop();
    const now = new Date().toISOString();
    const lastRun = {...(this.jobFile.lastRun as LastRun), reason, endedAt: now};
    writeJobFile(this.dir, {...this.jobFile, updatedAt: now, lastRun}, this.fsync.enabled);
    rmSync(join(this.dir, `${STATE_NAME}.tmp-${process.pid}`), {force: true});
    await this.lock.release();
  }
}
