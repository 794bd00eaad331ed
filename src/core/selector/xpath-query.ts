import {createRequire} from 'node:module';
import type {Comment, Document, Element, Text} from 'domhandler';
import {DraglineError} from '../errors.js';
import type {Target} from './target.js';
import type {PageTree} from './page-tree.js';
import type {XNode} from './xpath-dom.js';

/** What the selector needs from the `xpath` package (its own typings pull in the DOM lib). */
interface XPathValue {
  stringValue(): string;
  numberValue(): number;
  booleanValue(): boolean;
}
interface XPathNodeSet extends XPathValue {
  toArray(): XNode[];
}
interface ParsedXPath {
  evaluate(options: {
    node: XNode;
    namespaces: Record<string, string>;
    functions: (localName: string, namespace: string) => ((...args: unknown[]) => unknown) | undefined;
    variables?: Record<string, string | number | boolean>;
    allowAnyNamespaceForNoPrefix: boolean;
  }): XPathValue;
}
interface XPathLibrary {
  parse(expression: string): ParsedXPath;
  XNodeSet: unknown;
  XNumber: unknown;
  XBoolean: unknown;
}

let xpathLibrary: XPathLibrary | undefined;

/** The `xpath` package, loaded on the first XPath query: a spider that only uses CSS never needs it. */
function loadXPath(): XPathLibrary {
  xpathLibrary ??= createRequire(import.meta.url)('xpath') as XPathLibrary;
  return xpathLibrary;
}

export interface XPathOptions {
  /** Prefixes for namespace URIs, as parsel's `namespaces`; `re` (EXSLT regular expressions) is always bound. */
  namespaces?: Record<string, string>;
  /** Values for `$name` references in the query, as parsel's keyword arguments. */
  variables?: Record<string, string | number | boolean>;
}

const EXSLT_REGEX = 'http://exslt.org/regular-expressions';
const DEFAULT_NAMESPACES = {re: EXSLT_REGEX};

/** parsel registers EXSLT's regular expressions; `re:test()` is the one Scrapy spiders use. */
const exsltRegex: Record<string, (...args: unknown[]) => unknown> = {
  test: (_context, input, pattern, flags) =>
    new RegExp(asString(pattern), regexFlags(flags)).test(asString(input)),
  replace: (_context, input, pattern, flags, replacement) =>
    asString(input).replace(new RegExp(asString(pattern), regexFlags(flags)), asString(replacement)),
};

function asString(value: unknown): string {
  return value === undefined ? '' : (value as XPathValue).stringValue();
}

function regexFlags(flags: unknown): string {
  return asString(flags).replace(/[^gi]/g, '');
}

function resolveFunction(localName: string, namespace: string): ((...args: unknown[]) => unknown) | undefined {
  return namespace === EXSLT_REGEX ? exsltRegex[localName] : undefined;
}

const MAX_CACHED_QUERIES = 500;
const parsedQueries = new Map<string, ParsedXPath>();

/** What an XPath query gives from a context target: node targets in document order, or one value. */
export function selectXPath(tree: PageTree, context: Target, query: string, options: XPathOptions = {}): Target[] {
  if (context.kind === 'value') return [];
  const view = tree.xpathView();
  const node = context.kind === 'attribute' ? view.nodeFor(context.element, context.name) : view.nodeFor(context.node);
  if (node === undefined) return [];
  const parsed = parseCached(query);
  let result: XPathValue;
  try {
    result = parsed.evaluate({
      node,
      namespaces: {...DEFAULT_NAMESPACES, ...options.namespaces},
      functions: resolveFunction,
      variables: options.variables,
      allowAnyNamespaceForNoPrefix: view.lenientNames,
    });
  } catch (error) {
    throw badQuery(query, error);
  }
  const xpath = loadXPath();
  if (isInstance(result, xpath.XNodeSet)) return (result as XPathNodeSet).toArray().flatMap(toTarget);
  if (isInstance(result, xpath.XNumber)) return [{kind: 'value', value: result.numberValue()}];
  if (isInstance(result, xpath.XBoolean)) return [{kind: 'value', value: result.booleanValue()}];
  return [{kind: 'value', value: result.stringValue()}];
}

function isInstance(value: unknown, type: unknown): boolean {
  return typeof type === 'function' && value instanceof type;
}

function toTarget(node: XNode): Target[] {
  switch (node.nodeType) {
    case 1:
      return [{kind: 'element', node: node.source as Element}];
    case 2:
      return [{kind: 'attribute', element: node.source as Element, name: node.name ?? '', value: node.value ?? ''}];
    case 3:
      return [{kind: 'text', node: node.source as Text}];
    case 8:
      return [{kind: 'comment', node: node.source as Comment}];
    case 9:
      return [{kind: 'document', node: node.source as Document}];
    default:
      // Namespace nodes (namespace:: axis) have no place in an HTML tree's results.
      return [];
  }
}

function parseCached(query: string): ParsedXPath {
  let parsed = parsedQueries.get(query);
  if (parsed === undefined) {
    try {
      parsed = loadXPath().parse(query);
    } catch (error) {
      throw badQuery(query, error);
    }
    if (parsedQueries.size >= MAX_CACHED_QUERIES) parsedQueries.delete(parsedQueries.keys().next().value as string);
    parsedQueries.set(query, parsed);
  }
  return parsed;
}

function badQuery(query: string, cause: unknown): DraglineError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new DraglineError('BAD_ARGUMENT', `Invalid XPath ${JSON.stringify(query)}: ${reason}. Fix the expression.`, {
    cause: cause instanceof Error ? cause : undefined,
  });
}
