import iconv from 'iconv-lite';
import {DraglineError} from '../core/errors.js';
import {isAscii} from './canonicalize-url.js';

/**
 * Text to bytes in an encoding named by any label iconv-lite knows: the WHATWG labels a response
 * reports ('utf-8', 'windows-1252', 'shift_jis', 'gbk'…), Python's names as Scrapy users write them
 * ('latin1', 'cp1252'), and Node's BufferEncoding names that older job directories hold.
 */

const UTF8_LABELS = new Set(['utf-8', 'utf8', 'unicode-1-1-utf-8']);

export function isUtf8Label(encoding: string): boolean {
  return UTF8_LABELS.has(encoding.toLowerCase());
}

/**
 * Labels already looked up: every Request made from a page is given the page's encoding, and
 * iconv-lite's lookup normalises the label each time it is asked.
 */
const knownLabels = new Map<string, boolean>();
const KNOWN_LABELS_KEPT = 256;

export function isKnownEncoding(encoding: string): boolean {
  if (typeof encoding !== 'string') return false;
  let known = knownLabels.get(encoding);
  if (known === undefined) {
    known = isUtf8Label(encoding) || iconv.encodingExists(encoding);
    if (knownLabels.size >= KNOWN_LABELS_KEPT) knownLabels.clear();
    knownLabels.set(encoding, known);
  }
  return known;
}

/** Throws a one-line BAD_ARGUMENT error for a label no encoder knows. */
export function checkEncodingLabel(encoding: string): void {
  if (!isKnownEncoding(encoding)) {
    throw new DraglineError('BAD_ARGUMENT', `Unknown encoding ${JSON.stringify(encoding)}: use a label such as 'utf-8', 'windows-1252', 'shift_jis' or 'latin1'`);
  }
}

export interface EncodeTextOptions {
  /**
   * What a character the encoding cannot hold becomes, as Python's `errors=`: 'xmlcharrefreplace'
   * (the default) writes the HTML character reference `&#N;`, as browsers do when they put text into
   * a URL query in a legacy encoding; 'strict' is a one-line BAD_ARGUMENT error, as Python's encode
   * raises UnicodeEncodeError (Scrapy's form data).
   */
  errors?: 'xmlcharrefreplace' | 'strict';
}

/** The bytes of `text` in `encoding`. */
export function encodeText(text: string, encoding: string, {errors = 'xmlcharrefreplace'}: EncodeTextOptions = {}): Buffer {
  if (isUtf8Label(encoding)) return Buffer.from(text, 'utf8');
  checkEncodingLabel(encoding);
  if (isAscii(text) && isAsciiCompatible(encoding)) return Buffer.from(text, 'latin1');
  const whole = iconv.encode(text, encoding);
  if (errors === 'strict') {
    // iconv-lite writes '?' (or a look-alike) for what the encoding lacks: a round trip that changes the text shows it.
    if (iconv.decode(whole, encoding) !== text) {
      throw new DraglineError('BAD_ARGUMENT', `${JSON.stringify(text)} has characters the encoding ${encoding} cannot write`);
    }
    return whole;
  }
  if (!whole.includes(0x3f) || isAscii(text)) return whole;
  // iconv-lite writes '?' for what it cannot encode: find those characters one by one.
  const chunks: Buffer[] = [];
  for (const char of text) {
    const bytes = iconv.encode(char, encoding);
    chunks.push(char !== '?' && bytes.length === 1 && bytes[0] === 0x3f ? Buffer.from(`&#${char.codePointAt(0)};`, 'latin1') : bytes);
  }
  return Buffer.concat(chunks);
}

/**
 * The encoding a page's URLs and forms are written in: its own, except that a page in an encoding
 * ASCII is not written as itself in (UTF-16 and the like) writes UTF-8 (the HTML standard's
 * "output encoding", which browsers apply to URL queries and form submissions).
 */
export function outputEncoding(encoding: string): string {
  checkEncodingLabel(encoding);
  return isUtf8Label(encoding) || !isAsciiCompatible(encoding) ? 'utf-8' : encoding;
}

const asciiCompatible = new Map<string, boolean>();

/** Whether ASCII text encodes to its own bytes (false for UTF-16 and the like). */
export function isAsciiCompatible(encoding: string): boolean {
  let known = asciiCompatible.get(encoding);
  if (known === undefined) {
    const probe = 'az09?%/';
    known = iconv.encode(probe, encoding).equals(Buffer.from(probe, 'latin1'));
    asciiCompatible.set(encoding, known);
  }
  return known;
}
