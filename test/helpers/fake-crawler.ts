import type {Crawler} from '../../src/core/crawler.js';
import type {Request} from '../../src/http/request.js';
import {Response} from '../../src/http/response.js';
import {Logger, type LogLevel} from '../../src/core/logger.js';
import {Settings} from '../../src/settings/settings.js';
import {SignalManager} from '../../src/core/signals.js';
import {Spider} from '../../src/spiders/spider.js';
import {StatsCollector} from '../../src/core/stats.js';
import type {Job} from '../../src/persistence/types.js';

export interface LogLine {
  level: LogLevel;
  line: string;
}

export interface FakeCrawler extends Crawler {
  logLines: LogLine[];
  closeReasons: string[];
  /** Log lines at a level, without their timestamp. */
  logged(level?: LogLevel): string[];
}

/** A crawler made of the real settings, stats, logger and signals, for middleware unit tests. */
export function fakeCrawler(
  values: Record<string, unknown> = {},
  options: {spider?: Spider; job?: Job; engine?: Crawler['engine']} = {},
): FakeCrawler {
  const logLines: LogLine[] = [];
  const stats = new StatsCollector();
  const logger = Logger.create({level: 'DEBUG', sink: {write: (line, level) => logLines.push({line, level})}});
  const spider = options.spider ?? Object.assign(new Spider(), {name: 'test'});
  const crawler: FakeCrawler = {
    settings: new Settings(values),
    stats,
    logger,
    signals: new SignalManager(),
    spider,
    job: options.job,
    engine: options.engine,
    logLines,
    closeReasons: [],
    closeSpider(reason: string) {
      crawler.closeReasons.push(reason);
    },
    logged(level?: LogLevel) {
      return logLines.filter((entry) => level === undefined || entry.level === level).map((entry) => entry.line.replace(/^\S+ \S+ /, ''));
    },
  };
  spider.crawler = crawler;
  spider.settings = crawler.settings;
  spider.logger = logger.child(spider.name);
  return crawler;
}

export function responseFor(request: Request, init: {status?: number; headers?: Record<string, string | string[]>; body?: string; url?: string} = {}): Response {
  return new Response({
    url: init.url ?? request.url,
    status: init.status ?? 200,
    headers: init.headers ?? {},
    body: Buffer.from(init.body ?? ''),
    request,
  });
}

/** An in-memory Job: only the JSON documents are real, which is all middlewares use. */
export function fakeJob(documents: Record<string, unknown> = {}): Job & {documents: Record<string, unknown>} {
  const job = {
    documents,
    loadJson: <T>(name: string) => (name in documents ? (JSON.parse(JSON.stringify(documents[name])) as T) : undefined),
    saveJson: (name: string, value: unknown) => {
      documents[name] = JSON.parse(JSON.stringify(value));
    },
  };
  return job as unknown as Job & {documents: Record<string, unknown>};
}

export async function collect(iterable: AsyncIterable<unknown>): Promise<unknown[]> {
  const values: unknown[] = [];
  for await (const value of iterable) values.push(value);
  return values;
}

export async function* fromArray(values: unknown[]): AsyncIterable<unknown> {
  yield* values;
}
