import {createRequire} from 'node:module';
import {hasChildren, isTag, type AnyNode, type Element, type ParentNode} from 'domhandler';
import {compareOrderKeys, documentOrderKey, XNode} from './xpath-dom.js';

/** What the selector needs from the `xpath` package (its own typings pull in the DOM lib). */
export interface XPathValue {
  stringValue(): string;
  numberValue(): number;
  booleanValue(): boolean;
}
export interface XPathNodeSet extends XPathValue {
  toArray(): XNode[];
}
export interface ParsedXPath {
  evaluate(options: {
    node: XNode;
    namespaces: Record<string, string>;
    functions: (localName: string, namespace: string | null) => ((context: {contextNode: XNode}, ...args: XPathValue[]) => unknown) | undefined;
    variables?: Record<string, string | number | boolean>;
    allowAnyNamespaceForNoPrefix: boolean;
  }): XPathValue;
}
interface NodeTest {
  matches(node: XNode, context: unknown): boolean;
}
interface StepContext {
  contextNode: XNode;
  virtualRoot?: XNode | null;
}
type ApplyStep = (step: {axis: number; nodeTest: NodeTest}, context: StepContext, node: XNode) => XNode[];
export interface XPathLibrary {
  parse(expression: string): ParsedXPath;
  XNodeSet: {new (): XPathNodeSet; prototype: XPathNodeSet};
  XNumber: unknown;
  XBoolean: unknown;
  XString: unknown;
  PathExpr: {applyStep: ApplyStep};
  Step: {FOLLOWING: number; PRECEDING: number; CHILD: number; DESCENDANT: number; DESCENDANTORSELF: number};
  LocationPath: new (...args: never[]) => unknown;
  FunctionResolver: {prototype: FunctionResolverInternals};
  NodeTest: {
    NODE: number;
    NameTestQName: {prototype: {prefix: string | null; localName: string; matches(node: XNode, context: unknown): boolean}};
    nameSpaceMatches(prefix: string | null, context: unknown, node: XNode): boolean;
    localNameMatches(localName: string, context: unknown, node: XNode): boolean;
  };
}

/** The package's function resolver, as far as shareFunctionTables replaces it. */
interface FunctionResolverInternals {
  functions: Record<string, unknown>;
  addStandardFunctions(this: FunctionResolverInternals): void;
  addFunction(this: FunctionResolverInternals, namespace: string, localName: string, fn: unknown): void;
}

/**
 * `//name` (and `.//name`) on an HTML page: the elements of that name below `node`, found by
 * walking the parse5 tree itself, so only the XNodes of the matches (and of their ancestors'
 * children) are made. In HTML every element's name test is its local name, case-sensitive, in any
 * namespace (see XNode), which is what this compares.
 */
function elementsNamed(name: string, node: XNode, includeSelf: boolean): XNode[] {
  const found: XNode[] = [];
  if (includeSelf && node.nodeType === 1 && (node.source as Element).name === name) found.push(node);
  // Preorder, so the matches come in document order. Only nodes with children go on the stack
  // (elements, and the documents and CDATA sections XPath sees through): the text between
  // elements, about half of a page's nodes, never does.
  // (A node has children when its `children` is set: read as a property, not hasChildren's
  // hasOwnProperty call.)
  const stack: ParentNode[] = [];
  let parent: ParentNode | undefined = hasChildren(node.source) ? node.source : undefined;
  while (parent !== undefined) {
    const children = parent.children;
    for (let index = children.length - 1; index >= 0; index--) {
      const child = children[index] as AnyNode & {children?: AnyNode[]};
      if (child.children !== undefined) stack.push(child as ParentNode);
    }
    parent = stack.pop();
    if (parent !== undefined && isTag(parent) && parent.name === name) {
      const match = node.nodeFor(parent);
      if (match !== undefined) found.push(match);
    }
  }
  return found;
}

/** The package's type for namespace nodes (it does not export its NodeTypes). */
const NAMESPACE_NODE = '__namespace';

/**
 * The child and descendant axes, which nearly every query walks, over the XNodes' child arrays
 * (the package goes sibling to sibling through the DOM getters), and a name test that does not
 * allocate an array and a closure for every node it looks at, as the package's does.
 */
