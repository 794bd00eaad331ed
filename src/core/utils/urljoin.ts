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

const LEADING_C0_OR_SPACE = /^[\x00-\x20]+/;
const TAB_OR_NEWLINE = /[\t\n\r]/g;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*$/;

/** Python's `urlsplit`: leading C0 controls and spaces dropped, tabs and newlines removed anywhere. */
export function urlsplit(url: string, defaultScheme = ''): UrlParts {
  let rest = url.replace(LEADING_C0_OR_SPACE, '');
  if (rest.includes('\t') || rest.includes('\n') || rest.includes('\r')) rest = rest.replace(TAB_OR_NEWLINE, '');
  let scheme = defaultScheme;
  const colon = rest.indexOf(':');
  if (colon > 0 && SCHEME.test(rest.slice(0, colon))) {
    scheme = rest.slice(0, colon).toLowerCase();
    rest = rest.slice(colon + 1);
  }
  let netloc = '';
  if (rest.startsWith('//')) {
    let end = rest.length;
    for (const delimiter of ['/', '?', '#']) {
      const at = rest.indexOf(delimiter, 2);
      if (at >= 0 && at < end) end = at;
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

/** Python's `urlparse`: urlsplit, then `;params` split off the last path segment. */
export function urlparse(url: string, defaultScheme = ''): UrlPartsWithParams {
  const parts = urlsplit(url, defaultScheme);
  if (!USES_PARAMS.has(parts.scheme) || !parts.path.includes(';')) return {...parts, params: ''};
  const lastSlash = parts.path.lastIndexOf('/');
  const semicolon = parts.path.indexOf(';', lastSlash < 0 ? 0 : lastSlash);
  if (semicolon < 0) return {...parts, params: ''};
  return {...parts, path: parts.path.slice(0, semicolon), params: parts.path.slice(semicolon + 1)};
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
export function urljoin(base: string, url: string): string {
  if (!base) return url;
  if (!url) return base;
  const from = parsedBase(base);
  const target = urlparse(url, from.scheme);
  if (target.scheme !== from.scheme || !USES_RELATIVE.has(target.scheme)) return url;
  let netloc = target.netloc;
  if (USES_NETLOC.has(target.scheme)) {
    if (netloc) return urlunparse(target);
    netloc = from.netloc;
  }
  if (!target.path && !target.params) {
    return urlunparse({...target, netloc, path: from.path, params: from.params, query: target.query || from.query});
  }
  const baseSegments = from.path.split('/');
  if (baseSegments[baseSegments.length - 1] !== '') baseSegments.pop();
  let segments: string[];
  if (target.path.startsWith('/')) {
    segments = target.path.split('/');
  } else {
    segments = [...baseSegments, ...target.path.split('/')];
    segments = [segments[0], ...segments.slice(1, -1).filter(Boolean), ...(segments.length > 1 ? [segments[segments.length - 1]] : [])];
  }
  const resolved: string[] = [];
  for (const segment of segments) {
    if (segment === '..') resolved.pop();
    else if (segment !== '.') resolved.push(segment);
  }
  const last = segments[segments.length - 1];
  if (last === '.' || last === '..') resolved.push('');
  return urlunparse({...target, netloc, path: resolved.join('/') || '/'});
}
