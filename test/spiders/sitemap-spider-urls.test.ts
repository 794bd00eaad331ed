import {expect, test} from '@jest/globals';
import {Request} from '../../src/http/request.js';
import {Response} from '../../src/http/response.js';
import {SitemapSpider} from '../../src/spiders/sitemap-spider.js';

// The URLs a SitemapSpider requests are made safe as Scrapy's (its Request runs w3lib's
// safe_url_string on each <loc>); expected values are what w3lib 2.1.1 answers for these locs.

class ShopMapSpider extends SitemapSpider {
  static spiderName = 'shopmap';
  override sitemapAlternateLinks = true;
  parse(): void {}
}

function responseOf(url: string, body: string, contentType = 'application/xml'): Response {
  return new Response({url, status: 200, headers: {'content-type': contentType}, body: Buffer.from(body), request: new Request(url)});
}

test('page URLs from a urlset, alternates included, are safe URLs', () => {
  const urlset = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">
  <url><loc>http://shop.example/a b/café?q=thé</loc>
    <xhtml:link rel="alternate" hreflang="fr" href="http://shop.example/fr/café"/></url>
  <url><loc>http://BÜCHER.example/straße</loc></url>
</urlset>`;
  const requests = [...new ShopMapSpider().parseSitemap(responseOf('http://shop.example/sitemap.xml', urlset))];
  expect(requests.map((request) => request.url)).toEqual([
    'http://shop.example/a%20b/caf%C3%A9?q=th%C3%A9',
    'http://shop.example/fr/caf%C3%A9',
    'http://xn--bcher-kva.example/stra%C3%9Fe',
  ]);
});

test('sitemaps named by a sitemap index or by robots.txt are safe URLs too', () => {
  const index = `<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>http://shop.example/sitemap 2.xml</loc></sitemap></sitemapindex>`;
  const fromIndex = [...new ShopMapSpider().parseSitemap(responseOf('http://shop.example/index.xml', index))];
  expect(fromIndex.map((request) => request.url)).toEqual(['http://shop.example/sitemap%202.xml']);
  const robots = 'User-agent: *\nSitemap: http://BÜCHER.example/karte.xml\n';
  const fromRobots = [...new ShopMapSpider().parseSitemap(responseOf('http://shop.example/robots.txt', robots, 'text/plain'))];
  expect(fromRobots.map((request) => request.url)).toEqual(['http://xn--bcher-kva.example/karte.xml']);
});
