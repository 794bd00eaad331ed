import {hasChildren, isTag, type AnyNode} from 'domhandler';
import type {Target} from './target.js';

/** Each node's position in document order (preorder). */
export function documentOrder(root: AnyNode): Map<AnyNode, number> {
  const order = new Map<AnyNode, number>();
  const stack: AnyNode[] = [root];
  let position = 0;
  while (stack.length > 0) {
    const node = stack.pop() as AnyNode;
    order.set(node, position++);
    if (hasChildren(node)) for (let index = node.children.length - 1; index >= 0; index--) stack.push(node.children[index]);
  }
  return order;
}

/** Puts node targets in document order and drops repeats, as an XPath union does. */
export function sortInDocumentOrder(targets: Target[], order: Map<AnyNode, number>): Target[] {
  if (targets.length < 2) return targets;
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

/** Attributes sort after their element and before its first child, in the order they were written. */
function sortKey(target: Target, order: Map<AnyNode, number>): number {
  if (target.kind === 'value') return Number.MAX_SAFE_INTEGER;
  const node = target.kind === 'attribute' ? target.element : target.node;
  const base = order.get(node) ?? Number.MAX_SAFE_INTEGER;
  if (target.kind !== 'attribute' || !isTag(target.element)) return base;
  const names = Object.keys(target.element.attribs);
  return base + (names.indexOf(target.name) + 1) / (names.length + 1);
}
