import {describe, expect, test} from '@jest/globals';
import {Request} from '../../src/http/request.js';
import {Response} from '../../src/http/response.js';
import {Selector, SelectorList} from '../../src/selector/index.js';

const QUOTES_PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <title>Quotes to Scrape</title>
</head>
<body>
  <div class="container">
    <h1><a href="/" style="text-decoration: none">Quotes to Scrape</a></h1>
    <div class="quote" itemscope itemtype="http://schema.org/CreativeWork">
      <span class="text" itemprop="text">“The world as we have created it is a process of our thinking.”</span>
      <span>by <small class="author" itemprop="author">Albert Einstein</small>
        <a href="/author/Albert-Einstein">(about)</a>
      </span>
      <div class="tags">
        Tags:
        <a class="tag" href="/tag/change/page/1/">change</a>
        <a class="tag" href="/tag/deep-thoughts/page/1/">deep-thoughts</a>
      </div>
    </div>
    <div class="quote" itemscope itemtype="http://schema.org/CreativeWork">
      <span class="text" itemprop="text">“It is our choices, Harry, that show what we truly are.”</span>
      <span>by <small class="author" itemprop="author">J.K. Rowling</small>
        <a href="/author/J-K-Rowling">(about)</a>
      </span>
      <div class="tags">
        Tags:
        <a class="tag" href="/tag/abilities/page/1/">abilities</a>
      </div>
    </div>
    <nav>
      <ul class="pager">
        <li class="next"><a href="/page/2/">Next <span aria-hidden="true">&rarr;</span></a></li>
      </ul>
    </nav>
  </div>
