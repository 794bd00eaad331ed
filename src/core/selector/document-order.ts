import {hasChildren, isTag, type AnyNode} from 'domhandler';
import type {Target} from './target.js';

const orderByRoot = new WeakMap<AnyNode, Map<AnyNode, number>>();

/** The topmost node above `node` (the parsed document, for anything a Selector holds). */
export function treeRoot(node: AnyNode): AnyNode {
  let current = node;
  while (current.parent !== null) current = current.parent;
  return current;
}

/**
 * Each node's position in document order, numbered once per document and only when some query
 * needs to merge results (a comma group mixing `::text`, `::attr()` or plain elements).
 */
function orderOf(root: AnyNode): Map<AnyNode, number> {
  let order = orderByRoot.get(root);
  if (order !== undefined) return order;
  order = new Map();
  const stack: AnyNode[] = [root];
  let position = 0;
  while (stack.length > 0) {
    const node = stack.pop() as AnyNode;
    order.set(node, position++);
    if (hasChildren(node)) for (let index = node.children.length - 1; index >= 0; index--) stack.push(node.children[index]);
  }
  orderByRoot.set(root, order);
  return order;
}

/** Puts node targets in document order and drops repeats, as an XPath union does. */
export function sortInDocumentOrder(targets: Target[]): Target[] {
  if (targets.length < 2) return targets;
  const first = targets.find((target) => target.kind !== 'value');
  if (first === undefined) return targets;
  const order = orderOf(treeRoot(targetNode(first)));
  const keyed = targets.map((target) => ({target, key: sortKey(target, order)}));
  keyed.sort((left, right) => left.key - right.key);
  const unique: Target[] = [];
  let previousKey = Number.NaN;
  for (const {target, key} of keyed) {
    if (key !== previousKey) unique.push(target);
    previousKey = key;
  }
  return unique;
}

function targetNode(target: Target): AnyNode {
  if (target.kind === 'value') throw new TypeError('A value has no place in the document');
  return target.kind === 'attribute' ? target.element : target.node;
}

/** Attributes sort after their element and before its first child, in the order they were written. */
function sortKey(target: Target, order: Map<AnyNode, number>): number {
  const base = order.get(targetNode(target)) ?? Number.MAX_SAFE_INTEGER;
  if (target.kind !== 'attribute' || !isTag(target.element)) return base;
  const names = Object.keys(target.element.attribs);
  return base + (names.indexOf(target.name) + 1) / (names.length + 1);
}
