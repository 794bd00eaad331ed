import iconv from 'iconv-lite';
import {bomEncoding, decode, resolveEncoding} from '../http/encoding.js';
import {isUtf8Label} from './encode-text.js';

/**
 * A forgiving XML reader for sitemaps, shaped after what Scrapy's Sitemap gets from lxml's
 * recovering parser (recover=True, remove_comments=True, resolve_entities=False): the bytes are
 * decoded by their byte order mark or XML declaration, comments vanish (the text around them joins),
 * a truncated file keeps everything read up to its end, stray `&` and `<` are dropped, entities
 * declared in a DTD are never expanded, and nothing outside the document is ever loaded.
 */
export interface XmlElement {
  /** The local name when the prefix is declared (`s:loc` → `loc`), else the name as written. */
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** lxml's `.text`: the character data before the element's first child node. */
  text: string;
}

interface OpenElement extends XmlElement {
  rawName: string;
  namespaces: Set<string>;
  /** False once a child element, processing instruction or entity reference ends `.text`. */
  textOpen: boolean;
}

const PREDEFINED_ENTITIES: Record<string, string> = {lt: '<', gt: '>', amp: '&', apos: "'", quot: '"'};
const NAME_START = /[A-Za-z_:\u00c0-\uffff]/;
const NAME = /[^\s/>=<"'&]+/y;
const TEXT = /[^<&]+/y;

/** The root element of an XML document, or undefined when the bytes hold none (lxml gives no root, or fails). */
export function parseXmlLeniently(body: Buffer): XmlElement | undefined {
  const text = decodeXml(body);
  if (text === undefined) return undefined;
  return new Reader(text).document();
}

/**
 * The document's text: a byte order mark or the 16-bit pattern of `<` says how it is encoded, else
 * the `encoding` of its XML declaration, else UTF-8. Undefined for bytes that are not valid UTF-8
 * when read as UTF-8, or for an encoding nobody knows (lxml raises for both).
 */
export function decodeXml(body: Buffer): string | undefined {
  const bom = bomEncoding(body);
  if (bom !== undefined) return decodeAs(body.subarray(bom.length), bom.encoding);
  if (body[0] === 0x3c && body[1] === 0x00) return decode(body, 'utf-16le');
  if (body[0] === 0x00 && body[1] === 0x3c) return decode(body, 'utf-16be');
  const declared = /^\s*<\?xml\s[^>]*?encoding\s*=\s*(["'])([^"']*)\1/.exec(body.subarray(0, 512).toString('latin1'))?.[2]?.trim().toLowerCase();
  if (declared === undefined) return decodeStrictUtf8(body);
  // libxml2 reads a label as the charset it names: ISO-8859-1 as Latin-1, where the WHATWG table
  // resolveEncoding follows (as browsers, and Scrapy for HTML) reads windows-1252.
  const encoding = iconv.encodingExists(declared) ? declared : resolveEncoding(declared);
  return encoding === undefined ? undefined : decodeAs(body, encoding);
}

function decodeAs(bytes: Buffer, encoding: string): string | undefined {
  return isUtf8Label(encoding) ? decodeStrictUtf8(bytes) : decode(bytes, encoding);
}

function decodeStrictUtf8(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', {fatal: true, ignoreBOM: true}).decode(bytes);
  } catch {
    return undefined;
  }
}

class Reader {
  private at = 0;
  private readonly entities = new Set<string>();

  constructor(private readonly text: string) {}

  document(): XmlElement | undefined {
    if (!this.skipProlog()) return undefined;
    const root = this.startTag(undefined);
    if (root === undefined) return undefined;
    const stack: OpenElement[] = [root.element];
    if (root.selfClosed) return root.element;
    while (stack.length > 0 && this.at < this.text.length) this.content(stack);
    return root.element;
  }

  /** Skips the XML declaration, comments, processing instructions and the DOCTYPE (noting its entities); false if text comes before the root. */
  private skipProlog(): boolean {
    const text = this.text;
    for (;;) {
      while (/\s/.test(text[this.at] ?? '')) this.at += 1;
      if (text.startsWith('<?', this.at)) this.skipPast('?>');
      else if (text.startsWith('<!--', this.at)) this.skipPast('-->');
      else if (text.startsWith('<!DOCTYPE', this.at)) this.skipDoctype();
      else return text[this.at] === '<' && NAME_START.test(text[this.at + 1] ?? '');
    }
  }

  private skipDoctype(): void {
    const close = this.text.indexOf('>', this.at);
    const subset = this.text.indexOf('[', this.at);
    if (subset !== -1 && (close === -1 || subset < close)) {
      const end = this.text.indexOf(']', subset);
      const declarations = this.text.slice(subset, end === -1 ? undefined : end);
      for (const entity of declarations.matchAll(/<!ENTITY\s+([^\s%]+)/g)) this.entities.add(entity[1]!);
      this.at = end === -1 ? this.text.length : end;
    }
    this.skipPast('>');
  }

  private skipPast(marker: string): void {
    const end = this.text.indexOf(marker, this.at);
    this.at = end === -1 ? this.text.length : end + marker.length;
  }

  /** One piece of element content: text, a reference, markup. */
  private content(stack: OpenElement[]): void {
    const text = this.text;
    const current = stack[stack.length - 1]!;
    const char = text[this.at];
    if (char === '&') return this.reference(current);
    if (char !== '<') {
      TEXT.lastIndex = this.at;
      TEXT.test(text);
      const end = TEXT.lastIndex;
      this.addText(current, text.slice(this.at, end).replace(/\r\n?/g, '\n'));
      this.at = end;
      return;
    }
    if (text.startsWith('<!--', this.at)) return this.skipPast('-->');
    if (text.startsWith('<![CDATA[', this.at)) {
      const end = text.indexOf(']]>', this.at);
      // An unterminated CDATA section is lost, as lxml loses it.
      if (end === -1) this.at = text.length;
      else {
        this.addText(current, text.slice(this.at + '<![CDATA['.length, end));
        this.at = end + 3;
      }
      return;
    }
    if (text.startsWith('<?', this.at)) {
      current.textOpen = false;
      return this.skipPast('?>');
    }
    if (text.startsWith('</', this.at)) return this.endTag(stack);
    if (text.startsWith('<!', this.at)) return this.skipPast('>');
    if (!NAME_START.test(text[this.at + 1] ?? '')) {
      // A `<` that starts no markup is dropped.
      this.at += 1;
      return;
    }
    const child = this.startTag(current);
    if (child === undefined) return;
    current.children.push(child.element);
    current.textOpen = false;
    if (!child.selfClosed) stack.push(child.element);
  }

  private addText(element: OpenElement, text: string): void {
    if (element.textOpen) element.text += text;
  }

  /** `&…`: a character or predefined entity, a declared entity (a node of its own: it ends `.text`), or dropped. */
  private reference(current: OpenElement): void {
    const text = this.text;
    const numeric = /&#(?:(\d+)|x([0-9a-fA-F]+));/y;
    numeric.lastIndex = this.at;
    const number = numeric.exec(text);
    if (number !== null) {
      this.at = numeric.lastIndex;
      const code = number[1] !== undefined ? parseInt(number[1], 10) : parseInt(number[2]!, 16);
      if (isXmlChar(code)) this.addText(current, String.fromCodePoint(code));
      return;
    }
    const named = /&([A-Za-z_:][\w.:-]*)(;?)|&#?x?[0-9a-fA-F]*/y;
    named.lastIndex = this.at;
    const match = named.exec(text)!;
    this.at = named.lastIndex;
    if (match[1] === undefined || match[2] !== ';') return;
    const predefined = PREDEFINED_ENTITIES[match[1]];
    if (predefined !== undefined) this.addText(current, predefined);
    else if (this.entities.has(match[1])) current.textOpen = false;
  }

  private endTag(stack: OpenElement[]): void {
    const close = this.text.indexOf('>', this.at);
    if (close === -1) {
      this.at = this.text.length;
      return;
    }
    const name = this.text.slice(this.at + 2, close).trim();
    this.at = close + 1;
    const open = stack.findLastIndex((element) => element.rawName === name);
    if (open !== -1) stack.length = open;
  }

  /** A start tag at `<`; at the end of a truncated file the element is kept without content. */
  private startTag(parent: OpenElement | undefined): {element: OpenElement; selfClosed: boolean} | undefined {
    const text = this.text;
    NAME.lastIndex = this.at + 1;
    const rawName = NAME.exec(text)?.[0];
    if (rawName === undefined) return undefined;
    this.at = NAME.lastIndex;
    const attributes: Record<string, string> = {};
    let selfClosed = false;
    for (;;) {
      while (/\s/.test(text[this.at] ?? '')) this.at += 1;
      if (this.at >= text.length) break;
      if (text.startsWith('/>', this.at)) {
        selfClosed = true;
        this.at += 2;
        break;
      }
      if (text[this.at] === '>') {
        this.at += 1;
        break;
      }
      const attribute = /([^\s/>=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;
      attribute.lastIndex = this.at;
      const match = attribute.exec(text);
      if (match === null) {
        this.skipPast('>');
        break;
      }
      this.at = attribute.lastIndex;
      // The first of repeated attributes wins, as in lxml.
      if (!(match[1]! in attributes)) attributes[match[1]!] = attributeValue(match[2] ?? match[3]!);
    }
    const declared = Object.keys(attributes).filter((name) => name.startsWith('xmlns:'));
    const namespaces = declared.length === 0 && parent !== undefined ? parent.namespaces : new Set([...(parent?.namespaces ?? ['xml']), ...declared.map((name) => name.slice('xmlns:'.length))]);
    const colon = rawName.indexOf(':');
    const name = colon > 0 && namespaces.has(rawName.slice(0, colon)) ? rawName.slice(colon + 1) : rawName;
    return {element: {name, rawName, attributes, children: [], text: '', namespaces, textOpen: true}, selfClosed};
  }
}

function attributeValue(raw: string): string {
  return raw
    .replace(/\r\n?|[\t\n]/g, ' ')
    .replace(/&(?:#(\d+)|#x([0-9a-fA-F]+)|([A-Za-z_:][\w.:-]*));/g, (reference, decimal?: string, hex?: string, name?: string) => {
      if (name !== undefined) return PREDEFINED_ENTITIES[name] ?? '';
      const code = decimal !== undefined ? parseInt(decimal, 10) : parseInt(hex!, 16);
      return isXmlChar(code) ? String.fromCodePoint(code) : '';
    });
}

function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}
