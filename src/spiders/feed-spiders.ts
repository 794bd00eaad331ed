import {isTag, type Element} from 'domhandler';
import type {Response} from '../http/response.js';
import {Selector} from '../selector/selector.js';
import {isNamespaceDeclaration} from '../selector/xml-document.js';
import {Spider, type SpiderState} from './spider.js';
import {csvRows} from '../utils/csv-rows.js';
import {iterateOutput} from '../utils/iterate-output.js';

/**
 * Scrapy's XMLFeedSpider: each response (an RSS or Atom feed, an XML export) is split into the
 * nodes named `itertag`, and `parseNode(response, node)` is called for each with a selector of it.
 *
 * - `iterator` `'iternodes'` (default) gives each node as a document of its own, as Scrapy's: a
 *   query starting with `//` inside parseNode stays inside the node. `'xml'` and `'html'` select
 *   the nodes in the whole document parsed as XML or HTML.
 * - `namespaces`: `[prefix, uri]` pairs bound for every node (`itertag = 'atom:entry'`).
 */
export class XMLFeedSpider<State extends SpiderState = SpiderState> extends Spider<State> {
  iterator: 'iternodes' | 'xml' | 'html' = 'iternodes';
  itertag = 'item';
  namespaces: Array<[prefix: string, uri: string]> = [];

  /** Override to change the response before it is split (Scrapy's adapt_response). */
  adaptResponse(response: Response): Response {
    return response;
  }

  /** Override to change what parseNode produced for each node (Scrapy's process_results). */
  processResults(_response: Response, results: AsyncIterable<unknown>): AsyncIterable<unknown> {
    return results;
  }

  parseNode(_response: Response, _node: Selector): unknown {
    throw new Error(`${this.name}: XMLFeedSpider needs a parseNode(response, node) method`);
  }

  override async *parse(response: Response): AsyncGenerator<unknown> {
    const adapted = this.adaptResponse(response);
    for (const node of this.nodes(adapted)) yield* this.processResults(adapted, iterateOutput(this.parseNode(adapted, node)));
  }

  /** The itertag nodes of a response, each with `namespaces` bound. */
  nodes(response: Response): Selector[] {
    const document = this.iterator === 'html' ? Selector.fromHtml(response.text) : response.selector.type === 'xml' ? response.selector : Selector.fromXml(response.text);
    for (const [prefix, uri] of this.namespaces) document.registerNamespace(prefix, uri);
    const found = document.xpath(`//${this.itertag}`);
    if (this.iterator !== 'iternodes') return [...found];
    return found.map((node) => {
      const own = Selector.fromXml(standaloneXml(node));
      for (const [prefix, uri] of this.namespaces) own.registerNamespace(prefix, uri);
      return own.xpath(`/${this.itertag}`)[0] ?? own;
    });
  }
}

/** A node's XML with the namespace declarations of its ancestors added to it, so it parses alone. */
function standaloneXml(node: Selector): string {
  const element = node.root as Element;
  const declared: Record<string, string> = {};
  for (let ancestor = element.parent; ancestor !== null; ancestor = ancestor.parent) {
    if (!isTag(ancestor)) continue;
    for (const [name, value] of Object.entries(ancestor.attribs)) {
      if (isNamespaceDeclaration(name) && !(name in declared) && !(name in element.attribs)) declared[name] = value;
    }
  }
  const xml = node.get();
  const declarations = Object.entries(declared).map(([name, value]) => ` ${name}="${value.replaceAll('&', '&amp;').replaceAll('"', '&quot;')}"`).join('');
  return declarations === '' ? xml : xml.replace(/^<[^\s/>]+/, (start) => start + declarations);
}

/**
 * Scrapy's CSVFeedSpider: each response is read as CSV and `parseRow(response, row)` is called for
 * each row, as an object keyed by `headers` (or by the first row when `headers` is empty). A row
 * with another number of fields is skipped with a warning.
 */
export class CSVFeedSpider<State extends SpiderState = SpiderState> extends Spider<State> {
  delimiter = ',';
  quotechar = '"';
  headers: string[] = [];

  adaptResponse(response: Response): Response {
    return response;
  }

  processResults(_response: Response, results: AsyncIterable<unknown>): AsyncIterable<unknown> {
    return results;
  }

  parseRow(_response: Response, _row: Record<string, string>): unknown {
    throw new Error(`${this.name}: CSVFeedSpider needs a parseRow(response, row) method`);
  }

  override async *parse(response: Response): AsyncGenerator<unknown> {
    const adapted = this.adaptResponse(response);
    for (const row of this.rows(adapted)) yield* this.processResults(adapted, iterateOutput(this.parseRow(adapted, row)));
  }

  /** The response's rows as objects keyed by the headers. */
  rows(response: Response): Array<Record<string, string>> {
    const records = csvRows(response.text, this.delimiter, this.quotechar).filter((record) => record.fields.length > 0);
    const headers = this.headers.length > 0 ? this.headers : (records.shift()?.fields ?? []);
    const rows: Array<Record<string, string>> = [];
    for (const {fields, line} of records) {
      if (fields.length !== headers.length) {
        this.logger?.warning(`ignoring row ${line} (length: ${fields.length}, should be: ${headers.length})`);
        continue;
      }
      rows.push(Object.fromEntries(headers.map((header, column) => [header, fields[column]!])));
    }
    return rows;
  }
}
