import type {ItemPipeline} from '../core/middleware.js';
import type {Spider} from '../spiders/spider.js';
import type {Response} from '../http/response.js';
import type {Logger} from '../core/logger.js';
import type {StatsCollector} from '../core/stats.js';
import {SIGNALS, type SignalManager} from '../core/signals.js';

/** Sends items through the pipelines in order, as Scrapy's ItemPipelineManager; DropItem drops. */
export class ItemPipelineManager {
  constructor(
    readonly pipelines: ItemPipeline[],
    private readonly spider: Spider,
    private readonly stats: StatsCollector,
    private readonly logger: Logger,
    private readonly signals: SignalManager,
  ) {}

  /** The item as the last pipeline returned it, or undefined if a pipeline dropped it or failed. */
  async process(item: unknown, response: Response | undefined): Promise<unknown> {
    let current = item;
    try {
      for (const pipeline of this.pipelines) current = await pipeline.processItem(current, this.spider);
    } catch (error) {
      const err = error as Error;
      if (err?.name === 'DropItem') {
        this.stats.inc('item_dropped_count');
        this.stats.inc(`item_dropped_reasons_count/${err.name}`);
        this.logger.warning(`Dropped: ${err.message}\n${safeJson(current)}`);
        this.signals.emit(SIGNALS.itemDropped, current, response, err);
      } else {
        this.stats.inc('item_error_count');
        this.logger.error(`Error processing ${safeJson(current)}: ${err?.stack ?? String(error)}`);
      }
      return undefined;
    }
    this.stats.inc('item_scraped_count');
    if (this.logger.isEnabledFor('DEBUG')) this.logger.debug(`Scraped from ${response ?? '<start>'}\n${safeJson(current)}`);
    this.signals.emit(SIGNALS.itemScraped, current, response);
    return current;
  }

  async open(): Promise<void> {
    for (const pipeline of this.pipelines) await pipeline.open?.(this.spider);
  }

  async close(reason: string): Promise<void> {
    for (const pipeline of this.pipelines) await pipeline.close?.(this.spider, reason);
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
