import {html as parse5Html, parse, serialize, serializeOuter} from 'parse5';
import {adapter as htmlparser2Adapter, type Htmlparser2TreeAdapterMap} from 'parse5-htmlparser2-tree-adapter';
import {Comment, Element, Text, type AnyNode, type Document} from 'domhandler';

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
 * The nodes parsing makes, by plain constructors that give each node all its fields in one go:
 * domhandler's classes define theirs as class fields through a chain of three constructors (Node,
 * NodeWithChildren or DataNode, then the class), and the adapter added three more fields to each
 * element afterwards. The prototypes are domhandler's own, so the nodes are the same Element, Text
 * and Comment objects with the same fields (test/selector/html-document.test.ts compares the trees).
 */
// domhandler's node types (domelementtype's values), read from its own nodes.
const TAG = new Element('div', {}).type;
const SCRIPT = new Element('script', {}).type;
const STYLE = new Element('style', {}).type;
const TEXT = new Text('').type;
const COMMENT = new Comment('').type;

interface ParsedElement extends Element {
  'x-attribsNamespace': Record<string, string>;
  'x-attribsPrefix': Record<string, string>;
}
const ParsedElement = function ParsedElement(this: ParsedElement, name: string, attribs: Record<string, string>, namespace: string, attribsNamespace: Record<string, string>, attribsPrefix: Record<string, string>) {
  this.parent = null;
  this.prev = null;
  this.next = null;
  this.startIndex = null;
  this.endIndex = null;
  this.children = [];
  this.name = name;
  this.attribs = attribs;
  this.type = name === 'script' ? SCRIPT : name === 'style' ? STYLE : TAG;
  this.namespace = namespace;
  this['x-attribsNamespace'] = attribsNamespace;
  this['x-attribsPrefix'] = attribsPrefix;
} as unknown as new (name: string, attribs: Record<string, string>, namespace: string, attribsNamespace: Record<string, string>, attribsPrefix: Record<string, string>) => ParsedElement;
ParsedElement.prototype = Element.prototype as ParsedElement;

function dataNode<T extends Text | Comment>(prototype: T, type: T['type']) {
  const DataNode = function DataNode(this: T, data: string) {
    this.parent = null;
    this.prev = null;
    this.next = null;
    this.startIndex = null;
    this.endIndex = null;
    this.data = data;
    (this as {type: T['type']}).type = type;
  } as unknown as new (data: string) => T;
  DataNode.prototype = prototype;
  return DataNode;
}
const ParsedText = dataNode(Text.prototype, TEXT);
const ParsedComment = dataNode(Comment.prototype, COMMENT);

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
      attribs[attribute.name] = attribute.name === 'class' ? sharedClassValue(attribute.value) : attribute.value;
      if (attribute.namespace !== undefined || attribute.prefix !== undefined) foreign = true;
    }
    return new ParsedElement(KNOWN_TAG_NAMES.get(tagName) ?? tagName, attribs, namespaceURI, foreign ? namesOf(attrs, 'namespace') : NO_NAMES, foreign ? namesOf(attrs, 'prefix') : NO_NAMES);
  },
  createCommentNode(data: string) {
    return new ParsedComment(data);
  },
  createTextNode(value: string) {
    return new ParsedText(value);
  },
  appendChild(parentNode, newNode) {
    const children = parentNode.children;
    const prev = children[children.length - 1];
    if (prev === undefined) {
      // An array literal of one is allocated to its length; a push onto [] reserves room for 17.
      parentNode.children = [newNode];
    } else {
      prev.next = newNode;
      newNode.prev = prev;
      children.push(newNode);
      if (prev.type === TEXT) settleText(prev as Text);
    }
    newNode.parent = parentNode;
  },
  onItemPop(element: Element) {
    settleChildren(element);
  },
  insertText(parentNode, text) {
    const children = parentNode.children;
    const lastChild = children[children.length - 1];
    if (lastChild !== undefined && lastChild.type === TEXT) (lastChild as Text).data += text;
    else adapter.appendChild(parentNode, new ParsedText(text));
  },
  insertTextBefore(parentNode, text, referenceNode) {
    const previous = referenceNode.prev;
    if (previous !== null && previous.type === TEXT) (previous as Text).data += text;
    else adapter.insertBefore(parentNode, new ParsedText(text), referenceNode);
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

/**
 * Written by settleText() so that reading a text's first character is never optimised away.
 * (Exported only so that it is observable: nothing reads it.)
 */
export let settledTexts = 0;

/**
 * A text that parsing will add no more to, made one flat string. Parsing appends a text run by run
 * (words and the spaces between them are separate tokens), which leaves a rope: a node of 32 bytes
 * per run, and every run kept as a string of its own. Reading a character flattens a rope in place
 * into one string, and the runs become garbage while they are still young. On the SQLite site's
 * largest page this alone takes the tree from 22 to 16 MB (docs/performance.md).
 */
function settleText(text: Text): void {
  settledTexts ^= text.data.charCodeAt(0);
}

/**
 * An element parsing has closed: its children in an array of their own length (growing by push
 * leaves an array with room for 17 or more), and its last text flattened.
 */
function settleChildren(element: {children: AnyNode[]}): void {
  const children = element.children;
  if (children.length > 1) element.children = children.slice();
  const last = children[children.length - 1];
  if (last !== undefined && last.type === TEXT) settleText(last as Text);
}

/**
 * The tokenizer makes a new string for every tag's name; elements of a known kind share one
 * instead (a page of 50,000 elements held 14,000 copies of "li").
 */
const KNOWN_TAG_NAMES = new Map<string, string>(Object.values(parse5Html.TAG_NAMES).map((name) => [name, name]));

/** The class values of the page being parsed, so that repeated ones share a string (set by parseHtml). */
let classValues = new Map<string, string>();

function sharedClassValue(value: string): string {
  const shared = classValues.get(value);
  if (shared !== undefined) return shared;
  classValues.set(value, value);
  return value;
}

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
  let document: Document;
  try {
    document = parse<Htmlparser2TreeAdapterMap>(html, options);
  } finally {
    classValues = new Map();
  }
  // The elements still open at the end (html, body, and whatever the page left unclosed) were
  // never popped: they are the chain of last children from the document down.
  for (let node: AnyNode | undefined = document; node !== undefined && 'children' in node; node = node.children[node.children.length - 1]) settleChildren(node);
  return document;
}

/** The markup of a node including its own tag, as the HTML serialization algorithm writes it. */
export function outerHtml(node: AnyNode): string {
  return serializeOuter<Htmlparser2TreeAdapterMap>(node, options);
}

/** The markup of everything inside a document. */
export function documentHtml(document: Document): string {
  return serialize<Htmlparser2TreeAdapterMap>(document, options);
}
