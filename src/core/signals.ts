import {EventEmitter} from 'node:events';

/**
 * Scrapy's signals, as events on `crawler.signals`. Handlers run synchronously; those that must do
 * I/O do it with their own care (the engine does not wait for them).
 */
export const SIGNALS = {
  spiderOpened: 'spider_opened',
  spiderClosed: 'spider_closed',
  requestScheduled: 'request_scheduled',
  requestDropped: 'request_dropped',
  responseReceived: 'response_received',
  itemScraped: 'item_scraped',
  itemDropped: 'item_dropped',
  /** A callback or errback threw (what CLOSESPIDER_ERRORCOUNT counts). */
  spiderError: 'spider_error',
  /** Emitted whenever job state is saved (periodically, at pause and at finish): persist your own state now. */
  persist: 'persist',
} as const;

export class SignalManager extends EventEmitter {}
