import {isAbsoluteAsJoined} from './already-safe-url.js';

/**
 * URL splitting and joining as Python's `urllib.parse` does them (urlsplit, urlparse, urlunsplit,
 * urljoin), which is what Scrapy's `response.urljoin`, `response.follow` and LinkExtractor use.
 * Unlike WHATWG's `new URL(relative, base)`, nothing is escaped or normalised here: the page's
 * own characters survive, so `safeUrlString` can then percent-encode the query in the page's
 * encoding rather than always in UTF-8.
 */

export interface UrlParts {
  scheme: string;
  netloc: string;
  path: string;
  query: string;
  fragment: string;
}

export interface UrlPartsWithParams extends UrlParts {
  /** `;params` of the last path segment, for the schemes Python splits them off (`uses_params`). */
  params: string;
}

/** Python's `uses_relative`, `uses_netloc` and `uses_params` scheme lists. */
const USES_RELATIVE = new Set(['', 'ftp', 'http', 'gopher', 'nntp', 'imap', 'wais', 'file', 'https', 'shttp', 'mms', 'prospero', 'rtsp', 'rtspu', 'sftp', 'svn', 'svn+ssh', 'ws', 'wss']);
const USES_NETLOC = new Set([
  '', 'ftp', 'http', 'gopher', 'nntp', 'telnet', 'imap', 'wais', 'file', 'mms', 'https', 'shttp', 'snews', 'prospero', 'rtsp', 'rtspu', 'rsync',
  'svn', 'svn+ssh', 'sftp', 'nfs', 'git', 'git+ssh', 'ws', 'wss',
]);
const USES_PARAMS = new Set(['', 'ftp', 'hdl', 'prospero', 'http', 'imap', 'https', 'shttp', 'rtsp', 'rtspu', 'sip', 'sips', 'mms', 'sftp', 'tel']);

/** Python's `urlsplit`: leading C0 controls and spaces dropped, tabs and newlines removed anywhere. */
export function urlsplit(url: string, defaultScheme = ''): UrlParts {
  let start = 0;
  while (start < url.length && url.charCodeAt(start) <= 0x20) start++;
  let rest = start === 0 ? url : url.slice(start);
  if (rest.includes('\t') || rest.includes('\n') || rest.includes('\r')) rest = rest.replace(TAB_OR_NEWLINE, '');
  let scheme = defaultScheme;
  const colon = rest.indexOf(':');
  if (colon > 0 && isScheme(rest, colon)) {
    scheme = rest.slice(0, colon).toLowerCase();
    rest = rest.slice(colon + 1);
  }
  let netloc = '';
  if (rest.charCodeAt(0) === 0x2f && rest.charCodeAt(1) === 0x2f) {
    let end = 2;
    while (end < rest.length) {
      const code = rest.charCodeAt(end);
      if (code === 0x2f || code === 0x3f || code === 0x23) break;
      end++;
    }
    netloc = rest.slice(2, end);
    rest = rest.slice(end);
  }
  let fragment = '';
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    fragment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  let query = '';
  const question = rest.indexOf('?');
  if (question >= 0) {
    query = rest.slice(question + 1);
    rest = rest.slice(0, question);
  }
  return {scheme, netloc, path: rest, query, fragment};
}

const TAB_OR_NEWLINE = /[\t\n\r]/g;

/** Whether `url` up to `end` is a scheme: a letter, then letters, digits, `+`, `-` and `.`. */
function isScheme(url: string, end: number): boolean {
  const first = url.charCodeAt(0) | 0x20;
  if (first < 0x61 || first > 0x7a) return false;
  for (let i = 1; i < end; i++) {
    const code = url.charCodeAt(i);
    const letter = code | 0x20;
    if (!((letter >= 0x61 && letter <= 0x7a) || (code >= 0x30 && code <= 0x39) || code === 0x2b || code === 0x2d || code === 0x2e)) return false;
  }
  return true;
}

/** Python's `urlparse`: urlsplit, then `;params` split off the last path segment. */
export function urlparse(url: string, defaultScheme = ''): UrlPartsWithParams {
  const {scheme, netloc, path, query, fragment} = urlsplit(url, defaultScheme);
  let semicolon = -1;
  if (USES_PARAMS.has(scheme) && path.includes(';')) {
    const lastSlash = path.lastIndexOf('/');
    semicolon = path.indexOf(';', lastSlash < 0 ? 0 : lastSlash);
  }
  if (semicolon < 0) return {scheme, netloc, path, query, fragment, params: ''};
  return {scheme, netloc, path: path.slice(0, semicolon), query, fragment, params: path.slice(semicolon + 1)};
}

