import {domainToASCII} from 'node:url';
import {alreadyCanonicalUrl} from './already-safe-url.js';
import {tableOf, type ByteTable} from './byte-table.js';
import {urlsplit} from './urljoin.js';

/**
 * URL canonicalization as w3lib's `canonicalize_url` (the form Scrapy fingerprints and
 * de-duplicates on): make the URL safe, sort the query arguments, normalise percent-escapes,
 * punycode the host, drop the fragment.
 *
 * Internally, components travel as "byte strings": JS strings whose every char code is one byte
 * (0-255). Comparing two of them with `<` is then the byte order Python sorts `bytes` in.
 */

export interface CanonicalizeUrlOptions {
  /** Keep the `#fragment` (default false, as w3lib). */
  keepFragments?: boolean;
  /** Keep query arguments with empty values, `?a` becoming `?a=` (default true, as w3lib). */
  keepBlankValues?: boolean;
}

// Character classes of RFC 3986 §2.2-2.3, combined the way w3lib combines them.
const UNRESERVED = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';
const SUB_DELIMS = "!$&'()*+,;=";
/** w3lib `_path_safe_chars`: every reserved char but `#`, plus `|` and `%`. */
const PATH_SAFE = tableOf(UNRESERVED, SUB_DELIMS, ':/?[]@', '|%');
/** w3lib `_PATH_SAFEST_CHARS` (also its fragment set): no `#`, `[`, `]` or `|`. */
export const PATH_SAFEST = tableOf(UNRESERVED, SUB_DELIMS, ':/?@', '%');
/** w3lib `_USERINFO_SAFEST_CHARS`: sub-delims without `;` and `=`, and no `:`. */
export const USERINFO_SAFEST = tableOf(UNRESERVED, "!$&'()*+,");
/** What Python's `quote_plus` never escapes (space becomes `+` separately). */
const QUERY_ARG_SAFE = tableOf('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~');

/** The schemes whose last path segment may carry `;params` (w3lib's special schemes). */
const PARAM_SCHEMES = new Set(['ftp', 'file', 'http', 'https', 'ws', 'wss']);

