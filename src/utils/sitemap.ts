import {constants, gunzipSync, inflateRawSync} from 'node:zlib';
import type {Headers} from '../http/request.js';
import {responseClassOf} from '../http/response-types.js';
import {parseXmlLeniently} from './sitemap-xml.js';
import {urljoin} from './urljoin.js';

/** One entry (child of the root) of a sitemap, as Scrapy's Sitemap yields them. */
export interface SitemapEntry {
  loc: string;
  lastmod?: string;
  changefreq?: string;
  priority?: string;
  /** The `href` of each `<xhtml:link>` of the entry (its alternate-language URLs). */
  alternate: string[];
}

export interface Sitemap {
  /** The root element's local name: `urlset` (pages) or `sitemapindex` (more sitemaps) for a sitemap. */
  type: string;
  entries: SitemapEntry[];
}

/**
 * Reads a sitemap (https://www.sitemaps.org/protocol.html) as Scrapy's Sitemap does: every child of
 * the root with a `<loc>` is an entry, each field the stripped text of the entry's last child of that
 * name. Only real elements count (not ones inside comments), damaged files give what they hold (a
 * truncated one up to where it ends), the encoding comes from the byte order mark or XML declaration,
 * and no DTD or external entity is ever resolved. Undefined when the bytes hold no XML document at all
 * (Scrapy raises then). Gzipped bodies: see sitemapBody().
 */
export function parseSitemap(body: Buffer): Sitemap | undefined {
  const root = parseXmlLeniently(body);
  if (root === undefined) return undefined;
  const entries: SitemapEntry[] = [];
  for (const child of root.children) {
    const fields: Record<string, string> = {};
    const alternate: string[] = [];
    for (const element of child.children) {
      if (element.name !== 'link') fields[element.name] = pythonStrip(element.text);
      else if ('href' in element.attributes) alternate.push(element.attributes.href!);
    }
    if (!('loc' in fields)) continue;
    entries.push({loc: fields.loc!, lastmod: fields.lastmod, changefreq: fields.changefreq, priority: fields.priority, alternate});
  }
  return {type: root.name, entries};
}

/** What sitemapBody() needs of a response. */
export interface SitemapSource {
  url: string;
  headers: Headers;
  body: Buffer;
}

/**
 * The sitemap in a response, as Scrapy's SitemapSpider finds it: an XML response's body as it is,
 * a gzip body gunzipped (at most `maxSize` bytes of it, when `maxSize` > 0: a gzip bomb is refused,
 * as later Scrapy versions do with DOWNLOAD_MAXSIZE), or the body of any response whose URL ends
 * in .xml or .xml.gz. Undefined for anything else: an HTML page at another URL is not a sitemap.
 */
export function sitemapBody(response: SitemapSource, maxSize = 0): Buffer | undefined {
  if (responseClassOf(response) === 'XmlResponse') return response.body;
  const body = response.body;
  if (body[0] === 0x1f && body[1] === 0x8b && body[2] === 0x08) return gunzip(body, maxSize);
  if (response.url.endsWith('.xml') || response.url.endsWith('.xml.gz')) return body;
  return undefined;
}

/** Thrown by sitemapBody() for a gzip body that unpacks to more than its limit. */
export class SitemapTooLargeError extends Error {
  constructor(readonly maxSize: number) {
    super(`the gzipped sitemap unpacks to more than ${maxSize} bytes`);
    this.name = 'SitemapTooLargeError';
  }
}

/**
 * Gunzips as much as can be read, as Scrapy's gunzip: a truncated file gives what precedes the cut,
 * and a bad checksum is not fatal. Undefined when nothing can be read.
 */
function gunzip(body: Buffer, maxSize: number): Buffer | undefined {
  const limit = maxSize > 0 ? {maxOutputLength: maxSize} : {};
  try {
    return gunzipSync(body, {...limit, finishFlush: constants.Z_SYNC_FLUSH});
  } catch (error) {
    if ((error as {code?: string}).code === 'ERR_BUFFER_TOO_LARGE') throw new SitemapTooLargeError(maxSize);
  }
  // A damaged trailer (checksum, length): the deflate stream after the header still holds the data.
  const start = gzipHeaderLength(body);
  if (start === undefined) return undefined;
  try {
    const data = inflateRawSync(body.subarray(start), {...limit, finishFlush: constants.Z_SYNC_FLUSH});
    return data.length > 0 ? data : undefined;
  } catch (error) {
    if ((error as {code?: string}).code === 'ERR_BUFFER_TOO_LARGE') throw new SitemapTooLargeError(maxSize);
    return undefined;
  }
}

/** Length of a gzip member's header (RFC 1952: fixed part, then the optional fields its flags announce). */
function gzipHeaderLength(body: Buffer): number | undefined {
  const flags = body[3];
  if (flags === undefined || body.length < 10) return undefined;
  let at = 10;
  if (flags & 0x04) at += 2 + (body.readUInt16LE(at) || 0);
  for (const flag of [0x08, 0x10]) {
    if (!(flags & flag)) continue;
    const end = body.indexOf(0, at);
    if (end === -1) return undefined;
    at = end + 1;
  }
  if (flags & 0x02) at += 2;
  return at <= body.length ? at : undefined;
}

/**
 * The `Sitemap:` lines of a robots.txt, as Scrapy's sitemap_urls_from_robots: any line that starts
 * (after spaces) with `sitemap:` in any case, its value joined to the robots.txt URL.
 */
export function sitemapUrlsFromRobots(text: string, baseUrl: string): string[] {
  const urls: string[] = [];
  for (const line of pythonLines(text)) {
    if (!line.replace(PYTHON_LEADING_SPACE, '').toLowerCase().startsWith('sitemap:')) continue;
    urls.push(urljoin(baseUrl, pythonStrip(line.slice(line.indexOf(':') + 1))));
  }
  return urls;
}

// The characters Python's str.strip() and str.splitlines() treat as whitespace and line breaks.
const PYTHON_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PYTHON_STRIP = new RegExp(`^[${PYTHON_SPACE}]+|[${PYTHON_SPACE}]+$`, 'g');
const PYTHON_LEADING_SPACE = new RegExp(`^[${PYTHON_SPACE}]+`);

function pythonStrip(text: string): string {
  return text.replace(PYTHON_STRIP, '');
}

function pythonLines(text: string): string[] {
  const lines = text.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
