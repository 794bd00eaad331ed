import {Request} from '../http/request.js';
import type {Response} from '../http/response.js';
import type {Logger} from './logger.js';
import type {Scheduler, ScheduledRequest} from './scheduler.js';
import type {DownloaderMiddlewareManager} from '../downloadermiddlewares/downloader-middleware-manager.js';
import type {SpiderMiddlewareManager} from '../spidermiddlewares/spider-middleware-manager.js';
import type {ItemPipelineManager} from '../pipelines/item-pipeline-manager.js';
import type {Spider} from '../spiders/spider.js';
import type {StatsCollector} from './stats.js';
import {SIGNALS, type SignalManager} from './signals.js';
import {iterateOutput} from '../utils/iterate-output.js';
import {emptyOutputs, type Committer, type CrawlOutputs} from './commit.js';

export interface EngineParts {
  spider: Spider;
  scheduler: Scheduler;
  downloader: DownloaderMiddlewareManager;
  spiderMiddlewares: SpiderMiddlewareManager;
  pipelines: ItemPipelineManager;
  /** Commits each response's outputs to the frontier, one at a time, through the commit participants. */
  committer: Committer;
  stats: StatsCollector;
  signals: SignalManager;
  logger: Logger;
  concurrency: number;
}

type Outputs = CrawlOutputs;

/**
 * Moves requests and responses (Scrapy's ExecutionEngine). Everything one request produced — the
 * requests its callback yielded, the items that passed the pipelines, its failures — goes to the
 * frontier in one atomic commit that also completes its lease: a request leaves the frontier only
 * once its outputs are durable. The engine awaits each commit; the Committer keeps them in order.
 */
export class Engine {
  /** Requests taken from the scheduler and not yet committed: their leases are held in the job. */
  private inFlight = 0;
  /** Of those, the ones still in the downloader (middlewares and the fetch): CONCURRENT_REQUESTS bounds these. */
  private downloading = 0;
  /** In-flight requests allowed in all: CONCURRENT_REQUESTS downloading plus a few responses waiting for their callbacks. */
  private readonly maxInFlight: number;
  /** Downloaded responses waiting for their turn to run callbacks, one per turn of the event loop. */
  private readonly callbackTurns: Array<() => void> = [];
  private closeReason?: string;
  /** Set when a pause gives up on in-flight requests: their results are no longer written anywhere. */
  private abandoned = false;
  private startDone = false;
  private fatal?: unknown;
  private wakeUp?: () => void;
  private wakePending = false;
  private readonly startBacklog: number;
  /** start() waits here while the scheduler holds a full backlog of its requests. */
  private drainWaiters: Array<() => void> = [];
  /** Leases of the requests in flight (from the frontier, not the memory queue). */
  private readonly leased = new Set<number>();
  /** A shared frontier is asked again after this long when it had nothing (doubling up to 250 ms). */
  private pollDelay = 0;
  private pollTimer?: NodeJS.Timeout;

  constructor(private readonly parts: EngineParts) {
    this.startBacklog = Math.max(parts.concurrency * 2, 32);
    this.maxInFlight = parts.concurrency + responseBacklog(parts.concurrency);
  }

  get running(): boolean {
    return this.closeReason === undefined;
  }

  get activeRequests(): number {
    return this.inFlight;
  }

  /** Crawls until the scheduler, the downloader and the start requests are all exhausted, or until closed. */
  async run(): Promise<string> {
    try {
      return await this.loop();
    } catch (error) {
      this.closeReason ??= 'error';
      throw error;
    } finally {
      // Whatever is still running (a start() item in an async pipeline, an abandoned download)
      // must not write to feeds and a job that are about to be closed.
      this.abandoned = true;
      if (this.pollTimer !== undefined) clearTimeout(this.pollTimer);
      this.wake();
    }
  }

  private async loop(): Promise<string> {
    void this.consumeStart();
    for (;;) {
      if (this.fatal !== undefined) throw this.fatal;
      let tookNothing = false;
      while (this.closeReason === undefined && !this.abandoned && this.downloading < this.parts.concurrency && this.inFlight < this.maxInFlight) {
        const free = Math.min(this.parts.concurrency - this.downloading, this.maxInFlight - this.inFlight);
        const taken = await this.parts.scheduler.next(free);
        tookNothing = taken.length === 0;
        if (tookNothing) break;
        this.pollDelay = 0;
        for (const next of taken) this.launch(next);
      }
      if (this.fatal !== undefined) throw this.fatal;
      if (this.inFlight === 0 || this.abandoned) {
        if (this.closeReason !== undefined) break;
        // Finished is the frontier's word: an empty local view does not mean every worker is done.
        if (this.startDone && this.inFlight === 0 && this.parts.scheduler.localSize === 0 && await this.parts.scheduler.frontier.isFinished()) {
          this.closeReason ??= 'finished';
          break;
        }
      }
      // Other workers add requests and give leases back: nothing wakes this engine for those.
      if (tookNothing && this.closeReason === undefined && this.parts.scheduler.frontier.shared) this.pollLater();
      await this.sleep();
    }
    if (this.fatal !== undefined) throw this.fatal;
    return this.closeReason;
  }

