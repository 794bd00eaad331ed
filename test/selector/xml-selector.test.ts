/**
 * XML selectors (parsel's type='xml'): names as written, namespaces from xmlns declarations,
 * registerNamespace/removeNamespaces, CDATA as text, XML serialization, and which responses get one.
 */
import {describe, expect, test} from '@jest/globals';
import {Request} from '../../src/http/request.js';
import {Response} from '../../src/http/response.js';
import {Selector} from '../../src/selector/index.js';

const ATOM = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/">
  <title>Example feed</title>
  <entry>
    <title>First post</title>
    <link href="https://blog.example/first"/>
    <media:thumbnail url="https://blog.example/first.jpg"/>
  </entry>
  <entry>
    <title>Second post</title>
    <link href="https://blog.example/second"/>
  </entry>
</feed>`;

const RSS = `<?xml version="1.0"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <item>
      <title>Walnut desk</title>
      <pubDate>Tue, 24 Nov 2026 08:00:00 GMT</pubDate>
      <dc:creator>Atelier Nord</dc:creator>
      <description><![CDATA[<p>Solid & oiled</p>]]></description>
    </item>
  </channel>
</rss>`;

describe('XML selectors', () => {
  test('an element in a default namespace needs a prefix, as in lxml; registerNamespace binds one for the page', () => {
    const feed = Selector.fromXml(ATOM);
    expect(feed.type).toBe('xml');
    expect(feed.xpath('//entry').length).toBe(0);
    expect(feed.xpath('//atom:entry/atom:title/text()', {namespaces: {atom: 'http://www.w3.org/2005/Atom'}}).getall()).toEqual(['First post', 'Second post']);
    feed.registerNamespace('atom', 'http://www.w3.org/2005/Atom');
    const entries = feed.xpath('//atom:entry');
    expect(entries.length).toBe(2);
    // Selectors taken from the page share its prefixes.
    expect(entries[0]!.xpath('atom:link/@href').get()).toBe('https://blog.example/first');
    expect(feed.xpath('//media:thumbnail/@url', {namespaces: {media: 'http://search.yahoo.com/mrss/'}}).get()).toBe('https://blog.example/first.jpg');
    expect(feed.xpath('namespace-uri(//atom:entry[1])').get()).toBe('http://www.w3.org/2005/Atom');
  });

  test('removeNamespaces() lets plain names select everything; namespace declarations are never attributes', () => {
    const feed = Selector.fromXml(ATOM);
    expect(feed.xpath('/*/@*').getall()).toEqual([]);
    feed.removeNamespaces();
    expect(feed.xpath('//entry/title/text()').getall()).toEqual(['First post', 'Second post']);
    expect(feed.xpath('//thumbnail/@url').get()).toBe('https://blog.example/first.jpg');
    expect(feed.css('entry > link::attr(href)').getall()).toEqual(['https://blog.example/first', 'https://blog.example/second']);
  });

  test('names keep their case and prefix for CSS and XPath; CDATA is text', () => {
    const rss = Selector.fromXml(RSS);
    expect(rss.css('item > pubDate::text').get()).toBe('Tue, 24 Nov 2026 08:00:00 GMT');
    expect(rss.css('item > pubdate::text').get()).toBeNull();
    expect(rss.css('dc\\:creator::text').get()).toBe('Atelier Nord');
    expect(rss.xpath('//dc:creator/text()', {namespaces: {dc: 'http://purl.org/dc/elements/1.1/'}}).get()).toBe('Atelier Nord');
    expect(rss.css('description::text').get()).toBe('<p>Solid & oiled</p>');
    expect(rss.xpath('//description/text()').get()).toBe('<p>Solid & oiled</p>');
    expect(rss.xpath('string(//item/title)').get()).toBe('Walnut desk');
  });

  test('get() writes elements back as XML', () => {
    const feed = Selector.fromXml(ATOM);
    feed.registerNamespace('atom', 'http://www.w3.org/2005/Atom');
    // As lxml writes a subtree: with the namespace declarations in scope, so that it stands alone.
    const declarations = 'xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/"';
    expect(feed.xpath('//atom:link').get()).toBe(`<link ${declarations} href="https://blog.example/first"/>`);
    expect(feed.xpath('//atom:entry[2]/atom:title').get()).toBe(`<title ${declarations}>Second post</title>`);
  });

  test('responses with an XML content type get an XML selector; HTML and XHTML get an HTML one', () => {
    const responseOf = (contentType: string, body: string) => {
      const request = new Request('http://127.0.0.1/feed');
      return new Response({url: request.url, status: 200, headers: {'content-type': contentType}, body: Buffer.from(body), request});
    };
    for (const type of ['application/atom+xml; charset=utf-8', 'application/rss+xml', 'text/xml', 'application/xml']) {
      expect(responseOf(type, ATOM).selector.type).toBe('xml');
    }
    expect(responseOf('application/rss+xml', RSS).css('pubDate::text').get()).toBe('Tue, 24 Nov 2026 08:00:00 GMT');
    expect(responseOf('text/html', '<p>x</p>').selector.type).toBe('html');
    expect(responseOf('application/xhtml+xml', '<p>x</p>').selector.type).toBe('html');
    expect(responseOf('application/vnd.wap.xhtml+xml', '<p>x</p>').selector.type).toBe('html');
  });
});
