import type {Request} from './http/request.js';

/**
 * Pending Request objects kept in memory, highest priority first, LIFO or FIFO within a priority.
 * Used for runs without a JOBDIR, and beside the disk queue for requests that cannot be stored.
 */
export class MemoryRequestQueue {
  private readonly byPriority = new Map<number, Request[]>();
  private readonly heads = new Map<number, number>();
  private priorities: number[] = [];
  private count = 0;

  constructor(private readonly order: 'lifo' | 'fifo' = 'lifo') {}

  get size(): number {
    return this.count;
  }

  push(request: Request): void {
    let list = this.byPriority.get(request.priority);
    if (list === undefined) {
      list = [];
      this.byPriority.set(request.priority, list);
      this.heads.set(request.priority, 0);
      this.priorities.push(request.priority);
      this.priorities.sort((a, b) => b - a);
    }
    list.push(request);
    this.count += 1;
  }

  pop(): Request | undefined {
    const priority = this.priorities[0];
    if (priority === undefined) return undefined;
    const list = this.byPriority.get(priority)!;
    let request: Request;
    if (this.order === 'lifo') {
      request = list.pop()!;
    } else {
      const head = this.heads.get(priority)!;
      request = list[head]!;
      list[head] = undefined as unknown as Request;
      this.heads.set(priority, head + 1);
      // Compact now and then so a long FIFO does not keep its consumed half alive.
      if (head + 1 > 1024 && head + 1 > list.length / 2) {
        list.splice(0, head + 1);
        this.heads.set(priority, 0);
      }
    }
    this.count -= 1;
    if (list.length - this.heads.get(priority)! === 0) {
      this.byPriority.delete(priority);
      this.heads.delete(priority);
      this.priorities.shift();
    }
    return request;
  }

  /** Every pending request, in no particular order (what a pause drops). */
  *[Symbol.iterator](): IterableIterator<Request> {
    for (const [priority, list] of this.byPriority) yield* list.slice(this.heads.get(priority));
  }
}
