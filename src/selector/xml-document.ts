import {hasChildren, isCDATA, isTag, isText, ProcessingInstruction, Text, type AnyNode, type ChildNode, type Document, type Element, type ParentNode} from 'domhandler';
import {getOuterHTML} from 'domutils';
import {parseDocument} from 'htmlparser2';

const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/';

/**
 * Parses XML (feeds, sitemaps, APIs) into the same domhandler tree HTML pages get, with names kept
 * as written (case and prefixes) and each element's namespace worked out from the `xmlns`
 * declarations in scope, so XPath can select by namespace as lxml does.
 */
export function parseXml(text: string): Document {
  const document = parseDocument(text, {xmlMode: true});
  keepWhatLxmlKeeps(document);
  assignNamespaces(document);
  return document;
}

/**
 * As in lxml's tree (parsel parses with strip_cdata): the XML declaration is no node, nor is
 * whitespace outside the root element; a CDATA section is plain text, one with the text around it;
 * processing instructions are nodes. htmlparser2 drops a PI's closing `?` (it writes `<${data}>`
 * back), so it is put back for `get()` to give `<?target data?>`.
 */
function keepWhatLxmlKeeps(document: Document): void {
  setChildren(document, document.children.filter((node) => !isXmlDeclaration(node) && !(isText(node) && node.data.trim() === '')));
  const stack: AnyNode[] = [document];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isProcessingInstruction(node) && !node.data.endsWith('?')) node.data = `${node.data}?`;
    if (!hasChildren(node)) continue;
    if (node.children.some(isCDATA)) setChildren(node, mergeText(node.children));
    stack.push(...node.children);
  }
}

/** Children with each CDATA section turned to text and adjacent text nodes joined. */
function mergeText(children: ChildNode[]): ChildNode[] {
  const merged: ChildNode[] = [];
  for (const child of children) {
    const text = isCDATA(child) ? child.children.map((inner) => (isText(inner) ? inner.data : '')).join('') : isText(child) ? child.data : null;
    const last = merged.at(-1);
    if (text === null) merged.push(child);
    else if (last !== undefined && isText(last)) last.data += text;
    else merged.push(isText(child) ? child : new Text(text));
  }
  return merged;
}

function setChildren(parent: ParentNode, children: ChildNode[]): void {
  parent.children = children;
  for (const [index, child] of children.entries()) {
    child.parent = parent;
    child.prev = children[index - 1] ?? null;
    child.next = children[index + 1] ?? null;
  }
}

function isXmlDeclaration(node: AnyNode): boolean {
  return node instanceof ProcessingInstruction && node.name.toLowerCase() === '?xml';
}

/** A `<?target data?>` node (htmlparser2 also keeps `<!DOCTYPE>` as a ProcessingInstruction, named `!doctype`). */
export function isProcessingInstruction(node: AnyNode): node is ProcessingInstruction {
  return node instanceof ProcessingInstruction && node.name.startsWith('?');
}

/** A processing instruction's target (`xml-stylesheet`) and data (what follows it, without the closing `?`). */
export function processingInstructionParts(node: ProcessingInstruction): {target: string; data: string} {
  const target = node.name.slice(1);
  return {target, data: node.data.slice(1 + target.length).replace(/\?$/, '').trimStart()};
}

/**
 * Markup of an element (or comment) as XML: empty elements self-closed, names as written. An element
 * also declares every namespace in scope where it is, as lxml writes a subtree, so the markup stands
 * alone; declarations come before the other attributes.
 */
export function outerXml(node: AnyNode): string {
  if (!isTag(node)) return getOuterHTML(node, {xmlMode: true});
  const original = node.attribs;
  const declarations: Record<string, string> = {};
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(original)) (isNamespaceDeclaration(name) ? declarations : attributes)[name] = value;
  for (let ancestor = node.parent; ancestor !== null && isTag(ancestor); ancestor = ancestor.parent) {
    for (const [name, value] of Object.entries(ancestor.attribs)) {
      if (isNamespaceDeclaration(name) && !(name in declarations)) declarations[name] = value;
    }
  }
  node.attribs = {...declarations, ...attributes};
  try {
    return getOuterHTML(node, {xmlMode: true});
  } finally {
    node.attribs = original;
  }
}

