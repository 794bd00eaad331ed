/**
 * FilesPipeline against a local server: files stored by the SHA-1 of their URL, results in the
 * item, one download per URL, a failed one left out, and a second crawl finding them up to date.
 */
import {expect, test} from '@jest/globals';
import {createHash} from 'node:crypto';
import {existsSync, mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {runSpider} from '../../src/core/crawler-process.js';
import {Settings} from '../../src/settings/settings.js';
import {Spider} from '../../src/spiders/spider.js';
import type {Response} from '../../src/http/response.js';
import {useTestSite} from '../helpers/site.js';

const FILES: Record<string, string> = {'/files/manual.pdf': '%PDF-1.4 pretend', '/files/notes.txt': 'plain notes'};
const site = useTestSite((request, response) => {
  const path = request.url ?? '';
  if (path.startsWith('/product/')) {
    response.writeHead(200, {'Content-Type': 'text/html'});
    response.end(`<html><body><a class="file" href="/files/manual.pdf">manual</a><a class="file" href="/files/${path.endsWith('1') ? 'notes.txt' : 'missing.bin'}">more</a></body></html>`);
  } else if (FILES[path] !== undefined) {
    response.writeHead(200, {'Content-Type': 'application/octet-stream'});
    response.end(FILES[path]);
  } else {
    response.writeHead(404);
    response.end('not found');
  }
});

class ProductSpider extends Spider {
  static override spiderName = 'products';
  override startUrls = [`${site.base}/product/1`, `${site.base}/product/2`];
  override parse(response: Response) {
    const urls = response.css('a.file::attr(href)').getall().map((href) => response.urljoin(href));
    // A relative URL the spider forgot to join: that file is left out, the item is not lost.
    if (response.url.endsWith('/2')) urls.push('/files/relative.pdf');
    return {page: response.url, file_urls: urls};
  }
}

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
const md5 = (text: string) => createHash('md5').update(text).digest('hex');

async function crawl(store: string) {
  const dir = mkdtempSync(join(tmpdir(), 'dragline-files-'));
  const feed = join(dir, 'items.jsonl');
  const settings = new Settings();
  settings.update({LOG_FILE: join(dir, 'crawl.log'), LOG_LEVEL: 'WARNING', FEEDS: {[feed]: {format: 'jsonl'}}, ITEM_PIPELINES: {FilesPipeline: 1}, FILES_STORE: store}, 'cmdline');
  const result = await runSpider({spiderClass: ProductSpider, settings, handleSignals: false});
  const items = readFileSync(feed, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as {page: string; files: Array<Record<string, string>>});
  items.sort((a, b) => a.page.localeCompare(b.page));
  const log = existsSync(join(dir, 'crawl.log')) ? readFileSync(join(dir, 'crawl.log'), 'utf8') : '';
  return {result, items, log};
}

test('files are downloaded once per URL, stored by the SHA-1 of their URL, and listed in the item; a failed one is left out', async () => {
  const store = mkdtempSync(join(tmpdir(), 'dragline-files-store-'));
  site.served.length = 0;
  const {result, items, log} = await crawl(store);
  const manual = {url: `${site.base}/files/manual.pdf`, path: `full/${sha1(`${site.base}/files/manual.pdf`)}.pdf`, checksum: md5(FILES['/files/manual.pdf']!), status: 'downloaded'};
  const notes = {url: `${site.base}/files/notes.txt`, path: `full/${sha1(`${site.base}/files/notes.txt`)}.txt`, checksum: md5(FILES['/files/notes.txt']!), status: 'downloaded'};
  expect(items.map((item) => item.files)).toEqual([[manual, notes], [manual]]);
  expect(readFileSync(join(store, manual.path), 'utf8')).toBe(FILES['/files/manual.pdf']);
  expect(readFileSync(join(store, notes.path), 'utf8')).toBe(FILES['/files/notes.txt']);
  expect(site.served.filter((path) => path === '/files/manual.pdf')).toHaveLength(1);
  expect(log).toContain(`File (code: 404): Error downloading file from <GET ${site.base}/files/missing.bin>`);
  expect(log).toContain('File (invalid-url): Cannot download "/files/relative.pdf": it is not an absolute URL');
  expect(result.stats['file_count']).toBe(2);
  expect(result.stats['file_status_count/downloaded']).toBe(2);

  // A second crawl finds them up to date and downloads nothing it has.
  site.served.length = 0;
  const again = await crawl(store);
  expect(again.items[0]!.files.map((file) => file.status)).toEqual(['uptodate', 'uptodate']);
  expect(again.items[0]!.files[0]!.checksum).toBe(manual.checksum);
  expect(site.served.filter((path) => path === '/files/manual.pdf' || path === '/files/notes.txt')).toEqual([]);
});

test('without FILES_STORE the pipeline stays off and items pass unchanged', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dragline-files-off-'));
  const feed = join(dir, 'items.jsonl');
  const settings = new Settings();
  settings.update({LOG_ENABLED: false, FEEDS: {[feed]: {format: 'jsonl'}}, ITEM_PIPELINES: {FilesPipeline: 1}}, 'cmdline');
  await runSpider({spiderClass: ProductSpider, settings, handleSignals: false});
  const items = readFileSync(feed, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(items.every((item) => item.files === undefined && Array.isArray(item.file_urls))).toBe(true);
});
