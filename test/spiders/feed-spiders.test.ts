/**
 * XMLFeedSpider and CSVFeedSpider crawling feeds from a local server, and the CSV reader under them.
 */
import {describe, expect, test} from '@jest/globals';
import {existsSync, mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {runSpider} from '../../src/core/crawler-process.js';
import {CSVFeedSpider, XMLFeedSpider} from '../../src/spiders/feed-spiders.js';
import type {Response} from '../../src/http/response.js';
import type {Selector} from '../../src/selector/index.js';
import {Settings} from '../../src/settings/settings.js';
import {csvRows} from '../../src/utils/csv-rows.js';
import {useTestSite} from '../helpers/site.js';

const FEEDS: Record<string, [string, string]> = {
  '/rss': ['application/rss+xml', `<?xml version="1.0"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Shop news</title>
  <item><title>Walnut desk</title><dc:creator>Atelier Nord</dc:creator></item>
  <item><title>Oak shelf</title><dc:creator>Elsewhere Ltd</dc:creator></item>
</channel></rss>`],
  '/atom': ['application/atom+xml', `<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title>
  <entry><title>First</title><link href="/first"/></entry>
  <entry><title>Second</title><link href="/second"/></entry>
</feed>`],
  '/products.csv': ['text/csv', 'sku,name,notes\r\nD-1,Walnut desk,"solid, oiled"\r\nS-2,Oak shelf,"two\nlines"\r\nbroken,row\r\n'],
  '/semicolons.csv': ['text/csv', 'D-1;Walnut desk\nS-2;"Oak; shelf"\n'],
  '/bom.csv': ['text/csv; charset=utf-8', '\uFEFFid\n""\n7\n'],
};

const site = useTestSite((request, response) => {
  const feed = FEEDS[request.url ?? ''];
  response.writeHead(feed === undefined ? 404 : 200, {'Content-Type': feed?.[0] ?? 'text/plain'});
  response.end(feed?.[1] ?? 'not found');
});

async function crawl(spiderClass: Parameters<typeof runSpider>[0]['spiderClass']): Promise<{items: Array<Record<string, unknown>>; warnings: string[]}> {
  const feed = join(mkdtempSync(join(tmpdir(), 'dragline-feed-spiders-')), 'items.jsonl');
  const logFile = `${feed}.log`;
  const settings = new Settings();
  settings.update({LOG_LEVEL: 'WARNING', LOG_FILE: logFile, FEEDS: {[feed]: {format: 'jsonl'}}}, 'cmdline');
  const result = await runSpider({spiderClass, settings, handleSignals: false});
  expect(result.reason).toBe('finished');
  const items = readFileSync(feed, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
  return {items, warnings: log.split('\n').filter((line) => line.includes('WARNING'))};
}

describe('XMLFeedSpider', () => {
  test("iternodes: each node is its own document, so // stays inside it; prefixes come from the feed's declarations", async () => {
    class RssSpider extends XMLFeedSpider {
      static override spiderName = 'rss';
      override startUrls = [`${site.base}/rss`];
      override namespaces: Array<[string, string]> = [['dc', 'http://purl.org/dc/elements/1.1/']];
      override parseNode(_response: Response, node: Selector) {
        return {titles: node.xpath('//title/text()').getall(), creator: node.xpath('dc:creator/text()').get()};
      }
    }
    const {items} = await crawl(RssSpider);
    expect(items).toEqual([
      {titles: ['Walnut desk'], creator: 'Atelier Nord'},
      {titles: ['Oak shelf'], creator: 'Elsewhere Ltd'},
    ]);
  });

  test('a namespaced itertag with the xml iterator; parseNode may be a generator', async () => {
    class AtomSpider extends XMLFeedSpider {
      static override spiderName = 'atom';
      override startUrls = [`${site.base}/atom`];
      override iterator = 'xml' as const;
      override itertag = 'atom:entry';
      override namespaces: Array<[string, string]> = [['atom', 'http://www.w3.org/2005/Atom']];
      override *parseNode(response: Response, node: Selector) {
        yield {title: node.xpath('atom:title/text()').get(), link: response.urljoin(node.xpath('atom:link/@href').get() ?? '')};
      }
    }
    const {items} = await crawl(AtomSpider);
    expect(items).toEqual([
      {title: 'First', link: `${site.base}/first`},
      {title: 'Second', link: `${site.base}/second`},
    ]);
  });
});

describe('CSVFeedSpider', () => {
  test('rows keyed by the header row; quoted commas and newlines kept; a row of another length skipped with a warning', async () => {
    class ProductsSpider extends CSVFeedSpider {
      static override spiderName = 'products';
      override startUrls = [`${site.base}/products.csv`];
      override parseRow(_response: Response, row: Record<string, string>) {
        return row;
      }
    }
    const {items, warnings} = await crawl(ProductsSpider);
    expect(items).toEqual([
      {sku: 'D-1', name: 'Walnut desk', notes: 'solid, oiled'},
      {sku: 'S-2', name: 'Oak shelf', notes: 'two\nlines'},
    ]);
    expect(warnings.some((line) => line.includes('ignoring row 5 (length: 2, should be: 3)'))).toBe(true);
  });

  test('given headers and another delimiter', async () => {
    class SemicolonSpider extends CSVFeedSpider {
      static override spiderName = 'semicolons';
      override startUrls = [`${site.base}/semicolons.csv`];
      override delimiter = ';';
      override headers = ['sku', 'name'];
      override parseRow(_response: Response, row: Record<string, string>) {
        return row;
      }
    }
    const {items} = await crawl(SemicolonSpider);
    expect(items).toEqual([{sku: 'D-1', name: 'Walnut desk'}, {sku: 'S-2', name: 'Oak; shelf'}]);
  });
});

describe('CSVFeedSpider input', () => {
  test('a UTF-8 byte order mark is not part of the first header; a one-column "" row is a row', async () => {
    class BomSpider extends CSVFeedSpider {
      static override spiderName = 'bom';
      override startUrls = [`${site.base}/bom.csv`];
      override parseRow(_response: Response, row: Record<string, string>) {
        return row;
      }
    }
    const {items} = await crawl(BomSpider);
    expect(items).toEqual([{id: ''}, {id: '7'}]);
  });
});

describe('csvRows', () => {
  const fieldsOf = (...args: Parameters<typeof csvRows>) => csvRows(...args).map((row) => row.fields);

  test('reads what Python csv reads: quotes, doubled quotes, blank lines, "" as one empty field, newlines kept in quotes', () => {
    expect(fieldsOf('a,b\r\n"x, y","say ""hi"""\n\nlast')).toEqual([['a', 'b'], ['x, y', 'say "hi"'], [], ['last']]);
    expect(fieldsOf('""\n')).toEqual([['']]);
    expect(fieldsOf('"two\r\nlines",x\rnext')).toEqual([['two\r\nlines', 'x'], ['next']]);
    expect(fieldsOf("a|'b|c'", '|', "'")).toEqual([['a', 'b|c']]);
    expect(fieldsOf('')).toEqual([]);
  });

  test('each record knows the physical line it ends on', () => {
    expect(csvRows('h\n"multi\nline"\nlast\n').map((row) => row.line)).toEqual([1, 3, 4]);
  });
});