  /** Stops taking requests; in-flight ones finish (Scrapy's close_spider). */
  close(reason: string): void {
    if (this.closeReason !== undefined) return;
    this.closeReason = reason;
    this.wake();
  }

  /** Gives up on the requests still in flight: nothing they produce is committed, and their leases are given back (abandonedLeases). */
  abandonInFlight(): number {
    this.abandoned = true;
    this.parts.committer.stop();
    this.wake();
    return this.inFlight;
  }

  /** Leases of requests taken and never committed: what a pause gives back to the frontier. */
  get abandonedLeases(): number[] {
    return [...this.leased];
  }

  private launch(next: ScheduledRequest): void {
    this.inFlight += 1;
    if (next.leaseId !== undefined) this.leased.add(next.leaseId);
    this.downloading += 1;
    this.process(next)
      .catch((error: unknown) => {
        this.fatal ??= error;
      })
      .finally(() => {
        this.inFlight -= 1;
        this.wake();
      });
  }

  private async process({request, leaseId}: ScheduledRequest): Promise<void> {
    const outputs = await this.fetchAndScrape(request);
    if (outputs === undefined) return;
    const committed = await this.commit(leaseId === undefined ? [] : [leaseId], outputs);
    if (committed && leaseId !== undefined) this.leased.delete(leaseId);
  }

  /**
   * Downloads a request and runs its callback; undefined if a pause gave up on it meanwhile. The
   * response (body, text, parsed tree) is referenced only from here, so it can be collected while
   * the commit is awaited: a remote frontier's commit is a round trip, with up to maxInFlight
   * other requests waiting behind it.
   */
  private async fetchAndScrape(request: Request): Promise<Outputs | undefined> {
    const outputs: Outputs = emptyOutputs();
    let downloaded: Awaited<ReturnType<DownloaderMiddlewareManager['download']>> | undefined;
    let downloadError: unknown;
    try {
      downloaded = await this.parts.downloader.download(request);
    } catch (error) {
      downloadError = error;
    }
    await this.freeDownloadSlot();
    // A pause that gave up on in-flight requests: they are fetched again on resume, so their callbacks must not run now.
    if (this.abandoned) return undefined;
    if (downloaded === undefined) await this.handleDownloadError(request, downloadError as Error, outputs);
    else if ('request' in downloaded) outputs.requests.push(downloaded.request);
    else await this.handleResponse(downloaded.response, outputs);
    return outputs;
  }

  /**
   * Lets the next request start before this response's callback runs, as Scrapy's downloader
   * frees a slot when the response arrives. Callbacks then run one per turn of the event loop, so
   * that responses arriving meanwhile are read, and the requests that replace them sent, before
   * the next callback: node's http client sends a request from process.nextTick, which would
   * otherwise wait for every callback already queued.
   */
  private freeDownloadSlot(): Promise<void> {
    this.downloading -= 1;
    this.wake();
    return new Promise((resolve) => {
      this.callbackTurns.push(resolve);
      if (this.callbackTurns.length === 1) setImmediate(this.takeCallbackTurn);
    });
  }

  private readonly takeCallbackTurn = (): void => {
    this.callbackTurns.shift()?.();
    if (this.callbackTurns.length > 0) setImmediate(this.takeCallbackTurn);
  };

  private async handleResponse(response: Response, outputs: Outputs): Promise<void> {
    const {stats, signals, logger} = this.parts;
    stats.inc('response_received_count');
    if (logger.isEnabledFor('DEBUG')) {
      const referer = response.request.header('Referer') ?? 'None';
      const flags = response.flags.length > 0 ? ` [${response.flags.join(', ')}]` : '';
      logger.debug(`Crawled (${response.status}) ${response.request}${flags} (referer: ${referer})`);
    }
    signals.emit(SIGNALS.responseReceived, response, response.request);
    await this.scrape(response, outputs);
  }

  /** Runs the callback (or the errback, for an HttpError) and collects what it produced. */
  private async scrape(response: Response, outputs: Outputs): Promise<void> {
    const {spider, spiderMiddlewares} = this.parts;
    const request = response.request;
    let stream: AsyncIterable<unknown>;
    try {
      await spiderMiddlewares.processInput(response);
      const callback = request.callback ?? spider.parse;
      stream = iterateOutput(callback.call(spider, response, request.cbKwargs));
    } catch (error) {
      const err = error as Error & {code?: string};
      // The failed-request participant decides whether this status failed for good (one the retry middleware gave up on).
      if (err.code === 'HTTP_ERROR') outputs.failed.push({request, error: err, response});
      if (request.errback !== undefined && err.code === 'HTTP_ERROR') {
        await this.collect(iterateOutput(request.errback.call(spider, {error: err, request, response})), response, outputs);
        return;
      }
      stream = await this.recover(response, err);
    }
    try {
      await this.collect(spiderMiddlewares.processOutput(response, stream), response, outputs);
    } catch (error) {
      await this.collect(await this.recover(response, error as Error), response, outputs);
    }
  }

