import {describe, expect, test} from '@jest/globals';
import {gzipSync} from 'node:zlib';
import {Request} from '../../src/http/request.js';
import {Response} from '../../src/http/response.js';
import type {Logger} from '../../src/core/logger.js';
import {SitemapSpider} from '../../src/spiders/sitemap-spider.js';
import {parseSitemap, sitemapBody, SitemapTooLargeError, sitemapUrlsFromRobots} from '../../src/utils/sitemap.js';

const URLSET = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">
  <url>
    <loc> https://shop.example/item?id=1&amp;ref=map </loc>
    <lastmod>2026-11-01</lastmod><changefreq>daily</changefreq><priority>0.8</priority>
    <xhtml:link rel="alternate" hreflang="de" href="https://shop.example/de/item?id=1&amp;ref=map"/>
  </url>
  <url><loc><![CDATA[https://shop.example/caf&#xe9;]]></loc></url>
  <url><lastmod>2026-11-02</lastmod></url>
</urlset>`;

describe('parseSitemap', () => {
  test('a urlset: each entry with its fields and alternates, XML entities decoded', () => {
    expect(parseSitemap(Buffer.from(URLSET))).toEqual({
      type: 'urlset',
      entries: [
        {loc: 'https://shop.example/item?id=1&ref=map', lastmod: '2026-11-01', changefreq: 'daily', priority: '0.8', alternate: ['https://shop.example/de/item?id=1&ref=map']},
        {loc: 'https://shop.example/caf&#xe9;', lastmod: undefined, changefreq: undefined, priority: undefined, alternate: []},
      ],
    });
  });

  test('a gzipped sitemap index with a namespace prefix', () => {
    const index = '<sm:sitemapindex xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9"><sm:sitemap><sm:loc>https://shop.example/s1.xml.gz</sm:loc></sm:sitemap><sm:sitemap><sm:loc>https://shop.example/s2.xml</sm:loc><sm:lastmod>2026-10-01</sm:lastmod></sm:sitemap></sm:sitemapindex>';
    const body = sitemapBody({url: 'https://shop.example/index.xml.gz', headers: {'content-type': 'application/gzip'}, body: gzipSync(index)});
    const parsed = parseSitemap(body!);
    expect(parsed?.type).toBe('sitemapindex');
    expect(parsed?.entries.map((entry) => [entry.loc, entry.lastmod])).toEqual([['https://shop.example/s1.xml.gz', undefined], ['https://shop.example/s2.xml', '2026-10-01']]);
  });

  test('elements of other vocabularies nested in an entry (<image:loc>) are not its fields; out-of-range character references are dropped', () => {
    const withImages = `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
      <url><image:image><image:loc>https://cdn.example/a.jpg</image:loc></image:image><loc>https://shop.example/a&#x110000;</loc></url>
    </urlset>`;
    expect(parseSitemap(Buffer.from(withImages))?.entries.map((entry) => entry.loc)).toEqual(['https://shop.example/a']);
  });

  test('an XML document of another kind has no entries; bytes with no XML document are not a sitemap', () => {
    expect(parseSitemap(Buffer.from('<html><body>not found</body></html>'))).toEqual({type: 'html', entries: []});
    expect(parseSitemap(Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01]))).toBeUndefined();
    expect(parseSitemap(Buffer.from('Not Found'))).toBeUndefined();
  });
});

describe('sitemapBody', () => {
  const xml = Buffer.from('<urlset><url><loc>https://shop.example/1</loc></url></urlset>');

  test('a gzip body is gunzipped up to the size limit; beyond it the sitemap is refused', () => {
    const bomb = gzipSync(Buffer.concat([xml, Buffer.alloc(1 << 20, ' ')]));
    const response = {url: 'https://shop.example/sitemap.xml.gz', headers: {}, body: bomb};
    expect(sitemapBody(response, 2 << 20)?.length).toBe(xml.length + (1 << 20));
    expect(() => sitemapBody(response, 4096)).toThrow(SitemapTooLargeError);
    // 0: no limit, as DOWNLOAD_MAXSIZE=0.
    expect(sitemapBody(response, 0)?.length).toBe(xml.length + (1 << 20));
  });

  test('an HTML page at a non-.xml URL is not a sitemap, at a .xml URL it is read', () => {
    expect(sitemapBody({url: 'https://shop.example/page', headers: {'content-type': 'text/html'}, body: xml})).toBeUndefined();
    expect(sitemapBody({url: 'https://shop.example/map.xml', headers: {'content-type': 'text/html'}, body: xml})).toBe(xml);
  });
});

test('sitemapUrlsFromRobots reads the Sitemap lines, relative ones against the robots.txt URL', () => {
  const robots = 'User-agent: *\nDisallow: /private\nSitemap: https://shop.example/sitemap.xml\r\nsitemap:/news.xml\n# Sitemap: https://shop.example/commented.xml\n';
  expect(sitemapUrlsFromRobots(robots, 'https://shop.example/robots.txt')).toEqual(['https://shop.example/sitemap.xml', 'https://shop.example/news.xml']);
});

test('SitemapSpider refuses a gzipped sitemap that unpacks beyond download_maxsize, with a warning', () => {
  class Maps extends SitemapSpider {
    override name = 'maps';
    warnings: string[] = [];
    override logger = {warning: (message: string) => this.warnings.push(message)} as unknown as Logger;
  }
  const urls = Array.from({length: 2000}, (_, i) => `<url><loc>https://shop.example/${i}</loc></url>`).join('');
  const body = gzipSync(`<urlset>${urls}</urlset>`);
  const respond = (maxSize: number): Response => {
    const request = new Request('https://shop.example/sitemap.xml.gz', {meta: {download_maxsize: maxSize}});
    return new Response({url: request.url, status: 200, headers: {'content-type': 'application/gzip'}, body, request});
  };
  const spider = new Maps();
  expect([...spider.parseSitemap(respond(10_000))]).toEqual([]);
  expect(spider.warnings).toEqual([expect.stringContaining('more than 10000 bytes'), 'Ignoring invalid sitemap: <200 https://shop.example/sitemap.xml.gz>']);
  expect([...spider.parseSitemap(respond(1 << 20))]).toHaveLength(2000);
});
