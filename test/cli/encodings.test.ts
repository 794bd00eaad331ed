import {beforeAll, expect, test} from '@jest/globals';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import iconv from 'iconv-lite';
import {runCli} from '../helpers/cli.js';
import {send, useTestSite, useWorkspace} from '../helpers/site.js';

// A crawl of pages in legacy encodings, declared each way a site can: the items in the feed must
// hold the text the pages show in a browser.
const PAGES: Record<string, {contentType: string; body: Buffer}> = {
  '/shift-jis': {contentType: 'text/html', body: page('<meta charset="Shift_JIS">', '東京の天気', 'shift_jis')},
  '/latin1-header': {contentType: 'text/html; charset=iso-8859-1', body: page('', '“Café” – 5 €', 'windows-1252')},
  '/windows-1252-undeclared': {contentType: 'text/html', body: page('', 'naïve déjà vu', 'windows-1252')},
  '/euc-kr': {contentType: 'text/html', body: page('<meta http-equiv="Content-Type" content="text/html; charset=euc-kr">', '서울 날씨', 'euc-kr')},
  '/koi8-r': {contentType: 'text/html; charset=KOI8-R', body: page('', 'Москва', 'koi8-r')},
  '/gbk': {contentType: 'text/html; charset=gb2312', body: page('', '北京天气', 'gbk')},
  '/utf-16': {contentType: 'text/html', body: Buffer.concat([Buffer.from([0xff, 0xfe]), page('', 'Zürich', 'utf-16le')])},
};

function page(head: string, title: string, encoding: string): Buffer {
  return iconv.encode(`<html><head>${head}<title>${title}</title></head><body><h1>${title}</h1></body></html>`, encoding);
}

const site = useTestSite((request, response) => {
  const path = request.url ?? '';
  const found = PAGES[path];
  if (found !== undefined) return send(response, 200, found.contentType, found.body);
  return send(response, 200, 'text/html; charset=utf-8', `<html><body>${Object.keys(PAGES).map((href) => `<a href="${href}">${href}</a>`).join('')}</body></html>`);
});
const workspace = useWorkspace('encodings');

beforeAll(() => {
  writeFileSync(join(workspace, 'pages.mjs'), `import {Spider} from 'dragline';
export class PagesSpider extends Spider {
  static spiderName = 'pages';
  startUrls = ['${site.base}/'];
  parse(response) { return response.followAll({css: 'a'}, {callback: this.parsePage}); }
  parsePage(response) {
    return {path: new URL(response.url).pathname, encoding: response.encoding, title: response.css('title::text').get(), h1: response.xpath('//h1/text()').get()};
  }
}
`);
});

test('pages in Shift_JIS, windows-1252, EUC-KR, KOI8-R, GBK and UTF-16 come out right in the -o file', async () => {
  const result = await runCli(['runspider', 'pages.mjs', '-O', 'items.jsonl', '-s', 'ROBOTSTXT_OBEY=false'], {cwd: workspace});
  expect(result.code).toBe(0);
  const items = readFileSync(join(workspace, 'items.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, string>);
  const byPath = Object.fromEntries(items.map((item) => [item.path, [item.encoding, item.title, item.h1]]));
  expect(byPath).toEqual({
    '/shift-jis': ['shift_jis', '東京の天気', '東京の天気'],
    '/latin1-header': ['windows-1252', '“Café” – 5 €', '“Café” – 5 €'],
    '/windows-1252-undeclared': ['windows-1252', 'naïve déjà vu', 'naïve déjà vu'],
    '/euc-kr': ['euc-kr', '서울 날씨', '서울 날씨'],
    '/koi8-r': ['koi8-r', 'Москва', 'Москва'],
    '/gbk': ['gbk', '北京天气', '北京天气'],
    '/utf-16': ['utf-16le', 'Zürich', 'Zürich'],
  });
});
