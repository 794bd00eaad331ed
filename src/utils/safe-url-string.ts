import {isAlreadySafe} from './already-safe-url.js';
import {tableOf} from './byte-table.js';
import {PATH_SAFEST, USERINFO_SAFEST, hostAndPort, isAscii, quote, splitNetloc, stripUrl, unquote, utf8Bytes} from './canonicalize-url.js';
import {encodeText, outputEncoding} from './encode-text.js';
import {urlsplit, urlunsplit} from './urljoin.js';

/**
 * w3lib's `safe_url_string`, which Scrapy's Request applies to every URL it is given: the URL a
 * browser would send for what a page wrote.
 *
 * - surrounding C0 controls and spaces are stripped, tabs and newlines removed anywhere;
 * - the host is lower-cased and IDNA-encoded (punycode), the port written as a number;
 * - the path is percent-encoded as UTF-8, the query and fragment in `encoding` (the page's),
 *   leaving existing `%XX` escapes (and lone `%`) as they are;
 * - `'` in the query of http(s), ws(s), ftp and file URLs becomes `%27`.
 */

/** WHATWG's special schemes, whose query also escapes `'`. */
const SPECIAL_SCHEMES = new Set(['ftp', 'file', 'http', 'https', 'ws', 'wss']);
const SPECIAL_QUERY_SAFEST = tableOf("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&()*+,;=:/?@%");

export function safeUrlString(url: string, encoding = 'utf-8'): string {
  return isAlreadySafe(url) ? url : safeUrlStringParsed(url, encoding);
}

/** safeUrlString by the full parse, for any URL (the shortcut's reference). */
export function safeUrlStringParsed(url: string, encoding = 'utf-8'): string {
  const parts = urlsplit(stripUrl(url));
  const queryEncoding = outputEncoding(encoding);
  const inQueryEncoding = (text: string) => (isAscii(text) ? text : encodeText(text, queryEncoding).toString('latin1'));
  return urlunsplit({
    scheme: parts.scheme,
    netloc: safeNetloc(parts.netloc),
    path: quote(utf8Bytes(parts.path), PATH_SAFEST),
    query: quote(inQueryEncoding(parts.query), SPECIAL_SCHEMES.has(parts.scheme) ? SPECIAL_QUERY_SAFEST : PATH_SAFEST),
    fragment: quote(inQueryEncoding(parts.fragment), PATH_SAFEST),
  });
}

/**
 * The authority rebuilt from Python's username, password, hostname and port: userinfo decoded and
 * re-escaped, host and port as hostAndPort writes them.
 */
function safeNetloc(netloc: string): string {
  if (!netloc) return '';
  const {userinfo, hostname, port} = splitNetloc(netloc);
  let out = '';
  if (userinfo !== undefined) {
    out += safeUserinfo(userinfo.username);
    if (userinfo.password !== undefined) out += ':' + safeUserinfo(userinfo.password);
    out += '@';
  }
  return out + hostAndPort(hostname, port);
}

/** Python's `quote(unquote(part))`: escapes decoded as UTF-8 (invalid bytes become U+FFFD), then re-escaped. */
function safeUserinfo(part: string): string {
  const decoded = unquote(utf8Bytes(part));
  return quote(utf8Bytes(Buffer.from(decoded, 'latin1').toString('utf8')), USERINFO_SAFEST);
}
