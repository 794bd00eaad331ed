import type {CommitBatch, CommitReply, Frontier, FrontierOpenReport, FrontierStatus, Lease} from '../frontier.js';
import {applyChildren} from '../frontier-children.js';
import {openJob, type JobTuning} from './job.js';
import type {Job, JobCloseOptions, JobDir, JobOptions} from '../types.js';

/**
 * The frontier of a job directory (JOBDIR): today's disk queue, journal, seen file and failed log,
 * unchanged on disk. Its commit is the journal's begin … ack, run without an await in between, so
 * nothing else of the process can interleave with it and a kill -9 leaves at most that one commit
 * torn, which the next open rolls back. The job's per-process part (lock, job.json, feed offsets,
 * spider.state's file, stats.json, cookies.json) is offered as `jobDir`.
 */
export class JobDirFrontier implements Frontier {
  readonly durable = true;
  private opened?: Job;
  private leased = 0;

  constructor(private readonly dir: string, private readonly options: JobOptions, private readonly tuning: JobTuning = {}) {}

  /** The job's local files, once open. */
  get jobDir(): JobDir | undefined {
    return this.opened;
  }

  get pending(): number {
    return this.opened?.queue.size ?? 0;
  }

  private get job(): Job {
    if (this.opened === undefined) throw new Error('The job directory frontier is not open');
    return this.opened;
  }

  knownSeen(fingerprint: Buffer): boolean {
    return this.job.seen.has(fingerprint);
  }

  async open(): Promise<FrontierOpenReport> {
    this.opened = await openJob(this.dir, this.options, this.tuning);
    const {fresh, pending, seen, requeued, rolledBack} = this.opened.report;
    return {fresh, pending, seen, requeued, rolledBack};
  }

  async next(n: number): Promise<Lease[]> {
    const leases: Lease[] = [];
    const queue = this.job.queue;
    while (leases.length < n) {
      const lease = queue.pop();
      if (lease === undefined) break;
      leases.push(lease);
    }
    this.leased += leases.length;
    return leases;
  }

  async commit(batch: CommitBatch): Promise<CommitReply> {
    return {added: this.commitNow(batch)};
  }

  /** The whole commit, synchronously: begin (with the feed lengths), failed requests, children, feed lines, ack (with spider.state). */
  private commitNow(batch: CommitBatch): boolean[] {
    const job = this.job;
    const offsets: Record<string, number> = {};
    for (const write of batch.local) Object.assign(offsets, write.offsets());
    job.begin(batch.leases, offsets);
    for (const {payload, reason} of batch.failed) job.recordFailed(payload, reason);
    const added = applyChildren(batch.requests, job.seen, (payload, priority) => job.queue.push(payload, priority));
    for (const write of batch.local) write.apply();
    job.ack(batch.leases, batch.state ?? {});
    // Forgotten only once the commit that queued them again is durable.
    if (batch.clearFailed) job.clearFailed();
    this.leased -= batch.leases.length;
    return added;
  }

  async release(): Promise<void> {
    // Leases without an ack are served again, first, when the job next opens: nothing to write now.
  }

  async isFinished(): Promise<boolean> {
    return this.job.queue.size === 0 && this.leased === 0;
  }

  async status(): Promise<FrontierStatus> {
    const job = this.job;
    return {pending: job.queue.size, leased: this.leased, seen: job.seen.size, sizes: job.queue.sizes()};
  }

  async readFailed(): Promise<Buffer[]> {
    return this.job.readFailed();
  }

  async close(reason: string, options: JobCloseOptions = {}): Promise<void> {
    await this.opened?.close(reason, options);
  }
}
