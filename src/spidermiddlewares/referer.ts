import type {Crawler} from '../core/crawler.js';
import {DraglineError} from '../core/errors.js';
import type {Response} from '../http/response.js';
import {NotConfigured, type SpiderMiddleware} from '../core/middleware.js';
import {setDefaultHeader} from '../downloadermiddlewares/headers.js';
import {isRequest} from './is-request.js';

/** The W3C referrer policies, and Scrapy's default (no-referrer-when-downgrade, HTTP pages only). */
export const REFERRER_POLICIES = [
  'scrapy-default', 'no-referrer', 'no-referrer-when-downgrade', 'same-origin', 'origin', 'strict-origin',
  'origin-when-cross-origin', 'strict-origin-when-cross-origin', 'unsafe-url',
] as const;
export type ReferrerPolicy = (typeof REFERRER_POLICIES)[number];

/**
 * Sets the Referer header of requests made from a page, as Scrapy's RefererMiddleware: by the
 * request's `meta.referrer_policy`, else the page's `Referrer-Policy` header, else REFERRER_POLICY
 * (Scrapy's default: the page URL, but never from https to http and never from a non-HTTP page).
 * The Referer never carries the page's fragment or credentials; one the request already has is kept.
 */
export class RefererMiddleware implements SpiderMiddleware {
  private readonly defaultPolicy: ReferrerPolicy;

  constructor(crawler: Crawler) {
    if (!crawler.settings.getBool('REFERER_ENABLED')) throw new NotConfigured('REFERER_ENABLED is off');
    const configured = crawler.settings.getString('REFERRER_POLICY', 'scrapy-default').trim().toLowerCase();
    if (!isPolicy(configured)) {
      throw new DraglineError('BAD_SETTING', `REFERRER_POLICY '${configured}' is not a referrer policy: use one of ${REFERRER_POLICIES.join(', ')}`);
    }
    this.defaultPolicy = configured;
  }

  async *processSpiderOutput(response: Response, result: AsyncIterable<unknown>): AsyncIterable<unknown> {
    let page: PageReferer | null | undefined;
    let pagePolicy: ReferrerPolicy | undefined;
    for await (const output of result) {
      if (isRequest(output)) {
        // The page's side is worked out once per response, not once per link.
        if (page === undefined) {
          page = pageReferer(response.url);
          pagePolicy = policyFromHeader(response.header('referrer-policy'));
        }
        const wanted = output.meta.referrer_policy;
        const policy = typeof wanted === 'string' && isPolicy(wanted.toLowerCase()) ? (wanted.toLowerCase() as ReferrerPolicy) : pagePolicy ?? this.defaultPolicy;
        const referer = page === null ? undefined : refererTo(page, output.url, policy);
        if (referer !== undefined) setDefaultHeader(output.headers, 'Referer', referer);
      }
      yield output;
    }
  }
}

interface PageReferer {
  /** The page's URL without fragment or credentials. */
  url: string;
  /** `scheme://host[:port]/`. */
  origin: string;
  secure: boolean;
}

/** The Referer to send when `target` is requested from the page at `source` under `policy`, if any. */
export function refererFor(source: string, target: string, policy: ReferrerPolicy = 'scrapy-default'): string | undefined {
  const page = pageReferer(source);
  return page === null ? undefined : refererTo(page, target, policy);
}

/** What a page at `source` can send as Referer; null for a page that sends none (not HTTP, or not a URL). */
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
  return {url: from.toString(), origin: `${from.origin}/`, secure: from.protocol === 'https:'};
}

function refererTo(page: PageReferer, target: string, policy: ReferrerPolicy): string | undefined {
  if (!URL.canParse(target)) return undefined;
  const downgrade = page.secure && protocolOf(target) !== 'https:';
  switch (policy) {
    case 'no-referrer':
      return undefined;
    case 'unsafe-url':
      return page.url;
    case 'origin':
      return page.origin;
    case 'strict-origin':
      return downgrade ? undefined : page.origin;
    case 'same-origin':
      return sameOrigin(page, target) ? page.url : undefined;
    case 'origin-when-cross-origin':
      return sameOrigin(page, target) ? page.url : page.origin;
    case 'strict-origin-when-cross-origin':
      return sameOrigin(page, target) ? page.url : downgrade ? undefined : page.origin;
    default:
      // scrapy-default and no-referrer-when-downgrade.
      return downgrade ? undefined : page.url;
  }
}

function sameOrigin(page: PageReferer, target: string): boolean {
  return `${new URL(target).origin}/` === page.origin;
}

/** The policy a `Referrer-Policy` header names: its last token that is one (as browsers read it). */
function policyFromHeader(header: string | undefined): ReferrerPolicy | undefined {
  if (header === undefined) return undefined;
  const tokens = header.split(',').map((token) => token.trim().toLowerCase()).filter((token) => isPolicy(token) && token !== 'scrapy-default');
  return tokens.at(-1) as ReferrerPolicy | undefined;
}

function isPolicy(name: string): name is ReferrerPolicy {
  return (REFERRER_POLICIES as readonly string[]).includes(name);
}

const LEADING_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** `new URL(url).protocol` of a URL that parses, read off its start when it begins with a plain scheme. */
function protocolOf(url: string): string {
  return LEADING_SCHEME.exec(url)?.[0].toLowerCase() ?? new URL(url).protocol;
}
