import {isCDATA, isTag, type AnyNode, type Document, type Element} from 'domhandler';
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
  assignNamespaces(document);
  return document;
}

/** Markup of an element (or comment) as XML: empty elements self-closed, names as written. */
export function outerXml(node: AnyNode): string {
  return getOuterHTML(node, {xmlMode: true});
}

/** Markup of a whole document as XML. */
export function documentXml(document: Document): string {
  return getOuterHTML(document.children, {xmlMode: true});
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