  private async recover(response: Response, error: Error): Promise<AsyncIterable<unknown>> {
    if (error?.name === 'CloseSpider') {
      this.close((error as Error & {reason?: string}).reason ?? 'cancelled');
      return iterateOutput(undefined);
    }
    const replacement = await this.parts.spiderMiddlewares.processException(response, error);
    if (replacement !== undefined) return replacement;
    this.reportSpiderError(response, error);
    return iterateOutput(undefined);
  }

  private reportSpiderError(response: Response, error: Error): void {
    const {stats, logger, signals} = this.parts;
    stats.inc('spider_exceptions/count');
    stats.inc(`spider_exceptions/${error?.name ?? 'Error'}`);
    const referer = response.request.header('Referer') ?? 'None';
    logger.error(`Spider error processing ${response.request} (referer: ${referer})\n${error?.stack ?? String(error)}`);
    signals.emit(SIGNALS.spiderError, error, response);
  }

  private async collect(stream: AsyncIterable<unknown>, response: Response | undefined, outputs: Outputs): Promise<void> {
    for await (const value of stream) {
      if (value instanceof Request) {
        outputs.requests.push(value);
      } else if (value !== undefined && value !== null) {
        const item = await this.parts.pipelines.process(value, response);
        if (item !== undefined) outputs.items.push(item);
      }
    }
  }

  private async handleDownloadError(request: Request, error: Error & {code?: string}, outputs: Outputs): Promise<void> {
    const {spider, logger} = this.parts;
    const ignored = error?.name === 'IgnoreRequest';
    if (request.errback !== undefined) {
      try {
        await this.collect(iterateOutput(request.errback.call(spider, {error, request})), undefined, outputs);
      } catch (errbackError) {
        logger.error(`Error in errback of ${request}: ${(errbackError as Error)?.stack ?? String(errbackError)}`);
      }
    } else if (ignored) {
      logger.debug(`Ignoring ${request}: ${error.message}`);
    } else {
      logger.error(`Error downloading ${request}: ${error?.message ?? String(error)}`);
    }
    if (!ignored) outputs.failed.push({request, error});
  }

  /** Commits everything one request produced (nothing, once in-flight requests were abandoned: they are fetched again). */
  private async commit(leaseIds: number[], outputs: Outputs): Promise<boolean> {
    if (this.abandoned) return false;
    const committed = await this.parts.committer.commit(leaseIds, outputs);
    if (outputs.requests.length > 0) this.wake();
    return committed;
  }

  /** Pulls start requests lazily, keeping only a small backlog of them in the scheduler, as Scrapy 2.13. */
  private async consumeStart(): Promise<void> {
    const {spider, spiderMiddlewares, logger, stats} = this.parts;
    try {
      const start = spiderMiddlewares.processStart(markStart(spider.start()));
      for await (const value of start) {
        if (this.closeReason !== undefined) break;
        const outputs: Outputs = emptyOutputs();
        if (value instanceof Request) outputs.requests.push(value);
        else await this.collect(iterateOutput(value), undefined, outputs);
        try {
          await this.commit([], outputs);
        } catch (error) {
          // A write that failed (a full disk) is the crawl's end, not an error of the spider's start().
          this.fatal ??= error;
          return;
        }
        while (this.closeReason === undefined && this.parts.scheduler.size >= this.startBacklog) await this.sleepUntilDrained();
      }
    } catch (error) {
      if (this.abandoned) return;
      stats.inc('spider_exceptions/count');
      logger.error(`Error while obtaining start requests: ${(error as Error)?.stack ?? String(error)}`);
    } finally {
      this.startDone = true;
      this.wake();
    }
  }

  private pollLater(): void {
    if (this.pollTimer !== undefined) return;
    this.pollDelay = Math.min(Math.max(this.pollDelay * 2, 25), 250);
    this.pollTimer = setTimeout(() => {
      this.pollTimer = undefined;
      this.wake();
    }, this.pollDelay);
  }

  private sleepUntilDrained(): Promise<void> {
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private wake(): void {
    this.wakePending = true;
    const resolve = this.wakeUp;
    this.wakeUp = undefined;
    resolve?.();
    if (this.drainWaiters.length > 0 && (this.parts.scheduler.size < this.startBacklog || this.closeReason !== undefined)) {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const waiter of waiters) waiter();
    }
  }

  private sleep(): Promise<void> {
    if (this.wakePending) {
      this.wakePending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.wakeUp = () => {
        this.wakePending = false;
        resolve();
      };
    });
  }
}

/** How many downloaded responses may wait for their callbacks while CONCURRENT_REQUESTS others download. */
export function responseBacklog(concurrency: number): number {
  return Math.ceil(concurrency / 4);
}

/** Start requests get depth 0 and the is_start_request mark, as in Scrapy. */
async function* markStart(start: AsyncIterable<unknown>): AsyncGenerator<unknown> {
  for await (const value of start) {
    if (value instanceof Request) value.meta.is_start_request ??= true;
    yield value;
  }
}
