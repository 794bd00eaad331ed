import type {Page} from 'playwright-core';

/**
 * The pages of one browser context, at most PLAYWRIGHT_MAX_PAGES_PER_CONTEXT open at once: a
 * request takes an idle page, or opens one while under the limit, or waits for one to come back,
 * rather than opening another tab. Pages are reused (each request navigates its page anew): opening
 * a page starts a renderer, which on this machine halved the pages rendered a second.
 */
export class PagePool {
  private readonly pages = new Set<Page>();
  private idle: Page[] = [];
  private waiting: Array<() => void> = [];

  constructor(
    readonly max: number,
    private readonly open: () => Promise<Page>,
  ) {}

  async acquire(): Promise<Page> {
    for (;;) {
      const idle = this.idle.pop();
      if (idle !== undefined) {
        if (!idle.isClosed()) return idle;
        continue;
      }
      if (this.pages.size < this.max) return this.openPage();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  /** A page back from a request, to be used again (a closed page only frees its place). */
  release(page: Page): void {
    if (this.pages.has(page) && !page.isClosed()) this.idle.push(page);
    this.wakeOne();
  }

  /** After the browser went away: its pages are gone, and every waiting request may open a new one. */
  reset(): void {
    this.pages.clear();
    this.idle = [];
    const waiting = this.waiting;
    this.waiting = [];
    for (const wake of waiting) wake();
  }

  private async openPage(): Promise<Page> {
    // The place is taken before the page exists, so that concurrent requests cannot overshoot the limit.
    const placeholder = {} as Page;
    this.pages.add(placeholder);
    let page: Page;
    try {
      page = await this.open();
    } catch (error) {
      this.pages.delete(placeholder);
      this.wakeOne();
      throw error;
    }
    this.pages.delete(placeholder);
    this.pages.add(page);
    page.once('close', () => {
      if (!this.pages.delete(page)) return;
      this.idle = this.idle.filter((other) => other !== page);
      this.wakeOne();
    });
    return page;
  }

  private wakeOne(): void {
    this.waiting.shift()?.();
  }
}
