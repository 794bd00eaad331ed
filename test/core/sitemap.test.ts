import {describe, expect, test} from '@jest/globals';
import {gzipSync} from 'node:zlib';
import {parseSitemap, sitemapUrlsFromRobots} from '../../src/core/sitemap.js';

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
    const parsed = parseSitemap(gzipSync(index));
    expect(parsed?.type).toBe('sitemapindex');
    expect(parsed?.entries.map((entry) => [entry.loc, entry.lastmod])).toEqual([['https://shop.example/s1.xml.gz', undefined], ['https://shop.example/s2.xml', '2026-10-01']]);
  });

  test('elements of other vocabularies nested in an entry (<image:loc>) are not its fields; bad character references do not throw', () => {
    const withImages = `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
      <url><image:image><image:loc>https://cdn.example/a.jpg</image:loc></image:image><loc>https://shop.example/a&#x110000;</loc></url>
    </urlset>`;
    expect(parseSitemap(Buffer.from(withImages))?.entries.map((entry) => entry.loc)).toEqual(['https://shop.example/a\ufffd']);
  });

  test('anything else is not a sitemap', () => {
    expect(parseSitemap(Buffer.from('<html><body>not found</body></html>'))).toBeUndefined();
    expect(parseSitemap(Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01]))).toBeUndefined();
  });
});

test('sitemapUrlsFromRobots reads the Sitemap lines, relative ones against the robots.txt URL', () => {
  const robots = 'User-agent: *\nDisallow: /private\nSitemap: https://shop.example/sitemap.xml\r\nsitemap:/news.xml\n# Sitemap: https://shop.example/commented.xml\n';
  expect(sitemapUrlsFromRobots(robots, 'https://shop.example/robots.txt')).toEqual(['https://shop.example/sitemap.xml', 'https://shop.example/news.xml']);
});
