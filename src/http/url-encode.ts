import {quotePlus} from '../utils/canonicalize-url.js';
import {encodeText, outputEncoding} from '../utils/encode-text.js';

/** A field name with its value, in the order a form submits them. */
export type FormPair = [name: string, value: string];

/**
 * `name=value&…` as Python's urlencode writes it (quote_plus on each side): the text is first
 * turned into bytes in the page's output encoding (a character it cannot hold is an error, as in
 * Python), then every byte but ASCII letters, digits and `_.-~` is written as %XX, and a space as '+'.
 */
export function urlencodePairs(pairs: Iterable<FormPair>, encoding = 'utf-8'): string {
  const output = outputEncoding(encoding);
  const quoted = (text: string) => quotePlus(encodeText(text, output, {errors: 'strict'}).toString('latin1'));
  const parts: string[] = [];
  for (const [name, value] of pairs) parts.push(`${quoted(name)}=${quoted(value)}`);
  return parts.join('&');
}
