import type {AnyNode, Document} from 'domhandler';
import {documentOrder} from './document-order.js';
import {documentHtml, outerHtml, parseHtml} from './html-document.js';
import {documentXml, outerXml, parseXml, removeNamespaces} from './xml-document.js';
import {XPathView} from './xpath-dom.js';

/** How a page was parsed: as HTML (parse5, the browsers' algorithm) or as XML (htmlparser2's XML mode). */
export type DocumentType = 'html' | 'xml';

/**
 * One parsed page, shared by every selector taken from it, with what some queries need built on
 * first use: the XPath view, and the document-order numbering that merges CSS comma groups.
 * (Kept here rather than in WeakMaps keyed by the tree: V8 collects ephemerons slowly, and a crawl
 * drops a parsed page per response.)
 */
export class PageTree {
  readonly document: Document;
  /** Prefixes registered with Selector.registerNamespace(), for every XPath query on the page. */
  readonly namespaces: Record<string, string> = {};
  private view?: XPathView;
  private order?: Map<AnyNode, number>;

  constructor(
    text: string,
    readonly type: DocumentType = 'html',
  ) {
    this.document = type === 'xml' ? parseXml(text) : parseHtml(text);
  }

  xpathView(): XPathView {
    this.view ??= new XPathView(this.document, {xml: this.type === 'xml'});
    return this.view;
  }

  documentOrder(): Map<AnyNode, number> {
    this.order ??= documentOrder(this.document);
    return this.order;
  }

  /** Markup of an element or comment, in the page's own syntax. */
  outerMarkup(node: AnyNode): string {
    return this.type === 'xml' ? outerXml(node) : outerHtml(node);
  }

  documentMarkup(): string {
    return this.type === 'xml' ? documentXml(this.document) : documentHtml(this.document);
  }

  /** parsel's remove_namespaces() (XML pages; HTML elements have none to remove). */
  removeNamespaces(): void {
    if (this.type !== 'xml') return;
    removeNamespaces(this.document);
    this.view = undefined;
    this.order = undefined;
  }
}