function walkChildrenAsArrays(library: XPathLibrary): void {
  const {CHILD, DESCENDANT, DESCENDANTORSELF} = library.Step;
  const NameTestQName = library.NodeTest.NameTestQName as unknown as new () => unknown;
  const previous = library.PathExpr.applyStep;
  library.PathExpr.applyStep = function applyStep(step, context, node) {
    const axis = step.axis;
    if ((axis !== CHILD && axis !== DESCENDANT && axis !== DESCENDANTORSELF) || !(node instanceof XNode)) return previous.call(this, step, context, node);
    context.contextNode = node;
    const test = step.nodeTest;
    if (axis !== CHILD && test instanceof NameTestQName && (test as unknown as {prefix: string | null}).prefix === null && node.lenientNames && (node.nodeType === 1 || node.nodeType === 9)) {
      return elementsNamed((test as unknown as {localName: string}).localName, node, axis === DESCENDANTORSELF);
    }
    const found: XNode[] = [];
    const children = node.childNodes;
    if (axis === CHILD) {
      for (const child of children) if (test.matches(child, context)) found.push(child);
      return found;
    }
    if (axis === DESCENDANTORSELF && test.matches(node, context)) found.push(node);
    const stack: XNode[] = [];
    for (let index = children.length - 1; index >= 0; index--) stack.push(children[index]!);
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (test.matches(next, context)) found.push(next);
      const inner = next.childNodes;
      for (let index = inner.length - 1; index >= 0; index--) stack.push(inner[index]!);
    }
    return found;
  };
  const {nameSpaceMatches, localNameMatches} = library.NodeTest;
  library.NodeTest.NameTestQName.prototype.matches = function matches(node, context) {
    const type = node.nodeType as number | string;
    return (type === 1 || type === 2 || type === NAMESPACE_NODE) && nameSpaceMatches(this.prefix, context, node) && localNameMatches(this.localName, context, node);
  };
}

/** A parsed location path's steps, as the package keeps them. */
interface ParsedStep {
  axis: number;
  nodeTest: {type: number};
  predicates: unknown[];
}

/**
 * Rewrites `//name` in a parsed query, `descendant-or-self::node()/child::name`, as
 * `descendant::name` wherever the child step has no predicate (with one, `//p[1]` means each
 * parent's first p, so it stays). Same nodes, but one walk of the page instead of a node-set of
 * every node and then a look at each one's children. libxml2 makes the same rewrite.
 */
export function shortenDescendantSteps(library: XPathLibrary, parsed: ParsedXPath): void {
  const {CHILD, DESCENDANT, DESCENDANTORSELF} = library.Step;
  const NODE = library.NodeTest.NODE;
  const seen = new Set<object>();
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    if (value instanceof library.LocationPath) {
      const steps = (value as {steps: ParsedStep[]}).steps;
      for (let index = 0; index + 1 < steps.length; index++) {
        const [any, child] = [steps[index]!, steps[index + 1]!];
        if (any.axis === DESCENDANTORSELF && any.nodeTest.type === NODE && any.predicates.length === 0 && child.axis === CHILD && child.predicates.length === 0) {
          child.axis = DESCENDANT;
          steps.splice(index, 1);
        }
      }
    }
    for (const inner of Object.values(value)) visit(inner);
  };
  visit((parsed as unknown as {expression: unknown}).expression);
}

let xpathLibrary: XPathLibrary | undefined;

/**
 * The `xpath` package, loaded on the first XPath query (a spider that only uses CSS never needs it),
 * with its `following::` and `preceding::` axes corrected.
 */
export function loadXPath(): XPathLibrary {
  if (xpathLibrary === undefined) {
    xpathLibrary = createRequire(import.meta.url)('xpath') as XPathLibrary;
    correctFollowingAndPrecedingAxes(xpathLibrary);
    sortNodeSetsByPosition(xpathLibrary);
    walkChildrenAsArrays(xpathLibrary);
    shareFunctionTables(xpathLibrary);
  }
  return xpathLibrary;
}

/**
 * The package gives every evaluation context a new FunctionResolver, and each one filled a table
 * of XPath's 27 core functions: one per query, and one more for each path evaluated inside a
 * predicate, for every node the predicate is tried on (`//a[@href]` made one per link). The table
 * never changes, so every resolver now shares one; a resolver someone adds a function to gets a
 * copy of its own first.
 */
function shareFunctionTables(library: XPathLibrary): void {
  const prototype = library.FunctionResolver.prototype;
  const fill = prototype.addStandardFunctions;
  const standard = {functions: {}} as FunctionResolverInternals;
  fill.call(standard);
  const shared = Object.freeze(standard.functions);
  prototype.addStandardFunctions = function addStandardFunctions() {
    this.functions = shared;
  };
  const add = prototype.addFunction;
  prototype.addFunction = function addFunction(namespace, localName, fn) {
    if (this.functions === shared) this.functions = {...shared};
    add.call(this, namespace, localName, fn);
  };
}

