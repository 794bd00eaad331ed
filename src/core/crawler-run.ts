import {DraglineError, isDraglineError} from './errors.js';
import {Downloader} from './downloader/downloader.js';
import {DownloaderMiddlewareManager} from './downloader-middleware-manager.js';
import {SpiderMiddlewareManager} from './spider-middleware-manager.js';
import {ItemPipelineManager} from './item-pipeline-manager.js';
import {buildComponents} from './component-loader.js';
import {Engine} from './engine.js';
import {FeedManager} from './feeds/feed-manager.js';
import {feedUriParams, hasFeedUriParams, resolveFeedUri} from './feeds/feed-uri.js';
import {fsReason, isFsError} from './utils/fs-reason.js';
import {checkJobDir} from './settings/job-dir.js';
import {filtersDuplicates} from './dupefilter.js';
import {buildRequestFingerprinter, DEFAULT_FINGERPRINTER_NAME, type ChosenFingerprinter} from './request-fingerprinter.js';
import {fingerprint} from './fingerprint.js';
import {Scheduler} from './scheduler.js';
import {Request} from './http/request.js';
import type {Response} from './http/response.js';
import {FileSink, Logger, StderrSink} from './logger.js';
import {StatsCollector} from './stats.js';
import {SIGNALS, SignalManager} from './signals.js';
import type {Settings} from './settings/settings.js';
import type {Spider, SpiderClass} from './spider.js';
import type {Crawler} from './crawler.js';
import type {DownloaderMiddleware, ItemPipeline, SpiderMiddleware} from './middleware.js';
import {DOWNLOADER_MIDDLEWARES_BASE, SPIDER_MIDDLEWARES_BASE} from './middleware-order.js';
import {AutoThrottle} from './extensions/auto-throttle.js';
import {CloseSpiderExtension} from './extensions/close-spider.js';
import {MemoryUsage} from './extensions/memory-usage.js';
import {FilesPipeline} from './pipelines/files-pipeline.js';
import {LogStats} from './extensions/log-stats.js';
import {ProgressLine} from './extensions/progress-line.js';
import {PoliteDelayNotice} from './extensions/polite-delay-notice.js';
import {mergeStats, type JobStatsFile} from './job-stats.js';
import {DRAGLINE_VERSION} from './version.js';
import {openJob} from '../persistence/job.js';
import {decodeRequest, encodeRequest} from '../persistence/request-codec.js';
import {FingerprintSet} from '../persistence/seen-set.js';
import type {Job} from '../persistence/types.js';
import {formatCount} from './utils/format-count.js';
import {checkSpider} from './spider-check.js';

/** Errors that mean the disk cannot take more, not that the crawl is wrong. */
const DISK_ERRORS = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EIO', 'EFBIG']);

/** Pipelines dragline ships, named in ITEM_PIPELINES by these keys (Scrapy's dotted paths work too). */
const BUILT_IN_PIPELINES = {
  FilesPipeline,
  'dragline.FilesPipeline': FilesPipeline,
  'scrapy.pipelines.files.FilesPipeline': FilesPipeline,
};

export interface CrawlerRunOptions {
  args?: Record<string, string>;
  retryFailed?: boolean;
  resolveComponent?: (key: string) => Promise<unknown>;
}

/** What a finished (or paused) crawl reports. */
export interface CrawlResult {
  reason: string;
  stats: Record<string, unknown>;
  /** With a job: the job's stats over all its batches. */
  jobStats?: Record<string, unknown>;
  pending: number;
  abandoned: number;
  droppedMemoryRequests: number;
}

/**
 * One spider run (Scrapy's Crawler): wires settings, the job, the scheduler, the downloader,
 * middlewares, pipelines, feeds and extensions around an Engine, and closes them in order.
 */