const PERCENT_ESCAPES: string[] = Array.from({length: 256}, (_, byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`);

const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX_VALUE[48 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX_VALUE[65 + i] = 10 + i;
  HEX_VALUE[97 + i] = 10 + i;
}

function hexValue(code: number): number {
  return code < 128 ? HEX_VALUE[code] : -1;
}

export function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** The UTF-8 bytes of text, as a byte string. */
export function utf8Bytes(text: string): string {
  return isAscii(text) ? text : Buffer.from(text, 'utf8').toString('latin1');
}

/** Percent-encode every byte not marked safe (upper-case hex, as Python's quote). */
export function quote(bytes: string, safe: ByteTable): string {
  let i = 0;
  while (i < bytes.length && safe[bytes.charCodeAt(i)]) i++;
  if (i === bytes.length) return bytes;
  let out = bytes.slice(0, i);
  for (; i < bytes.length; i++) {
    const byte = bytes.charCodeAt(i);
    out += safe[byte] ? bytes[i] : PERCENT_ESCAPES[byte];
  }
  return out;
}

/** Python's `quote_plus` over a byte string: unreserved kept, space to `+`, everything else escaped. */
export function quotePlus(bytes: string): string {
  let i = 0;
  while (i < bytes.length && QUERY_ARG_SAFE[bytes.charCodeAt(i)]) i++;
  if (i === bytes.length) return bytes;
  let out = bytes.slice(0, i);
  for (; i < bytes.length; i++) {
    const byte = bytes.charCodeAt(i);
    out += QUERY_ARG_SAFE[byte] ? bytes[i] : byte === 0x20 ? '+' : PERCENT_ESCAPES[byte];
  }
  return out;
}

/**
 * Decode valid `%XX` escapes to bytes; malformed ones stay as they are. With keepSlashAndQuestion,
 * `%2F` and `%3F` stay escaped (upper-cased), as w3lib's `_unquotepath`: decoding them would turn
 * one path segment into two, or a path into a query.
 */
export function unquote(bytes: string, keepSlashAndQuestion = false): string {
  let percent = bytes.indexOf('%');
  if (percent < 0) return bytes;
  let out = '';
  let copied = 0;
  while (percent >= 0) {
    if (percent + 2 < bytes.length) {
      const high = hexValue(bytes.charCodeAt(percent + 1));
      const low = hexValue(bytes.charCodeAt(percent + 2));
      if (high >= 0 && low >= 0) {
        const byte = high * 16 + low;
        out += bytes.slice(copied, percent);
        out += keepSlashAndQuestion && (byte === 0x2f || byte === 0x3f) ? PERCENT_ESCAPES[byte] : String.fromCharCode(byte);
        copied = percent + 3;
        percent = bytes.indexOf('%', copied);
        continue;
      }
    }
    percent = bytes.indexOf('%', percent + 1);
  }
  return out + bytes.slice(copied);
}

/** WHATWG's C0 control-or-space, which w3lib strips from both ends. */
function isC0OrSpace(code: number): boolean {
  return code <= 0x20;
}

/** w3lib `_strip`: trim C0 controls and spaces at both ends, drop every tab, CR and LF. */
export function stripUrl(url: string): string {
  let start = 0;
  let end = url.length;
  while (start < end && isC0OrSpace(url.charCodeAt(start))) start++;
  while (end > start && isC0OrSpace(url.charCodeAt(end - 1))) end--;
  const trimmed = start === 0 && end === url.length ? url : url.slice(start, end);
  if (trimmed.indexOf('\t') < 0 && trimmed.indexOf('\n') < 0 && trimmed.indexOf('\r') < 0) return trimmed;
  let out = '';
  for (const char of trimmed) if (char !== '\t' && char !== '\n' && char !== '\r') out += char;
  return out;
}

/** Python's `_splitparams`: `;params` start at the first `;` of the last path segment. */
function splitParams(path: string): [path: string, params: string] {
  const lastSlash = path.lastIndexOf('/');
  const semicolon = path.indexOf(';', lastSlash < 0 ? 0 : lastSlash);
  return semicolon < 0 ? [path, ''] : [path.slice(0, semicolon), path.slice(semicolon + 1)];
}

/** Dots IDNA 2003 separates labels on (full stop, ideographic and full-width stops). */
const IDNA_DOTS = /[.\u3002\uff0e\uff61]/;
/** ASCII that WHATWG hosts refuse but IDNA 2003 (without STD3 rules) lets through. */
const WHATWG_FORBIDDEN_IN_HOST = /[\x00-\x20%<>[\\\]^|\x7f]/;
/** Characters nameprep maps to nothing (RFC 3454 table B.1). */
const NAMEPREP_IGNORED = /[\u00ad\u034f\u1806\u180b-\u180d\u200b-\u200d\u2060\ufe00-\ufe0f\ufeff]/g;

/** RFC 3492 Punycode encoding of one label (without the `xn--` prefix). */
function punycode(label: string): string {
  const codePoints = Array.from(label, (char) => char.codePointAt(0) as number);
  let output = '';
  for (const codePoint of codePoints) if (codePoint < 0x80) output += String.fromCharCode(codePoint);
  const basicCount = output.length;
  if (basicCount > 0) output += '-';
  const digit = (value: number) => String.fromCharCode(value < 26 ? 97 + value : 22 + value);
  const adapt = (delta: number, points: number, first: boolean) => {
    delta = first ? Math.floor(delta / 700) : delta >> 1;
    delta += Math.floor(delta / points);
    let k = 0;
    for (; delta > 455; k += 36) delta = Math.floor(delta / 35);
    return k + Math.floor((36 * delta) / (delta + 38));
  };
  let n = 0x80;
  let delta = 0;
  let bias = 72;
  let handled = basicCount;
  while (handled < codePoints.length) {
    let next = Infinity;
    for (const codePoint of codePoints) if (codePoint >= n && codePoint < next) next = codePoint;
    delta += (next - n) * (handled + 1);
    n = next;
    for (const codePoint of codePoints) {
      if (codePoint < n) delta++;
      if (codePoint !== n) continue;
      let q = delta;
      for (let k = 36; ; k += 36) {
        const t = k <= bias ? 1 : k >= bias + 26 ? 26 : k - bias;
        if (q < t) break;
        output += digit(t + ((q - t) % (36 - t)));
        q = Math.floor((q - t) / (36 - t));
      }
      output += digit(q);
      bias = adapt(delta, handled + 1, handled === basicCount);
      delta = 0;
      handled++;
    }
    delta++;
    n++;
  }
  return output;
}

/**
 * One non-ASCII label to ASCII as IDNA 2003's ToASCII, or '' where it fails. Node's
 * `domainToASCII` does UTS #46 non-transitional processing: `ß`, `ς` and the joiners, which
 * IDNA 2003 maps, are mapped first. It refuses labels with ASCII a WHATWG host may not hold,
 * which Python accepts; those get nameprep's mapping (approximated by NFKC and lower-casing)
 * and Punycode here.
 */
function idnaLabel(label: string): string {
  const transitional = label.replace(/\u00df/g, 'ss').replace(/\u03c2/g, '\u03c3').replace(/[\u200c\u200d]/g, '');
  if (!WHATWG_FORBIDDEN_IN_HOST.test(transitional)) {
    const ascii = domainToASCII(transitional);
    // A label that maps to a number is read by WHATWG as an IPv4 address; IDNA 2003 does not.
    if (!ascii.includes('.')) return ascii;
  }
  const mapped = transitional
    .replace(NAMEPREP_IGNORED, '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\u03c2/g, '\u03c3')
    .normalize('NFKC');
  return isAscii(mapped) ? mapped : 'xn--' + punycode(mapped);
}

/**
 * Python's `str.encode("idna")` (IDNA 2003) for a host name, or null where Python raises
 * (empty or over-long labels), in which case w3lib keeps the host as it is.
 */
export function idnaHost(host: string): string | null {
  if (isAscii(host)) {
    const labels = host.split('.');
    for (let i = 0; i < labels.length - 1; i++) if (labels[i].length === 0 || labels[i].length > 63) return null;
    return labels[labels.length - 1].length > 63 ? null : host;
  }
  const labels = host.split(IDNA_DOTS);
  let trailingDot = '';
  if (labels.length > 0 && labels[labels.length - 1] === '') {
    labels.pop();
    trailingDot = '.';
  }
  const encoded: string[] = [];
  for (const label of labels) {
    const ascii = isAscii(label) ? label : idnaLabel(label);
    if (ascii.length === 0 || ascii.length > 63) return null;
    encoded.push(ascii);
  }
  return encoded.join('.') + trailingDot;
}

/** An authority's parts as Python's urlsplit names them; `password` undefined when there is no `:` in the userinfo. */
export interface NetlocParts {
  userinfo?: {username: string; password?: string};
  /** Lower-cased as Python's `hostname`, except an IPv6 zone id; without IPv6 brackets. */
  hostname: string;
  /** As written ('' when none). */
  port: string;
}

/** Python's split of `user:password@host:port` (the last `@` ends the userinfo; `[…]` holds an IPv6 host). */
export function splitNetloc(netloc: string): NetlocParts {
  let userinfo: NetlocParts['userinfo'];
  const at = netloc.lastIndexOf('@');
  if (at >= 0) {
    const info = netloc.slice(0, at);
    const colon = info.indexOf(':');
    userinfo = colon < 0 ? {username: info} : {username: info.slice(0, colon), password: info.slice(colon + 1)};
  }
  const hostinfo = netloc.slice(at + 1);
  let host: string;
  let port: string;
  const openBracket = hostinfo.indexOf('[');
  if (openBracket >= 0) {
    const bracketed = hostinfo.slice(openBracket + 1);
    const closeBracket = bracketed.indexOf(']');
    host = closeBracket < 0 ? bracketed : bracketed.slice(0, closeBracket);
    const afterHost = closeBracket < 0 ? '' : bracketed.slice(closeBracket + 1);
    const portColon = afterHost.indexOf(':');
    port = portColon < 0 ? '' : afterHost.slice(portColon + 1);
  } else {
    const portColon = hostinfo.indexOf(':');
    host = portColon < 0 ? hostinfo : hostinfo.slice(0, portColon);
    port = portColon < 0 ? '' : hostinfo.slice(portColon + 1);
  }
  const zone = host.indexOf('%');
  const hostname = zone < 0 ? host.toLowerCase() : host.slice(0, zone).toLowerCase() + host.slice(zone);
  return {userinfo, hostname, port};
}

/**
 * `host:port` as w3lib's safe_url_string writes them back: the host punycoded (kept as it is where
 * IDNA refuses it), an IPv6 host re-bracketed; a port of ASCII digits up to 65535 written as the
 * number (Python's `port`: `:080` is `:80`, `:0` stays), an empty one dropped. Python refuses any
 * other port; a crawler keeps it as given.
 */
export function hostAndPort(hostname: string, port: string): string {
  let out = '';
  if (hostname) out += hostname.includes(':') ? `[${hostname}]` : (idnaHost(hostname) ?? hostname);
  if (port) {
    let digitsOnly = true;
    for (let i = 0; digitsOnly && i < port.length; i++) {
      const code = port.charCodeAt(i);
      digitsOnly = code >= 0x30 && code <= 0x39;
    }
    const number = digitsOnly ? Number(port) : NaN;
    out += ':' + (number <= 65535 ? String(number) : port);
  }
  return out;
}

/**
 * The authority as w3lib's `safe_url_string` rebuilds it, lower-cased past the userinfo as
 * `canonicalize_url` does: userinfo re-escaped, host and port as hostAndPort writes them.
 */
function canonicalNetloc(netloc: string): string {
  const {userinfo, hostname, port} = splitNetloc(netloc);
  let out = '';
  if (userinfo !== undefined) {
    out += quote(unquote(utf8Bytes(userinfo.username)), USERINFO_SAFEST);
    if (userinfo.password !== undefined) out += ':' + quote(unquote(utf8Bytes(userinfo.password)), USERINFO_SAFEST);
    out += '@';
  }
  let hostPart = hostAndPort(hostname, port).toLowerCase();
  while (hostPart.endsWith(':')) hostPart = hostPart.slice(0, -1);
  return out + hostPart;
}

/** A crawl meets few hosts, many times each: their canonical form is remembered (boundedly). */
const netlocCache = new Map<string, string>();
const NETLOC_CACHE_SIZE = 4096;

function cachedCanonicalNetloc(netloc: string): string {
  let canonical = netlocCache.get(netloc);
  if (canonical === undefined) {
    canonical = canonicalNetloc(netloc);
    if (netlocCache.size >= NETLOC_CACHE_SIZE) netlocCache.clear();
    netlocCache.set(netloc, canonical);
  }
  return canonical;
}

/**
 * w3lib `parse_qsl_to_bytes` + sort + `urlencode`: fields split on `&` and on `;` (as w3lib 2.1.1,
 * which kept Python's old separators), arguments sorted by key, then value, as bytes.
 */
function canonicalQuery(query: string, keepBlankValues: boolean): string {
  const pairs: Array<[key: string, value: string]> = [];
  const bytes = utf8Bytes(query);
  for (const field of bytes.split(/[&;]/)) {
    if (!field) continue;
    const equals = field.indexOf('=');
    if (equals < 0 && !keepBlankValues) continue;
    const key = equals < 0 ? field : field.slice(0, equals);
    const value = equals < 0 ? '' : field.slice(equals + 1);
    if (value || keepBlankValues) pairs.push([decodeQueryArg(key), decodeQueryArg(value)]);
  }
  if (pairs.length > 1) {
    pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  }
  let out = '';
  for (let i = 0; i < pairs.length; i++) {
    if (i > 0) out += '&';
    out += quotePlus(pairs[i][0]) + '=' + quotePlus(pairs[i][1]);
  }
  return out;
}

/** `+` means space in a query argument, and is read as such before escapes are decoded. */
function decodeQueryArg(bytes: string): string {
  return unquote(bytes.includes('+') ? bytes.replaceAll('+', ' ') : bytes);
}

/**
 * The canonical form of a URL, exactly as w3lib's `canonicalize_url(url, keep_blank_values=True,
 * keep_fragments=False)` gives it, so that two URLs Scrapy treats as one request are one here:
 *
 * - non-ASCII text percent-encoded as UTF-8, escapes upper-cased, needless escapes decoded,
 *   `%2F` and `%3F` in the path kept escaped, an empty path becoming `/`;
 * - the host lower-cased and punycoded (IDNA), userinfo kept, the port kept even when it is the
 *   scheme's default, an empty port (`host:`) dropped;
 * - query arguments split on `&` and `;`, sorted by key then value (as bytes), blank ones kept as `a=`,
 *   written back as Python's `urlencode` does (space as `+`);
 * - the fragment dropped unless keepFragments.
 */
export function canonicalizeUrl(url: string, options: CanonicalizeUrlOptions = {}): string {
  const keepFragments = options.keepFragments ?? false;
  const keepBlankValues = options.keepBlankValues ?? true;
  return alreadyCanonicalUrl(url, keepFragments, keepBlankValues) ?? canonicalizeUrlParsed(url, keepFragments, keepBlankValues);
}

/** canonicalizeUrl by the full parse, for any URL (the shortcut's reference). */
export function canonicalizeUrlParsed(url: string, keepFragments: boolean, keepBlankValues: boolean): string {
  const stripped = stripUrl(url);
  const parts = urlsplit(stripped);

  let out = parts.scheme ? parts.scheme + ':' : '';
  // An authority, even an empty one (`file:///x`), is kept; a URL without `//` gets none.
  if (stripped.startsWith('//', parts.scheme ? parts.scheme.length + 1 : 0)) out += '//' + cachedCanonicalNetloc(parts.netloc);

  let [path, params] = PARAM_SCHEMES.has(parts.scheme) ? splitParams(parts.path) : [parts.path, ''];
  path = quote(unquote(utf8Bytes(path), true), PATH_SAFE);
  out += path || '/';
  params = quote(utf8Bytes(params), PATH_SAFEST);
  if (params) out += ';' + params;

  const query = parts.query ? canonicalQuery(parts.query, keepBlankValues) : '';
  if (query) out += '?' + query;

  if (keepFragments && parts.fragment) out += '#' + quote(utf8Bytes(parts.fragment), PATH_SAFEST);
  return out;
}
