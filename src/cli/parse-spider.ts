import {DraglineError} from '../core/errors.js';
import {Request, type Callback, type Failure} from '../core/http/request.js';
import type {Response} from '../core/http/response.js';
import {itemToObject} from '../core/item.js';
import type {Spider, SpiderClass} from '../core/spider.js';
import {iterateOutput} from '../core/utils/iterate-output.js';

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
  // Checked now, so a wrong -c is an error of the command, not a failure inside the crawl.
  methodOf(new spiderClass(), target.callback ?? 'parse');
  const ParseSpider = class extends spiderClass {
    override async *start(): AsyncGenerator<unknown> {
      const callback = methodOf(this, target.callback ?? 'parse');
      yield new Request(target.url, {
        callback: recording(callback, 1),
        errback: recordFailure,
        meta: target.meta,
        cbKwargs: target.cbKwargs,
        dontFilter: true,
      });
    }
  };
  Object.defineProperty(ParseSpider, 'name', {value: spiderClass.name});

  function recording(callback: Callback, depth: number): Callback {
    return async function* (this: Spider, response: Response, kwargs?: Record<string, unknown>) {
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
