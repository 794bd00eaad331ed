import {Element, Text} from 'domhandler';
import {DraglineError} from '../core/errors.js';
import {compilePythonRegex, pythonReplacement} from './python-regex.js';
import {XPathView, type XNode} from './xpath-dom.js';
import {loadXPath, type XPathNodeSet, type XPathValue} from './xpath-library.js';

const EXSLT_REGEX = 'http://exslt.org/regular-expressions';
const EXSLT_SETS = 'http://exslt.org/sets';
const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const HTML_NAMESPACE = 'http://www.w3.org/1999/xhtml';

/** The prefixes parsel binds for every query: EXSLT regular expressions and sets. */
export const DEFAULT_NAMESPACES: Readonly<Record<string, string>> = {re: EXSLT_REGEX, set: EXSLT_SETS};

type XPathFunction = (context: {contextNode: XNode}, ...args: XPathValue[]) => unknown;

/** Functions parsel (through lxml) has beyond XPath 1.0's, by namespace ('' for none) and name. */
const FUNCTIONS: Record<string, Record<string, XPathFunction>> = {
  '': {
    'has-class': hasClass,
    // The package's lang() compares case-sensitively; XPath 1.0 (and libxml2) do not.
    lang: (context, language) => lang(context.contextNode, string(language)),
  },
  [EXSLT_REGEX]: {
    // lxml's EXSLT regular expressions run Python's re, so patterns are read as Python's.
    test: (_context, input, pattern, flags) => regexFor(pattern, flags, false).test(string(input)),
    replace: (_context, input, pattern, flags, replacement) => {
      const regex = regexFor(pattern, flags, string(flags).includes('g'));
      const replace = pythonReplacement(string(replacement), string(pattern));
      return string(input).replace(regex, (...args: unknown[]) => {
        const named = typeof args.at(-1) === 'object' && args.at(-1) !== null;
        const captures = args.slice(0, named ? -3 : -2) as string[];
        return replace(captures, named ? (args.at(-1) as Record<string, string | undefined>) : undefined);
      });
    },
    match: (_context, input, pattern, flags) => matchElements(string(input), string(pattern), string(flags)),
  },
  [EXSLT_SETS]: {
    difference: (_context, left, right) => {
      const excluded = new Set(nodes(right, 'set:difference'));
      return nodes(left, 'set:difference').filter((node) => !excluded.has(node));
    },
    intersection: (_context, left, right) => {
      const kept = new Set(nodes(right, 'set:intersection'));
      return nodes(left, 'set:intersection').filter((node) => kept.has(node));
    },
    distinct: (_context, set) => {
      const seen = new Set<string>();
      return nodes(set, 'set:distinct').filter((node) => {
        const value = (set as XPathNodeSet & {stringForNode(node: XNode): string}).stringForNode(node);
        if (seen.has(value)) return false;
        seen.add(value);
        return true;
      });
    },
    'has-same-node': (_context, left, right) => {
      const other = new Set(nodes(right, 'set:has-same-node'));
      return nodes(left, 'set:has-same-node').some((node) => other.has(node));
    },
    leading: (_context, set, marker) => leadingOrTrailing(set, marker, 'leading'),
    trailing: (_context, set, marker) => leadingOrTrailing(set, marker, 'trailing'),
  },
};

export function resolveFunction(localName: string, namespace: string | null): XPathFunction | undefined {
  return FUNCTIONS[namespace ?? '']?.[localName];
}

function string(value: XPathValue | undefined): string {
  return value === undefined ? '' : value.stringValue();
}

function nodes(value: XPathValue | undefined, name: string): XNode[] {
  if (value === undefined || !(value instanceof loadXPath().XNodeSet)) throw badCall(`${name}() takes node-sets`);
  return (value as XPathNodeSet).toArray();
}

function badCall(reason: string): DraglineError {
  return new DraglineError('BAD_ARGUMENT', `XPath error: ${reason}.`);
}

/** parsel's has-class(): the context element has every one of the classes (split on HTML whitespace). */
function hasClass(context: {contextNode: XNode}, ...classes: XPathValue[]): boolean {
  if (classes.length === 0) throw badCall('has-class() must have at least 1 argument');
  const xpath = loadXPath();
  for (const name of classes) if (!(name instanceof (xpath.XString as new () => unknown))) throw badCall('has-class() arguments must be strings');
  const attribute = context.contextNode.nodeType === 1 ? context.contextNode.getAttribute('class') : null;
  if (attribute === null) return false;
  const present = ` ${attribute.replace(/[\t\n\f\r ]/g, ' ')} `;
  return classes.every((name) => present.includes(` ${name.stringValue()} `));
}

/** The nearest xml:lang (in the XML namespace, so not HTML's plain `lang`) starts with `language`, ignoring case. */
function lang(start: XNode, language: string): boolean {
  for (let node: XNode | null = start.nodeType === 2 ? start.ownerElement : start; node !== null; node = node.parentNode) {
    const attribute = node.attributes?.find((candidate) => candidate.namespaceURI === XML_NAMESPACE && candidate.localName === 'lang');
    if (attribute === undefined) continue;
    const value = (attribute.value ?? '').toLowerCase();
    const wanted = language.toLowerCase();
    return value.startsWith(wanted) && (value.length === wanted.length || value[wanted.length] === '-');
  }
  return false;
}

function regexFor(pattern: XPathValue | undefined, flags: XPathValue | undefined, global: boolean): RegExp {
  return compilePythonRegex(string(pattern), {extraFlags: global ? 'g' : '', ignoreCase: string(flags).includes('i')});
}

/**
 * EXSLT re:match as lxml implements it: `<match>` elements holding the whole first match and then
 * each group, or with the `g` flag every match (each group of every match when there are groups).
 */
function matchElements(input: string, pattern: string, flags: string): XNode[] {
  const regex = compilePythonRegex(pattern, {extraFlags: 'g', ignoreCase: flags.includes('i')});
  const strings: string[] = [];
  if (flags.includes('g')) {
    for (const match of input.matchAll(regex)) {
      if (match.length === 1) strings.push(match[0]);
      else for (let group = 1; group < match.length; group++) strings.push(match[group] ?? '');
    }
  } else {
    regex.lastIndex = 0;
    const match = regex.exec(input);
    if (match !== null) for (const group of match) strings.push(group ?? '');
  }
  if (strings.length === 0) return [];
  const elements = strings.map((text) => {
    const content = new Text(text);
    const element = new Element('match', {}, [content]);
    content.parent = element;
    element.namespace = HTML_NAMESPACE;
    return element;
  });
  const matches = new Element('matches', {}, elements);
  for (const element of elements) element.parent = matches;
  return new XPathView(matches).document.childNodes.slice();
}

/** EXSLT set:leading / set:trailing: the nodes of `set` before / after the first node of `marker`. */
function leadingOrTrailing(setValue: XPathValue, markerValue: XPathValue, side: 'leading' | 'trailing'): XNode[] {
  const set = nodes(setValue, `set:${side}`);
  const marker = nodes(markerValue, `set:${side}`);
  if (marker.length === 0) return set;
  const first = marker[0]!;
  if (!set.includes(first)) return [];
  return set.filter((node) => (side === 'leading' ? node.order < first.order : node.order > first.order));
}
