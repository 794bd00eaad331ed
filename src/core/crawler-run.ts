import {DraglineError, isDraglineError} from './errors.js';
import {Downloader} from './downloader/downloader.js';
import {DownloaderMiddlewareManager} from '../downloadermiddlewares/downloader-middleware-manager.js';
import {SpiderMiddlewareManager} from '../spidermiddlewares/spider-middleware-manager.js';
import {ItemPipelineManager} from '../pipelines/item-pipeline-manager.js';
import {buildComponents} from './component-loader.js';
import {Engine} from './engine.js';
import {FeedManager} from '../extensions/feedexport/feed-manager.js';
import {feedUriParams, hasFeedUriParams, resolveFeedUri} from '../extensions/feedexport/feed-uri.js';
import {fsReason, isFsError} from '../utils/fs-reason.js';
import {filtersDuplicates} from './dupefilter.js';
import {buildRequestFingerprinter, DEFAULT_FINGERPRINTER_NAME, type ChosenFingerprinter} from '../utils/request-fingerprinter.js';
import {fingerprint} from '../utils/fingerprint.js';
import {Scheduler} from './scheduler.js';
import {Request} from '../http/request.js';
import type {Response} from '../http/response.js';
import {FileSink, Logger, StderrSink} from './logger.js';
import {StatsCollector} from './stats.js';
import {SIGNALS, SignalManager} from './signals.js';
import type {Settings} from '../settings/settings.js';
import type {Spider, SpiderClass} from '../spiders/spider.js';
import type {DownloaderMiddleware, ItemPipeline, SpiderMiddleware} from './middleware.js';
import {DOWNLOADER_MIDDLEWARES_BASE, SPIDER_MIDDLEWARES_BASE} from './middleware-order.js';
import {EXTENSIONS_BASE, extensionsSetting, type Extension, type ExtensionHost} from '../extensions/extensions-base.js';
import {FilesPipeline} from '../pipelines/files-pipeline.js';
import {mergeStats, type JobStatsFile} from './job-stats.js';
import {DRAGLINE_VERSION} from './version.js';
import {decodeRequest, encodeRequest} from './request-codec.js';
import type {JobDir} from '../persistence/types.js';
import type {Frontier} from '../persistence/frontier.js';
import {buildFrontier} from './frontier-loader.js';
import {Committer, type CommitParticipant} from './commit.js';
import {FeedCommitParticipant} from '../extensions/feedexport/feed-participant.js';
import {FailedRequestsParticipant} from './failed-requests.js';
import {SpiderStateParticipant} from '../extensions/spider-state.js';
import {formatCount} from '../utils/format-count.js';
import {checkSpider} from '../spiders/spider-check.js';

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
export class CrawlerRun implements ExtensionHost {
  readonly stats = new StatsCollector();
  readonly signals = new SignalManager();
  readonly logger: Logger;
  readonly spider: Spider;
  /** This run's job directory (its local files), when the frontier keeps one. */
  job?: JobDir;
  frontier?: Frontier;
  engine?: {download(request: Request): Promise<Response>};
  private runningEngine?: Engine;
  // Built by buildEngine(); kept to close them in order and for --retry-failed and robots.txt downloads.
  private scheduler?: Scheduler;
  downloader?: Downloader;
  private spiderMiddlewares?: SpiderMiddlewareManager;
  private downloaderMiddlewares?: DownloaderMiddlewareManager;
  private pipelines?: ItemPipelineManager;
  private feeds?: FeedManager;
  private committer?: Committer;
  private spiderState?: SpiderStateParticipant;
  private pendingClose?: string;
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
      await this.openFrontier();
      const engine = await this.buildEngine();
      extensions = await this.startExtensions();
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
    // Commits still on the wire write their feed lines when they land: not into closed feeds.
    await this.committer?.settled();
    await this.closeComponents(reason);
    this.stats.set('finish_time', new Date().toISOString());
    this.stats.set('finish_reason', reason);
    this.stats.set('elapsed_time_seconds', (Date.now() - started) / 1000);
    const jobStats = this.persist(true);
    const droppedMemoryRequests = this.scheduler?.memoryOnly ?? 0;
    const frontier = this.frontier;
    // A pause that abandoned requests gives their leases back (a shared frontier serves them to another worker at once).
    const abandonedLeases = this.abandoned > 0 ? this.runningEngine?.abandonedLeases ?? [] : [];
    if (abandonedLeases.length > 0) await frontier?.release(abandonedLeases);
    const pending = frontier?.durable ? (await frontier.status()).pending : 0;
    const stateComplete = this.abandoned === 0;
    await frontier?.close(reason, {stateComplete, finalState: stateComplete ? this.spiderState?.finalState() : undefined});
    this.dumpStats(jobStats);
    engineLog.info(`Spider closed (${reason})`);
    this.signals.emit(SIGNALS.spiderClosed, this.spider, reason);
    return {reason, stats: this.stats.toObject(), jobStats, pending, abandoned: this.abandoned, droppedMemoryRequests};
  }

  /** Opens the frontier SCHEDULER_BACKEND names and, if it keeps a job directory, what this run keeps there. */
  private async openFrontier(): Promise<void> {
    const frontier = await buildFrontier(this, {
      fingerprinter: this.fingerprinter?.name ?? DEFAULT_FINGERPRINTER_NAME,
      onLockCompromised: (error: Error) => this.onLockCompromised(error),
      onStop: (reason: string) => this.pause(reason),
    }, this.options.resolveComponent);
    const report = await frontier.open();
    this.frontier = frontier;
    this.job = frontier.jobDir;
    const where = this.job?.dir ?? 'the frontier';
    const log = this.logger.child('dragline.core.scheduler');
    if (!report.fresh) {
      log.info(`Resuming crawl (${report.pending + report.requeued} requests scheduled)`);
      const how = this.job?.report.lastRun?.unclean ? ' after an unclean stop' : '';
      log.info(`Resumed ${where}${how}: ${formatCount(report.pending)} pending, ${formatCount(report.seen)} seen, ${formatCount(report.requeued)} in-flight requests re-queued${report.rolledBack ? ', a half-written commit rolled back' : ''}`);
    }
    if (!report.fresh && this.job?.report.lastRun?.reason === 'finished' && report.pending + report.requeued === 0) {
      // Crawlee's users lost hours to a resumed crawl that silently did nothing: say why it will.
      log.warning(`${where} holds a finished job: pages it has seen are not fetched again, so this run only fetches what is new. Use a new JOBDIR to crawl again from scratch.`);
    }
    if (frontier.durable) {
      this.spiderState = new SpiderStateParticipant(
        () => this.spider.state,
        (reason) => log.warning(`spider.state is no longer saved with each page, because ${reason}: it is saved every few seconds instead, so after a crash it may lag behind the pages crawled`),
      );
    }
    if (this.job === undefined) return;
    const saved = this.job.loadJson<JobStatsFile>('stats.json');
    this.previousJobStats = saved?.cumulative ?? {};
    this.batches = (saved?.batches ?? 0) + 1;
    // Counted now: a batch killed before its first periodic save is a batch too.
    this.job.saveJson('stats.json', {batches: this.batches, previous: this.previousJobStats, cumulative: {...this.previousJobStats, batches: this.batches}} satisfies JobStatsFile);
    const state = this.job.loadState();
    if (state !== undefined) this.spider.state = state;
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
    this.downloader = downloader;
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
    const frontier = this.frontier!;
    const scheduler = new Scheduler({
      frontier,
      signals: this.signals,
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
    const participants: CommitParticipant[] = [
      scheduler,
      new FailedRequestsParticipant({
        stats: this.stats,
        retryHttpCodes: new Set(settings.getList<number | string>('RETRY_HTTP_CODES').map(Number)),
        encode: (request) => {
          if (!frontier.durable) return undefined;
          try {
            return encodeRequest(request, spider);
          } catch {
            return undefined;
          }
        },
      }),
      new FeedCommitParticipant(feeds),
    ];
    if (this.spiderState !== undefined) participants.push(this.spiderState);
    const committer = new Committer(frontier, participants);
    this.committer = committer;

    this.engine = {download: (request) => this.downloadDirect(request)};
    const overwrite = new Set(Object.entries(settings.getDict<{overwrite?: boolean}>('FEEDS')).filter(([, o]) => o?.overwrite).map(([uri]) => uri));
    feeds.open(this.job?.report, (uri) => overwrite.has(uri));
    for (const items of frontier.takeReplayedItems?.() ?? []) feeds.write(items);
    this.job?.feedsRestored();
    await spiderMiddlewares.open();
    for (const middleware of downloaderMiddlewares.middlewares) await middleware.open?.(spider);
    await pipelines.open();
    if (this.options.retryFailed) await this.requeueFailed();

    const engine = new Engine({
      spider,
      scheduler,
      downloader: downloaderMiddlewares,
      spiderMiddlewares,
      pipelines,
      committer,
      stats: this.stats,
      signals: this.signals,
      logger: this.logger.child('dragline.core.engine'),
      concurrency: Math.max(1, settings.getInt('CONCURRENT_REQUESTS')),
    });
    this.runningEngine = engine;
    return engine;
  }

  /** `--retry-failed`: requests that failed for good in earlier batches go back in the queue. */
  private async requeueFailed(): Promise<void> {
    if (!this.frontier?.durable) return;
    // Decode everything before changing anything: a renamed callback must not cost the records.
    const failed = (await this.frontier.readFailed()).map((payload) => decodeRequest(payload, this.spider).replace({dontFilter: true}));
    // One commit queues them again and forgets the records.
    await this.committer!.commit([], {requests: failed, items: [], failed: []}, {clearFailed: true});
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

  /** EXTENSIONS over EXTENSIONS_BASE, built now (after the engine's parts) and started; stopped when the crawl stops. */
  private async startExtensions(): Promise<{stop(): void}> {
    const extensions = await buildComponents<Extension>(this, EXTENSIONS_BASE, extensionsSetting(this.settings.getDict('EXTENSIONS')), this.options.resolveComponent);
    for (const extension of extensions) extension.start?.();
    return {
      stop: () => {
        for (const extension of extensions) extension.stop?.();
      },
    };
  }

  pendingRequests(): number {
    return this.scheduler?.size ?? 0;
  }

  activeRequests(): number {
    return this.runningEngine?.activeRequests ?? 0;
  }

  persistJob(final: boolean): void {
    this.persist(final);
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
    } catch (error) {
      if (this.lockLost !== undefined) return undefined;
      // A handler's failure (the cookie jar's save, a spider's own) must not cost the stats their save.
      log.error(`A persist signal handler failed: ${isFsError(error) ? fsReason(error) : (error as Error).message}`);
    }
    try {
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
    this.committer?.stop();
    this.runningEngine?.abandonInFlight();
    this.closeSpider('lock_lost');
  }

  private async releaseAfterError(): Promise<void> {
    try {
      await this.downloader?.close();
      await this.frontier?.close('error');
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
