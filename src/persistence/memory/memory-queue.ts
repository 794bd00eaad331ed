import type {Lease, PendingQueue} from '../types.js';

/** A lease of an in-memory queue: the same shape as a disk lease, for any kind of value. */
export interface MemoryLease<T> {
  id: number;
  priority: number;
  payload: T;
}

/** One priority's values, taken in the order of the lane's kind. */
interface Lane<T> {
  readonly length: number;
  push(value: T): void;
  take(): T;
}

/** First in, first out: reads from `head`. */
class FifoLane<T> implements Lane<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(value: T): void {
    this.items.push(value);
  }

  take(): T {
    const value = this.items[this.head];
    this.items[this.head] = undefined as T;
    this.head += 1;
    // Reclaim the consumed front once it is most of the array, so a long FIFO run stays flat.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return value;
  }
}

/** Last in, first out (Scrapy's default, depth-first): reads from the end. */
class LifoLane<T> implements Lane<T> {
  private items: T[] = [];

  get length(): number {
    return this.items.length;
  }

  push(value: T): void {
    this.items.push(value);
  }

  take(): T {
    return this.items.pop() as T;
  }
}

/**
 * The pending queue of a run without JOBDIR, and of requests that cannot be serialized: highest
 * priority first, LIFO (Scrapy's default) or FIFO within a priority. Holds any value, so the
 * scheduler can keep Request objects here directly.
 */
export class MemoryQueue<T = Buffer> {
  private readonly buckets = new Map<number, Lane<T>>();
  private readonly newLane: () => Lane<T>;
  /** Priorities with pending values, highest first. */
  private priorities: number[] = [];
  private count = 0;
  private nextId = 1;

  constructor(order: 'lifo' | 'fifo' = 'lifo') {
    this.newLane = order === 'fifo' ? () => new FifoLane<T>() : () => new LifoLane<T>();
  }

  get size(): number {
    return this.count;
  }

  push(payload: T, priority: number): void {
    let bucket = this.buckets.get(priority);
    if (!bucket) {
      bucket = this.newLane();
      this.buckets.set(priority, bucket);
      this.priorities.push(priority);
      this.priorities.sort((a, b) => b - a);
    }
    bucket.push(payload);
    this.count += 1;
  }

  pop(): MemoryLease<T> | undefined {
    const priority = this.priorities[0];
    if (priority === undefined) return undefined;
    const bucket = this.buckets.get(priority) as Lane<T>;
    const payload = bucket.take();
    this.count -= 1;
    if (bucket.length === 0) {
      this.buckets.delete(priority);
      this.priorities.shift();
    }
    return {id: this.nextId++, priority, payload};
  }

  sizes(): Record<number, number> {
    const out: Record<number, number> = {};
    for (const [priority, bucket] of this.buckets) out[priority] = bucket.length;
    return out;
  }
}

/** The in-memory queue of serialized requests, satisfying the same contract as the disk queue. */
export class MemoryPendingQueue extends MemoryQueue<Buffer> implements PendingQueue {
  override pop(): Lease | undefined {
    return super.pop();
  }
}
