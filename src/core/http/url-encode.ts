import iconv from 'iconv-lite';
import {DraglineError} from '../errors.js';
import {quotePlus} from '../utils/canonicalize-url.js';

/** A field name with its value, in the order a form submits them. */
export type FormPair = [name: string, value: string];

/**
 * `name=value&…` as Python's urlencode writes it (quote_plus on each side): the text is first
 * turned into bytes in `encoding` (a WHATWG label such as 'utf-8', 'windows-1252', 'shift_jis'),
 * then every byte but ASCII letters, digits and `_.-~` is written as %XX, and a space as '+'.
 */
export function urlencodePairs(pairs: Iterable<FormPair>, encoding = 'utf-8'): string {
  const parts: string[] = [];
  for (const [name, value] of pairs) parts.push(`${quotePlus(textToBytes(name, encoding).toString('latin1'))}=${quotePlus(textToBytes(value, encoding).toString('latin1'))}`);
  return parts.join('&');
}

/** `text` as bytes in `encoding`; a character the encoding cannot write is an error, as Python's strict encode. */
export function textToBytes(text: string, encoding: string): Buffer {
  const label = formEncoding(encoding);
  if (label === 'utf-8') return Buffer.from(text, 'utf8');
  if (!iconv.encodingExists(label)) throw new DraglineError('BAD_ARGUMENT', `Unknown encoding '${encoding}' for form data`);
  const bytes = iconv.encode(text, label);
  // iconv-lite writes '?' for what the encoding lacks: a round trip that changes the text shows it.
  if (iconv.decode(bytes, label) !== text) {
    throw new DraglineError('BAD_ARGUMENT', `Form data ${JSON.stringify(text)} has characters the encoding ${encoding} cannot write`);
  }
  return bytes;
}

/** Browsers submit a UTF-16 page's forms in UTF-8 (the HTML standard's form encoding), not in UTF-16. */
function formEncoding(encoding: string): string {
  const label = encoding.trim().toLowerCase();
  if (label === 'utf8' || label === 'utf-8' || label.startsWith('utf-16')) return 'utf-8';
  return label;
}
