import type {Comment, Document, Element, ProcessingInstruction, Text} from 'domhandler';
import type {PageTree} from './page-tree.js';
import {xmlAttributes} from './xml-document.js';

/** What one selector stands for: a node of the tree, an attribute of an element, or an XPath value. */
export type Target =
  | {kind: 'element'; node: Element}
  | {kind: 'document'; node: Document}
  | {kind: 'text'; node: Text}
  | {kind: 'comment'; node: Comment}
  | {kind: 'processing-instruction'; node: ProcessingInstruction}
  | {kind: 'attribute'; element: Element; name: string; value: string}
  | {kind: 'value'; value: string | number | boolean};

export type TargetKind = Target['kind'];

/** The string a selector's get() returns, as parsel's Selector.get(). */
export function targetString(tree: PageTree, target: Target): string {
  switch (target.kind) {
    case 'element':
    case 'comment':
    case 'processing-instruction':
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
  // parsel writes XPath booleans as lxml does, "1" and "0", and numbers as Python writes floats ("3.0").
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') return pythonFloat(value);
  return value;
}

/** Python's repr() of a float: shortest round-trip digits, ".0" on integers, exponent below 1e-4 and from 1e16. */
export function pythonFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const [mantissa, exponentText] = value.toExponential().split('e') as [string, string];
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  // JavaScript writes exponents only below 1e-6 and from 1e21, so here String() is plain decimal.
  const fixed = String(value);
  return fixed.includes('.') ? fixed : `${fixed}.0`;
}

/** An element's attributes as parsel's `.attrib` (on XML pages without namespace declarations, see xmlAttributes). */
export function targetAttributes(tree: PageTree, target: Target): Record<string, string> {
  if (target.kind !== 'element') return {};
  return tree.type === 'xml' ? xmlAttributes(target.node) : {...target.node.attribs};
}