export class CrawlerRun implements Crawler {
  readonly stats = new StatsCollector();
  readonly signals = new SignalManager();
  readonly logger: Logger;
  readonly spider: Spider;
  job?: Job;
  engine?: {download(request: Request): Promise<Response>};
  private runningEngine?: Engine;
  // Built by buildEngine(); kept to close them in order and for --retry-failed and robots.txt downloads.
  private scheduler?: Scheduler;
  private downloader?: Downloader;
  private spiderMiddlewares?: SpiderMiddlewareManager;
  private downloaderMiddlewares?: DownloaderMiddlewareManager;
  private pipelines?: ItemPipelineManager;
  private feeds?: FeedManager;
  private pendingClose?: string;
  private persistTimer?: NodeJS.Timeout;
  private previousJobStats: Record<string, unknown> = {};
  private batches = 0;
  private abandoned = 0;
  private lockLost?: Error;
  /** DUPEFILTER_CLASS: RFPDupeFilter (true) or BaseDupeFilter (false). */
  private readonly filterDuplicates: boolean;
  /** REQUEST_FINGERPRINTER_CLASS, built when the crawl starts. */
  private fingerprinter?: ChosenFingerprinter;
  /** FEEDS keys with placeholders and the files they name for this run (a job may keep earlier ones). */
  private readonly filledFeedUris: Record<string, string>;
  /** What checkSpider() found worth a warning, logged when the crawl starts. */
  private readonly spiderWarnings: string[];

  constructor(
    private readonly spiderClass: SpiderClass,
    readonly settings: Settings,
    private readonly options: CrawlerRunOptions = {},
  ) {
    const logFile = settings.getString('LOG_FILE');
    this.logger = Logger.create({
      level: settings.getString('LOG_LEVEL', 'DEBUG'),
      enabled: settings.getBool('LOG_ENABLED', true),
      sink: logFile !== '' ? new FileSink(logFile) : new StderrSink(),
    });
    this.logger.countInto(this.stats);
    this.spider = new spiderClass();
    // The class as written, before -a arguments: Scrapy's habits are refused or warned about now, not page by page.
    this.spiderWarnings = checkSpider(this.spider, spiderClass);
    Object.assign(this.spider, options.args ?? {});
    if (typeof this.spider.name !== 'string' || this.spider.name === '') {
      throw new DraglineError('BAD_ARGUMENT', `Spider class ${spiderClass.name} has no name: give it \`static spiderName = 'myspider'\``);
    }
    this.spider.crawler = this;
    this.spider.settings = settings;
    this.spider.logger = this.logger.child(this.spider.name);
    this.filterDuplicates = filtersDuplicates(settings.getString('DUPEFILTER_CLASS'));
    // Filled here, so a placeholder the spider cannot fill is refused before anything runs.
    const params = feedUriParams(this.spider, new Date());
    this.filledFeedUris = Object.fromEntries(Object.keys(settings.getDict('FEEDS')).filter(hasFeedUriParams).map((template) => [template, resolveFeedUri(template, params)]));
  }

  readonly requestFingerprint = (request: Request): Buffer => (this.fingerprinter?.fingerprint(request) ?? fingerprint(request));

  /**
   * A write that failed mid-crawl for lack of room (a full disk, a quota, a read-only file system)
   * says what to do, in one line: with a job, nothing written since the last complete page counts,
   * so the same command resumes once there is room. Other errors pass unchanged.
   */
  private explainWriteError(error: unknown): unknown {
    const fromFeed = isDraglineError(error) && error.code === 'WRITE_FAILED';
    const fromJob = !isDraglineError(error) && isFsError(error) && DISK_ERRORS.has(error.code) && /^(write|writev|fsync|fdatasync|ftruncate|open|rename|mkdir)$/.test(error.syscall);
    if (!fromFeed && !fromJob) return error;
    const jobdir = this.settings.getString('JOBDIR');
    const what = fromFeed ? (error as Error).message : `Cannot write ${jobdir === '' ? "the crawl's files" : `the job directory ${jobdir}`}: ${fsReason(error)}`;
    const then = jobdir !== ''
      ? 'fix that and rerun the same command: the job resumes from its last complete page'
      : 'fix that and run the crawl again (with -s JOBDIR=... it could have resumed)';
    return new DraglineError('WRITE_FAILED', `${what}; ${then}`, {cause: error});
  }

  /** Closes the spider with a reason: in-flight requests finish, nothing new starts. */
  closeSpider(reason: string): void {
    if (this.runningEngine === undefined) this.pendingClose ??= reason;
    else this.runningEngine.close(reason);
  }

