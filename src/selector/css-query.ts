import {compile, type Options} from 'css-select';
import {parse as parseCss, SelectorType, type Selector as CssToken} from 'css-what';
import {isTag, type AnyNode, type Document, type Element} from 'domhandler';
import * as DomUtils from 'domutils';
import {DraglineError} from '../core/errors.js';
import {sortInDocumentOrder} from './document-order.js';
import type {PageTree} from './page-tree.js';
import type {Target} from './target.js';
import {namespaceTypeSelectors, XML_NAME_PSEUDOS} from './xml-names.js';
import {subtreeElements, subtreeTexts, textChildren} from './text-children.js';

/**
 * Scrapy's pseudo-elements: `::text` selects text children, `::attr(name)` attribute values. With
 * `subtree`, they apply to the matched elements and everything inside them: parsel turns `div ::text`
 * (and `div *::text`) into `div/descendant-or-self::text()`, the div's own text included, and
 * `div ::attr(id)` into the `@id` of the div and of every element inside it.
 */
type PseudoElement = {kind: 'none'} | {kind: 'text'; subtree: boolean} | {kind: 'attr'; name: string; subtree: boolean};

interface CompiledGroup {
  pseudo: PseudoElement;
  matches: (element: Element) => boolean;
}

/** A query compiled once: the comma groups that share a pseudo-element are matched in one pass. */
interface CompiledCss {
  groups: CompiledGroup[];
}

/**
 * parsel turns `css(q)` into `descendant-or-self::…`: the element a nested selector stands for may
 * match the query itself, and nothing above it takes part (`row.css('table td')` finds nothing in a
 * row, whatever table holds it). The adapter hides the parent of the scoping element while a query
 * runs; queries run synchronously, so one shared scope is safe.
 */
let scope: AnyNode | null = null;
const scopedAdapter = {
  ...DomUtils,
  isTag,
  getParent: (node: AnyNode) => (node === scope ? null : DomUtils.getParent(node)),
};
// css-select's result caches live in the compiled query, which we reuse across pages and scopes;
// an ancestor's cached answer under one scope would be wrong under another.
const selectOptions = {adapter: scopedAdapter, cacheResults: false} as unknown as Options<AnyNode, Element>;
/**
 * XML pages: tag and attribute names are matched as written (case-sensitive, `dc\\:creator` for a
 * prefixed name), and type selectors by namespace (see xml-names.ts).
 */
const xmlSelectOptions = {...selectOptions, xmlMode: true, pseudos: XML_NAME_PSEUDOS} as Options<AnyNode, Element>;

const MAX_CACHED_QUERIES = 500;
const compiledQueries = new Map<string, CompiledCss>();

/** Every target `query` selects below (and including) `context`, in document order. */
export function selectCss(tree: PageTree, context: Element | Document, query: string): Target[] {
  const compiled = compileCached(query, tree.type === 'xml' ? tree.namespaces : null);
  const roots: AnyNode[] = isTag(context) ? [context] : context.children.filter(isTag);
  const results: Target[] = [];
  scope = isTag(context) ? context : null;
  try {
    for (const group of compiled.groups) {
      appendTargets(results, group.pseudo, elementsMatching(group.matches, roots, tree.type === 'xml'));
    }
  } finally {
    scope = null;
  }
  return compiled.groups.length > 1 ? sortInDocumentOrder(results, tree.documentOrder()) : results;
}

/**
 * The elements among `roots` and below them that `matches` accepts, in document order: css-select's
 * selectAll walk (roots included, only elements descended into, a `<template>`'s content skipped
 * on an HTML page), written against domhandler's nodes directly. css-select's goes through the
 * adapter for every step and keeps its stack with unshift/shift; on a large page the walk, not the
 * matching, was most of a query's time. (test/selector/css-walk.test.ts compares the two.)
 */
export function elementsMatching(matches: (element: Element) => boolean, roots: AnyNode[], xml: boolean): Element[] {
  const found: Element[] = [];
  const stack: Element[] = [];
  for (let index = roots.length - 1; index >= 0; index--) {
    const root = roots[index]!;
    if (isTag(root)) stack.push(root);
  }
  while (stack.length > 0) {
    const element = stack.pop()!;
    if (matches(element)) found.push(element);
    if (!xml && element.name === 'template') continue;
    const children = element.children;
    for (let index = children.length - 1; index >= 0; index--) {
      const child = children[index]!;
      if (isTag(child)) stack.push(child);
    }
  }
  return found;
}

