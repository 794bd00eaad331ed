/**
 * Bounds the pages open at once in one browser context (PLAYWRIGHT_MAX_PAGES_PER_CONTEXT): a request
 * waits here for a free page instead of opening another tab.
 */
export class PageLimiter {
  private open = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly max: number) {}

  get count(): number {
    return this.open;
  }

  /** Resolves with a release function, to be called once, when the page is closed. */
  async acquire(): Promise<() => void> {
    if (this.open >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.open += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The page is handed straight to the next request: the count stays the same.
      if (next !== undefined) next();
      else this.open -= 1;
    };
  }
}
