import type {Comment, Document, Element, Text} from 'domhandler';
import type {PageTree} from './page-tree.js';

/** What one selector stands for: a node of the tree, an attribute of an element, or an XPath value. */
export type Target =
  | {kind: 'element'; node: Element}
  | {kind: 'document'; node: Document}
  | {kind: 'text'; node: Text}
  | {kind: 'comment'; node: Comment}
  | {kind: 'attribute'; element: Element; name: string; value: string}
  | {kind: 'value'; value: string | number | boolean};

export type TargetKind = Target['kind'];

/** The string a selector's get() returns, as parsel's Selector.get(). */
export function targetString(tree: PageTree, target: Target): string {
  switch (target.kind) {
    case 'element':
    case 'comment':
      return tree.outerMarkup(target.node);
    case 'document':
      return tree.documentMarkup();
    case 'text':
      return target.node.data;
    case 'attribute':
      return target.value;
    case 'value':
      return valueString(target.value);
  }
}

function valueString(value: string | number | boolean): string {
  // parsel writes XPath booleans as lxml does, "1" and "0"; numbers keep JavaScript's spelling ("3", not "3.0").
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

export function targetAttributes(target: Target): Record<string, string> {
  return target.kind === 'element' ? {...target.node.attribs} : {};
}
