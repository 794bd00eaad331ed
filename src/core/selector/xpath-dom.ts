import {hasChildren, isCDATA, isComment, isDocument, isTag, isText, type AnyNode, type Document, type Element} from 'domhandler';
import {isNamespaceDeclaration, isProcessingInstruction, localPart, prefixOf, processingInstructionParts} from './xml-document.js';

const HTML_NAMESPACE = 'http://www.w3.org/1999/xhtml';
const ELEMENT = 1;
const ATTRIBUTE = 2;
const TEXT = 3;
const PROCESSING_INSTRUCTION = 7;
const COMMENT = 8;
const DOCUMENT = 9;

/** A node list as the DOM has them: an array with `item()`. */
type NodeList = XNode[] & {item(index: number): XNode | null};

function nodeList(nodes: XNode[]): NodeList {
  const list = nodes as NodeList;
  list.item = (index: number) => nodes[index] ?? null;
  return list;
}

/**
 * The W3C DOM properties the `xpath` library reads, over one node of the parse5/domhandler tree.
 * HTML elements get no namespace, as in lxml's HTML trees, so `//p` and `namespace-uri()` behave
 * as in parsel; SVG and MathML keep theirs, so a prefix bound with `namespaces` can select them.
 */
export class XNode {
  nodeName: string;
  localName: string | null = null;
  namespaceURI: string | null = null;
  prefix: string | null = null;
  nodeValue: string | null = null;
  /** Attributes only. */
  name: string | null = null;
  value: string | null = null;
  ownerElement: XNode | null = null;
  parentNode: XNode | null = null;
  ownerDocument: XNode | null = null;
  firstChild: XNode | null = null;
  lastChild: XNode | null = null;
  previousSibling: XNode | null = null;
  nextSibling: XNode | null = null;
  childNodes: NodeList = nodeList([]);
  attributes: NodeList | null = null;
  documentElement: XNode | null = null;
  /** Position in document order; attributes fall between their element and its first child. */
  order = 0;

  constructor(
    readonly nodeType: number,
    nodeName: string,
    /** The domhandler node this stands for; for an attribute, its element. */
    readonly source: AnyNode,
    private readonly view: XPathView,
  ) {
    this.nodeName = nodeName;
  }

  /** Only the preceding/following bits: the xpath library needs no more to sort node-sets. */
  compareDocumentPosition(other: XNode): number {
    if (other.order < this.order) return 2;
    if (other.order > this.order) return 4;
    return 0;
  }

  getAttribute(name: string): string | null {
    const attribute = this.attributes?.find((candidate) => candidate.name === name);
    return attribute?.value ?? null;
  }

  getElementById(id: string): XNode | null {
    return this.view.elementById(id);
  }
}

export class XPathView {
  private readonly nodes = new Map<AnyNode, XNode>();
  private idIndex?: Map<string, XNode>;
  readonly document: XNode;
  /** XML pages: names keep their prefix and case, every namespace counts, declarations are not attributes. */
  private readonly xml: boolean;

  constructor(root: AnyNode, options: {xml?: boolean} = {}) {
    this.xml = options.xml ?? false;
    this.document = this.build(root);
  }

  /** Whether no-prefix name tests match elements of any namespace (HTML, as lxml's HTML trees have none) or only of none (XML). */
  get lenientNames(): boolean {
    return !this.xml;
  }

  /** The XNode for a node of the tree, or for an attribute of an element. */
  nodeFor(node: AnyNode, attributeName?: string): XNode | undefined {
    const found = this.nodes.get(node);
    if (attributeName === undefined) return found;
    return found?.attributes?.find((attribute) => attribute.name === attributeName);
  }

  elementById(id: string): XNode | null {
    if (this.idIndex === undefined) {
      this.idIndex = new Map();
      for (const node of this.nodes.values()) {
        const value = node.nodeType === ELEMENT ? node.getAttribute('id') : null;
        if (value !== null && !this.idIndex.has(value)) this.idIndex.set(value, node);
      }
    }
    return this.idIndex.get(id) ?? null;
  }

