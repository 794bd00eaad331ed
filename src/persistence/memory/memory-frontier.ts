import type {CommitBatch, CommitReply, Frontier, FrontierOpenReport, FrontierStatus, Lease} from '../frontier.js';
import {MemoryQueue} from './memory-queue.js';
import {FingerprintSet} from '../seen-set.js';
import {applyChildren} from '../frontier-children.js';

/**
 * The frontier of a crawl without JOBDIR: a seen set and a priority queue of encoded requests in
 * this process, gone when it exits. `durable` is false, so dragline's scheduler keeps its requests
 * as objects (Scrapy's memory queue) and asks this frontier only whether each one is new; the
 * queue serves callers that give it bytes (a custom frontier built on this one, tests).
 */
export class MemoryFrontier implements Frontier {
  readonly durable: boolean = false;
  protected readonly queue: MemoryQueue<Buffer>;
  protected readonly seen = FingerprintSet.inMemory();
  private readonly leased = new Set<number>();
  private readonly failed: Buffer[] = [];

  constructor(order: 'lifo' | 'fifo' = 'lifo') {
    this.queue = new MemoryQueue<Buffer>(order);
  }

  get pending(): number {
    return this.queue.size;
  }

  knownSeen(fingerprint: Buffer): boolean {
    return this.seen.has(fingerprint);
  }

  async open(): Promise<FrontierOpenReport> {
    return {fresh: true, pending: 0, seen: 0, requeued: 0, rolledBack: false};
  }

  async next(n: number): Promise<Lease[]> {
    const leases: Lease[] = [];
    while (leases.length < n) {
      const lease = this.queue.pop();
      if (lease === undefined) break;
      this.leased.add(lease.id);
      leases.push(lease);
    }
    return leases;
  }

  async commit(batch: CommitBatch): Promise<CommitReply> {
    for (const write of batch.local) write.apply();
    if (batch.clearFailed) this.failed.length = 0;
    for (const {payload} of batch.failed) this.failed.push(payload);
    const added = applyChildren(batch.requests, this.seen, (payload, priority) => this.queue.push(payload, priority));
    for (const id of batch.leases) this.leased.delete(id);
    return {added};
  }

  async release(leases: number[]): Promise<void> {
    // Nothing outlives the process: a released request is dropped with it.
    for (const id of leases) this.leased.delete(id);
  }

  async isFinished(): Promise<boolean> {
    return this.queue.size === 0 && this.leased.size === 0;
  }

  async status(): Promise<FrontierStatus> {
    return {pending: this.queue.size, leased: this.leased.size, seen: this.seen.size, sizes: this.queue.sizes()};
  }

  async readFailed(): Promise<Buffer[]> {
    return [...this.failed];
  }

  async close(): Promise<void> {
    // Nothing to write.
  }
}