/** A URL with its `urlparse` parts, for joining many links to one base without parsing it each time. */
export interface ParsedUrl {
  url: string;
  parts: UrlPartsWithParams;
}

export function parsedUrl(url: string): ParsedUrl {
  return {url, parts: urlparse(url)};
}

/** Python's `urlunsplit` (an empty authority is written as `//` for the schemes that have one). */
export function urlunsplit(parts: UrlParts): string {
  let url = parts.path;
  if (parts.netloc || (parts.scheme && USES_NETLOC.has(parts.scheme) && !url.startsWith('//'))) {
    if (url && !url.startsWith('/')) url = '/' + url;
    url = '//' + parts.netloc + url;
  }
  if (parts.scheme) url = parts.scheme + ':' + url;
  if (parts.query) url += '?' + parts.query;
  if (parts.fragment) url += '#' + parts.fragment;
  return url;
}

export function urlunparse(parts: UrlPartsWithParams): string {
  return urlunsplit(parts.params ? {...parts, path: `${parts.path};${parts.params}`} : parts);
}

/** The last few bases urljoin parsed: a page's links are all joined to one or two of them. */
const recentBases = new Map<string, Readonly<UrlPartsWithParams>>();
const RECENT_BASES = 8;

function parsedBase(base: string): Readonly<UrlPartsWithParams> {
  let parts = recentBases.get(base);
  if (parts === undefined) {
    if (recentBases.size >= RECENT_BASES) recentBases.clear();
    parts = urlparse(base);
    recentBases.set(base, parts);
  }
  return parts;
}

/**
 * Python's `urljoin(base, url)`: RFC 3986 resolution with Python's particulars (a URL of another
 * scheme, or of a scheme that is not relative, is returned as given; empty segments between
 * relative ones collapse; `..` above the root is dropped).
 */
export function urljoin(base: string | ParsedUrl, url: string): string {
  return isAbsoluteAsJoined(url) ? url : urljoinParsed(base, url);
}

/** urljoin by the full parse, for any URL (the shortcut's reference). */
export function urljoinParsed(base: string | ParsedUrl, url: string): string {
  const baseUrl = typeof base === 'string' ? base : base.url;
  if (!baseUrl) return url;
  if (!url) return baseUrl;
  const from = typeof base === 'string' ? parsedBase(base) : base.parts;
  const target = urlparse(url, from.scheme);
  if (target.scheme !== from.scheme || !USES_RELATIVE.has(target.scheme)) return url;
  let netloc = target.netloc;
  if (USES_NETLOC.has(target.scheme)) {
    if (netloc) return urlunparse(target);
    netloc = from.netloc;
  }
  const {scheme, params, query, fragment} = target;
  if (!target.path && !params) {
    return urlunparse({scheme, netloc, path: from.path, params: from.params, query: query || from.query, fragment});
  }
  return urlunparse({scheme, netloc, path: joinPaths(from.path, target.path), params, query, fragment});
}

/** The base's directory and a relative path resolved as Python's urljoin resolves them ('.' and '..' segments). */
function joinPaths(basePath: string, path: string): string {
  // Most links: a plain relative path on a plain absolute base (no '.' or empty segments in either), which is the base's directory + the path.
  if (basePath.startsWith('/') && !path.startsWith('/') && !basePath.includes('//') && !path.includes('//') && !mayHaveDotSegment(basePath) && !mayHaveDotSegment(path)) {
    return basePath.slice(0, basePath.lastIndexOf('/') + 1) + path;
  }
  let segments: string[];
  if (path.startsWith('/')) {
    segments = path.split('/');
  } else {
    // The base's last segment is replaced (unless empty); empty segments between the first and last collapse.
    const baseSegments = basePath.split('/');
    if (baseSegments[baseSegments.length - 1] !== '') baseSegments.pop();
    const all = baseSegments.concat(path.split('/'));
    segments = [all[0]];
    for (let i = 1; i < all.length - 1; i++) if (all[i]) segments.push(all[i]);
    if (all.length > 1) segments.push(all[all.length - 1]);
  }
  if (!segments.includes('.') && !segments.includes('..')) return segments.join('/') || '/';
  const resolved: string[] = [];
  for (const segment of segments) {
    if (segment === '..') resolved.pop();
    else if (segment !== '.') resolved.push(segment);
  }
  const last = segments[segments.length - 1];
  if (last === '.' || last === '..') resolved.push('');
  return resolved.join('/') || '/';
}

function mayHaveDotSegment(path: string): boolean {
  return path.includes('./') || path === '.' || path === '..' || path.endsWith('/.') || path.endsWith('/..');
}