  private build(root: AnyNode): XNode {
    const top = this.create(root) ?? new XNode(DOCUMENT, '#document', root, this);
    const documentNode = top.nodeType === DOCUMENT ? top : null;
    let position = 0;
    const stack: XNode[] = [top];
    while (stack.length > 0) {
      const node = stack.pop() as XNode;
      node.order = position++;
      node.ownerDocument = node === documentNode ? null : documentNode;
      if (node.nodeType === ELEMENT) this.addAttributes(node, documentNode);
      const children = this.childrenOf(node);
      if (children.length === 0) continue;
      children.forEach((child, index) => {
        child.parentNode = node;
        child.previousSibling = children[index - 1] ?? null;
        child.nextSibling = children[index + 1] ?? null;
      });
      node.childNodes = nodeList(children);
      node.firstChild = children[0];
      node.lastChild = children[children.length - 1];
      if (node.nodeType === DOCUMENT) node.documentElement = children.find((child) => child.nodeType === ELEMENT) ?? null;
      for (let index = children.length - 1; index >= 0; index--) stack.push(children[index]);
    }
    return top;
  }

  /** Children as XPath sees them: no doctype, and a `<template>`'s content inline as lxml has it. */
  private childrenOf(node: XNode): XNode[] {
    const source = node.source;
    if (!hasChildren(source)) return [];
    const children: XNode[] = [];
    for (const child of source.children) {
      // A document's children (a <template>'s content), and a CDATA section's text, count as children here.
      if (isDocument(child) || isCDATA(child)) {
        for (const inner of child.children) {
          const created = this.create(inner);
          if (created !== undefined) children.push(created);
        }
      } else {
        const created = this.create(child);
        if (created !== undefined) children.push(created);
      }
    }
    return children;
  }

  private create(source: AnyNode): XNode | undefined {
    let node: XNode;
    if (isTag(source)) {
      node = new XNode(ELEMENT, source.name, source, this);
      // HTML names carry no prefix (parse5 gives foreign elements their local names).
      node.localName = this.xml ? localPart(source.name) : source.name;
      node.prefix = this.xml ? (prefixOf(source.name) ?? null) : null;
      if (source.namespace !== undefined && (this.xml || source.namespace !== HTML_NAMESPACE)) node.namespaceURI = source.namespace;
    } else if (isText(source)) {
      node = new XNode(TEXT, '#text', source, this);
      node.nodeValue = source.data;
    } else if (isComment(source)) {
      node = new XNode(COMMENT, '#comment', source, this);
      node.nodeValue = source.data;
    } else if (this.xml && isProcessingInstruction(source)) {
      const {target, data} = processingInstructionParts(source);
      node = new XNode(PROCESSING_INSTRUCTION, target, source, this);
      node.nodeValue = data;
    } else if (isDocument(source)) {
      node = new XNode(DOCUMENT, '#document', source, this);
    } else {
      return undefined;
    }
    this.nodes.set(source, node);
    return node;
  }

  private addAttributes(node: XNode, documentNode: XNode | null): void {
    const element = node.source as Element;
    const names = this.xml ? Object.keys(element.attribs).filter((name) => !isNamespaceDeclaration(name)) : Object.keys(element.attribs);
    const namespaces = element['x-attribsNamespace'] ?? {};
    const prefixes = element['x-attribsPrefix'] ?? {};
    node.attributes = nodeList(names.map((name, index) => {
      const attribute = new XNode(ATTRIBUTE, name, element, this);
      const prefix = prefixes[name];
      attribute.name = name;
      attribute.localName = prefix ? name.slice(prefix.length + 1) : name;
      attribute.prefix = prefix || null;
      attribute.namespaceURI = namespaces[name] || null;
      attribute.value = element.attribs[name];
      attribute.nodeValue = attribute.value;
      attribute.ownerElement = node;
      attribute.ownerDocument = documentNode;
      attribute.order = node.order + (index + 1) / (names.length + 1);
      return attribute;
    }));
  }
}
