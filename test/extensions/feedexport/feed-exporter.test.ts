import {describe, expect, test} from '@jest/globals';
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {FeedExporter} from '../../../src/extensions/feedexport/feed-exporter.js';

function tempFile(name: string): string {
  return join(mkdtempSync(join(tmpdir(), 'dragline-feed-')), name);
}

describe('FeedExporter', () => {
  test('JSON lines: one object a line, appended by a second batch', () => {
    const file = tempFile('items.jsonl');
    const first = new FeedExporter(file, {format: 'jsonl'});
    first.open({overwrite: false});
    first.write([{a: 1}, {a: 2}]);
    first.close();
    const second = new FeedExporter(file, {format: 'jsonl'});
    second.open({overwrite: false});
    second.write([{a: 3}]);
    second.close();
    expect(readFileSync(file, 'utf8')).toBe('{"a":1}\n{"a":2}\n{"a":3}\n');
  });

  test('JSON: a second batch appending keeps one valid array', () => {
    const file = tempFile('items.json');
    for (const batch of [[{n: 1}, {n: 2}], [], [{n: 3}]]) {
      const feed = new FeedExporter(file, {format: 'json'});
      feed.open({overwrite: false});
      feed.write(batch);
      feed.close();
    }
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual([{n: 1}, {n: 2}, {n: 3}]);
  });

  test('JSON: a crawl with no items writes an empty array', () => {
    const file = tempFile('empty.json');
    const feed = new FeedExporter(file, {format: 'json'});
    feed.open({overwrite: true});
    feed.close();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual([]);
  });

  test('overwrite empties the file; truncateTo cuts a torn batch off', () => {
    const file = tempFile('items.jsonl');
    writeFileSync(file, 'old\n');
    const feed = new FeedExporter(file, {format: 'jsonl'});
    feed.open({overwrite: true});
    feed.write([{a: 1}]);
    const committed = feed.length;
    feed.write([{a: 2}]);
    // kill -9 here: the second write belongs to a commit that never finished.
    const resumed = new FeedExporter(file, {format: 'jsonl'});
    resumed.open({overwrite: false, truncateTo: committed});
    resumed.write([{a: 3}]);
    resumed.close();
    expect(readFileSync(file, 'utf8')).toBe('{"a":1}\n{"a":3}\n');
  });

  test('CSV: header once, quoting, and a resumed batch reuses the columns of the file', () => {
    const file = tempFile('items.csv');
    const first = new FeedExporter(file, {format: 'csv'});
    first.open({overwrite: false});
    first.write([{name: 'a, b', quote: 'say "hi"'}]);
    first.close();
    const second = new FeedExporter(file, {format: 'csv'});
    second.open({overwrite: false});
    second.write([{quote: 'second', name: 'c'}]);
    second.close();
    expect(readFileSync(file, 'utf8')).toBe('name,quote\r\n"a, b","say ""hi"""\r\nc,second\r\n');
  });

  test('an unknown format is a BAD_OUTPUT error', () => {
    expect(() => new FeedExporter('x.yaml', {format: 'yaml'})).toThrow(expect.objectContaining({code: 'BAD_OUTPUT'}));
  });

  test("XML: Scrapy's layout (an <item> a line, lists as <value>, objects nested, text escaped), kept one document across batches", () => {
    const file = tempFile('items.xml');
    for (const batch of [[{name: 'Tom & Jerry', tags: ['a<b', 'c']}], [], [{name: 'x', price: {amount: 3, currency: 'EUR'}, missing: null}]]) {
      const feed = new FeedExporter(file, {format: 'xml'});
      feed.open({overwrite: false});
      feed.write(batch);
      feed.close();
    }
    expect(readFileSync(file, 'utf8')).toBe(
      '<?xml version="1.0" encoding="utf-8"?>\n<items>\n'
        + '<item><name>Tom &amp; Jerry</name><tags><value>a&lt;b</value><value>c</value></tags></item>\n'
        + '<item><name>x</name><price><amount>3</amount><currency>EUR</currency></price><missing></missing></item>\n'
        + '</items>',
    );
  });

  test('XML: a crawl with no items writes an empty <items>', () => {
    const file = tempFile('empty.xml');
    const feed = new FeedExporter(file, {format: 'xml'});
    feed.open({overwrite: true});
    feed.close();
    expect(readFileSync(file, 'utf8')).toBe('<?xml version="1.0" encoding="utf-8"?>\n<items>\n</items>');
  });
});
