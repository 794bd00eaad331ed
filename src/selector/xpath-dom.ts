import {hasChildren, isCDATA, isComment, isDocument, isTag, isText, type AnyNode, type Element, type ProcessingInstruction, type Text} from 'domhandler';
import {isNamespaceDeclaration, isProcessingInstruction, localPart, prefixOf, processingInstructionParts} from './xml-document.js';

const HTML_NAMESPACE = 'http://www.w3.org/1999/xhtml';
const ELEMENT = 1;
const ATTRIBUTE = 2;
const TEXT = 3;
const PROCESSING_INSTRUCTION = 7;
const COMMENT = 8;
const DOCUMENT = 9;
const NO_NODES: XNode[] = [];

/** A node list as the DOM has them: an array with `item()` (the `xpath` package reads attributes so). */
type NodeList = XNode[] & {item(index: number): XNode | null};

function itemAt(this: XNode[], index: number): XNode | null {
  return this[index] ?? null;
}

/**
 * The W3C DOM properties the `xpath` library reads, over one node of the parse5/domhandler tree.
 * Everything is read from the tree when asked: an XNode holds its tree node, its parent and its
 * place among the parent's children, and makes its own children's XNodes the first time a step
 * looks inside it, so a query pays only for the part of the page it walks, and once per page.
 * HTML elements get no namespace, as in lxml's HTML trees, so `//p` and `namespace-uri()` behave
 * as in parsel; SVG and MathML keep theirs, so a prefix bound with `namespaces` can select them.
 */
export class XNode {
  private kids?: XNode[];
  private attributeList?: NodeList;
  /** Preorder number, set for the whole page by XPathView.numberNodes on the first sort. */
  position = -1;

  constructor(
    readonly nodeType: number,
    /** The domhandler node this stands for; for an attribute, its element. */
    readonly source: AnyNode,
    private readonly view: XPathView,
    readonly parentNode: XNode | null,
    /** Place among the parent's children (XPath's children: see XPathView.childrenOf), or among its element's attributes. */
    readonly index: number,
    /** Attributes only: the attribute's name and element. */
    readonly name: string | null = null,
    readonly ownerElement: XNode | null = null,
  ) {}

  get nodeName(): string {
    switch (this.nodeType) {
      case ELEMENT:
        return (this.source as Element).name;
      case ATTRIBUTE:
        return this.name as string;
      case TEXT:
        return '#text';
      case COMMENT:
        return '#comment';
      case PROCESSING_INSTRUCTION:
        return processingInstructionParts(this.source as ProcessingInstruction).target;
      default:
        return '#document';
    }
  }

  get localName(): string | null {
    if (this.nodeType === ELEMENT) {
      const name = (this.source as Element).name;
      // HTML names carry no prefix (parse5 gives foreign elements their local names).
      return this.view.xml ? localPart(name) : name;
    }
    if (this.nodeType !== ATTRIBUTE) return null;
    const prefix = this.prefix;
    return prefix ? (this.name as string).slice(prefix.length + 1) : this.name;
  }

  get prefix(): string | null {
    if (this.nodeType === ELEMENT) return this.view.xml ? (prefixOf((this.source as Element).name) ?? null) : null;
    if (this.nodeType !== ATTRIBUTE) return null;
    return (this.source as Element)['x-attribsPrefix']?.[this.name as string] || null;
  }

  get namespaceURI(): string | null {
    if (this.nodeType === ELEMENT) {
      const namespace = (this.source as Element).namespace;
      return namespace !== undefined && (this.view.xml || namespace !== HTML_NAMESPACE) ? namespace : null;
    }
    if (this.nodeType !== ATTRIBUTE) return null;
    return (this.source as Element)['x-attribsNamespace']?.[this.name as string] || null;
  }

  get nodeValue(): string | null {
    switch (this.nodeType) {
      case TEXT:
      case COMMENT:
        return (this.source as Text).data;
      case ATTRIBUTE:
        return this.value;
      case PROCESSING_INSTRUCTION:
        return processingInstructionParts(this.source as ProcessingInstruction).data;
      default:
        return null;
    }
  }

