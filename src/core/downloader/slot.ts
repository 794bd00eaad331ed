/**
 * A download slot: the requests to one domain, at most `concurrency` at a time, with `delayMs`
 * between the start of one request and the next (randomized 0.5–1.5×, as Scrapy's
 * RANDOMIZE_DOWNLOAD_DELAY).
 */
export class Slot {
  active = 0;
  private lastStart = 0;
  private readonly waiting: Array<() => void> = [];
  private timer?: NodeJS.Timeout;
  /** Downloads started, and how many of them had to wait for the delay (not for a free place). */
  started = 0;
  startedLate = 0;
  private waitedForDelay = false;

  constructor(
    readonly key: string,
    readonly concurrency: number,
    /** Changed while the crawl runs by AutoThrottle. */
    public delayMs: number,
    readonly randomizeDelay: boolean,
  ) {}

  /** Resolves when the caller may start its download; call release() when it is done. */
  acquire(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.dispatch();
    });
  }

  release(): void {
    this.active -= 1;
    this.dispatch();
  }

  get queued(): number {
    return this.waiting.length;
  }

  get idle(): boolean {
    return this.active === 0 && this.waiting.length === 0;
  }

  close(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private dispatch(): void {
    if (this.timer !== undefined) return;
    while (this.waiting.length > 0 && this.active < this.concurrency) {
      const wait = this.nextDelay() - (Date.now() - this.lastStart);
      if (this.delayMs > 0 && wait > 0) {
        this.waitedForDelay = true;
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.dispatch();
        }, wait);
        return;
      }
      this.active += 1;
      this.started += 1;
      if (this.waitedForDelay) this.startedLate += 1;
      this.waitedForDelay = false;
      this.lastStart = Date.now();
      this.waiting.shift()!();
    }
  }

  private nextDelay(): number {
    if (this.delayMs === 0) return 0;
    return this.randomizeDelay ? this.delayMs * (0.5 + Math.random()) : this.delayMs;
  }
}
