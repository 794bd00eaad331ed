import {skipChars, tableOf} from './byte-table.js';

/**
 * Shortcuts for the URLs a crawl meets most: http(s) URLs already in the form safeUrlString,
 * canonicalizeUrl or urljoin would give. Each check reads the URL once, char by char against a
 * table, and answers only when it is sure; anything unusual (upper case in the host, a userinfo,
 * a non-ASCII char, an escape, an empty `?`) is left to the full parse, whose answer is the
 * reference (test/utils/already-safe-url.test.ts runs both on the same inputs).
 */

const UNRESERVED = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';

/** A host hostAndPort writes back as it is: lower-case letters, digits, dots and dashes. */
const HOST_CHARS = tableOf('abcdefghijklmnopqrstuvwxyz0123456789.-');
const DIGITS = tableOf('0123456789');
// What safeUrlString's quoting leaves as it is in each part (w3lib's safest sets; `'` is escaped in
// the query of the special schemes, which http and https are).
const SAFE_PATH = tableOf(UNRESERVED, "!$&'()*+,;=:@/%");
const SAFE_QUERY = tableOf(UNRESERVED, '!$&()*+,;=:@/?%');
const SAFE_FRAGMENT = tableOf(UNRESERVED, "!$&'()*+,;=:@/?%");
// What canonicalizeUrl writes back unchanged: a path without escapes or `;params`, query
// arguments that quote_plus leaves as they are, a fragment in w3lib's safest set.
const CANONICAL_PATH = tableOf(UNRESERVED, "!$&'()*+,=:@/[]|");
const CANONICAL_QUERY_ARG = tableOf(UNRESERVED);
const CANONICAL_FRAGMENT = tableOf(UNRESERVED, "!$&'()*+,;=:/?@%");

/** Where the authority starts (after `http://` or `https://`, lower case), or -1. */
function authorityStart(url: string): number {
  if (url.startsWith('http://')) return 7;
  if (url.startsWith('https://')) return 8;
  return -1;
}

/**
 * Where a plain authority starting at `start` ends (a lower-case host, then perhaps a port of digits
 * without a leading zero, which Python's `port` writes back as given), or -1 for any other.
 */
function plainAuthorityEnd(url: string, start: number): number {
  let i = skipChars(url, start, HOST_CHARS);
  if (i === start) return -1;
  if (url.charCodeAt(i) !== 0x3a) return i;
  const portStart = i + 1;
  i = skipChars(url, portStart, DIGITS);
  if (i === portStart || url.charCodeAt(portStart) === 0x30) return -1;
  return i;
}

/**
 * Whether safeUrlString(url) is `url` itself, whatever the page's encoding: an http(s) URL with a
 * plain authority and only characters none of its steps would touch, and no empty `?` or `#`
 * (Python's urlunsplit drops them).
 */
export function isAlreadySafe(url: string): boolean {
  const start = authorityStart(url);
  if (start < 0) return false;
  let i = plainAuthorityEnd(url, start);
  if (i < 0) return false;
  if (url.charCodeAt(i) === 0x2f) i = skipChars(url, i, SAFE_PATH);
  if (url.charCodeAt(i) === 0x3f) {
    const queryStart = i + 1;
    i = skipChars(url, queryStart, SAFE_QUERY);
    if (i === queryStart) return false;
  }
  if (url.charCodeAt(i) === 0x23) {
    const fragmentStart = i + 1;
    i = skipChars(url, fragmentStart, SAFE_FRAGMENT);
    if (i === fragmentStart) return false;
  }
  return i === url.length;
}

/**
 * canonicalizeUrl(url) without parsing it, when the URL is already canonical but perhaps for its
 * fragment: an http(s) URL with a plain authority, a non-empty path without escapes or `;`, a
 * query of `key=value` arguments in sorted order that need no escaping. Undefined for any other
 * URL (the full path handles it).
 */
