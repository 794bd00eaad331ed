import iconv from 'iconv-lite';
import {parseFragment} from 'parse5';
import {compilePythonRegex} from './python-regex.js';

/**
 * A regular expression: a RegExp (JavaScript's syntax and meaning), or a string in Python's `re`
 * syntax, as in Scrapy code (`(?i)`, `\A`, `(?P<name>…)`, Unicode `\w`); see python-regex.ts.
 */
export type RegexInput = RegExp | string;

export interface RegexOptions {
  /** Replace character references in the results (all but `&lt;` and `&amp;`), as parsel does by default. */
  replaceEntities?: boolean;
}

/**
 * parsel's extract_regex: with a group named `extract`, that group of the first match; otherwise,
 * for each match, the whole match when the pattern has no groups, or every group (Python's findall,
 * flattened, unmatched groups as "").
 */
export function extractRegex(regex: RegexInput, text: string, options: RegexOptions = {}): string[] {
  const pattern = toGlobalRegExp(regex);
  const strings: string[] = [];
  if (/\(\?<extract>/.test(pattern.source)) {
    pattern.lastIndex = 0;
    const extracted = pattern.exec(text)?.groups?.extract;
    if (extracted !== undefined) strings.push(extracted);
  } else {
    for (const match of text.matchAll(pattern)) {
      if (match.length === 1) strings.push(match[0]);
      else for (let group = 1; group < match.length; group++) strings.push(match[group] ?? '');
    }
  }
  return options.replaceEntities === false ? strings : strings.map(replaceEntities);
}

function toGlobalRegExp(regex: RegexInput): RegExp {
  if (typeof regex === 'string') return compilePythonRegex(regex, {extraFlags: 'g', unicode: true});
  return new RegExp(regex.source, regex.flags.includes('g') ? regex.flags.replace('y', '') : `${regex.flags.replace('y', '')}g`);
}

const KEPT_ENTITIES = new Set(['lt', 'amp']);
const ENTITY = /&(?:([a-z\d]+)|#(\d+)|#x([a-f\d]+))(;?)/gi;
const MAX_CACHED_NAMES = 2000;
const decodedNames = new Map<string, string | null>();

/**
 * w3lib's replace_entities(keep=['lt', 'amp']), which parsel applies to re() results: numeric and
 * named references become characters, references that name nothing are dropped when they end with ";".
 */
function replaceEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, (whole, name: string | undefined, decimal: string | undefined, hex: string | undefined, semicolon: string) => {
    let decoded: string | null = null;
    if (name !== undefined) {
      if (KEPT_ENTITIES.has(name.toLowerCase())) return whole;
      decoded = decodeName(name) ?? decodeName(name.toLowerCase());
    } else {
      decoded = decodeCodePoint(decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex ?? '', 16));
    }
    if (decoded !== null) return decoded;
    return semicolon === ';' ? '' : whole;
  });
}

function decodeCodePoint(codePoint: number): string | null {
  // As w3lib: C1 control codes are read as the windows-1252 characters pages mean by them (iconv-lite:
  // Node 20's TextDecoder reads windows-1252 as ISO-8859-1 there).
  if (codePoint >= 0x80 && codePoint <= 0x9f) return iconv.decode(Buffer.of(codePoint), 'windows-1252');
  if (!Number.isFinite(codePoint) || codePoint > 0x10ffff) return null;
  return String.fromCodePoint(codePoint);
}

/** A named reference decoded by parse5's own entity table. */
function decodeName(name: string): string | null {
  let decoded = decodedNames.get(name);
  if (decoded === undefined) {
    const reference = `&${name};`;
    const fragment = parseFragment(reference);
    const first = fragment.childNodes[0];
    const text = first !== undefined && 'value' in first ? first.value : reference;
    // parse5 also reads a known prefix (`&ampx;` as "&x;"); w3lib wants the whole name known.
    decoded = text === reference || text.endsWith(';') ? null : text;
    if (decodedNames.size < MAX_CACHED_NAMES) decodedNames.set(name, decoded);
  }
  return decoded;
}