  /**
   * A graceful pause (first Ctrl-C): stop taking requests, give in-flight ones the grace period,
   * then abandon the rest (they are still leased in the job and are fetched again on resume).
   */
  pause(reason = 'shutdown'): void {
    this.closeSpider(reason);
    const graceMs = this.settings.getFloat('SHUTDOWN_GRACE_PERIOD') * 1000;
    const timer = setTimeout(() => {
      const engine = this.runningEngine;
      if (engine === undefined || engine.activeRequests === 0) return;
      this.abandoned = engine.abandonInFlight();
      const where = this.job === undefined ? 'they are lost (no JOBDIR)' : 'they will be fetched again when the job resumes';
      this.logger.child('dragline.core.engine').info(`Abandoning ${this.abandoned} requests still in flight after ${graceMs / 1000}s (SHUTDOWN_GRACE_PERIOD); ${where}`);
    }, graceMs);
    timer.unref();
  }

  async crawl(): Promise<CrawlResult> {
    const log = this.logger.child('dragline.crawler');
    log.info(`dragline ${DRAGLINE_VERSION} started (bot: ${this.settings.getString('BOT_NAME')})`);
    const overridden = this.overriddenSettings();
    if (Object.keys(overridden).length > 0) log.info(`Overridden settings:\n${JSON.stringify(overridden, null, 2)}`);
    for (const warning of this.spiderWarnings) log.warning(warning);

    const engineLog = this.logger.child('dragline.core.engine');
    let extensions: {stop(): void} | undefined;
    let reason: string;
    const started = Date.now();
    try {
      this.fingerprinter = await buildRequestFingerprinter(this, this.settings.get('REQUEST_FINGERPRINTER_CLASS'), this.options.resolveComponent);
      await this.openJob();
      const engine = await this.buildEngine();
      extensions = this.startExtensions(engine);
      this.stats.set('start_time', new Date().toISOString());
      engineLog.info('Spider opened');
      this.signals.emit(SIGNALS.spiderOpened, this.spider);
      if (this.pendingClose !== undefined) engine.close(this.pendingClose);
      reason = await engine.run();
      // The job is another run's now: no closing step may write to it (or to the feeds it counts).
      if (this.lockLost !== undefined) throw this.lockLost;
    } catch (error) {
      extensions?.stop();
      await this.releaseAfterError();
      throw this.explainWriteError(error);
    }
    engineLog.info(`Closing spider (${reason})`);
    extensions.stop();
    await this.closeComponents(reason);
    this.stats.set('finish_time', new Date().toISOString());
    this.stats.set('finish_reason', reason);
    this.stats.set('elapsed_time_seconds', (Date.now() - started) / 1000);
    const jobStats = this.persist(true);
    const droppedMemoryRequests = this.scheduler?.memoryOnly ?? 0;
    const pending = this.job?.queue.size ?? 0;
    if (this.job !== undefined) await this.job.close(reason, {stateComplete: this.abandoned === 0});
    this.dumpStats(jobStats);
    engineLog.info(`Spider closed (${reason})`);
    this.signals.emit(SIGNALS.spiderClosed, this.spider, reason);
    return {reason, stats: this.stats.toObject(), jobStats, pending, abandoned: this.abandoned, droppedMemoryRequests};
  }

