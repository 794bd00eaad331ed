import type {ComponentEntry} from '../core/component-loader.js';
import type {Crawler} from '../core/crawler.js';
import type {Downloader} from '../core/downloader/downloader.js';
import {StderrSink} from '../core/logger.js';
import {NotConfigured} from '../core/middleware.js';
import {AutoThrottle} from './auto-throttle.js';
import {CloseSpiderExtension} from './close-spider.js';
import {LogStats} from './log-stats.js';
import {MemoryUsage} from './memory-usage.js';
import {PoliteDelayNotice} from './polite-delay-notice.js';
import {ProgressLine} from './progress-line.js';

/**
 * An extension (Scrapy's EXTENSIONS): a class named in the setting, built with
 * `fromCrawler(crawler)` (or `new Cls(crawler)`) before the spider opens; it usually connects to
 * signals. `start()` runs when the crawl starts and `stop()` when it stops, if it has them.
 */
export interface Extension {
  start?(): void;
  stop?(): void;
}

/** What the built-in extensions read beyond the Crawler: the running parts of the crawl. */
export interface ExtensionHost extends Crawler {
  /** Requests waiting in the scheduler, as this process knows them. */
  pendingRequests(): number;
  /** Requests taken from the scheduler and not yet committed. */
  activeRequests(): number;
  readonly downloader?: Downloader;
  /** Saves spider.state, stats.json and (through the persist signal) cookies; undefined without a job directory. */
  persistJob?(final: boolean): void;
}

class LogStatsExtension implements Extension {
  private readonly logStats: LogStats;

  constructor(crawler: Crawler) {
    this.logStats = new LogStats(crawler.stats, crawler.logger.child('dragline.extensions.logstats'), crawler.settings.getFloat('LOGSTATS_INTERVAL'));
  }

  start(): void {
    this.logStats.start();
  }

  stop(): void {
    this.logStats.stop();
  }
}

class CloseSpider implements Extension {
  private readonly extension: CloseSpiderExtension;

  constructor(crawler: Crawler) {
    this.extension = new CloseSpiderExtension(crawler);
  }

  stop(): void {
    this.extension.close();
  }
}

class MemoryUsageExtension implements Extension {
  private readonly memory: MemoryUsage;

  constructor(crawler: Crawler) {
    if (!crawler.settings.getBool('MEMUSAGE_ENABLED')) throw new NotConfigured('MEMUSAGE_ENABLED is off');
    this.memory = new MemoryUsage(crawler);
  }

  start(): void {
    this.memory.start();
  }

  stop(): void {
    this.memory.stop();
  }
}

class AutoThrottleExtension implements Extension {
  constructor(crawler: Crawler) {
    const {settings} = crawler;
    const downloader = (crawler as ExtensionHost).downloader;
    if (!settings.getBool('AUTOTHROTTLE_ENABLED') || downloader === undefined) throw new NotConfigured('AUTOTHROTTLE_ENABLED is off');
    new AutoThrottle(settings, crawler.logger.child('dragline.extensions.throttle')).attach(downloader, settings);
  }
}

/** The live line at the bottom of a terminal: pages, rate, items, pending and in-flight requests. */
class ProgressLineExtension implements Extension {
  private readonly line: ProgressLine;

  constructor(crawler: Crawler) {
    const host = crawler as ExtensionHost;
    const sink = crawler.logger.sink;
    if (!(sink instanceof StderrSink) || !process.stderr.isTTY || !crawler.settings.getBool('PROGRESS_ENABLED')) throw new NotConfigured('not a terminal');
    this.line = new ProgressLine(crawler.stats, {pending: () => host.pendingRequests(), inFlight: () => host.activeRequests()}, sink);
  }

  start(): void {
    this.line.start();
  }

  stop(): void {
    this.line.stop();
  }
}

class PoliteDelayNoticeExtension implements Extension {
  private readonly notice: PoliteDelayNotice;

  constructor(crawler: Crawler) {
    const host = crawler as ExtensionHost;
    if (host.downloader === undefined) throw new NotConfigured('no downloader');
    this.notice = new PoliteDelayNotice(crawler.settings, host.downloader, () => host.pendingRequests(), crawler.logger.child('dragline.core.downloader'));
  }

  start(): void {
    this.notice.start();
  }

  stop(): void {
    this.notice.stop();
  }
}

/** Scrapy's SpiderState, and the job's stats and cookies: saved every JOBDIR_STATE_INTERVAL seconds while a job runs. */
class SpiderStateExtension implements Extension {
  private timer?: NodeJS.Timeout;

  constructor(private readonly crawler: Crawler) {
    if (crawler.job === undefined || (crawler as ExtensionHost).persistJob === undefined) throw new NotConfigured('no job directory');
  }

  start(): void {
    const interval = this.crawler.settings.getFloat('JOBDIR_STATE_INTERVAL') * 1000;
    this.timer = setInterval(() => (this.crawler as ExtensionHost).persistJob!(false), Math.max(interval, 100));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
  }
}

/**
 * The built-in extensions and their order (Scrapy's EXTENSIONS_BASE): EXTENSIONS adds yours by
 * name and order, or switches one of these off with null (`-s 'EXTENSIONS={"LogStats": null}'`).
 * Scrapy's dotted names of the same extensions are accepted too (SCRAPY_EXTENSION_NAMES).
 */
export const EXTENSIONS_BASE: Record<string, ComponentEntry<Extension>> = {
  MemoryUsage: {order: 0, component: MemoryUsageExtension},
  CloseSpider: {order: 0, component: CloseSpider},
  LogStats: {order: 0, component: LogStatsExtension},
  SpiderState: {order: 0, component: SpiderStateExtension},
  AutoThrottle: {order: 0, component: AutoThrottleExtension},
  ProgressLine: {order: 0, component: ProgressLineExtension},
  PoliteDelayNotice: {order: 0, component: PoliteDelayNoticeExtension},
};

export const SCRAPY_EXTENSION_NAMES: Record<string, string> = {
  'scrapy.extensions.memusage.MemoryUsage': 'MemoryUsage',
  'scrapy.extensions.closespider.CloseSpider': 'CloseSpider',
  'scrapy.extensions.logstats.LogStats': 'LogStats',
  'scrapy.extensions.spiderstate.SpiderState': 'SpiderState',
  'scrapy.extensions.throttle.AutoThrottle': 'AutoThrottle',
};

/** EXTENSIONS with Scrapy's dotted names of the built-ins replaced by dragline's. */
export function extensionsSetting(user: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(user).map(([key, order]) => [SCRAPY_EXTENSION_NAMES[key] ?? key, order]));
}
