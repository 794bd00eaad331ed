import {parse, serialize, serializeOuter} from 'parse5';
import {adapter, type Htmlparser2TreeAdapterMap} from 'parse5-htmlparser2-tree-adapter';
import type {AnyNode, Document} from 'domhandler';

// As a browser with scripting off (and as lxml), the content of <noscript> is markup, so the links
// and text in it can be selected (with scripting on it would be one raw text node), and it is
// escaped like any other text when written back.
const options = {treeAdapter: adapter, scriptingEnabled: false};

/**
 * Parses HTML the way browsers do (parse5 implements the WHATWG algorithm), into a domhandler tree
 * so that css-select and domutils work on it without any conversion.
 */
export function parseHtml(html: string): Document {
  return parse<Htmlparser2TreeAdapterMap>(html, options);
}

/** The markup of a node including its own tag, as the HTML serialization algorithm writes it. */
export function outerHtml(node: AnyNode): string {
  return serializeOuter<Htmlparser2TreeAdapterMap>(node, options);
}

/** The markup of everything inside a document. */
export function documentHtml(document: Document): string {
  return serialize<Htmlparser2TreeAdapterMap>(document, options);
}