  private async openJob(): Promise<void> {
    const dir = this.settings.getString('JOBDIR');
    if (dir === '') return;
    checkJobDir(dir);
    const order = this.settings.getString('SCHEDULER_DISK_QUEUE', 'lifo').toLowerCase();
    if (order !== 'lifo' && order !== 'fifo') {
      throw new DraglineError('BAD_SETTING', `Invalid value for setting SCHEDULER_DISK_QUEUE: '${order}' (use lifo or fifo)`);
    }
    this.job = await openJob(dir, {
      spiderName: this.spider.name,
      queueOrder: order,
      fsync: this.settings.getBool('JOBDIR_FSYNC'),
      fsyncIntervalMs: this.settings.getFloat('JOBDIR_FSYNC_INTERVAL') * 1000,
      draglineVersion: DRAGLINE_VERSION,
      fingerprinter: this.fingerprinter?.name ?? DEFAULT_FINGERPRINTER_NAME,
      onLockCompromised: (error: Error) => this.onLockCompromised(error),
    });
    const report = this.job.report;
    const log = this.logger.child('dragline.core.scheduler');
    if (!report.fresh) {
      log.info(`Resuming crawl (${report.pending + report.requeued} requests scheduled)`);
      const how = report.lastRun?.unclean ? ' after an unclean stop' : '';
      log.info(`Resumed ${dir}${how}: ${formatCount(report.pending)} pending, ${formatCount(report.seen)} seen, ${formatCount(report.requeued)} in-flight requests re-queued${report.rolledBack ? ', a half-written commit rolled back' : ''}`);
    }
    if (!report.fresh && report.lastRun?.reason === 'finished' && report.pending + report.requeued === 0) {
      // Crawlee's users lost hours to a resumed crawl that silently did nothing: say why it will.
      log.warning(`${dir} holds a finished job: pages it has seen are not fetched again, so this run only fetches what is new. Use a new JOBDIR to crawl again from scratch.`);
    }
    const saved = this.job.loadJson<JobStatsFile>('stats.json');
    this.previousJobStats = saved?.cumulative ?? {};
    this.batches = (saved?.batches ?? 0) + 1;
    // Counted now: a batch killed before its first periodic save is a batch too.
    this.job.saveJson('stats.json', {batches: this.batches, previous: this.previousJobStats, cumulative: {...this.previousJobStats, batches: this.batches}} satisfies JobStatsFile);
    const state = this.job.loadState();
    if (state !== undefined) this.spider.state = state;
    this.job.trackState(
      () => this.spider.state,
      (reason) => log.warning(`spider.state is no longer saved with each page, because ${reason}: it is saved every few seconds instead, so after a crash it may lag behind the pages crawled`),
    );
  }

  /**
   * The files of feed URIs with placeholders (`-o items-%(time)s.jsonl`). A job keeps the files its
   * first batch chose, so a resumed batch appends to them and a torn commit is rolled back in them.
   */
  private feedPaths(): Record<string, string> {
    if (Object.keys(this.filledFeedUris).length === 0) return {};
    const saved = this.job?.loadJson<Record<string, string>>('feeds') ?? {};
    const paths = Object.fromEntries(Object.entries(this.filledFeedUris).map(([template, filled]) => [template, saved[template] ?? filled]));
    this.job?.saveJson('feeds', {...saved, ...paths});
    return paths;
  }