/** The package's node-set, as far as sortNodeSetsByPosition replaces it. */
interface NodeSetInternals {
  nodes: XNode[];
  size: number;
  tree: unknown;
  members?: Set<XNode>;
  add(node: XNode): void;
  addArray(nodes: XNode[]): void;
  toArray(): XNode[];
  first(): XNode | null;
}

/**
 * The package keeps a node-set unique by comparing each added node with every node already in it,
 * and sorts it by inserting each node into a balanced tree, comparing positions through their
 * ancestors: `//a` on a page of 2,000 links made 2 million comparisons. Here a Set keeps it unique
 * and the nodes' document-order numbers sort it, once, and only when the order is asked for.
 */
function sortNodeSetsByPosition(library: XPathLibrary): void {
  const prototype = library.XNodeSet.prototype as unknown as NodeSetInternals;
  prototype.add = function add(node) {
    if (this.members === undefined) this.members = new Set(this.nodes);
    if (this.members.has(node)) return;
    this.members.add(node);
    this.nodes.push(node);
    this.size += 1;
  };
  prototype.addArray = function addArray(nodes) {
    for (const node of nodes) this.add(node);
  };
  prototype.toArray = function toArray() {
    const nodes = this.nodes.slice();
    if (nodes.length < 2) return nodes;
    const keys = nodes.map(documentOrderKey);
    let sorted = true;
    for (let index = 1; index < keys.length && sorted; index++) sorted = compareOrderKeys(keys[index - 1]!, keys[index]!) <= 0;
    if (sorted) return nodes;
    const order = nodes.map((_, index) => index).sort((left, right) => compareOrderKeys(keys[left]!, keys[right]!));
    return order.map((index) => nodes[index]!);
  };
  prototype.first = function first() {
    if (this.nodes.length < 2) return this.nodes[0] ?? null;
    let best = this.nodes[0]!;
    let bestKey = documentOrderKey(best);
    for (const node of this.nodes) {
      const key = documentOrderKey(node);
      if (compareOrderKeys(key, bestKey) < 0) {
        best = node;
        bestKey = key;
      }
    }
    return best;
  };
}

/**
 * The package walks `following::` from the context node's first child, so it returns the node's own
 * descendants, and `preceding::` through the node's ancestors, all of which XPath 1.0 (and lxml)
 * leave out. Its axes all go through PathExpr.applyStep, so those two are replaced there: the
 * following (preceding) siblings of the node and of each ancestor, each with its subtree, in
 * document order (reverse document order, as a reverse axis is numbered). From an attribute they
 * start at the owner element, as libxml2 does.
 */
function correctFollowingAndPrecedingAxes(library: XPathLibrary): void {
  const original = library.PathExpr.applyStep;
  const {FOLLOWING, PRECEDING} = library.Step;
  library.PathExpr.applyStep = function applyStep(step, context, node) {
    if ((step.axis !== FOLLOWING && step.axis !== PRECEDING) || node === null || node === undefined) return original.call(this, step, context, node);
    context.contextNode = node;
    const found: XNode[] = [];
    if (node === context.virtualRoot) return found;
    const start = node.nodeType === 2 ? node.ownerElement : node;
    for (let level = start; level !== null && level !== context.virtualRoot; level = level.parentNode) {
      if (step.axis === FOLLOWING) {
        for (let sibling = level.nextSibling; sibling !== null; sibling = sibling.nextSibling) collectSubtree(sibling, step.nodeTest, context, found);
      } else {
        for (let sibling = level.previousSibling; sibling !== null; sibling = sibling.previousSibling) {
          const subtree: XNode[] = [];
          collectSubtree(sibling, step.nodeTest, context, subtree);
          for (let index = subtree.length - 1; index >= 0; index--) found.push(subtree[index]!);
        }
      }
    }
    return found;
  };
}

/** The nodes of a subtree that pass the node test, in document order. */
function collectSubtree(top: XNode, test: NodeTest, context: StepContext, found: XNode[]): void {
  const stack: XNode[] = [top];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (test.matches(node, context)) found.push(node);
    for (let child = node.lastChild; child !== null; child = child.previousSibling) stack.push(child);
  }
}
