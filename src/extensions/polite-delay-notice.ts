import type {Logger} from '../core/logger.js';
import type {Settings, SettingsPriority} from '../settings/settings.js';

/** Checks begin after this many delays' worth of crawling (10 s at the project template's 1 s). */
const WINDOW_DELAYS = 10;
/** "Most of the time": the share of downloads that had to wait for the delay before they could start. */
const HELD_BACK_SHARE = 0.5;
/** Too few downloads say nothing about a crawl. */
const MIN_DOWNLOADS = 10;

export interface DelaySource {
  /** Over all download slots: downloads started, those that first waited for the delay, requests queued now. */
  slotTotals(): {started: number; startedLate: number; queued: number};
}

/**
 * Says once, in the log, that a crawl is visibly slowed by its polite settings, and how to change
 * them: a Scrapy user who starts from the project template (DOWNLOAD_DELAY 1,
 * CONCURRENT_REQUESTS_PER_DOMAIN 1) otherwise sees a crawl of a few pages a minute and no reason.
 *
 * "Visibly slowed": at least WINDOW_DELAYS × DOWNLOAD_DELAY into the crawl, after at least
 * MIN_DOWNLOADS downloads, more than half of them had to wait for the delay before they could start
 * (their slot had a free place: the delay alone held them), and requests are still pending. A site
 * slower than the delay does not count: its requests wait for the one before, not for the delay. Not said when the delay was given on the command
 * line (the user just chose it), with AutoThrottle (the delay is its to set), or with no delay.
 */
export class PoliteDelayNotice {
  private timer?: NodeJS.Timeout;
  private started = 0;
  said = false;

  constructor(
    private readonly settings: Settings,
    private readonly downloader: DelaySource,
    /** Requests waiting in the scheduler. */
    private readonly pending: () => number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    const delay = this.settings.getFloat('DOWNLOAD_DELAY');
    if (delay <= 0 || this.settings.getBool('AUTOTHROTTLE_ENABLED') || this.settings.priorityOf('DOWNLOAD_DELAY') === 'cmdline') return;
    this.started = Date.now();
    // Checked once a second at most often, whatever the delay (a tiny delay must not mean a busy timer).
    this.timer = setInterval(() => this.check(delay), Math.max(delay * 1000, 1000));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private check(delay: number): void {
    const elapsedMs = Date.now() - this.started;
    if (elapsedMs < WINDOW_DELAYS * delay * 1000) return;
    const {started, startedLate, queued} = this.downloader.slotTotals();
    const waiting = queued + this.pending();
    const share = startedLate / Math.max(started, 1);
    if (started < MIN_DOWNLOADS || share <= HELD_BACK_SHARE || waiting === 0) return;
    this.stop();
    this.said = true;
    const perDomain = this.settings.getInt('CONCURRENT_REQUESTS_PER_DOMAIN');
    this.logger.info(
      `This crawl is held back by its polite settings: in its first ${Math.round(elapsedMs / 1000)} s, ${startedLate} of ${started} downloads waited for DOWNLOAD_DELAY=${delay} (${origin(this.settings.priorityOf('DOWNLOAD_DELAY'))}) before they could start, ` +
        `${perDomain === 1 ? 'one at a time' : `${perDomain} at a time`} per site (CONCURRENT_REQUESTS_PER_DOMAIN=${perDomain}, ${origin(this.settings.priorityOf('CONCURRENT_REQUESTS_PER_DOMAIN'))}), with ${waiting} requests waiting. ` +
        `For a site that can take more, lower them (-s DOWNLOAD_DELAY=0.25 -s CONCURRENT_REQUESTS_PER_DOMAIN=4, or in dragline.config.ts), or set AUTOTHROTTLE_ENABLED=true to follow the site's speed`,
    );
  }
}

function origin(priority: SettingsPriority | undefined): string {
  switch (priority) {
    case 'project':
      return 'from the project file';
    case 'spider':
      return "from the spider's customSettings";
    case 'cmdline':
      return 'from the command line';
    default:
      return "dragline's default";
  }
}
