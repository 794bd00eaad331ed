import {createRequire} from 'node:module';
import type {XNode} from './xpath-dom.js';

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
  XNodeSet: new () => XPathNodeSet;
  XNumber: unknown;
  XBoolean: unknown;
  XString: unknown;
  PathExpr: {applyStep: ApplyStep};
  Step: {FOLLOWING: number; PRECEDING: number};
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
  }
  return xpathLibrary;
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
