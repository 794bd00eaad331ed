import type {Comment, Document, Element, ProcessingInstruction, Text} from 'domhandler';
import {DraglineError} from '../core/errors.js';
import type {Target} from './target.js';
import type {PageTree} from './page-tree.js';
import type {XNode} from './xpath-dom.js';
import {DEFAULT_NAMESPACES, resolveFunction} from './xpath-functions.js';
import {loadXPath, shortenDescendantSteps, type ParsedXPath, type XPathNodeSet, type XPathValue} from './xpath-library.js';

export interface XPathOptions {
  /** Prefixes for namespace URIs, as parsel's `namespaces`; `re` and `set` (EXSLT regular expressions and sets) are always bound. */
  namespaces?: Record<string, string>;
  /** Values for `$name` references in the query, as parsel's keyword arguments. */
  variables?: Record<string, string | number | boolean>;
}

const MAX_CACHED_QUERIES = 500;
const parsedQueries = new Map<string, ParsedXPath>();

/**
 * What an XPath query gives from a context target: node targets in document order, or one value.
 * As in parsel, a text, attribute or value result is a string, not a node: queries on it give nothing.
 */
export function selectXPath(tree: PageTree, context: Target, query: string, options: XPathOptions = {}): Target[] {
  if (context.kind === 'value' || context.kind === 'text' || context.kind === 'attribute') return [];
  const view = tree.xpathView();
  const node = view.nodeFor(context.node);
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
    case 7:
      return [{kind: 'processing-instruction', node: node.source as ProcessingInstruction}];
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
      const library = loadXPath();
      parsed = library.parse(query);
      shortenDescendantSteps(library, parsed);
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