  private async buildEngine(): Promise<Engine> {
    const settings = this.settings;
    const resolve = this.options.resolveComponent;
    const downloader = new Downloader(settings, this.logger.child('dragline.core.downloader'), this.stats);
    if (settings.getBool('AUTOTHROTTLE_ENABLED')) new AutoThrottle(settings, this.logger.child('dragline.extensions.throttle')).attach(downloader, settings);
    const downloaderMiddlewares = new DownloaderMiddlewareManager(
      await buildComponents<DownloaderMiddleware>(this, DOWNLOADER_MIDDLEWARES_BASE, settings.getDict('DOWNLOADER_MIDDLEWARES'), resolve),
      downloader,
      this.spider,
    );
    const spiderMiddlewares = new SpiderMiddlewareManager(
      await buildComponents<SpiderMiddleware>(this, SPIDER_MIDDLEWARES_BASE, settings.getDict('SPIDER_MIDDLEWARES'), resolve),
      this.spider,
    );
    const pipelines = new ItemPipelineManager(
      await buildComponents<ItemPipeline>(this, {}, settings.getDict('ITEM_PIPELINES'), resolve, BUILT_IN_PIPELINES),
      this.spider,
      this.stats,
      this.logger.child('dragline.core.scraper'),
      this.signals,
    );
    const feeds = new FeedManager(settings, this.logger.child('dragline.extensions.feedexport'), this.feedPaths());
    const spider = this.spider;
    const scheduler = new Scheduler({
      job: this.job,
      seen: this.job?.seen ?? FingerprintSet.inMemory(),
      stats: this.stats,
      logger: this.logger,
      memoryOrder: settings.getString('SCHEDULER_MEMORY_QUEUE', 'lifo').toLowerCase() === 'fifo' ? 'fifo' : 'lifo',
      debug: settings.getBool('SCHEDULER_DEBUG'),
      dupefilterDebug: settings.getBool('DUPEFILTER_DEBUG'),
      fingerprint: this.requestFingerprint,
      filterDuplicates: this.filterDuplicates,
      encode: (request) => encodeRequest(request, spider),
      decode: (payload) => decodeRequest(payload, spider),
    });
    this.scheduler = scheduler;
    this.downloader = downloader;
    this.spiderMiddlewares = spiderMiddlewares;
    this.downloaderMiddlewares = downloaderMiddlewares;
    this.pipelines = pipelines;
    this.feeds = feeds;

    this.engine = {download: (request) => this.downloadDirect(request)};
    const overwrite = new Set(Object.entries(settings.getDict<{overwrite?: boolean}>('FEEDS')).filter(([, o]) => o?.overwrite).map(([uri]) => uri));
    feeds.open(this.job?.report, (uri) => overwrite.has(uri));
    this.job?.feedsRestored();
    await spiderMiddlewares.open();
    for (const middleware of downloaderMiddlewares.middlewares) await middleware.open?.(spider);
    await pipelines.open();
    if (this.options.retryFailed) this.requeueFailed(scheduler);

    const engine = new Engine({
      spider,
      scheduler,
      downloader: downloaderMiddlewares,
      spiderMiddlewares,
      pipelines,
      feeds,
      stats: this.stats,
      signals: this.signals,
      logger: this.logger.child('dragline.core.engine'),
      job: this.job,
      concurrency: Math.max(1, settings.getInt('CONCURRENT_REQUESTS')),
      retryHttpCodes: new Set(settings.getList<number | string>('RETRY_HTTP_CODES').map(Number)),
      encodeFailed: (request) => {
        try {
          return encodeRequest(request, spider);
        } catch {
          return undefined;
        }
      },
    });
    this.runningEngine = engine;
    return engine;
  }

  /** `--retry-failed`: requests that failed for good in earlier batches go back in the queue. */
  private requeueFailed(scheduler: Scheduler): void {
    if (this.job === undefined) return;
    // Decode everything before changing anything: a renamed callback must not cost the records.
    const failed = this.job.readFailed().map((payload) => decodeRequest(payload, this.spider).replace({dontFilter: true}));
    this.job.begin([], this.feeds!.offsets());
    for (const request of failed) scheduler.enqueue(request);
    this.job.ack([]);
    this.job.clearFailed();
    this.logger.child('dragline.core.scheduler').info(`Re-queued ${failed.length} requests that had failed (--retry-failed)`);
  }

  /** A download outside the scheduler (robots.txt): through the middlewares, following redirects. */
  private async downloadDirect(request: Request): Promise<Response> {
    let current = request;
    for (let hop = 0; hop <= 5; hop += 1) {
      const result = await this.downloaderMiddlewares!.download(current);
      if ('response' in result) return result.response;
      current = result.request;
    }
    throw new Error(`Too many redirects fetching ${request.url}`);
  }

  private startExtensions(engine: Engine): {stop(): void} {
    const closeSpider = new CloseSpiderExtension(this);
    const logStats = new LogStats(this.stats, this.logger.child('dragline.extensions.logstats'), this.settings.getFloat('LOGSTATS_INTERVAL'));
    logStats.start();
    const sink = this.logger.sink;
    let progress: ProgressLine | undefined;
    if (sink instanceof StderrSink && process.stderr.isTTY && this.settings.getBool('PROGRESS_ENABLED')) {
      progress = new ProgressLine(this.stats, {pending: () => this.scheduler?.size ?? 0, inFlight: () => engine.activeRequests}, sink);
      progress.start();
    }
    const memory = this.settings.getBool('MEMUSAGE_ENABLED') ? new MemoryUsage(this) : undefined;
    memory?.start();
    const politeNotice = this.downloader === undefined ? undefined : new PoliteDelayNotice(this.settings, this.downloader, () => this.scheduler?.size ?? 0, this.logger.child('dragline.core.downloader'));
    politeNotice?.start();
    if (this.job !== undefined) {
      const interval = this.settings.getFloat('JOBDIR_STATE_INTERVAL') * 1000;
      this.persistTimer = setInterval(() => this.persist(false), Math.max(interval, 100));
      this.persistTimer.unref();
    }
    return {
      stop: () => {
        closeSpider.close();
        logStats.stop();
        progress?.stop();
        memory?.stop();
        politeNotice?.stop();
        if (this.persistTimer !== undefined) clearInterval(this.persistTimer);
      },
    };
  }

