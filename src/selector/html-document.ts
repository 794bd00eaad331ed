import {parse, serialize, serializeOuter} from 'parse5';
import {adapter as htmlparser2Adapter, type Htmlparser2TreeAdapterMap} from 'parse5-htmlparser2-tree-adapter';
import {Element, type AnyNode, type Document} from 'domhandler';

/** The attributes parse5 hands over for one tag. */
type TokenAttributes = Parameters<typeof htmlparser2Adapter.createElement>[2];

/**
 * An element's attributes: with no Object.prototype behind them (so `attribs.constructor` is not
 * a function, and an attribute named `__proto__` is just an attribute), as the adapter's
 * Object.create(null); but made by a constructor, so V8 keeps them as small objects with fast
 * properties rather than a hash table per element.
 */
const Attributes = function Attributes(this: Record<string, string>) {} as unknown as new () => Record<string, string>;
Attributes.prototype = Object.create(null) as object;

/** Shared by every element none of whose attributes has a namespace (all of them, outside SVG and MathML). */
const NO_NAMES: Record<string, string> = Object.freeze(Object.create(null) as Record<string, string>);

/**
 * parse5's htmlparser2 adapter, but an element costs one small object for its attributes instead
 * of three hash tables (attributes, their namespaces, their prefixes); the namespaces and prefixes
 * get their own only when an attribute has one.
 */
const adapter: typeof htmlparser2Adapter = {
  ...htmlparser2Adapter,
  createElement(tagName: string, namespaceURI: string, attrs: TokenAttributes) {
    const attribs = new Attributes();
    let foreign = false;
    for (const attribute of attrs) {
      attribs[attribute.name] = attribute.value;
      if (attribute.namespace !== undefined || attribute.prefix !== undefined) foreign = true;
    }
    const node = new Element(tagName, attribs, []);
    node.namespace = namespaceURI;
    node['x-attribsNamespace'] = foreign ? namesOf(attrs, 'namespace') : NO_NAMES;
    node['x-attribsPrefix'] = foreign ? namesOf(attrs, 'prefix') : NO_NAMES;
    return node;
  },
  adoptAttributes(recipient: Element, attrs: TokenAttributes) {
    for (const attribute of attrs) {
      if (recipient.attribs[attribute.name] !== undefined) continue;
      recipient.attribs[attribute.name] = attribute.value;
      if (attribute.namespace === undefined && attribute.prefix === undefined) continue;
      if (recipient['x-attribsNamespace'] === NO_NAMES) recipient['x-attribsNamespace'] = new Attributes();
      if (recipient['x-attribsPrefix'] === NO_NAMES) recipient['x-attribsPrefix'] = new Attributes();
      recipient['x-attribsNamespace']![attribute.name] = attribute.namespace!;
      recipient['x-attribsPrefix']![attribute.name] = attribute.prefix!;
    }
  },
};

function namesOf(attrs: TokenAttributes, field: 'namespace' | 'prefix'): Record<string, string> {
  const names = new Attributes();
  for (const attribute of attrs) names[attribute.name] = attribute[field]!;
  return names;
}

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
