import {isAscii, isUtf8} from 'node:buffer';
import {TextDecoder} from 'node:util';
import iconv from 'iconv-lite';

/**
 * Which text encoding a response body is in, chosen as Scrapy's TextResponse does with w3lib's
 * html_to_unicode: an explicit encoding, a byte order mark, the Content-Type charset, a `<meta>` or
 * XML declaration near the top of the body, then a guess (ASCII and UTF-8 are recognised, anything
 * else is read as windows-1252).
 *
 * Encodings are named as the WHATWG Encoding Standard names them (`windows-1252`, `shift_jis`,
 * `euc-kr`, ...), which is what browsers do with the labels pages use: `iso-8859-1`, `latin1` and
 * `us-ascii` all mean windows-1252, `gb2312` means gbk, `euc-kr` means Microsoft's superset of it.
 * Every name returned here can be decoded and encoded by iconv-lite, so forms and links can write
 * query strings in a page's own encoding.
 */

/** w3lib looks for a declaration in the first 4096 bytes (HTML requires it in the first 1024). */
const SNIFFED_BYTES = 4096;

/**
 * Labels Python understands and the WHATWG table does not, that pages and servers use. A UTF-16 or
 * UTF-32 label without a byte order mark means big-endian (RFC 2781; w3lib reads it so).
 */
const EXTRA_LABELS: Record<string, string> = {
  cp932: 'shift_jis',
  ms_kanji: 'shift_jis',
  cp949: 'euc-kr',
  uhc: 'euc-kr',
  cp936: 'gbk',
  cp950: 'big5',
  big5hkscs: 'big5',
  'utf-16': 'utf-16be',
  utf16: 'utf-16be',
  u16: 'utf-16be',
  'utf-32': 'utf-32be',
  utf32: 'utf-32be',
  u32: 'utf-32be',
  'utf-32le': 'utf-32le',
  'utf-32be': 'utf-32be',
  u8: 'utf-8',
  utf: 'utf-8',
  latin: 'windows-1252',
  '646': 'windows-1252',
  macroman: 'macintosh',
  'mac-roman': 'macintosh',
  // Node's TextDecoder does not know it, iconv-lite does.
  'iso-8859-16': 'iso-8859-16',
};

const resolved = new Map<string, string | null>();

/**
 * The encoding `label` names, as its WHATWG name (`latin1` gives `windows-1252`), or undefined when
 * it names none dragline can both decode and encode. Case, and `_` for `-` as Python allows, do not
 * matter.
 */
export function resolveEncoding(label: string): string | undefined {
  const key = label.trim().toLowerCase();
  let name = resolved.get(key);
  if (name === undefined) {
    name = lookUpLabel(key) ?? null;
    if (resolved.size < 1000) resolved.set(key, name);
  }
  return name ?? undefined;
}

function lookUpLabel(label: string): string | undefined {
  const dashed = label.replaceAll('_', '-');
  for (const candidate of [label, dashed, dashed.replaceAll('-', '')]) {
    const name = EXTRA_LABELS[candidate] ?? whatwgName(candidate);
    // iso-2022-jp, x-mac-cyrillic and x-user-defined decode but iconv-lite cannot write them.
    if (name !== undefined) return iconv.encodingExists(name) ? name : undefined;
  }
  return undefined;
}

function whatwgName(label: string): string | undefined {
  try {
    return new TextDecoder(label).encoding;
  } catch {
    return undefined;
  }
}

/**
 * The charset a Content-Type header names, resolved; undefined when it names none or one dragline
 * does not know. Unlike w3lib, a quoted value (`charset="koi8-r"`, as RFC 9110 allows) counts.
 */
