import type {Request} from '../http/request.js';
import type {Response} from '../http/response.js';
import type {CommitBatch, CommitReply, Frontier} from '../persistence/frontier.js';

/** What one response (or one start() output) produced, as the engine collected it. */
export interface CrawlOutputs {
  requests: Request[];
  items: unknown[];
  /** Requests that failed: download errors, and HTTP errors with the response (a participant decides which count as failed for good). */
  failed: Array<{request: Request; error: Error & {code?: string}; response?: Response}>;
}

/**
 * A part of the crawl that adds its share to each commit: the scheduler (child requests), the feeds
 * (item lines), the failed-request log, spider.state. The engine knows none of them: it hands each
 * response's outputs to the Committer, which asks every participant in turn.
 */
export interface CommitParticipant {
  /** Adds this participant's part of `outputs` to `batch`; synchronous, right before the batch goes to the frontier. */
  prepare(outputs: CrawlOutputs, batch: CommitBatch): void;
  /** The frontier committed the batch: act on its reply (signals, stats, requests kept in memory). */
  committed?(batch: CommitBatch, reply: CommitReply): void;
}

export function emptyOutputs(): CrawlOutputs {
  return {requests: [], items: [], failed: []};
}

/**
 * Turns outputs into frontier commits, one at a time, in the order they were asked for.
 *
 * Serialisation: commit() chains each call after the previous one, and builds the batch only when
 * its turn comes, so a batch's feed offsets and spider.state are taken after the previous commit
 * landed. A backend therefore never sees two commits at once, and the jobdir backend's commit runs
 * without an await inside, so begin … ack stays one uninterrupted step: the kill -9 guarantee (at
 * most the last commit torn, and rolled back) holds as before.
 */
export class Committer {
  private tail: Promise<unknown> = Promise.resolve();
  /** Commits asked for and not yet settled. */
  private unsettled = 0;
  private stopped = false;
  private settledWaiters: Array<() => void> = [];

  constructor(private readonly frontier: Frontier, private readonly participants: CommitParticipant[]) {}

  /** Commits `outputs`, completing `leases`; resolves once durable (to false if stop() dropped it; rejects if the frontier failed). */
  commit(leases: number[], outputs: CrawlOutputs, extra: Partial<Pick<CommitBatch, 'clearFailed'>> = {}): Promise<boolean> {
    const start = (): Promise<boolean> => this.commitNow(leases, outputs, extra);
    // With no commit under way this one starts now (the usual case: a commit takes no time on disk).
    // A pipelined backend takes the next commit before the previous one settled, in the same order.
    const run = this.unsettled === 0 || this.frontier.pipelined ? start() : this.tail.then(start);
    this.unsettled += 1;
    // The chain goes on after a failure; the failure is the caller's to handle.
    const done = (): void => {
      this.unsettled -= 1;
      if (this.unsettled === 0) for (const resolve of this.settledWaiters.splice(0)) resolve();
    };
    this.tail = run.then(done, done);
    return run;
  }

  /**
   * Resolves once every commit asked for has settled (landed, been refused, or failed). A pause
   * that abandoned in-flight requests leaves the engine while some of their commits are on the
   * wire: their feed lines are written when they land, so the feeds must stay open until then.
   */
  settled(): Promise<void> {
    if (this.unsettled === 0) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  /** Later commits are dropped (a pause that abandoned in-flight requests, a lost job). */
  stop(): void {
    this.stopped = true;
  }

  private async commitNow(leases: number[], outputs: CrawlOutputs, extra: Partial<Pick<CommitBatch, 'clearFailed'>>): Promise<boolean> {
    if (this.stopped) return false;
    const batch: CommitBatch = {leases, requests: [], failed: [], local: [], ...extra};
    for (const participant of this.participants) participant.prepare(outputs, batch);
    const reply = await this.frontier.commit(batch);
    // A refused commit (its lease went to another worker) wrote nothing: there is nothing to report.
    if (reply.refused) return true;
    for (const participant of this.participants) participant.committed?.(batch, reply);
    return true;
  }
}
