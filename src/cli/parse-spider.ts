import {runSpider} from '../core/crawler-process.js';
import {CrawlSpider} from '../spiders/crawl-spider.js';
import {DraglineError} from '../core/errors.js';
import {Request, type Callback, type CallbackKwargs, type Failure} from '../http/request.js';
import type {Response} from '../http/response.js';
import {itemToObject} from '../core/item.js';
import type {Spider, SpiderClass} from '../spiders/spider.js';
import {iterateOutput} from '../utils/iterate-output.js';
import {createComponentResolver} from '../project/component-resolver.js';
import {crawlSettings} from './run-crawl.js';

/** What the callbacks produced at one depth (1 is the URL given to `parse`). */
export interface ParseLevel {
  depth: number;
  items: Record<string, unknown>[];
  requests: Request[];
}

export interface ParseTarget {
  url: string;
  /** A method of the spider; the spider's `parse` when not given. */
  callback?: string;
  /** Without a callback: hand the URL to the first CrawlSpider rule whose link extractor matches it, as a crawl would (`--rules`). */
  rules?: boolean;
  /** How many levels of requests to follow (1: only URL itself). */
  depth: number;
  meta: Record<string, unknown>;
  cbKwargs: Record<string, unknown>;
  /** Send the items through the project's item pipelines too. */
  pipelines: boolean;
}

/** The record `parse` keeps while the crawl runs. */
export class ParseRecord {
  readonly levels = new Map<number, ParseLevel>();
  readonly failures: Array<{url: string; message: string}> = [];

  level(depth: number): ParseLevel {
    let level = this.levels.get(depth);
    if (level === undefined) this.levels.set(depth, (level = {depth, items: [], requests: []}));
    return level;
  }

  get deepest(): number {
    return Math.max(0, ...this.levels.keys());
  }
}

/**
 * The user's spider, changed as Scrapy's parse command changes it: one start request (the URL,
 * handled by the chosen callback), and every callback wrapped so that what it yields is recorded
 * by depth; requests are followed until `depth`, items go on to the pipelines only if asked.
 */
export function parseSpiderClass(spiderClass: SpiderClass, target: ParseTarget, record: ParseRecord): SpiderClass {
  // Checked now, so a wrong -c (or a URL no rule matches) is an error of the command, not a failure inside the crawl.
  firstCallback(new spiderClass(), target);
  const ParseSpider = class extends spiderClass {
    override async *start(): AsyncGenerator<unknown> {
      const {callback, meta} = firstCallback(this, target);
      yield new Request(target.url, {
        callback: recording(callback, 1),
        errback: recordFailure,
        meta,
        cbKwargs: target.cbKwargs,
        dontFilter: true,
      });
    }
  };
  Object.defineProperty(ParseSpider, 'name', {value: spiderClass.name});

  function recording(callback: Callback, depth: number): Callback {
    return async function* (this: Spider, response: Response, kwargs: CallbackKwargs) {
      const level = record.level(depth);
      for await (const value of iterateOutput(callback.call(this, response, kwargs))) {
        if (value instanceof Request) {
          level.requests.push(value);
          if (depth < target.depth) {
            value.callback = recording(value.callback ?? (this.parse as Callback), depth + 1);
            value.errback ??= recordFailure;
            yield value;
          }
        } else if (value !== undefined && value !== null) {
          level.items.push(itemToObject(value));
          if (target.pipelines) yield value;
        }
      }
    };
  }

  function recordFailure(failure: Failure): void {
    const message = failure.error?.message ?? String(failure.error);
    record.failures.push({url: failure.request.url, message: failure.response === undefined ? message : `${message} (HTTP ${failure.response.status})`});
  }

  return ParseSpider;
}

/** Where a parse runs: the project, the command line's settings and spider arguments. */
export interface ParseRun {
  project: {root: string; settings: Record<string, unknown>};
  cmdline: Record<string, unknown>;
  args?: Record<string, string>;
  /** Settings at the command's priority (below the project's), such as a quieter log. */
  commandSettings?: Record<string, unknown>;
}

