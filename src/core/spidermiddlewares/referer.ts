import type {Crawler} from '../crawler.js';
import type {Response} from '../http/response.js';
import {NotConfigured, type SpiderMiddleware} from '../middleware.js';
import {setDefaultHeader} from '../downloadermiddlewares/headers.js';
import {isRequest} from './is-request.js';

/**
 * Sets the Referer header of requests made from a page to that page's URL, with Scrapy's default policy
 * (no-referrer-when-downgrade): never from https to http, never from non-HTTP pages, without the
 * fragment or credentials. A Referer the request already has is kept.
 */
export class RefererMiddleware implements SpiderMiddleware {
  constructor(crawler: Crawler) {
    if (!crawler.settings.getBool('REFERER_ENABLED')) throw new NotConfigured('REFERER_ENABLED is off');
  }

  async *processSpiderOutput(response: Response, result: AsyncIterable<unknown>): AsyncIterable<unknown> {
    for await (const output of result) {
      if (isRequest(output)) {
        const referer = refererFor(response.url, output.url);
        if (referer !== undefined) setDefaultHeader(output.headers, 'Referer', referer);
      }
      yield output;
    }
  }
}

/** The Referer to send when `target` is requested from the page at `source`, if any. */
export function refererFor(source: string, target: string): string | undefined {
  let from: URL;
  let to: URL;
  try {
    from = new URL(source);
    to = new URL(target);
  } catch {
    return undefined;
  }
  if (from.protocol !== 'http:' && from.protocol !== 'https:') return undefined;
  if (from.protocol === 'https:' && to.protocol !== 'https:') return undefined;
  from.hash = '';
  from.username = '';
  from.password = '';
  return from.toString();
}
