import {describe, expect, test} from '@jest/globals';
import {Request} from '../../src/http/request.js';
import {Response} from '../../src/http/response.js';
import {LinkExtractor} from '../../src/linkextractors/link-extractor.js';

const PAGE = `<html><head><base href="http://shop.example/catalog/"></head><body>
  <div id="nav"><a href="/cat/1">Books</a> <a href="/cat/2" rel="nofollow noopener">Music</a></div>
  <div class="list">
    <a href="item/1?b=2&a=1#reviews"> The  <b>first</b>
      item </a>
    <a href="item/1?b=2&a=1">again</a>
    <a href="item/1?a=1&b=2">again, arguments swapped</a>
    <a href="http://cdn.shop.example/item/9">on the CDN</a>
    <a href="http://other.example/item/5">elsewhere</a>
    <a href="brochure.pdf">PDF</a>
    <a href="pics/photo.JPG">photo</a>
    <a href="mailto:shop@shop.example">mail</a>
    <a name="anchor">no link</a>
    <area href="/map/3" alt="map">
    <img src="/img/cover.png" data-href="/item/7">
  </div>
</body></html>`;

const response = new Response({
  url: 'http://shop.example/catalog/index.html',
  status: 200,
  headers: {'content-type': 'text/html'},
  body: Buffer.from(PAGE),
  request: new Request('http://shop.example/catalog/index.html'),
});

const urls = (extractor: LinkExtractor): string[] => extractor.extractLinks(response).map((link) => link.url);

describe('LinkExtractor', () => {
  test('by default: every http(s) link of <a> and <area>, absolute against <base>, once each, no binaries', () => {
    expect(urls(new LinkExtractor())).toEqual([
      'http://shop.example/cat/1',
      'http://shop.example/cat/2',
      'http://shop.example/catalog/item/1?b=2&a=1#reviews',
      'http://shop.example/catalog/item/1?b=2&a=1',
      'http://cdn.shop.example/item/9',
      'http://other.example/item/5',
      'http://shop.example/map/3',
    ]);
  });

  test('links carry their text (as the page has it, as Scrapy), fragment and nofollow', () => {
    const links = new LinkExtractor({restrictCss: '#nav'}).extractLinks(response);
    expect(links).toEqual([
      {url: 'http://shop.example/cat/1', text: 'Books', fragment: '', nofollow: false},
      {url: 'http://shop.example/cat/2', text: 'Music', fragment: '', nofollow: true},
    ]);
    expect(new LinkExtractor({allow: /reviews/}).extractLinks(response)[0]).toMatchObject({text: ' The  first\n      item ', fragment: 'reviews'});
  });

  test('allow and deny are searched in the absolute URL; deny wins', () => {
    expect(urls(new LinkExtractor({allow: '/item/'}))).toEqual([
      'http://shop.example/catalog/item/1?b=2&a=1#reviews', 'http://shop.example/catalog/item/1?b=2&a=1', 'http://cdn.shop.example/item/9', 'http://other.example/item/5',
    ]);
    expect(urls(new LinkExtractor({allow: [/\/item\//, /\/cat\//], deny: [/other\.example/, 'reviews|a=1']}))).toEqual([
      'http://shop.example/cat/1', 'http://shop.example/cat/2', 'http://cdn.shop.example/item/9',
    ]);
  });

  test('string patterns are Python regexes, as in Scrapy; RegExp objects keep their JavaScript meaning', () => {
    expect(urls(new LinkExtractor({allow: '/item/(?P<id>\\d+)$', deny: '(?i)CDN'}))).toEqual(['http://other.example/item/5']);
    expect(urls(new LinkExtractor({allow: '\\Ahttp://shop\\.example/cat/\\d\\Z'}))).toEqual(['http://shop.example/cat/1', 'http://shop.example/cat/2']);
    expect(new LinkExtractor({restrictText: '(?P<word>Mus)ic'}).extractLinks(response).map((link) => link.text)).toEqual(['Music']);
    // JavaScript's named group, which Python would refuse, in a RegExp.
    expect(urls(new LinkExtractor({allow: /\/item\/(?<id>\d+)$/}))).toEqual(['http://cdn.shop.example/item/9', 'http://other.example/item/5']);
  });

  test('a pattern Python syntax cannot be read into is a one-line BAD_ARGUMENT naming the option', () => {
    let error: {code?: string; message?: string} = {};
    try {
      new LinkExtractor({allow: '(?(1)a|b)'});
    } catch (thrown) {
      error = thrown as typeof error;
    }
    expect(error.code).toBe('BAD_ARGUMENT');
    expect(error.message).toMatch(/^LinkExtractor allow: Cannot use the regular expression "\(\?\(1\)a\|b\)"/);
    expect(error.message).not.toContain('\n');
  });

  test('allowDomains and denyDomains include subdomains', () => {
    expect(urls(new LinkExtractor({allowDomains: 'shop.example', denyDomains: ['cdn.shop.example'], allow: /item/}))).toEqual([
      'http://shop.example/catalog/item/1?b=2&a=1#reviews', 'http://shop.example/catalog/item/1?b=2&a=1',
    ]);
  });

  test('restrictXpaths, tags, attrs and denyExtensions', () => {
    expect(urls(new LinkExtractor({restrictXpaths: '//div[@id="nav"]/a[1]'}))).toEqual(['http://shop.example/cat/1']);
    expect(urls(new LinkExtractor({tags: ['img'], attrs: ['src', 'data-href'], denyExtensions: []}))).toEqual(['http://shop.example/img/cover.png', 'http://shop.example/item/7']);
    expect(urls(new LinkExtractor({allow: /brochure|photo/, denyExtensions: ['jpg']}))).toEqual(['http://shop.example/catalog/brochure.pdf']);
  });

  test('canonicalize sorts arguments and drops fragments, so repeated links collapse; unique: false keeps repeats', () => {
    expect(urls(new LinkExtractor({allow: /item\/1/, canonicalize: true}))).toEqual(['http://shop.example/catalog/item/1?a=1&b=2']);
    expect(urls(new LinkExtractor({restrictCss: '#nav', unique: false, processValue: () => '/same'}))).toEqual(['http://shop.example/same', 'http://shop.example/same']);
    expect(urls(new LinkExtractor({restrictCss: '#nav', processValue: (value) => (value.endsWith('2') ? undefined : value)}))).toEqual(['http://shop.example/cat/1']);
  });
});