/** Markup of a whole document as XML. */
export function documentXml(document: Document): string {
  return getOuterHTML(document.children, {xmlMode: true});
}

/**
 * An XML element's attributes as lxml's `attrib` has them (so parsel's `.attrib`): no namespace
 * declarations, and a namespaced attribute under its `{uri}local` name.
 */
export function xmlAttributes(element: Element): Record<string, string> {
  const namespaces = element['x-attribsNamespace'] ?? {};
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(element.attribs)) {
    if (isNamespaceDeclaration(name)) continue;
    const namespace = namespaces[name];
    attributes[namespace ? `{${namespace}}${localPart(name)}` : name] = value;
  }
  return attributes;
}

/** Whether an attribute name declares a namespace (`xmlns`, `xmlns:atom`): XPath's @* does not see those. */
export function isNamespaceDeclaration(name: string): boolean {
  return name === 'xmlns' || name.startsWith('xmlns:');
}

/**
 * parsel's remove_namespaces(): every element and attribute loses its prefix and namespace, and the
 * declarations go, so `//entry` and `//link/@href` select what `//atom:entry` did.
 */
export function removeNamespaces(document: Document): void {
  for (const element of elements(document)) {
    element.name = localPart(element.name);
    element.namespace = undefined;
    const attribs: Record<string, string> = {};
    for (const [name, value] of Object.entries(element.attribs)) if (!isNamespaceDeclaration(name)) attribs[localPart(name)] = value;
    element.attribs = attribs;
    element['x-attribsNamespace'] = undefined;
    element['x-attribsPrefix'] = undefined;
  }
}

function assignNamespaces(document: Document): void {
  const scopes = new Map<AnyNode, Record<string, string>>([[document, {xml: XML_NAMESPACE}]]);
  for (const element of elements(document)) {
    const inherited = (element.parent !== null ? scopes.get(element.parent) : undefined) ?? {xml: XML_NAMESPACE};
    let scope = inherited;
    for (const [name, value] of Object.entries(element.attribs)) {
      if (!isNamespaceDeclaration(name)) continue;
      if (scope === inherited) scope = {...inherited};
      scope[name === 'xmlns' ? '' : name.slice('xmlns:'.length)] = value;
    }
    scopes.set(element, scope);
    const prefix = prefixOf(element.name);
    const namespace = scope[prefix ?? ''];
    element.namespace = namespace === '' ? undefined : namespace;
    const attributeNamespaces: Record<string, string> = {};
    const attributePrefixes: Record<string, string> = {};
    for (const name of Object.keys(element.attribs)) {
      const attributePrefix = prefixOf(name);
      if (attributePrefix === undefined) continue;
      attributePrefixes[name] = attributePrefix;
      const uri = attributePrefix === 'xmlns' ? XMLNS_NAMESPACE : scope[attributePrefix];
      if (uri !== undefined) attributeNamespaces[name] = uri;
    }
    element['x-attribsNamespace'] = attributeNamespaces;
    element['x-attribsPrefix'] = attributePrefixes;
  }
}

/** Every element in document order (CDATA sections hold only text). */
function* elements(root: Document | Element): Generator<Element> {
  const stack: AnyNode[] = [...root.children].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (!isTag(node)) continue;
    yield node;
    for (let index = node.children.length - 1; index >= 0; index--) if (!isCDATA(node.children[index]!)) stack.push(node.children[index]!);
  }
}

/** The prefix of a qualified name (`atom` of `atom:link`), undefined without one. */
export function prefixOf(name: string): string | undefined {
  const colon = name.indexOf(':');
  return colon > 0 ? name.slice(0, colon) : undefined;
}

/** A qualified name without its prefix (`link` of `atom:link`). */
export function localPart(name: string): string {
  const colon = name.indexOf(':');
  return colon > 0 ? name.slice(colon + 1) : name;
}
