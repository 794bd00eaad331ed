import {hasChildren, isCDATA, isTag, isText, type AnyNode, type Element, type Text} from 'domhandler';

/**
 * The text nodes directly inside the given elements, in document order, as the XPath `…/text()`
 * that parsel's `::text` becomes. Elements come in document order; when one contains another,
 * their text interleaves, so the subtree is walked instead of concatenating child lists.
 */
export function textChildren(elements: readonly Element[]): Text[] {
  const matched = new Set<AnyNode>(elements);
  const outermost = elements.length < 2 ? elements : elements.filter((element) => !hasMatchedAncestor(element, matched));
  const texts: Text[] = [];
  if (outermost.length === elements.length) {
    for (const element of elements) {
      for (const child of element.children) {
        if (isText(child)) texts.push(child);
        // An XML CDATA section is text of its element, as lxml reads it.
        else if (isCDATA(child)) for (const inner of child.children) if (isText(inner)) texts.push(inner);
      }
    }
    return texts;
  }
  for (const element of outermost) collectNested(element, matched, texts);
  return texts;
}

function hasMatchedAncestor(element: Element, matched: Set<AnyNode>): boolean {
  for (let node = element.parent; node !== null; node = node.parent) if (matched.has(node)) return true;
  return false;
}

function collectNested(top: Element, matched: Set<AnyNode>, texts: Text[]): void {
  const stack: AnyNode[] = [top];
  while (stack.length > 0) {
    const node = stack.pop() as AnyNode;
    if (isText(node)) {
      const parent = node.parent !== null && isCDATA(node.parent) ? node.parent.parent : node.parent;
      if (parent !== null && matched.has(parent)) texts.push(node);
    } else if (hasChildren(node)) {
      for (let index = node.children.length - 1; index >= 0; index--) stack.push(node.children[index]);
    }
  }
}

/**
 * Every text node inside the given elements (document order, each once even when matched elements
 * nest): what `descendant-or-self::text()` gives from them.
 */
export function subtreeTexts(elements: readonly Element[]): Text[] {
  const texts: Text[] = [];
  for (const top of outermostOf(elements)) {
    const stack: AnyNode[] = [top];
    while (stack.length > 0) {
      const node = stack.pop() as AnyNode;
      if (isText(node)) texts.push(node);
      else if (hasChildren(node)) for (let index = node.children.length - 1; index >= 0; index--) stack.push(node.children[index]);
    }
  }
  return texts;
}

/** The given elements and every element inside them, in document order, each once. */
export function subtreeElements(elements: readonly Element[]): Element[] {
  const found: Element[] = [];
  for (const top of outermostOf(elements)) {
    const stack: AnyNode[] = [top];
    while (stack.length > 0) {
      const node = stack.pop() as AnyNode;
      if (isTag(node)) found.push(node);
      if (hasChildren(node)) for (let index = node.children.length - 1; index >= 0; index--) stack.push(node.children[index]);
    }
  }
  return found;
}

function outermostOf(elements: readonly Element[]): readonly Element[] {
  if (elements.length < 2) return elements;
  const matched = new Set<AnyNode>(elements);
  return elements.filter((element) => !hasMatchedAncestor(element, matched));
}
