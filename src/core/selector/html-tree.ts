import type {AnyNode, Document} from 'domhandler';
import {documentOrder} from './document-order.js';
import {parseHtml} from './html-document.js';
import {XPathView} from './xpath-dom.js';

/**
 * One parsed page, shared by every selector taken from it, with what some queries need built on
 * first use: the XPath view, and the document-order numbering that merges CSS comma groups.
 * (Kept here rather than in WeakMaps keyed by the tree: V8 collects ephemerons slowly, and a crawl
 * drops a parsed page per response.)
 */
export class HtmlTree {
  readonly document: Document;
  private view?: XPathView;
  private order?: Map<AnyNode, number>;

  constructor(html: string) {
    this.document = parseHtml(html);
  }

  xpathView(): XPathView {
    this.view ??= new XPathView(this.document);
    return this.view;
  }

  documentOrder(): Map<AnyNode, number> {
    this.order ??= documentOrder(this.document);
    return this.order;
  }
}