  /** Attributes only. */
  get value(): string | null {
    return this.nodeType === ATTRIBUTE ? ((this.source as Element).attribs[this.name as string] ?? null) : null;
  }

  get ownerDocument(): XNode | null {
    const top = this.view.document;
    return top.nodeType === DOCUMENT && top !== this ? top : null;
  }

  get documentElement(): XNode | null {
    return this.nodeType === DOCUMENT ? (this.childNodes.find((child) => child.nodeType === ELEMENT) ?? null) : null;
  }

  get childNodes(): XNode[] {
    this.kids ??= this.nodeType === ELEMENT || this.nodeType === DOCUMENT ? this.view.childrenOf(this) : NO_NODES;
    return this.kids;
  }

  get firstChild(): XNode | null {
    return this.childNodes[0] ?? null;
  }

  get lastChild(): XNode | null {
    const children = this.childNodes;
    return children[children.length - 1] ?? null;
  }

  get nextSibling(): XNode | null {
    return this.parentNode?.childNodes[this.index + 1] ?? null;
  }

  get previousSibling(): XNode | null {
    return this.index === 0 ? null : (this.parentNode?.childNodes[this.index - 1] ?? null);
  }

  get attributes(): NodeList | null {
    if (this.nodeType !== ELEMENT) return null;
    this.attributeList ??= this.view.attributesOf(this);
    return this.attributeList;
  }

  /** Position in document order; attributes fall between their element and its first child. */
  get order(): number {
    if (this.nodeType !== ATTRIBUTE) {
      if (this.position < 0) this.view.numberNodes();
      return this.position;
    }
    const owner = this.ownerElement as XNode;
    return owner.order + (this.index + 1) / ((owner.attributes as NodeList).length + 1);
  }

  /** Only the preceding/following bits: the xpath library needs no more to sort node-sets. */
  compareDocumentPosition(other: XNode): number {
    const mine = this.order;
    const theirs = other.order;
    if (theirs < mine) return 2;
    if (theirs > mine) return 4;
    return 0;
  }

  getAttribute(name: string): string | null {
    if (this.nodeType !== ELEMENT || (this.view.xml && isNamespaceDeclaration(name))) return null;
    return (this.source as Element).attribs[name] ?? null;
  }

  getElementById(id: string): XNode | null {
    return this.view.elementById(id);
  }

  /** Whether no-prefix name tests match elements of any namespace (an HTML page's nodes). */
  get lenientNames(): boolean {
    return this.view.lenientNames;
  }

  /** The XNode, in this node's page, of a node of the parse5 tree. */
  nodeFor(node: AnyNode): XNode | undefined {
    return this.view.nodeFor(node);
  }
}

/**
 * Where a node sits in its page, for sorting in document order without numbering the whole page:
 * its child indexes from the root down; an attribute adds an entry between -1 and 0 (after its
 * element, before the element's first child), a namespace node one just above -1.
 */
export function documentOrderKey(node: XNode): number[] {
  const key: number[] = [];
  let current: XNode | null = node;
  if (node.nodeType !== ELEMENT && node.ownerElement !== undefined && node.ownerElement !== null) {
    const count = node.nodeType === ATTRIBUTE ? (node.ownerElement.attributes as NodeList).length : 0;
    key.push(node.nodeType === ATTRIBUTE ? -1 + (node.index + 1) / (count + 1) : -1 + 1e-9);
    current = node.ownerElement;
  }
  for (; current !== null && current.parentNode !== null; current = current.parentNode) key.push(current.index);
  return key.reverse();
}

/** Compares two documentOrderKey()s: negative when the first node comes first. */
export function compareOrderKeys(left: number[], right: number[]): number {
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index++) if (left[index] !== right[index]) return left[index]! - right[index]!;
  return left.length - right.length;
}

/** The XPath face of one parsed page, made node by node as queries walk it (see XNode). */
export class XPathView {
  readonly document: XNode;
  /** XML pages: names keep their prefix and case, every namespace counts, declarations are not attributes. */
  readonly xml: boolean;
  private readonly contexts = new Map<AnyNode, XNode>();
  private idIndex?: Map<string, Element>;