function appendTargets(results: Target[], pseudo: PseudoElement, matched: Element[]): void {
  if (pseudo.kind === 'none') {
    for (const node of matched) results.push({kind: 'element', node});
  } else if (pseudo.kind === 'attr') {
    for (const element of pseudo.subtree ? subtreeElements(matched) : matched) {
      const value = element.attribs[pseudo.name];
      if (value !== undefined) results.push({kind: 'attribute', element, name: pseudo.name, value});
    }
  } else {
    for (const node of pseudo.subtree ? subtreeTexts(matched) : textChildren(matched)) results.push({kind: 'text', node});
  }
}

/** `namespaces`: the page's registered prefixes on an XML page, null on an HTML page. */
function compileCached(query: string, namespaces: Record<string, string> | null): CompiledCss {
  // Prefixes only matter to queries that use one (`atom|entry`).
  const key = namespaces === null ? query : query.includes('|') ? `xml:${JSON.stringify(namespaces)}:${query}` : `xml:${query}`;
  let compiled = compiledQueries.get(key);
  if (compiled === undefined) {
    compiled = compileQuery(query, namespaces);
    if (compiledQueries.size >= MAX_CACHED_QUERIES) compiledQueries.delete(compiledQueries.keys().next().value as string);
    compiledQueries.set(key, compiled);
  }
  return compiled;
}

function compileQuery(query: string, namespaces: Record<string, string> | null): CompiledCss {
  const options = namespaces === null ? selectOptions : xmlSelectOptions;
  let tokens: CssToken[][];
  try {
    tokens = parseCss(query);
  } catch (error) {
    throw badQuery(query, error);
  }
  const byPseudo = new Map<string, {pseudo: PseudoElement; tokens: CssToken[][]}>();
  for (const group of tokens) {
    const pseudo = takePseudoElement(query, group);
    if (namespaces !== null) {
      try {
        namespaceTypeSelectors(group, namespaces);
      } catch (error) {
        throw badQuery(query, error);
      }
    }
    const key = pseudo.kind === 'none' ? 'none' : `${pseudo.kind}:${pseudo.subtree}:${pseudo.kind === 'attr' ? pseudo.name : ''}`;
    const entry = byPseudo.get(key) ?? {pseudo, tokens: []};
    entry.tokens.push(group);
    byPseudo.set(key, entry);
  }
  const groups: CompiledGroup[] = [];
  for (const {pseudo, tokens: groupTokens} of byPseudo.values()) {
    try {
      groups.push({pseudo, matches: compile(groupTokens, options)});
    } catch (error) {
      throw badQuery(query, error);
    }
  }
  return {groups};
}

/** Removes a trailing `::text` / `::attr(name)` from one comma group and says which it was. */
function takePseudoElement(query: string, group: CssToken[]): PseudoElement {
  const index = group.findIndex((token) => token.type === SelectorType.PseudoElement);
  if (index === -1) return {kind: 'none'};
  const token = group[index] as {type: SelectorType.PseudoElement; name: string; data: string | null};
  if (index !== group.length - 1) {
    throw badQuery(query, `the pseudo-element ::${token.name} must come last in its selector`);
  }
  if (!(token.name === 'text' && token.data === null) && !(token.name === 'attr' && token.data !== null && attributeName(token.data) !== '')) {
    throw badQuery(query, `::${token.name}${token.data === null ? '' : `(${token.data})`} is not supported; use ::text or ::attr(name)`);
  }
  group.pop();
  const subtree = endsWithAnyDescendant(group);
  if (subtree) group.splice(group.at(-1)!.type === SelectorType.Descendant ? -1 : -2);
  // `::text` alone, or after another combinator (`div > ::text`), applies to any element, as in cssselect.
  const last = group.at(-1);
  if (last === undefined || isCombinator(last)) group.push({type: SelectorType.Universal, namespace: null});
  return token.name === 'text' ? {kind: 'text', subtree} : {kind: 'attr', name: attributeName(token.data!), subtree};
}

/** `div ` or `div *` before the pseudo-element: a bare descendant step, which cssselect folds into descendant-or-self. */
function endsWithAnyDescendant(group: CssToken[]): boolean {
  const last = group.at(-1);
  if (last?.type === SelectorType.Descendant) return true;
  return last?.type === SelectorType.Universal && last.namespace === null && group.at(-2)?.type === SelectorType.Descendant;
}

function attributeName(data: string): string {
  return data.trim().replace(/^(["'])(.*)\1$/, '$2');
}

function isCombinator(token: CssToken): boolean {
  return token.type === SelectorType.Descendant || token.type === SelectorType.Child
    || token.type === SelectorType.Sibling || token.type === SelectorType.Adjacent
    || token.type === SelectorType.Parent || token.type === SelectorType.ColumnCombinator;
}

function badQuery(query: string, cause: unknown): DraglineError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new DraglineError('BAD_ARGUMENT', `Invalid CSS selector ${JSON.stringify(query)}: ${reason}. Fix the selector syntax.`, {
    cause: cause instanceof Error ? cause : undefined,
  });
}
