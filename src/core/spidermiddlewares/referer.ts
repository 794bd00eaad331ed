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
    let page: PageReferer | null | undefined;
    for await (const output of result) {
      if (isRequest(output)) {
        // The page's side is worked out once per response, not once per link.
        page ??= pageReferer(response.url);
        const referer = page === null ? undefined : refererTo(page, output.url);
        if (referer !== undefined) setDefaultHeader(output.headers, 'Referer', referer);
      }
      yield output;
    }
  }
}

interface PageReferer {
  /** The page's URL without fragment or credentials. */
  referer: string;
  secure: boolean;
}

/** The Referer to send when `target` is requested from the page at `source`, if any. */
export function refererFor(source: string, target: string): string | undefined {
  const page = pageReferer(source);
  return page === null ? undefined : refererTo(page, target);
}

/** What a page at `source` sends as Referer; null for a page that sends none (not HTTP, or not a URL). */
function pageReferer(source: string): PageReferer | null {
  let from: URL;
  try {
    from = new URL(source);
  } catch {
    return null;
  }
  if (from.protocol !== 'http:' && from.protocol !== 'https:') return null;
  from.hash = '';
  from.username = '';
  from.password = '';
  return {referer: from.toString(), secure: from.protocol === 'https:'};
}

function refererTo(page: PageReferer, target: string): string | undefined {
  if (!URL.canParse(target)) return undefined;
  if (page.secure && protocolOf(target) !== 'https:') return undefined;
  return page.referer;
}

const LEADING_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** `new URL(url).protocol` of a URL that parses, read off its start when it begins with a plain scheme. */
function protocolOf(url: string): string {
  return LEADING_SCHEME.exec(url)?.[0].toLowerCase() ?? new URL(url).protocol;
}
