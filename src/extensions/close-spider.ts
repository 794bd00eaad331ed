import type {Crawler} from '../core/crawler.js';
import {SIGNALS} from '../core/signals.js';

type Limit = 'itemcount' | 'pagecount' | 'errorcount';

/**
 * Closes the spider when a limit is reached, as Scrapy's CloseSpider extension: CLOSESPIDER_TIMEOUT
 * seconds after the spider opened, or after CLOSESPIDER_ITEMCOUNT items, CLOSESPIDER_PAGECOUNT
 * responses or CLOSESPIDER_ERRORCOUNT callback errors. The close reason is `closespider_<limit>`.
 * Each limit fires once; requests already in flight still finish, so counts may end a little past the limit.
 * As Scrapy 2.11+, it also closes a crawl that stopped finding items: CLOSESPIDER_TIMEOUT_NO_ITEM
 * seconds without an item, or CLOSESPIDER_PAGECOUNT_NO_ITEM responses in a row without one.
 */
export class CloseSpiderExtension {
  private readonly limits: Record<Limit, number>;
  private readonly counts: Record<Limit, number> = {itemcount: 0, pagecount: 0, errorcount: 0};
  private readonly timeoutSeconds: number;
  private timer?: NodeJS.Timeout;
  private readonly noItemSeconds: number;
  private readonly noItemPages: number;
  private itemsInPeriod = 0;
  private pagesSinceItem = 0;
  private noItemTimer?: NodeJS.Timeout;
  private readonly listeners: Array<[string, () => void]> = [];

  constructor(private readonly crawler: Crawler) {
    const settings = crawler.settings;
    this.timeoutSeconds = settings.getFloat('CLOSESPIDER_TIMEOUT');
    this.limits = {
      itemcount: settings.getInt('CLOSESPIDER_ITEMCOUNT'),
      pagecount: settings.getInt('CLOSESPIDER_PAGECOUNT'),
      errorcount: settings.getInt('CLOSESPIDER_ERRORCOUNT'),
    };
    if (this.limits.itemcount > 0) this.listen(SIGNALS.itemScraped, () => this.count('itemcount'));
    if (this.limits.pagecount > 0) this.listen(SIGNALS.responseReceived, () => this.count('pagecount'));
    if (this.limits.errorcount > 0) this.listen(SIGNALS.spiderError, () => this.count('errorcount'));
    if (this.timeoutSeconds > 0) this.listen(SIGNALS.spiderOpened, () => this.startTimer());
    this.noItemSeconds = settings.getFloat('CLOSESPIDER_TIMEOUT_NO_ITEM');
    this.noItemPages = settings.getInt('CLOSESPIDER_PAGECOUNT_NO_ITEM');
    if (this.noItemSeconds > 0 || this.noItemPages > 0) {
      this.listen(SIGNALS.itemScraped, () => {
        this.itemsInPeriod += 1;
        this.pagesSinceItem = 0;
      });
    }
    if (this.noItemPages > 0) this.listen(SIGNALS.responseReceived, () => this.countPageWithoutItem());
    if (this.noItemSeconds > 0) this.listen(SIGNALS.spiderOpened, () => this.startNoItemTimer());
    this.listen(SIGNALS.spiderClosed, () => this.close());
  }

  /** Whether any limit is set (a crawler may leave the extension out otherwise). */
  get enabled(): boolean {
    return this.timeoutSeconds > 0 || this.noItemSeconds > 0 || this.noItemPages > 0 || Object.values(this.limits).some((limit) => limit > 0);
  }

  /** Stops the timer and stops listening. */
  close(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.noItemTimer !== undefined) clearInterval(this.noItemTimer);
    this.noItemTimer = undefined;
    for (const [signal, listener] of this.listeners.splice(0)) this.crawler.signals.off(signal, listener);
  }

  private startTimer(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.crawler.closeSpider('closespider_timeout');
    }, this.timeoutSeconds * 1000);
    // The timer alone must not keep a finished crawl's process alive.
    this.timer.unref();
  }

  /** Every CLOSESPIDER_TIMEOUT_NO_ITEM seconds: closes the spider if no item came in that time. */
  private startNoItemTimer(): void {
    if (this.noItemTimer !== undefined) return;
    this.noItemTimer = setInterval(() => {
      if (this.itemsInPeriod > 0) {
        this.itemsInPeriod = 0;
        return;
      }
      clearInterval(this.noItemTimer);
      this.noItemTimer = undefined;
      this.crawler.closeSpider('closespider_timeout_no_item');
    }, this.noItemSeconds * 1000);
    this.noItemTimer.unref();
  }

  private countPageWithoutItem(): void {
    this.pagesSinceItem += 1;
    if (this.pagesSinceItem === this.noItemPages) this.crawler.closeSpider('closespider_pagecount_no_item');
  }

  private count(limit: Limit): void {
    this.counts[limit] += 1;
    if (this.counts[limit] === this.limits[limit]) this.crawler.closeSpider(`closespider_${limit}`);
  }

  private listen(signal: string, listener: () => void): void {
    this.crawler.signals.on(signal, listener);
    this.listeners.push([signal, listener]);
  }
}
