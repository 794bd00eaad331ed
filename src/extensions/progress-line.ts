import type {StderrSink} from '../core/logger.js';
import type {StatsCollector} from '../core/stats.js';
import {formatCount} from '../utils/format-count.js';

export interface ProgressSource {
  pending(): number;
  inFlight(): number;
}

/**
 * A live one-line status on a terminal: pages, items, rate, pending, in flight. Log lines are
 * printed above it (the sink clears the line, writes, and redraws).
 */
export class ProgressLine {
  private timer?: NodeJS.Timeout;
  private readonly startedAt = Date.now();
  private shown = false;

  constructor(
    private readonly stats: StatsCollector,
    private readonly source: ProgressSource,
    private readonly sink: StderrSink,
  ) {}

  start(): void {
    this.sink.beforeWrite = () => this.clear();
    this.sink.afterWrite = () => this.draw();
    this.timer = setInterval(() => this.draw(), 250);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.clear();
    this.sink.beforeWrite = undefined;
    this.sink.afterWrite = undefined;
  }

  private draw(): void {
    const pages = this.stats.get<number>('response_received_count', 0)!;
    const items = this.stats.get<number>('item_scraped_count', 0)!;
    const minutes = Math.max((Date.now() - this.startedAt) / 60_000, 1 / 60);
    const line = `  ${formatCount(pages)} pages (${formatCount(Math.round(pages / minutes))}/min) · ${formatCount(items)} items · ${formatCount(this.source.pending())} pending · ${this.source.inFlight()} in flight`;
    process.stderr.write(`\r\x1b[2K${line}`);
    this.shown = true;
  }

  private clear(): void {
    if (!this.shown) return;
    process.stderr.write('\r\x1b[2K');
    this.shown = false;
  }
}