  private async closeComponents(reason: string): Promise<void> {
    const log = this.logger.child('dragline.core.engine');
    const steps: Array<[string, () => unknown]> = [
      ['closing the spider middlewares', () => this.spiderMiddlewares?.close(reason)],
      ['closing the downloader middlewares', async () => {
        for (const middleware of this.downloaderMiddlewares?.middlewares ?? []) await middleware.close?.(this.spider, reason);
      }],
      ['closing the item pipelines', () => this.pipelines?.close(reason)],
      ['running the spider\'s closed()', () => this.spider.closed?.(reason)],
      ['closing the feeds', () => this.feeds?.close()],
      ['closing the downloader', () => this.downloader?.close()],
    ];
    for (const [what, step] of steps) {
      try {
        await step();
      } catch (error) {
        log.error(`Error ${what}: ${(error as Error)?.stack ?? String(error)}`);
      }
    }
  }

  /** Saves spider.state, the job's stats and (through the persist signal) the cookie jar. */
  private persist(final: boolean): Record<string, unknown> | undefined {
    if (this.job === undefined || this.lockLost !== undefined) return undefined;
    const log = this.logger.child('dragline.extensions.spiderstate');
    try {
      this.job.saveState(this.spider.state);
    } catch (error) {
      // Found the job taken over: the crawl is already stopping with that error.
      if (this.lockLost !== undefined) return undefined;
      log.error(`Could not save spider.state (it must be v8-serializable: no functions or class instances with private fields): ${(error as Error).message}`);
    }
    const batch = this.stats.toObject();
    const cumulative = mergeStats(this.previousJobStats, batch);
    cumulative.batches = this.batches;
    const file: JobStatsFile = {batches: this.batches, previous: this.previousJobStats, cumulative};
    try {
      this.signals.emit(SIGNALS.persist);
      this.job.saveJson('stats.json', file);
    } catch (error) {
      if (this.lockLost !== undefined) return undefined;
      // The journal, not stats.json, is what resuming needs: a full disk stops the crawl at its next page.
      log.error(`Could not save stats.json in ${this.job.dir}: ${isFsError(error) ? fsReason(error) : (error as Error).message}`);
    }
    if (final) this.stats.set('job/batches', this.batches);
    return cumulative;
  }

  private dumpStats(jobStats: Record<string, unknown> | undefined): void {
    if (!this.settings.getBool('STATS_DUMP')) return;
    const log = this.logger.child('dragline.statscollectors');
    const resumed = jobStats !== undefined && this.batches > 1;
    log.info(`Dumping dragline stats${resumed ? ' (this batch)' : ''}:\n${JSON.stringify(this.stats.toObject(), null, 1)}`);
    if (resumed) log.info(`Dumping job stats (all ${this.batches} batches of ${this.job!.dir}):\n${JSON.stringify(jobStats, null, 1)}`);
  }

  /** The job is no longer ours (taken over, or our lock is gone): stop at once, no grace period, no commit. */
  private onLockCompromised(error: Error): void {
    if (this.lockLost !== undefined) return;
    this.lockLost = error;
    if (this.persistTimer !== undefined) clearInterval(this.persistTimer);
    this.runningEngine?.abandonInFlight();
    this.closeSpider('lock_lost');
  }

  private async releaseAfterError(): Promise<void> {
    try {
      await this.downloader?.close();
      await this.job?.close('error');
    } catch {
      // The original error is the one worth reporting.
    }
  }

  private overriddenSettings(): Record<string, unknown> {
    const overridden: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(this.settings.toObject())) {
      const priority = this.settings.priorityOf(name);
      if (priority !== undefined && priority !== 'default') overridden[name] = value;
    }
    return overridden;
  }
}