  constructor(root: AnyNode, options: {xml?: boolean} = {}) {
    this.xml = options.xml ?? false;
    this.document = new XNode(this.kindOf(root) || DOCUMENT, root, this, null, 0);
  }

  /** Whether no-prefix name tests match elements of any namespace (HTML, as lxml's HTML trees have none) or only of none (XML). */
  get lenientNames(): boolean {
    return !this.xml;
  }

  /** The XNode for a node of the tree (made, with its ancestors', if no query has reached it yet). */
  nodeFor(node: AnyNode): XNode | undefined {
    if (node === this.document.source) return this.document;
    let found = this.contexts.get(node);
    if (found === undefined) {
      const parentSource = this.parentOf(node);
      const parent = parentSource === null ? undefined : this.nodeFor(parentSource);
      found = parent?.childNodes.find((child) => child.source === node);
      if (found === undefined) return undefined;
      this.contexts.set(node, found);
    }
    return found;
  }

  elementById(id: string): XNode | null {
    if (this.idIndex === undefined) {
      this.idIndex = new Map();
      const stack: AnyNode[] = [this.document.source];
      while (stack.length > 0) {
        const node = stack.pop() as AnyNode;
        if (isTag(node) && node.attribs.id !== undefined && !this.idIndex.has(node.attribs.id)) this.idIndex.set(node.attribs.id, node);
        if (hasChildren(node)) for (let index = node.children.length - 1; index >= 0; index--) stack.push(node.children[index]);
      }
    }
    const element = this.idIndex.get(id);
    return element === undefined ? null : (this.nodeFor(element) ?? null);
  }

  /** Numbers every node in document order (preorder), for sorting node-sets. */
  numberNodes(): void {
    let position = 0;
    const stack: XNode[] = [this.document];
    while (stack.length > 0) {
      const node = stack.pop() as XNode;
      node.position = position++;
      const children = node.childNodes;
      for (let index = children.length - 1; index >= 0; index--) stack.push(children[index] as XNode);
    }
  }

  /** Children as XPath sees them: no doctype, and a `<template>`'s content inline as lxml has it. */
  childrenOf(parent: XNode): XNode[] {
    const source = parent.source;
    if (!hasChildren(source) || source.children.length === 0) return NO_NODES;
    const children: XNode[] = [];
    for (const child of source.children) {
      // A document's children (a <template>'s content), and a CDATA section's text, count as children here.
      if (isDocument(child) || isCDATA(child)) {
        for (const inner of child.children) this.addChild(children, parent, inner);
      } else {
        this.addChild(children, parent, child);
      }
    }
    return children;
  }

  attributesOf(element: XNode): NodeList {
    const source = element.source as Element;
    const names = this.xml ? Object.keys(source.attribs).filter((name) => !isNamespaceDeclaration(name)) : Object.keys(source.attribs);
    const list = names.map((name, index) => new XNode(ATTRIBUTE, source, this, null, index, name, element)) as NodeList;
    list.item = itemAt;
    return list;
  }

  private addChild(children: XNode[], parent: XNode, source: AnyNode): void {
    const kind = this.kindOf(source);
    if (kind !== 0) children.push(new XNode(kind, source, this, parent, children.length));
  }

  /** The node's XPath type, or 0 for what XPath does not see (a doctype, an HTML page's processing instruction). */
  private kindOf(source: AnyNode): number {
    if (isTag(source)) return ELEMENT;
    if (isText(source)) return TEXT;
    if (isComment(source)) return COMMENT;
    if (this.xml && isProcessingInstruction(source)) return PROCESSING_INSTRUCTION;
    if (isDocument(source)) return DOCUMENT;
    return 0;
  }

  /** The parent XPath sees: past a `<template>`'s content document and a CDATA section. */
  private parentOf(node: AnyNode): AnyNode | null {
    let parent = node.parent;
    while (parent !== null && parent !== this.document.source && (isDocument(parent) || isCDATA(parent))) parent = parent.parent;
    return parent;
  }
}
