import {randomUUID} from 'node:crypto';
import {mkdirSync} from 'node:fs';
import {acquireJobLock, type HeldLock} from '../jobdir/job-lock.js';
import {JobDocuments} from '../jobdir/job-documents.js';
import type {JobDir, JobOpenReport} from '../types.js';

const WATERMARK = 'feed-watermark';
const IDENTITY = 'worker-id';

/** How far this worker's feeds hold its commits: every commit up to `seq` is in the files, which were `offsets` long then. */
export interface FeedWatermark {
  seq: number;
  offsets: Record<string, number>;
}

/**
 * One worker's local files in a Redis job (`.dragline/workers/<jobkey>/<worker>`): its lock, its
 * feeds' watermark, spider.state's file, stats.json and cookies.json. The frontier lives in Redis;
 * what stays here belongs to this process and its disk. On open, feeds are cut back to the
 * watermark and the commits after it are written again from Redis (replayed by the frontier).
 */
export class WorkerDir implements JobDir {
  readonly report: JobOpenReport;
  private readonly documents: JobDocuments;
  /** spider.state as the last commit of this worker's previous run left it in Redis. */
  committedState?: Record<string, unknown>;

  /**
   * Made once for this folder and kept in it: Redis tells an earlier run of this worker from this
   * folder (dead: this process holds the folder's lock) from a live process elsewhere with the same name.
   */
  readonly id: string;

  private constructor(readonly dir: string, private readonly lock: HeldLock, readonly watermark: FeedWatermark | undefined) {
    this.documents = new JobDocuments(dir, () => lock.check(), () => false);
    const saved = this.documents.loadJson<{id?: unknown}>(IDENTITY)?.id;
    this.id = typeof saved === 'string' && saved !== '' ? saved : randomUUID();
    if (this.id !== saved) this.documents.saveJson(IDENTITY, {id: this.id});
    this.report = {
      fresh: watermark === undefined,
      pending: 0,
      seen: 0,
      requeued: 0,
      rolledBack: watermark !== undefined,
      feedOffsets: watermark?.offsets ?? {},
    };
  }

  static async open(dir: string, onCompromised: (error: Error) => void): Promise<WorkerDir> {
    mkdirSync(dir, {recursive: true});
    const lock = await acquireJobLock(dir, onCompromised);
    lock.claim(0);
    const probe = new JobDocuments(dir, () => lock.check(), () => false);
    return new WorkerDir(dir, lock, probe.loadJson<FeedWatermark>(WATERMARK));
  }

  saveWatermark(watermark: FeedWatermark): void {
    this.documents.saveJson(WATERMARK, watermark);
  }

  feedsRestored(): void {
    // The watermark stays: it is replaced as commits land.
  }

  loadState(): Record<string, unknown> | undefined {
    return this.committedState ?? this.documents.readStateFile();
  }

  saveState(state: Record<string, unknown>): void {
    this.documents.saveState(state);
  }

  loadJson<T = unknown>(name: string): T | undefined {
    return this.documents.loadJson<T>(name);
  }

  saveJson(name: string, value: unknown): void {
    this.documents.saveJson(name, value);
  }

  async close(): Promise<void> {
    await this.lock.release();
  }
}
