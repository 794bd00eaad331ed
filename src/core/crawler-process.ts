import type {Settings} from '../settings/settings.js';
import type {SpiderClass} from '../spiders/spider.js';
import {CrawlerRun, type CrawlResult} from './crawler-run.js';
import {formatCount} from '../utils/format-count.js';

export interface RunSpiderOptions {
  spiderClass: SpiderClass;
  /** Fully built: default < project < spider customSettings < command line. */
  settings: Settings;
  /** `-a NAME=VALUE`: set as attributes on the spider instance. */
  args?: Record<string, string>;
  /** `--retry-failed`: requests that failed for good in earlier batches are tried again. */
  retryFailed?: boolean;
  /** Resolves a user key of ITEM_PIPELINES / DOWNLOADER_MIDDLEWARES / SPIDER_MIDDLEWARES to a class. */
  resolveComponent?: (key: string) => Promise<unknown>;
  /** How to tell the user to resume (the command line they ran). */
  resumeCommand?: string;
  /** Install SIGINT/SIGTERM handlers (true for the CLI). */
  handleSignals?: boolean;
}

/**
 * Runs one spider to its end, as `dragline crawl` does. The first SIGINT or SIGTERM pauses
 * gracefully (Scrapy's "shutting down gracefully"), the second exits at once — with a JOBDIR
 * nothing is lost either way, because every write is journaled as it happens.
 */
export async function runSpider(options: RunSpiderOptions): Promise<CrawlResult> {
  const crawler = new CrawlerRun(options.spiderClass, options.settings, {
    args: options.args,
    retryFailed: options.retryFailed,
    resolveComponent: options.resolveComponent,
  });
  const log = crawler.logger.child('dragline.crawler');
  let signalled = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signalled += 1;
    if (signalled === 1) {
      log.info(`Received ${signal}, shutting down gracefully. Send again to force`);
      crawler.pause();
      return;
    }
    log.info(`Received ${signal} twice, forcing unclean shutdown`);
    if (crawler.job !== undefined) log.info(`Nothing is lost: resume with the same command (${options.resumeCommand ?? 'the same command'})`);
    process.exit(1);
  };
  if (options.handleSignals !== false) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  try {
    const result = await crawler.crawl();
    if (result.reason !== 'finished') {
      if (crawler.job !== undefined) reportPause(crawler, result, options.resumeCommand);
      else if (signalled > 0) log.info('This crawl had no JOBDIR, so it cannot be resumed: next time add -s JOBDIR=crawls/<name> to pause and resume it');
    }
    return result;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function reportPause(crawler: CrawlerRun, result: CrawlResult, resumeCommand: string | undefined): void {
  const log = crawler.logger.child('dragline.crawler');
  const parts = [`${formatCount(result.pending)} requests pending`];
  if (result.abandoned > 0) parts.push(`${result.abandoned} in flight will be fetched again`);
  log.info(`Job paused (${result.reason}): ${parts.join(', ')} in ${crawler.job!.dir}`);
  if (result.droppedMemoryRequests > 0) {
    log.warning(`Pausing dropped ${result.droppedMemoryRequests} requests that could only be kept in memory (see scheduler/unserializable; set SCHEDULER_DEBUG=true to list them)`);
  }
  log.info(`Resume with: ${resumeCommand ?? 'the same command'}`);
}
