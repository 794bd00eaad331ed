import type {Crawler} from '../core/crawler.js';

const MIB = 1024 * 1024;

/**
 * Scrapy's MemoryUsage extension: records the process's resident memory (`memusage/startup`,
 * `memusage/max`), warns once past MEMUSAGE_WARNING_MB, and past MEMUSAGE_LIMIT_MB closes the
 * spider with reason `memusage_exceeded` — with a JOBDIR, a pause the job resumes from, so a crawl
 * that grows too big stops cleanly instead of being killed by the system.
 */
export class MemoryUsage {
  private readonly limitBytes: number;
  private readonly warningBytes: number;
  private readonly checkIntervalMs: number;
  private warned = false;
  private stopped = false;
  private maxTimer?: NodeJS.Timeout;
  private checkTimer?: NodeJS.Timeout;

  constructor(
    private readonly crawler: Crawler,
    /** The resident set size now, in bytes (a parameter so tests need not allocate). */
    private readonly rss: () => number = () => process.memoryUsage.rss(),
  ) {
    const settings = crawler.settings;
    this.limitBytes = settings.getInt('MEMUSAGE_LIMIT_MB') * MIB;
    this.warningBytes = settings.getInt('MEMUSAGE_WARNING_MB') * MIB;
    this.checkIntervalMs = Math.max(settings.getFloat('MEMUSAGE_CHECK_INTERVAL_SECONDS') * 1000, 10);
  }

  start(): void {
    const stats = this.crawler.stats;
    const startup = this.rss();
    stats.set('memusage/startup', startup);
    stats.max('memusage/max', startup);
    // The peak is sampled every second (a limit check may be rarer, as in Scrapy: 60 s by default).
    this.maxTimer = setInterval(() => stats.max('memusage/max', this.rss()), Math.min(1000, this.checkIntervalMs));
    this.maxTimer.unref();
    if (this.limitBytes > 0 || this.warningBytes > 0) {
      this.checkTimer = setInterval(() => this.check(), this.checkIntervalMs);
      this.checkTimer.unref();
    }
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.maxTimer);
    clearInterval(this.checkTimer);
    this.crawler.stats.max('memusage/max', this.rss());
  }

  private check(): void {
    if (this.stopped) return;
    const rss = this.rss();
    const {stats, logger} = this.crawler;
    stats.max('memusage/max', rss);
    const log = logger.child('dragline.extensions.memusage');
    if (this.limitBytes > 0 && rss > this.limitBytes) {
      stats.set('memusage/limit_reached', 1);
      log.error(`Memory usage exceeded ${Math.round(this.limitBytes / MIB)}MiB (${Math.round(rss / MIB)}MiB). Shutting down the spider...`);
      clearInterval(this.checkTimer);
      this.crawler.closeSpider('memusage_exceeded');
      return;
    }
    if (this.warningBytes > 0 && !this.warned && rss > this.warningBytes) {
      this.warned = true;
      stats.set('memusage/warning_reached', 1);
      log.warning(`Memory usage reached ${Math.round(this.warningBytes / MIB)}MiB (${Math.round(rss / MIB)}MiB)`);
    }
  }
}
