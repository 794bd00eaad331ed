import type {Crawler} from '../core/crawler.js';
import type {Request} from '../http/request.js';
import type {Response} from '../http/response.js';
import {isHtmlResponse} from '../http/response-types.js';
import {NotConfigured, type DownloaderMiddleware} from '../core/middleware.js';
import type {Spider} from '../spiders/spider.js';
import {RedirectFollower, buildGetRedirectRequest, wantsResponseAsIs} from './redirect.js';

/** Only the start of a page is looked at: a refresh that matters lives in <head>. */
const SCANNED_CHARS = 64 * 1024;
const MAY_REFRESH = /refresh/i;

/**
 * Follows `<meta http-equiv="refresh" content="N; url=...">` on HTML pages when N is below
 * METAREFRESH_MAXDELAY seconds, as Scrapy's MetaRefreshMiddleware (same meta keys and limits as redirects).
 */
export class MetaRefreshMiddleware implements DownloaderMiddleware {
  private readonly follower: RedirectFollower;
  private readonly maxDelay: number;

  constructor(private readonly crawler: Crawler) {
    if (!crawler.settings.getBool('METAREFRESH_ENABLED')) throw new NotConfigured('METAREFRESH_ENABLED is off');
    this.maxDelay = crawler.settings.getFloat('METAREFRESH_MAXDELAY');
    this.follower = new RedirectFollower(crawler, crawler.logger.child('dragline.downloadermiddlewares.redirect'));
  }

  processResponse(request: Request, response: Response, spider: Spider): Request | Response {
    if (request.method === 'HEAD' || !isHtmlResponse(response)) return response;
    if (wantsResponseAsIs(request, response, spider ?? this.crawler.spider)) return response;
    const head = response.text.slice(0, SCANNED_CHARS);
    // Nearly every page has none: without the word there is nothing to parse.
    if (!MAY_REFRESH.test(head)) return response;
    const refresh = findMetaRefresh(head, response.url);
    if (refresh === undefined || refresh.delay >= this.maxDelay) return response;
    return this.follower.follow(buildGetRedirectRequest(request, refresh.url), request, 'meta refresh');
  }
}


/**
 * The delay and absolute URL of a page's meta refresh, as w3lib's get_meta_refresh: comments are
 * skipped, `content` is `N;url=...` (or `N, ...`), the URL may be quoted. A refresh without a URL is ignored.
 */
export function findMetaRefresh(html: string, baseUrl: string): {delay: number; url: string} | undefined {
  const withoutComments = html.replace(/<!--[\s\S]*?-->/g, '');
  for (const tag of withoutComments.match(/<meta\b[^>]*>/gi) ?? []) {
    const attributes = parseAttributes(tag);
    if (attributes['http-equiv']?.trim().toLowerCase() !== 'refresh') continue;
    const content = attributes.content;
    if (content === undefined) continue;
    const match = /^\s*(\d*\.?\d+)\s*[;,]\s*(?:url\s*=\s*)?(["']?)(.*?)\2\s*$/i.exec(content);
    if (match === null || match[3].trim() === '') continue;
    try {
      const url = new URL(decodeEntities(match[3].trim()), baseUrl);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') continue;
      return {delay: Number(match[1]), url: url.toString()};
    } catch {
      continue;
    }
  }
  return undefined;
}

function parseAttributes(tag: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  const pattern = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/g;
  for (const match of tag.slice(5).matchAll(pattern)) {
    attributes[match[1].toLowerCase()] = match[2] ?? match[3] ?? match[4] ?? '';
  }
  return attributes;
}

function decodeEntities(text: string): string {
  return text.replace(/&amp;/gi, '&').replace(/&quot;/gi, '"').replace(/&#39;|&apos;/gi, "'").replace(/&lt;/gi, '<').replace(/&gt;/gi, '>');
}
