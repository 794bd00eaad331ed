import {beforeAll, expect, test} from '@jest/globals';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {gzipSync} from 'node:zlib';
import {runCli} from '../helpers/cli.js';
import {send, useTestSite, useWorkspace} from '../helpers/site.js';

// A SitemapSpider from robots.txt through a sitemap index to its sitemaps (one gzipped), with a JOBDIR.
function urlset(paths: string[]): string {
  return `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${paths.map((path) => `<url><loc>${site.base}${path}</loc></url>`).join('')}</urlset>`;
}

const site = useTestSite((request, response) => {
  const path = request.url ?? '';
  if (path === '/robots.txt') return send(response, 200, 'text/plain', 'User-agent: *\nAllow: /\nSitemap: /sitemap_index.xml\n');
  if (path === '/sitemap_index.xml') {
    const entries = ['/sitemap-products.xml.gz', '/sitemap-pages.xml', '/sitemap-blog.xml'].map((loc) => `<sitemap><loc>${site.base}${loc}</loc></sitemap>`).join('');
    return send(response, 200, 'application/xml', `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${entries}</sitemapindex>`);
  }
  if (path === '/sitemap-products.xml.gz') return send(response, 200, 'application/gzip', gzipSync(urlset(['/product/1', '/product/2'])));
  if (path === '/sitemap-pages.xml') return send(response, 200, 'application/xml', urlset(['/about', '/product/3']));
  if (path === '/sitemap-blog.xml') return send(response, 200, 'application/xml', urlset(['/blog/1']));
  return send(response, 200, 'text/html', `<html><title>${path}</title></html>`);
});
const served = site.served;
const workspace = useWorkspace('sitemap');

beforeAll(() => {
  writeFileSync(join(workspace, 'maps.mjs'), `import {SitemapSpider} from 'dragline';
export class MapsSpider extends SitemapSpider {
  static spiderName = 'maps';
  sitemapUrls = ['${site.base}/robots.txt'];
  sitemapFollow = [/products|pages/];
  sitemapRules = [[/\\/product\\//, 'parseProduct'], ['', 'parse']];
  parseProduct(response) { return {product: response.css('title::text').get()}; }
  parse(response) { return {page: response.css('title::text').get()}; }
}
`);
});

test('robots.txt → sitemap index → the followed sitemaps → each page with the callback of its rule', async () => {
  const result = await runCli(['runspider', 'maps.mjs', '-O', 'items.jsonl', '-L', 'INFO', '-s', 'JOBDIR=job', '-s', 'ROBOTSTXT_OBEY=false'], {cwd: workspace});
  expect(result.code).toBe(0);
  const items = readFileSync(join(workspace, 'items.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, string>);
  expect(items.filter((item) => 'product' in item).map((item) => item.product).sort()).toEqual(['/product/1', '/product/2', '/product/3']);
  expect(items.filter((item) => 'page' in item).map((item) => item.page)).toEqual(['/about']);
  // The blog sitemap is not in sitemapFollow: neither it nor its pages are fetched.
  expect(served).not.toContain('/sitemap-blog.xml');
  expect(served).not.toContain('/blog/1');
  expect(result.stderr).not.toContain('scheduler/unserializable');
});
