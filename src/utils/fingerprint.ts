import {hash} from 'node:crypto';
import type {Request} from '../http/request.js';
import {canonicalizeUrl} from './canonicalize-url.js';
import {pythonJsonString} from './python-json.js';

/**
 * Request fingerprints as Scrapy ≥ 2.7 computes them (`scrapy.utils.request.fingerprint`), so a
 * request Scrapy would count as a duplicate is one here, and the hex form matches the lines of
 * Scrapy's `requests.seen` (dragline's own `requests.seen` holds the raw 20-byte digests): SHA-1 over `json.dumps({"body", "headers", "method", "url"}, sort_keys=True)`.
 */
export interface FingerprintOptions {
  /** Header names (any case) whose values count; by default no header does. */
  includeHeaders?: string[];
  /** Count the URL fragment (default false). */
  keepFragments?: boolean;
}

/**
 * Per request and per options, as Scrapy's WeakKeyDictionary cache: a request is hashed once. The
 * default options, by far the most used, keep their answer on the request itself (under a symbol):
 * a WeakMap entry for every request of a crawl made each garbage collection walk them all.
 */
const DEFAULT_FINGERPRINT = Symbol('dragline.fingerprint');
type FingerprintedRequest = Request & {[DEFAULT_FINGERPRINT]?: string};
const otherOptionsCache = new WeakMap<Request, Map<string, string>>();

/** The 20-byte SHA-1 fingerprint of a request. */
export function fingerprint(request: Request, options: FingerprintOptions = {}): Buffer {
  return Buffer.from(fingerprintHex(request, options), 'hex');
}

/** The fingerprint as 40 lower-case hex digits, the form Scrapy's `requests.seen` holds (one a line). */
export function fingerprintHex(request: Request, options: FingerprintOptions = {}): string {
  const headerNames = options.includeHeaders?.length ? [...new Set(options.includeHeaders.map((name) => name.toLowerCase()))].sort() : [];
  // Scrapy 2.18's `verbatim_url` meta: hash the URL as given, fragment included.
  const verbatim = Boolean(request.meta.verbatim_url);
  const keepFragments = Boolean(options.keepFragments) && !verbatim;
  const isDefault = !verbatim && !keepFragments && headerNames.length === 0;
  if (isDefault) {
    let hex = (request as FingerprintedRequest)[DEFAULT_FINGERPRINT];
    if (hex === undefined) {
      hex = computeFingerprintHex(request, canonicalizeUrl(request.url), headerNames);
      (request as FingerprintedRequest)[DEFAULT_FINGERPRINT] = hex;
    }
    return hex;
  }
  const key = `${verbatim ? 'v' : 'f'}${headerNames.join('\n')}`;
  let perRequest = otherOptionsCache.get(request);
  let hex = perRequest?.get(key);
  if (hex === undefined) {
    const url = verbatim ? request.url : canonicalizeUrl(request.url, {keepFragments});
    hex = computeFingerprintHex(request, url, headerNames);
    if (!perRequest) {
      perRequest = new Map();
      otherOptionsCache.set(request, perRequest);
    }
    perRequest.set(key, hex);
  }
  return hex;
}

function computeFingerprintHex(request: Request, url: string, headerNames: string[]): string {
  const json =
    `{"body": "${request.body.length ? request.body.toString('hex') : ''}", ` +
    `"headers": ${headersJson(request, headerNames)}, ` +
    `"method": ${pythonJsonString(request.method)}, ` +
    `"url": ${pythonJsonString(url)}}`;
  return hash('sha1', json, 'hex');
}

/**
 * `{hex(lower-cased name): [hex(value), ...]}` for the wanted headers the request has, keys
 * sorted. Names match whatever their case; when two spellings of one name are present, the
 * later one wins, as it would in Scrapy's case-insensitive Headers.
 */
function headersJson(request: Request, wantedLowerCase: string[]): string {
  if (wantedLowerCase.length === 0) return '{}';
  const found = new Map<string, string[]>();
  for (const [name, value] of Object.entries(request.headers)) {
    const lower = name.toLowerCase();
    if (wantedLowerCase.includes(lower)) found.set(lower, Array.isArray(value) ? value : [value]);
  }
  const entries = [...found].map(([name, values]) => {
    const hexValues = values.map((value) => `"${Buffer.from(String(value), 'utf8').toString('hex')}"`);
    return [Buffer.from(name, 'utf8').toString('hex'), `[${hexValues.join(', ')}]`] as const;
  });
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return `{${entries.map(([name, values]) => `"${name}": ${values}`).join(', ')}}`;
}