/**
 * Runs `target` through a callback of `spiderClass` in a crawl of its own (what parse and check
 * do) and returns what the callbacks produced. A look at one page: no job directory, no feed, no
 * progress line, whatever the project says.
 */
export async function runParse(spiderClass: SpiderClass, target: ParseTarget, run: ParseRun): Promise<ParseRecord> {
  const record = new ParseRecord();
  const wrapped = parseSpiderClass(spiderClass, target, record);
  const settings = crawlSettings(run.project.settings, spiderClass, {cmdline: run.cmdline, feeds: {}, args: run.args ?? {}, retryFailed: false});
  if (run.commandSettings !== undefined) settings.update(run.commandSettings, 'command');
  settings.update({JOBDIR: '', FEEDS: {}, PROGRESS_ENABLED: false}, 'cmdline');
  await runSpider({spiderClass: wrapped, settings, args: run.args, resolveComponent: createComponentResolver(run.project.root)});
  return record;
}

/** A JSON object given on the command line or in a contract (`what` names it in the error). */
export function jsonObject(text: string | undefined, what: string): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DraglineError('BAD_ARGUMENT', `${what} is not valid JSON (${(error as Error).message}): give an object such as '{"key": "value"}'`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new DraglineError('BAD_ARGUMENT', `${what} must be a JSON object such as '{"key": "value"}', not ${JSON.stringify(value)}`);
  }
  return value as Record<string, unknown>;
}

/**
 * The callback of the URL given to parse, and its meta: -c's method; with --rules, the rule whose
 * link extractor matches the URL first, run as a crawl runs it (CrawlSpider.parseRule: the rule's
 * callback with its cbKwargs, then its links followed if the rule follows); else `parse`.
 */
function firstCallback(spider: Spider, target: ParseTarget): {callback: Callback; meta: Record<string, unknown>} {
  if (target.callback !== undefined || target.rules !== true) return {callback: methodOf(spider, target.callback ?? 'parse'), meta: target.meta};
  const rules = (spider as {rules?: unknown}).rules;
  if (!(spider instanceof CrawlSpider) || !Array.isArray(rules) || rules.length === 0) {
    throw new DraglineError('CALLBACK_NOT_FOUND', `No CrawlSpider rules found in spider ${spider.name}: --rules needs some`, {
      suggestions: ['Name the callback with -c METHOD instead'],
    });
  }
  const index = spider.rules.findIndex((rule) => rule.linkExtractor.matches(target.url));
  if (index < 0) {
    throw new DraglineError('CALLBACK_NOT_FOUND', `Cannot find a rule that matches ${target.url} in spider: ${spider.name}`, {
      suggestions: ["Check the rules' allow/deny patterns against the URL, or name the callback with -c METHOD"],
    });
  }
  return {callback: spider.parseRule as Callback, meta: {...target.meta, rule: index}};
}

function methodOf(spider: Spider, name: string): Callback {
  const method = (spider as unknown as Record<string, unknown>)[name];
  if (typeof method !== 'function') {
    throw new DraglineError('CALLBACK_NOT_FOUND', `Cannot find callback '${name}' in spider ${spider.name}`, {
      suggestions: ['Give -c the name of one of the spider\'s methods (the default is parse)'],
    });
  }
  return method as Callback;
}

/** Scrapy's parse output: for each level shown, its items and its requests. */
export function formatParseLevels(levels: ParseLevel[], show: {items: boolean; requests: boolean}, heading: (text: string) => string): string {
  const out: string[] = [];
  for (const level of levels) {
    out.push(heading(`>>> STATUS DEPTH LEVEL ${level.depth} <<<`));
    if (show.items) {
      out.push(heading(section('Scraped Items')), JSON.stringify(level.items, null, 2), '');
    }
    if (show.requests) {
      out.push(heading(section('Requests')), level.requests.length === 0 ? '[]' : `[${level.requests.map((request) => request.toString()).join(',\n ')}]`, '');
    }
  }
  return out.join('\n') + '\n';
}

function section(title: string): string {
  return `# ${title}  ${'-'.repeat(Math.max(3, 74 - title.length))}`;
}
