import {isTag, type AnyNode} from 'domhandler';
import {selectCss} from './css-query.js';
import {PageTree, type DocumentType} from './page-tree.js';
import {extractRegex, type RegexInput, type RegexOptions} from './regex.js';
import {SelectorList} from './selector-list.js';
import {targetAttributes, targetString, type Target, type TargetKind} from './target.js';
import {selectXPath, type XPathOptions} from './xpath-query.js';

/**
 * How a Selector is made: from HTML text (as parsel's `Selector(text=…)`); the second form is how
 * queries make their results, sharing the parsed page.
 */
export type SelectorInit = {text: string; type?: DocumentType} | {tree: PageTree; target: Target; query?: string | null};

/**
 * One node of a parsed HTML page (element, text, comment), one attribute value, or one XPath
 * result value, with parsel's Selector API: css(), xpath(), get(), getall(), re(), reFirst(), attrib.
 */
export class Selector {
  /** The query that produced this selector; null for a page's root. */
  readonly query: string | null;
  private readonly tree: PageTree;
  private readonly target: Target;

  /** Parses an HTML page with parse5; the selector stands for its `<html>` element, as in parsel. */
  static fromHtml(html: string): Selector {
    return new Selector({text: html});
  }

  /** Parses an XML document (parsel's `Selector(text, type='xml')`); the selector stands for its root element. */
  static fromXml(xml: string): Selector {
    return new Selector({text: xml, type: 'xml'});
  }

  constructor(init: SelectorInit) {
    if ('text' in init) {
      this.tree = new PageTree(init.text, init.type ?? 'html');
      const document = this.tree.document;
      const root = document.children.find(isTag);
      this.target = root === undefined ? {kind: 'document', node: document} : {kind: 'element', node: root};
      this.query = null;
    } else {
      this.tree = init.tree;
      this.target = init.target;
      this.query = init.query ?? null;
    }
  }

  /** 'html' or 'xml': how the page was parsed. */
  get type(): DocumentType {
    return this.tree.type;
  }

  /**
   * Binds `prefix` to a namespace URI for XPath queries on this page (parsel's register_namespace):
   * `sel.registerNamespace('atom', 'http://www.w3.org/2005/Atom'); sel.xpath('//atom:entry')`.
   */
  registerNamespace(prefix: string, uri: string): this {
    this.tree.namespaces[prefix] = uri;
    return this;
  }

  /** Drops every namespace and prefix of the page, so `//entry` selects what `//atom:entry` did (parsel's remove_namespaces). */
  removeNamespaces(): this {
    this.tree.removeNamespaces();
    return this;
  }

  /** What this selector stands for: 'element', 'text', 'attribute', 'comment', 'processing-instruction', 'document' or 'value'. */
  get kind(): TargetKind {
    return this.target.kind;
  }

  /** The underlying domhandler node (an attribute's element) or XPath value, as parsel's `root`. */
  get root(): AnyNode | string | number | boolean {
    switch (this.target.kind) {
      case 'attribute':
        return this.target.element;
      case 'value':
        return this.target.value;
      default:
        return this.target.node;
    }
  }

  /**
   * CSS query relative to this element, including it (parsel's `descendant-or-self::`), with
   * Scrapy's pseudo-elements `::text` and `::attr(name)`. Text, attribute and value selectors give
   * an empty list.
   */
  css(query: string): SelectorList {
    const target = this.target;
    if (target.kind !== 'element' && target.kind !== 'document') return new SelectorList();
    return this.wrap(selectCss(this.tree, target.node, query), query);
  }

  /** XPath 1.0 query with this selector as the context node (`.//a` is relative, `//a` is not). */
  xpath(query: string, options?: XPathOptions): SelectorList {
    const namespaces = Object.keys(this.tree.namespaces).length === 0 ? options?.namespaces : {...this.tree.namespaces, ...options?.namespaces};
    return this.wrap(selectXPath(this.tree, this.target, query, namespaces === options?.namespaces ? options : {...options, namespaces}), query);
  }

  /** Outer HTML for elements and comments, the text for text and attribute results, the value as a string otherwise. */
  get(): string {
    return targetString(this.tree, this.target);
  }

  getall(): string[] {
    return [this.get()];
  }

  /** Old parsel name for get(). */
  extract(): string {
    return this.get();
  }

  /** Matches of `regex` in get(), as parsel's re(). */
  re(regex: RegexInput, options?: RegexOptions): string[] {
    return extractRegex(regex, this.get(), options);
  }

  reFirst(regex: RegexInput): string | null;
  reFirst(regex: RegexInput, defaultValue: string, options?: RegexOptions): string;
  reFirst(regex: RegexInput, defaultValue: string | null, options?: RegexOptions): string | null;
  reFirst(regex: RegexInput, defaultValue: string | null = null, options?: RegexOptions): string | null {
    return this.re(regex, options)[0] ?? defaultValue;
  }

  /** A copy of an element's attributes; `{}` for anything else. */
  get attrib(): Record<string, string> {
    return targetAttributes(this.tree, this.target);
  }

  /** As parsel's repr: `<Selector query='//a/@href' data='/page/2/'>`, the data cut at 40 characters. */
  toString(): string {
    const data = this.get();
    const shown = data.length > 40 ? `${data.slice(0, 37)}...` : data;
    return `<Selector query=${this.query === null ? 'null' : quote(this.query)} data=${quote(shown)}>`;
  }

  private wrap(targets: Target[], query: string): SelectorList {
    const list = new SelectorList();
    for (const target of targets) list.push(new Selector({tree: this.tree, target, query}));
    return list;
  }
}

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}