</body>
</html>`;

const page = Selector.fromHtml(QUOTES_PAGE);

function htmlResponse(url: string, html: string): Response {
  return new Response({
    url,
    status: 200,
    headers: {'content-type': 'text/html; charset=utf-8'},
    body: Buffer.from(html, 'utf8'),
    request: new Request(url),
  });
}

describe('css()', () => {
  test('selects elements, their text and attributes, in document order', () => {
    expect(page.css('div.quote')).toHaveLength(2);
    expect(page.css('div.quote span.text::text').getall()).toEqual([
      '“The world as we have created it is a process of our thinking.”',
      '“It is our choices, Harry, that show what we truly are.”',
    ]);
    expect(page.css('a.tag::attr(href)').getall()).toEqual([
      '/tag/change/page/1/',
      '/tag/deep-thoughts/page/1/',
      '/tag/abilities/page/1/',
    ]);
    expect(page.css('small.author::text').get()).toBe('Albert Einstein');
    expect(page.css('title').get()).toBe('<title>Quotes to Scrape</title>');
  });

  test('::attr() accepts a quoted name and skips elements without the attribute', () => {
    const selector = Selector.fromHtml('<a href="/x">x</a><a name="anchor">y</a><a href="/z" data-id="7">z</a>');
    expect(selector.css('a::attr(href)').getall()).toEqual(['/x', '/z']);
    expect(selector.css('a::attr("data-id")').getall()).toEqual(['7']);
  });

  test('::text keeps whitespace and follows document order through nested matches', () => {
    const selector = Selector.fromHtml('<div><p> one <b>two</b> three </p></div>');
    expect(selector.css('p::text').getall()).toEqual([' one ', ' three ']);
    // parsel: `p ::text` is `p/descendant-or-self::text()`, the p's own text included.
    expect(selector.css('p ::text').getall()).toEqual([' one ', 'two', ' three ']);
    expect(selector.css('p *::text').getall()).toEqual([' one ', 'two', ' three ']);
    expect(selector.css('p > ::text').getall()).toEqual(['two']);
    expect(selector.css('div *::text').getall()).toEqual([' one ', 'two', ' three ']);
    expect(selector.css('p::text, b::text').getall()).toEqual([' one ', 'two', ' three ']);
  });

  test('comma groups mixing pseudo-elements come back merged in document order, without repeats', () => {
    const selector = Selector.fromHtml('<a href="/1">one</a><p>para</p><a href="/2">two</a>');
    expect(selector.css('a::attr(href), a::text').getall()).toEqual(['/1', 'one', '/2', 'two']);
    expect(selector.css('p, a, a').getall()).toEqual(['<a href="/1">one</a>', '<p>para</p>', '<a href="/2">two</a>']);
  });

  test('nested selection is relative to the element and includes it, as parsel does', () => {
    const quotes = page.css('div.quote');
    const authors = quotes.map((quote) => quote.css('small.author::text').get());
    expect(authors).toEqual(['Albert Einstein', 'J.K. Rowling']);
    expect(quotes[1].css('a.tag::text').getall()).toEqual(['abilities']);
    expect(quotes[0].css('div.quote').length).toBe(1);
    // Ancestors outside the element do not take part: the tags div is inside .container, yet:
    expect(quotes[0].css('div.tags')[0].css('div.container a')).toHaveLength(0);
    expect(quotes[0].css('div.tags')[0].css('a:first-child::text').get()).toBe('change');
  });

  test('the same query gives each scope its own answer (no cached matches leak between scopes)', () => {
    const selector = Selector.fromHtml('<section><div><p>x</p><ul><li><span>a</span></li></ul></div></section>');
    const item = selector.css('li')[0];
    const query = 'section:has(p) span';
    expect(selector.css(query)).toHaveLength(1);
    expect(item.css(query)).toHaveLength(0);
    expect(selector.css(query)).toHaveLength(1);
    expect(item.css('li:has(span) span::text').get()).toBe('a');
  });

  test('SelectorList.css applies to every selector and flattens', () => {
    expect(page.css('div.tags').css('a::text').getall()).toEqual(['change', 'deep-thoughts', 'abilities']);
  });

  test('text and attribute selectors have nothing below them', () => {
    expect(page.css('title::text')[0].css('*')).toHaveLength(0);
    expect(page.css('a::attr(href)')[0].css('a')).toHaveLength(0);
  });

  test('a bad selector or an unknown pseudo-element is a BAD_ARGUMENT error', () => {
    expect(() => page.css('div[')).toThrow(expect.objectContaining({code: 'BAD_ARGUMENT'}));
    expect(() => page.css('a::before')).toThrow(expect.objectContaining({code: 'BAD_ARGUMENT'}));
    expect(() => page.css('a::text span')).toThrow(expect.objectContaining({code: 'BAD_ARGUMENT'}));
    expect(() => page.css('a:no-such-pseudo')).toThrow(expect.objectContaining({code: 'BAD_ARGUMENT'}));
  });
});

describe('xpath()', () => {
  test('selects text nodes and attributes', () => {
    expect(page.xpath('//small[@class="author"]/text()').getall()).toEqual(['Albert Einstein', 'J.K. Rowling']);
    expect(page.xpath('//li[@class="next"]/a/@href').get()).toBe('/page/2/');
    expect(page.xpath('//title').get()).toBe('<title>Quotes to Scrape</title>');
  });

  test('functions: contains, normalize-space, count, string values', () => {
    expect(page.xpath('//a[contains(@href, "/tag/")]/text()').getall()).toEqual(['change', 'deep-thoughts', 'abilities']);
    expect(page.xpath('normalize-space(//div[@class="tags"])').get()).toBe('Tags: change deep-thoughts');
    expect(page.xpath('count(//a[@class="tag"])').get()).toBe('3.0');
    expect(page.xpath('count(//div[@class="quote"]) > 1').get()).toBe('1');
    expect(page.xpath('string(//h1/a/@style)').get()).toBe('text-decoration: none');
    expect(page.xpath('//span[starts-with(., "by")]/small/text()').getall()).toEqual(['Albert Einstein', 'J.K. Rowling']);
  });

  test('relative queries run from a nested result', () => {
    const quote = page.xpath('//div[@class="quote"]')[1];
    expect(quote.xpath('.//small/text()').get()).toBe('J.K. Rowling');
    expect(quote.xpath('//small/text()').getall()).toHaveLength(2);
    expect(quote.xpath('./div[@class="tags"]/a/@href').getall()).toEqual(['/tag/abilities/page/1/']);
    expect(quote.xpath('../@class').get()).toBe('container');
    expect(page.css('div.quote').xpath('.//a[@class="tag"][1]/text()').getall()).toEqual(['change', 'abilities']);
  });

  test('the root is the html element, as in parsel', () => {
    expect(page.xpath('./head/title/text()').get()).toBe('Quotes to Scrape');
    expect(page.xpath('name(.)').get()).toBe('html');
    expect(page.xpath('@lang').get()).toBe('en');
  });

  test('as in parsel, text and attribute results are strings: queries on them give nothing', () => {
    const href = page.xpath('//li/a/@href')[0];
    expect(href.get()).toBe('/page/2/');
    expect(href.xpath('..').getall()).toEqual([]);
    const text = page.xpath('//title/text()')[0];
    expect(text.xpath('string-length(.)').getall()).toEqual([]);
    expect(text.css('*').getall()).toEqual([]);
  });

  test('EXSLT re:test, variables and namespace prefixes', () => {
    expect(page.xpath('//a[re:test(@href, "^/author/")]/@href').getall()).toEqual(['/author/Albert-Einstein', '/author/J-K-Rowling']);
    expect(page.xpath('//small[text()=$name]/@class', {variables: {name: 'J.K. Rowling'}}).get()).toBe('author');
    const svg = Selector.fromHtml('<svg><circle r="4"/></svg><p>x</p>');
    expect(svg.xpath('//s:circle/@r', {namespaces: {s: 'http://www.w3.org/2000/svg'}}).get()).toBe('4');
    expect(svg.xpath('//circle/@r').get()).toBe('4');
  });

  test('comments are selectable and serialize as markup', () => {
    const selector = Selector.fromHtml('<div><!-- hidden --><p>x</p></div>');
    expect(selector.xpath('//div/comment()').get()).toBe('<!-- hidden -->');
  });

  test('a bad expression is a BAD_ARGUMENT error', () => {
    expect(() => page.xpath('//a[')).toThrow(expect.objectContaining({code: 'BAD_ARGUMENT'}));
    expect(() => page.xpath('//x:a')).toThrow(expect.objectContaining({code: 'BAD_ARGUMENT'}));
  });
});

describe('re() and reFirst()', () => {
  test('whole matches without groups, the groups with them, a named "extract" group alone', () => {
    const tags = page.css('a.tag::text');
    expect(tags.re(/\w+/)).toEqual(['change', 'deep', 'thoughts', 'abilities']);
    expect(page.css('a.tag::attr(href)').re('/tag/([\\w-]+)/page/(\\d)')).toEqual([
      'change', '1', 'deep-thoughts', '1', 'abilities', '1',
    ]);
    expect(page.css('li.next a::attr(href)').re('/page/(?P<extract>\\d+)/')).toEqual(['2']);
    expect(page.css('title::text').re('(?P<extract>[A-Z]\\w+)')).toEqual(['Quotes']);
    expect(page.css('title::text').re(/(?<extract>\d+)|Quotes/)).toEqual([]);
  });

  test('reFirst gives the first match or the default', () => {
    expect(page.css('small.author::text').reFirst(/(\w+) Einstein/)).toBe('Albert');
    expect(page.css('small.author::text').reFirst(/Newton/)).toBeNull();
    expect(page.css('small.author::text').reFirst(/Newton/, 'none')).toBe('none');
    expect(page.css('title::text')[0].reFirst(/to (\w+)/)).toBe('Scrape');
  });

  test('character references in element markup are replaced, except &lt; and &amp;', () => {
    const selector = Selector.fromHtml('<p>a&nbsp;b &lt; c &amp; d&gt;</p>');
    expect(selector.css('p').get()).toBe('<p>a&nbsp;b &lt; c &amp; d&gt;</p>');
    expect(selector.css('p').re(/<p>(.*)<\/p>/)).toEqual(['a\u00a0b &lt; c &amp; d>']);
    expect(selector.css('p').re(/<p>(.*)<\/p>/, {replaceEntities: false})).toEqual(['a&nbsp;b &lt; c &amp; d&gt;']);
  });
});

describe('get(), getall(), attrib', () => {
  test('empty lists: getall() is [], get() is null or the default, attrib is {}', () => {
    const none = page.css('table.missing td::text');
    expect(none).toBeInstanceOf(SelectorList);
    expect(none.getall()).toEqual([]);
    expect(none.get()).toBeNull();
    expect(none.get('n/a')).toBe('n/a');
    expect(none.attrib).toEqual({});
    expect(none.re(/x/)).toEqual([]);
  });

  test('attrib holds an element\'s attributes, of the first one for a list, and is a copy', () => {
    const quote = page.css('div.quote');
    expect(quote.attrib).toEqual({class: 'quote', itemscope: '', itemtype: 'http://schema.org/CreativeWork'});
    quote[0].attrib.class = 'changed';
    expect(quote[0].attrib.class).toBe('quote');
    expect(page.css('a::attr(href)')[0].attrib).toEqual({});
  });

  test('text results come back as is, entities decoded by parse5', () => {
    const selector = Selector.fromHtml('<p>  Caf&eacute; &amp; bar &lt;3 &#x263A;\n</p>');
    expect(selector.css('p::text').get()).toBe('  Café & bar <3 ☺\n');
    expect(selector.css('p').get()).toBe('<p>  Café &amp; bar &lt;3 ☺\n</p>');
    expect(page.css('li.next span::text').get()).toBe('→');
  });

  test('slice() and filter() keep the SelectorList methods', () => {
    const firstTwo = page.css('a.tag').slice(0, 2);
    expect(firstTwo).toBeInstanceOf(SelectorList);
    expect(firstTwo.css('::text').getall()).toEqual(['change', 'deep-thoughts']);
    expect(page.css('a.tag').filter((tag) => tag.get().includes('abilities')).css('::attr(href)').get()).toBe('/tag/abilities/page/1/');
  });

  test('toString() shows the query and the start of the data, as parsel\'s repr', () => {
    expect(String(page.css('li.next a::attr(href)')[0])).toBe("<Selector query='li.next a::attr(href)' data='/page/2/'>");
    expect(String(page.css('div.quote span.text')[0])).toMatch(/^<Selector query='div.quote span.text' data='<span class="text" itemprop="text">“T...'>$/);
  });
});

describe('malformed HTML', () => {
  test('unclosed tags are closed as browsers do', () => {
    const selector = Selector.fromHtml('<ul><li>one<li>two<li>three</ul><p>para<div>block</div><table><td>cell');
    expect(selector.css('li::text').getall()).toEqual(['one', 'two', 'three']);
    expect(selector.css('p::text').get()).toBe('para');
    expect(selector.xpath('//table/tbody/tr/td/text()').get()).toBe('cell');
    expect(selector.xpath('count(//p/div)').get()).toBe('0.0');
  });

  test('a fragment and an empty document still give a root with head and body', () => {
    expect(Selector.fromHtml('').get()).toBe('<html><head></head><body></body></html>');
    expect(Selector.fromHtml('just text').css('body::text').get()).toBe('just text');
  });
});

describe('XPath on the parsed tree (nodes made as queries reach them)', () => {
  // Answers as parsel 1.7 gives them.
  const page = '<div id="x"><a href="1">A</a><p><b>B</b><a href="2">C</a></p></div><template><a href="t">T</a></template>';

  test('a union of elements and attributes comes back in document order, template content included', () => {
    expect(Selector.fromHtml(page).xpath('//a/@href | //b | //a').getall()).toEqual(['<a href="1">A</a>', '1', '<b>B</b>', '<a href="2">C</a>', '2', '<a href="t">T</a>', 't']);
  });

  test('queries from a CSS result, and later queries on the same page, see the same tree', () => {
    const selector = Selector.fromHtml(page);
    const paragraph = selector.css('p')[0]!;
    expect(paragraph.xpath('.//a/text()').getall()).toEqual(['C']);
    expect(paragraph.xpath('//a/text()').getall()).toEqual(['A', 'C', 'T']);
    expect(paragraph.xpath('descendant-or-self::p/b/text()').getall()).toEqual(['B']);
    expect(selector.xpath('count(//a)').get()).toBe('3.0');
    expect(selector.xpath('(//a)[2]/text()').get()).toBe('C');
    expect(selector.xpath('//a[last()]/@href').getall()).toEqual(['1', '2', 't']);
  });
});

describe('attribute names that are Object.prototype members', () => {
  test('an element has only the attributes the page gives it', () => {
    const selector = Selector.fromHtml('<p id="a">plain</p><p constructor="c" __proto__="x" toString="t">named</p>');
    expect(selector.css('p[constructor]::text').getall()).toEqual(['named']);
    expect(selector.xpath('//p[@constructor]/text()').getall()).toEqual(['named']);
    expect(selector.css('p[tostring]').length).toBe(1);
    expect(selector.css('p')[0]?.attrib).toEqual({id: 'a'});
    expect(selector.css('p')[1]?.attrib).toEqual(Object.fromEntries([['constructor', 'c'], ['__proto__', 'x'], ['tostring', 't']]));
    expect(selector.xpath('//p[2]/@__proto__').get()).toBe('x');
    expect(selector.css('p')[1]?.get()).toBe('<p constructor="c" __proto__="x" tostring="t">named</p>');
  });

  test('namespaced attributes in SVG keep their namespace (parse5 reads SVG\'s; lxml\'s HTML parser has none)', () => {
    const selector = Selector.fromHtml('<svg><a xlink:href="#x" class="k">t</a></svg>');
    expect(selector.xpath('//*[local-name()="a"]/@*[namespace-uri()="http://www.w3.org/1999/xlink"]').get()).toBe('#x');
    expect(selector.xpath('//*[local-name()="a"]/@*[namespace-uri()=""]').getall()).toEqual(['k']);
  });
});

describe('Response', () => {
  test('css() and xpath() parse once and select', () => {
    const response = htmlResponse('http://quotes.example/', QUOTES_PAGE);
    expect(response.css('li.next a::attr(href)').get()).toBe('/page/2/');
    expect(response.selector).toBe(response.selector);
    expect(response.xpath('//small/text()').getall()).toEqual(['Albert Einstein', 'J.K. Rowling']);
  });

  test('urljoin and follow use <base href>', () => {
    const html = '<html><head><base href="http://cdn.example/root/"></head><body><a href="page.html">p</a></body></html>';
    const response = htmlResponse('http://site.example/dir/index.html', html);
    expect(response.urljoin('page.html')).toBe('http://cdn.example/root/page.html');
    expect(response.follow(response.css('a')[0]).url).toBe('http://cdn.example/root/page.html');
    const withoutBase = htmlResponse('http://site.example/dir/index.html', '<a href="page.html">p</a>');
    expect(withoutBase.urljoin('page.html')).toBe('http://site.example/dir/page.html');
  });

  test('followAll({css}) makes a request for every link, absolute', () => {
    const response = htmlResponse('http://quotes.example/page/1/', QUOTES_PAGE);
    const urls = response.followAll({css: 'div.quote a.tag'}).map((request) => request.url);
    expect(urls).toEqual([
      'http://quotes.example/tag/change/page/1/',
      'http://quotes.example/tag/deep-thoughts/page/1/',
      'http://quotes.example/tag/abilities/page/1/',
    ]);
    const hrefs = response.followAll({css: 'li.next a::attr(href)'}).map((request) => request.url);
    expect(hrefs).toEqual(['http://quotes.example/page/2/']);
    const all = response.followAll({css: 'a'}).map((request) => request.url);
    expect(all).toHaveLength(page.css('a').length);
    expect(all).toContain('http://quotes.example/author/J-K-Rowling');
  });
});