export function contentTypeEncoding(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const label = /charset=["']?([\w-]+)/i.exec(contentType)?.[1];
  return label === undefined ? undefined : resolveEncoding(label);
}

const BOMS: ReadonlyArray<{bytes: readonly number[]; encoding: string}> = [
  // UTF-32LE's mark starts with UTF-16LE's, so it is tried first.
  {bytes: [0x00, 0x00, 0xfe, 0xff], encoding: 'utf-32be'},
  {bytes: [0xff, 0xfe, 0x00, 0x00], encoding: 'utf-32le'},
  {bytes: [0xfe, 0xff], encoding: 'utf-16be'},
  {bytes: [0xff, 0xfe], encoding: 'utf-16le'},
  {bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8'},
];

/** The encoding a byte order mark at the start of `body` stands for, and the mark's length. */
export function bomEncoding(body: Uint8Array): {encoding: string; length: number} | undefined {
  const first = body[0];
  if (first !== 0x00 && first !== 0xef && first !== 0xfe && first !== 0xff) return undefined;
  for (const bom of BOMS) {
    if (bom.bytes.every((byte, index) => body[index] === byte)) return {encoding: bom.encoding, length: bom.bytes.length};
  }
  return undefined;
}

// The declarations w3lib recognises, in the same shapes: <meta charset=X>, <meta http-equiv=
// "Content-Type" content="TYPE; charset=X"> (the two attributes next to each other, in either order),
// <?xml ... encoding="X"?>; a <body> tag ends the search. Whitespace is HTML's, not Unicode's.
const SPACE = '[\\t\\n\\v\\f\\r ]';
const NOT_SPACE = '\\t\\n\\v\\f\\r ';
const LABEL = '([\\w-]+)';
const attribute = (name: string, value: string): string => `${name}${SPACE}*=${SPACE}*["']?${SPACE}*${value}${SPACE}*["']?`;
const OTHER_ATTRIBUTE = `${SPACE}+[^=<>/${NOT_SPACE}"'\\x00-\\x1f\\x7f]+(?:${SPACE}*=${SPACE}*(?:'[^']*'|"[^"]*"|[^'"${NOT_SPACE}]+))?`;
const HTTP_EQUIV = `${SPACE}+${attribute('http-equiv', 'content-type')}`;
const contentWith = (label: string): string => `${SPACE}+${attribute('content', `[^;]+;${SPACE}*charset=${label}`)}`;
const CONTENT = contentWith(LABEL);
const UNCAPTURED_CONTENT = contentWith('[\\w-]+');
// Written out pair by pair because a JavaScript group repeated with {2} forgets its first capture.
const META_PAIR = `${HTTP_EQUIV}${HTTP_EQUIV}|${HTTP_EQUIV}${CONTENT}|${CONTENT}${HTTP_EQUIV}|${UNCAPTURED_CONTENT}${CONTENT}`;
const DECLARATION = new RegExp(
  `<${SPACE}*(?:meta(?:${OTHER_ATTRIBUTE})*?(?:${META_PAIR}|${SPACE}+${attribute('charset', LABEL)})` +
    `|\\?xml${SPACE}[^>]+${attribute('encoding', LABEL)}|body)`,
  'i',
);

const MAY_DECLARE = /charset|encoding/i;

/**
 * The encoding the page declares in its first 4096 bytes, in an HTML `<meta>` or an XML
 * declaration, resolved (w3lib's html_body_declared_encoding). Only the first declaration counts,
 * and none after `<body`.
 */
export function bodyDeclaredEncoding(body: Buffer): string | undefined {
  // latin1 keeps one character per byte, so the ASCII pattern reads the bytes as they are.
  const head = body.toString('latin1', 0, SNIFFED_BYTES);
  // Every declaration names a charset or an encoding; without either word the pattern, which can
  // backtrack through the whole head on a <meta content> without one, has nothing to find.
  if (!MAY_DECLARE.test(head)) return undefined;
  const match = DECLARATION.exec(head);
  const label = match?.slice(1).find((group) => group !== undefined);
  return label === undefined ? undefined : resolveEncoding(label);
}

/**
 * Scrapy's guess for a body that declares nothing: ASCII reads as windows-1252, valid UTF-8 as
 * UTF-8, the rest as windows-1252. (When even Python's cp1252 fails on one of the five bytes it
 * leaves undefined, Scrapy reports 'ascii' and turns every non-ASCII byte into U+FFFD; dragline keeps
 * windows-1252, only those bytes becoming U+FFFD.)
 */
export function detectEncoding(body: Buffer): string {
  if (isAscii(body)) return 'windows-1252';
  return isUtf8(body) ? 'utf-8' : 'windows-1252';
}

/** The encoding a response's text is in: the first of `explicit`, a BOM, the header's charset, the body's declaration, the guess. */
export function chooseEncoding(body: Buffer, contentType: string | undefined, explicit?: string): string {
  return explicit ?? bomEncoding(body)?.encoding ?? contentTypeEncoding(contentType) ?? bodyDeclaredEncoding(body) ?? detectEncoding(body);
}

/**
 * `body` as text in `encoding` (a name from resolveEncoding), bytes that are not valid in it
 * becoming U+FFFD. A byte order mark, if any, wins over `encoding` and is dropped, as in
 * html_to_unicode and in browsers.
 */
export function decodeBody(body: Buffer, encoding: string): string {
  const bom = bomEncoding(body);
  return bom === undefined ? decode(body, encoding) : decode(body.subarray(bom.length), bom.encoding);
}

// iconv-lite decodes the legacy encodings: its tables agree with Python's codecs (so with Scrapy)
// on all but a handful of bytes, where Node 20's TextDecoder reads windows-1252 as ISO-8859-1 (0x93
// as a C1 control, not “), drops invalid CJK byte pairs without a trace and lacks UTF-32.
// TextDecoder keeps UTF-16 (an odd last byte or a lone surrogate becomes U+FFFD, as in Python, where
// iconv-lite drops or keeps it) and macintosh (iconv-lite's table predates €).
const TEXT_DECODER_ENCODINGS = new Set(['utf-16le', 'utf-16be', 'macintosh']);
const textDecoders = new Map<string, TextDecoder>();

// Encodings whose ASCII bytes are ASCII characters, so an all-ASCII body decodes as itself: most
// pages declaring nothing are ASCII and read as windows-1252, and iconv-lite's loop costs ~10 µs per
// KB where Buffer's latin1 copy costs a fraction of that.
// (Any spelling: sitemaps pass the label their XML declaration gives.)
const NOT_ASCII_COMPATIBLE = /^(?:utf-?(?:7|16|32)|ucs-?[24])/i;
// windows-1252 is latin1 but for 0x80-0x9F: those 32 characters as iconv-lite reads them.
const WINDOWS_1252_C1 = iconv.decode(Buffer.from(Array.from({length: 32}, (_, index) => 0x80 + index)), 'windows-1252');
const C1_CONTROLS = /[\x80-\x9f]/g;

/** `bytes` as text in `encoding` (a name from resolveEncoding, or any label iconv-lite knows), invalid bytes becoming U+FFFD; a BOM is kept. */
export function decode(bytes: Buffer, encoding: string): string {
  if (encoding === 'utf-8') return bytes.toString('utf8');
  if (!NOT_ASCII_COMPATIBLE.test(encoding) && isAscii(bytes)) return bytes.toString('latin1');
  if (encoding === 'windows-1252') return bytes.toString('latin1').replace(C1_CONTROLS, (char) => WINDOWS_1252_C1[char.charCodeAt(0) - 0x80]);
  // GBK pages are read with GB18030's decoder (WHATWG's rule, and w3lib's), which knows the
  // four-byte sequences iconv-lite's gbk table lacks; writing stays GBK.
  if (encoding === 'gbk') return iconv.decode(bytes, 'gb18030', {stripBOM: false});
  if (!TEXT_DECODER_ENCODINGS.has(encoding)) return iconv.decode(bytes, encoding, {stripBOM: false});
  let decoder = textDecoders.get(encoding);
  if (decoder === undefined) {
    decoder = new TextDecoder(encoding, {ignoreBOM: true});
    textDecoders.set(encoding, decoder);
  }
  return decoder.decode(bytes);
}