export function alreadyCanonicalUrl(url: string, keepFragments: boolean, keepBlankValues: boolean): string | undefined {
  const start = authorityStart(url);
  if (start < 0) return undefined;
  let i = plainAuthorityEnd(url, start);
  if (i < 0 || url.charCodeAt(i) !== 0x2f) return undefined;
  i = skipChars(url, i, CANONICAL_PATH);
  if (url.charCodeAt(i) === 0x3f) {
    i = sortedQueryEnd(url, i + 1, keepBlankValues);
    if (i < 0) return undefined;
  }
  if (i === url.length) return url;
  if (url.charCodeAt(i) !== 0x23) return undefined;
  const fragmentStart = i + 1;
  const end = skipChars(url, fragmentStart, CANONICAL_FRAGMENT);
  if (end !== url.length) return undefined;
  return keepFragments && end > fragmentStart ? url : url.slice(0, i);
}

/**
 * Where a canonical query starting at `start` ends (at `#` or the end of the URL), or -1: each
 * argument `key=value` (a blank value only with keepBlankValues), none needing an escape, in the
 * order canonicalizeUrl sorts them (by key, then by value).
 */
function sortedQueryEnd(url: string, start: number, keepBlankValues: boolean): number {
  let previousKey = -1;
  let previousEquals = -1;
  let previousEnd = -1;
  let i = start;
  for (;;) {
    const key = i;
    i = skipChars(url, i, CANONICAL_QUERY_ARG);
    if (url.charCodeAt(i) !== 0x3d) return -1;
    const equals = i;
    i = skipChars(url, i + 1, CANONICAL_QUERY_ARG);
    if (i === equals + 1 && !keepBlankValues) return -1;
    if (previousKey >= 0) {
      const order = compareRanges(url, previousKey, previousEquals, key, equals) || compareRanges(url, previousEquals + 1, previousEnd, equals + 1, i);
      if (order > 0) return -1;
    }
    previousKey = key;
    previousEquals = equals;
    previousEnd = i;
    if (i === url.length || url.charCodeAt(i) === 0x23) return i;
    if (url.charCodeAt(i) !== 0x26) return -1;
    i++;
  }
}

/** `text[a0, a1)` against `text[b0, b1)` by char code, as the sort compares bytes. */
function compareRanges(text: string, a0: number, a1: number, b0: number, b1: number): number {
  const length = Math.min(a1 - a0, b1 - b0);
  for (let k = 0; k < length; k++) {
    const difference = text.charCodeAt(a0 + k) - text.charCodeAt(b0 + k);
    if (difference !== 0) return difference;
  }
  return a1 - a0 - (b1 - b0);
}

/**
 * Whether Python's urljoin(base, url) is `url` itself whatever the base: an http(s) URL with an
 * authority (urljoin then only splits and rejoins it), nothing the split drops (tabs and newlines,
 * an empty `?`, `#` or `;params`).
 */
export function isAbsoluteAsJoined(url: string): boolean {
  const start = authorityStart(url);
  if (start < 0) return false;
  let netlocEnd = -1;
  let question = -1;
  let hash = -1;
  let semicolon = false;
  for (let i = start; i < url.length; i++) {
    const code = url.charCodeAt(i);
    if (code === 0x09 || code === 0x0a || code === 0x0d) return false;
    if (hash >= 0) continue;
    if (code === 0x23) hash = i;
    else if (question >= 0) continue;
    else if (code === 0x3f) question = i;
    else if (code === 0x3b) semicolon = true;
    else if (code === 0x2f && netlocEnd < 0) netlocEnd = i;
  }
  if (netlocEnd < 0) netlocEnd = question >= 0 ? question : hash >= 0 ? hash : url.length;
  if (netlocEnd === start || semicolon) return false;
  if (question >= 0 && (question + 1 === url.length || question + 1 === hash)) return false;
  return hash < 0 || hash + 1 < url.length;
}
