"""Scrapy's answers for sitemaps: Sitemap(body) iteration, sitemap_urls_from_robots, and what
SitemapSpider._parse_sitemap yields for constructed responses. Bytes are latin1 strings.
Regenerate: /usr/bin/python3 test/oracle/sitemaps.py > test/fixtures/oracle/sitemaps.json"""
import gzip
import json
import logging

from scrapy.http import Headers
from scrapy.responsetypes import responsetypes
from scrapy.spiders import SitemapSpider
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

NS = b'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
XHTML = b'xmlns:xhtml="http://www.w3.org/1999/xhtml"'


def urlset(*entries, extra=b''):
    return b'<?xml version="1.0" encoding="UTF-8"?>\n<urlset ' + NS + b' ' + XHTML + extra + b'>\n' + b'\n'.join(entries) + b'\n</urlset>\n'


def url(loc, *more):
    return b'<url><loc>' + loc + b'</loc>' + b''.join(more) + b'</url>'


FULL = urlset(
    url(b'https://shop.example/', b'<lastmod>2026-11-01</lastmod><changefreq>daily</changefreq><priority>1.0</priority>'),
    url(b'https://shop.example/item?id=1&amp;ref=map', b'<lastmod>2026-10-01T10:00:00+00:00</lastmod>'),
    url(b'https://shop.example/about'),
)

SITEMAPS = {
    'urlset with namespace and all fields': FULL,
    'urlset without namespace': b'<urlset><url><loc>http://a.example/1</loc><priority>0.5</priority></url><url><loc>http://a.example/2</loc></url></urlset>',
    'sitemapindex': b'<?xml version="1.0"?><sitemapindex ' + NS + b'><sitemap><loc>http://a.example/s1.xml</loc><lastmod>2020-01-01</lastmod></sitemap><sitemap><loc>http://a.example/s2.xml.gz</loc></sitemap></sitemapindex>',
    'prefixed root and entries': b'<s:urlset xmlns:s="http://www.sitemaps.org/schemas/sitemap/0.9"><s:url><s:loc>http://a.example/1</s:loc><s:lastmod>2021</s:lastmod></s:url></s:urlset>',
    'undeclared prefix on root': b'<s:urlset><s:url><s:loc>http://a.example/1</s:loc></s:url></s:urlset>',
    'undeclared prefix on loc': b'<urlset><url><x:loc>http://a.example/1</x:loc></url></urlset>',
    'other namespace loc counts by local name': b'<urlset ' + NS + b' xmlns:foo="urn:foo"><url><foo:loc>http://a.example/1</foo:loc></url></urlset>',
    'prefix declared on the entry only': b'<urlset><url xmlns:p="urn:p"><p:loc>http://a.example/1</p:loc></url><url><p:loc>http://a.example/2</p:loc></url></urlset>',
    'entry hidden in a comment': b'<urlset><!-- <url><loc>http://a.example/hidden</loc></url> --><url><loc>http://a.example/1</loc></url></urlset>',
    'loc hidden in a comment inside an entry': b'<urlset><url><!--<loc>http://a.example/hidden</loc>--><loc>http://a.example/1</loc></url></urlset>',
    'comment inside loc text': b'<urlset><url><loc>http://a.example/<!-- c -->b</loc></url></urlset>',
    'several comments': b'<!-- head --><urlset><!--a--><url><loc>http://a.example/1</loc><!--<lastmod>x</lastmod>--></url><!--<url><loc>http://a.example/2</loc></url>--></urlset><!-- tail -->',
    'CDATA loc': b'<urlset><url><loc><![CDATA[http://a.example/?a=1&b=2]]></loc></url></urlset>',
    'CDATA with spaces': b'<urlset><url><loc><![CDATA[  http://a.example/1  ]]></loc></url></urlset>',
    'CDATA mixed with text': b'<urlset><url><loc> http://a.example/<![CDATA[x&y]]>z </loc></url></urlset>',
    'whitespace around loc': b'<urlset><url><loc>\n\t  http://a.example/1  \r\n</loc></url></urlset>',
    'no-break spaces around loc': u'<urlset><url><loc>\xa0http://a.example/1\u3000</loc></url></urlset>'.encode('utf-8'),
    'line break inside loc': b'<urlset><url><loc>http://a.example/\r\n1</loc></url></urlset>',
    'space before > in tags': b'<urlset ><url\t><loc >http://a.example/1</loc ><lastmod\n>2020</lastmod\n></url ></urlset >',
    'attributes on loc': b'<urlset><url><loc type="page" xml:lang="en">http://a.example/1</loc></url></urlset>',
    'single-quoted attributes': b"<urlset " + XHTML + b"><url><loc a='1'>http://a.example/1</loc><xhtml:link rel='alternate' href='http://a.example/2?x=1&amp;y'/></url></urlset>",
    'predefined entities and character references': b'<urlset><url><loc>http://a.example/?x=1&amp;y=2&lt;&gt;&quot;&apos;&#x41;&#65;&#233;</loc></url></urlset>',
    'bare ampersand followed by a name': b'<urlset><url><loc>http://a.example/?a=1&b=2</loc></url></urlset>',
    'bare ampersand followed by a space': b'<urlset><url><loc>http://a.example/?a=1 & b</loc></url></urlset>',
    'amp without semicolon': b'<urlset><url><loc>http://a.example/?a=1&amp=2</loc></url></urlset>',
    'character reference without semicolon': b'<urlset><url><loc>http://a.example/&#233x</loc></url></urlset>',
    'ampersand at the end of loc': b'<urlset><url><loc>http://a.example/&</loc></url></urlset>',
    'undefined entity': b'<urlset><url><loc>http://a.example/?a=1&nbsp;c</loc></url></urlset>',
    'entity declared in the DTD is not expanded': b'<!DOCTYPE urlset [<!ENTITY e "http://evil.example/">]><urlset><url><loc>&e;x</loc></url><url><loc>http://a.example/1</loc></url></urlset>',
    'external entity is not loaded': b'<!DOCTYPE urlset [<!ENTITY e SYSTEM "file:///etc/passwd">]><urlset><url><loc>x&e;y</loc></url></urlset>',
    'out of range character references dropped': b'<urlset><url><loc>http://a.example/&#x110000;b&#0;c</loc></url></urlset>',
    'stray < dropped': b'<urlset><url><loc>http://a.example/?a<1</loc></url></urlset>',
    'stray > kept': b'<urlset><url><loc>http://a.example/?a>1</loc></url></urlset>',
    'child element inside loc ends its text': b'<urlset><url><loc>http://a.example/<b>x</b>y</loc></url></urlset>',
    'processing instruction inside loc ends its text': b'<urlset><url><loc>http://a.example/<?x y?>b</loc></url></urlset>',
    'processing instruction between entries': b'<urlset><?foo bar?><url><loc>http://a.example/1</loc></url></urlset>',
    'repeated loc: the last wins': b'<urlset><url><loc>http://a.example/1</loc><loc>http://a.example/2</loc></url></urlset>',
    'empty locs are entries': b'<urlset><url><loc></loc></url><url><loc/></url><url><loc>  </loc></url><url><lastmod>2020</lastmod></url></urlset>',
    'empty lastmod': b'<urlset><url><loc>http://a.example/1</loc><lastmod/></url></urlset>',
    'any child of the root with a loc is an entry': b'<urlset><foo><loc>http://a.example/1</loc></foo>text<url>x<loc>http://a.example/2</loc></url></urlset>',
    'nested elements of other vocabularies': b'<urlset ' + NS + b' xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"><url><loc>http://a.example/1</loc><image:image><image:loc>http://cdn.example/a.jpg</image:loc></image:image></url></urlset>',
    'news sitemap': b'<urlset ' + NS + b' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>http://a.example/n1</loc><news:news><news:publication_date>2026-01-01</news:publication_date></news:news></url></urlset>',
    'alternate links': urlset(url(b'http://a.example/en', b'<xhtml:link rel="alternate" hreflang="de" href="http://a.example/de"/><xhtml:link rel="alternate" hreflang="fr" href="http://a.example/fr?a=1&amp;b=2"/>')),
    'link without rel or href': b'<urlset ' + XHTML + b'><url><loc>http://a.example/1</loc><xhtml:link href="http://a.example/de"/><link rel="canonical" href="http://a.example/c"/><xhtml:link rel="alternate"/></url></urlset>',
    'repeated href attribute: the first wins': b'<urlset><url><xhtml:link xmlns:xhtml="x" href="http://a.example/1" href="http://a.example/2"/><loc>http://a.example/0</loc></url></urlset>',
    'whitespace in href attribute': b'<urlset><url><loc>http://a.example/1</loc><link href=" http://a.example/2\n\tx "/></url></urlset>',
    'upper-case names are other names': b'<URLSET><URL><LOC>http://a.example/1</LOC></URL></URLSET>',
    'self-closed entry': b'<urlset><url/><url><loc>http://a.example/1</loc></url></urlset>',
    'self-closed loc then text': b'<urlset><url><loc/>http://a.example/1</url></urlset>',
    'unmatched end tag ignored': b'<urlset><url><loc>http://a.example/1</loc></foo></url></urlset>',
    'content after the root ignored': b'<urlset><url><loc>http://a.example/1</loc></url></urlset><urlset><url><loc>http://a.example/2</loc></url></urlset>',
    'DOCTYPE with system id': b'<!DOCTYPE urlset SYSTEM "http://x.example/dtd"><urlset><url><loc>http://a.example/1</loc></url></urlset>',
    'whitespace before the XML declaration': b'\n\n  <?xml version="1.0"?><urlset><url><loc>http://a.example/1</loc></url></urlset>',
    'XML declaration inside the root': b'<urlset><?xml version="1.0"?><url><loc>http://a.example/1</loc></url></urlset>',
    'truncated after a complete entry': b'<urlset><url><loc>http://a.example/1</loc></url><url><loc>http://a.example/2</loc></url>',
    'truncated after an opened entry': b'<urlset><url><loc>http://a.example/1</loc></url><url>',
    'truncated inside a loc': b'<urlset><url><loc>http://a.example/1</loc></url><url><loc>http://a.example/2',
    'truncated in the closing tag of loc': b'<urlset><url><loc>http://a.example/1</loc></url><url><loc>http://a.example/2</lo',
    'truncated inside a comment': b'<urlset><url><loc>http://a.example/1</loc></url><!-- <url><loc>http://a.example/2</loc></url>',
    'truncated inside CDATA': b'<urlset><url><loc>http://a.example/1</loc></url><url><loc><![CDATA[http://a.example/2',
    'truncated inside a start tag': b'<urlset><url><loc>http://a.example/1</loc></url><url><loc a="x',
    'truncated inside an entity': b'<urlset><url><loc>http://a.example/1</loc></url><url><loc>http://a.example/2&am',
    'truncated inside lastmod': b'<urlset><url><loc>http://a.example/1</loc><lastmod>2020-',
    'UTF-8 byte order mark': b'\xef\xbb\xbf<urlset><url><loc>http://a.example/\xc3\xa9</loc></url></urlset>',
    'UTF-16 (LE with BOM) declared UTF-16': u'<?xml version="1.0" encoding="UTF-16"?><urlset><url><loc>http://a.example/\xe9\u65e5</loc></url></urlset>'.encode('utf-16'),
    'UTF-16 BE with BOM': u'\ufeff<?xml version="1.0" encoding="UTF-16"?><urlset><url><loc>http://a.example/\xe9</loc></url></urlset>'.encode('utf-16-be'),
    'UTF-16 LE with BOM, no declaration': u'\ufeff<urlset><url><loc>http://a.example/\xe9</loc></url></urlset>'.encode('utf-16-le'),
    'UTF-16 BE without BOM, declared': u'<?xml version="1.0" encoding="UTF-16BE"?><urlset><url><loc>http://a.example/\xe9</loc></url></urlset>'.encode('utf-16-be'),
    'UTF-16 LE without BOM, declared': u'<?xml version="1.0" encoding="UTF-16"?><urlset><url><loc>http://a.example/\xe9</loc></url></urlset>'.encode('utf-16-le'),
    'UTF-32 (LE with BOM), no declaration': u'<urlset><url><loc>http://a.example/\xe9</loc></url></urlset>'.encode('utf-32'),
    'UTF-32 BE with BOM, declared': u'\ufeff<?xml version="1.0" encoding="UTF-32"?><urlset><url><loc>http://a.example/\xe9</loc></url></urlset>'.encode('utf-32-be'),
    'ISO-8859-1 declared': u'<?xml version="1.0" encoding="ISO-8859-1"?><urlset><url><loc>http://a.example/\xe9</loc></url></urlset>'.encode('latin-1'),
    'latin1 label, C1 byte': b'<?xml version="1.0" encoding="latin1"?><urlset><url><loc>http://a.example/\xe9\x80</loc></url></urlset>',
    'windows-1252 declared': u'<?xml version="1.0" encoding="windows-1252"?><urlset><url><loc>http://a.example/\u20ac\u2019</loc></url></urlset>'.encode('cp1252'),
    'ISO-8859-15 in single quotes': u"<?xml version='1.0' encoding='iso-8859-15'?><urlset><url><loc>http://a.example/\u20ac</loc></url></urlset>".encode('iso-8859-15'),
    'Shift_JIS declared': u'<?xml version="1.0" encoding="Shift_JIS"?><urlset><url><loc>http://a.example/\u65e5\u672c</loc></url></urlset>'.encode('shift_jis'),
    'encoding before standalone': b'<?xml version="1.0" encoding="latin1" standalone="yes"?><urlset><url><loc>http://a.example/\xe9</loc></url></urlset>',
    'latin-1 bytes without a declaration': u'<urlset><url><loc>http://a.example/\xe9</loc></url></urlset>'.encode('latin-1'),
    'latin-1 bytes declared UTF-8': u'<?xml version="1.0" encoding="utf-8"?><urlset><url><loc>http://a.example/\xe9</loc></url></urlset>'.encode('latin-1'),
    'unknown encoding': b'<?xml version="1.0" encoding="x-bogus"?><urlset><url><loc>http://a.example/1</loc></url></urlset>',
    'HTML page': b'<!DOCTYPE html><html><head><title>t</title></head><body><p>hi</p></body></html>',
    'HTML page holding a urlset': b'<html><body><urlset><url><loc>http://a.example/1</loc></url></urlset></body></html>',
    'RSS feed': b'<?xml version="1.0"?><rss version="2.0"><channel><item><link>http://a.example/1</link></item></channel></rss>',
    'text before the root': b'garbage<urlset><url><loc>http://a.example/1</loc></url></urlset>',
    'plain text': b'hello world',
    'empty body': b'',
    'gzip bytes are not XML': gzip.compress(FULL, mtime=0),
}


def entry_of(d):
    out = {k: d[k] for k in ('loc', 'lastmod', 'changefreq', 'priority') if k in d}
    out['alternate'] = d.get('alternate', [])
    return out


def sitemap_answer(body):
    try:
        s = Sitemap(body)
        return {'type': s.type, 'entries': [entry_of(d) for d in s]}
    except Exception:
        return {'error': True}


ROBOTS_BASE = 'https://shop.example/robots.txt'
ROBOTS = [
    ('usual lines', 'User-agent: *\nDisallow: /private\nSitemap: https://shop.example/sitemap.xml\nSitemap: https://shop.example/news.xml\n', ROBOTS_BASE),
    ('any case of the name', 'sitemap: https://shop.example/a.xml\nSITEMAP: https://shop.example/b.xml\nSiteMap:https://shop.example/c.xml\n', ROBOTS_BASE),
    ('leading spaces and tabs', '  Sitemap: https://shop.example/a.xml\n\tSitemap: https://shop.example/b.xml\n', ROBOTS_BASE),
    ('space before the colon is another field', 'Sitemap : https://shop.example/a.xml\nSitemaps: https://shop.example/b.xml\n', ROBOTS_BASE),
    ('commented out', '# Sitemap: https://shop.example/a.xml\n#Sitemap: https://shop.example/b.xml\n', ROBOTS_BASE),
    ('relative to the robots.txt URL', 'Sitemap: /sitemap.xml\nSitemap: sitemap2.xml\nSitemap: ../up.xml\nSitemap: ?page=2\n', 'https://shop.example/dir/robots.txt'),
    ('protocol-relative', 'Sitemap: //cdn.example/sitemap.xml\n', ROBOTS_BASE),
    ('other hosts and schemes kept', 'Sitemap: https://other.example/s.xml\nSitemap: http://shop.example/s.xml\nSitemap: ftp://files.example/s.xml\n', ROBOTS_BASE),
    ('absolute URL kept as written', 'Sitemap: https://Shop.Example/A/../B.xml\n', ROBOTS_BASE),
    ('trailing text is part of the value', 'Sitemap: https://shop.example/s.xml # main\n', ROBOTS_BASE),
    ('CRLF and CR line ends', 'User-agent: *\r\nSitemap: https://shop.example/a.xml\r\nSitemap: https://shop.example/b.xml\rSitemap: https://shop.example/c.xml', ROBOTS_BASE),
    ('form feed and vertical tab end lines', 'Disallow: /x\x0cSitemap: https://shop.example/a.xml\x0bSitemap: https://shop.example/b.xml', ROBOTS_BASE),
    ('empty value is the robots.txt URL', 'Sitemap:\nSitemap:   \n', ROBOTS_BASE),
    ('value with inner colons', 'Sitemap: https://shop.example:8443/s.xml\n', ROBOTS_BASE),
    ('no sitemap lines', 'User-agent: *\nDisallow: /\n', ROBOTS_BASE),
    ('sitemap inside another field', 'Disallow: /Sitemap: https://shop.example/x.xml\nAllow: /sitemap:\n', ROBOTS_BASE),
    ('byte order mark before the first line', '\ufeffSitemap: https://shop.example/a.xml\nSitemap: https://shop.example/b.xml\n', ROBOTS_BASE),
    ('trailing whitespace stripped', 'Sitemap: https://shop.example/a.xml   \t\n', ROBOTS_BASE),
    ('empty text', '', ROBOTS_BASE),
]

# SitemapSpider on responses: url, headers, body, spider settings.
DEFAULT_SPIDER = {'rules': [['', 'parse']], 'follow': [''], 'alternate': False}
INDEX = b'<sitemapindex ' + NS + b'><sitemap><loc>http://a.example/products.xml</loc><lastmod>2026-05-01</lastmod></sitemap><sitemap><loc>http://a.example/blog.xml</loc><lastmod>2025-01-01</lastmod></sitemap><sitemap><loc>http://a.example/pages.xml.gz</loc></sitemap></sitemapindex>'
PAGES = urlset(
    url(b'http://a.example/product/1', b'<lastmod>2026-03-01</lastmod>'),
    url(b'http://a.example/about', b'<lastmod>2024-01-01</lastmod><xhtml:link rel="alternate" hreflang="de" href="http://a.example/de/about"/>'),
    url(b'http://a.example/product/2', b'<xhtml:link rel="alternate" hreflang="de" href="http://a.example/de/product/2"/>'),
    url(b'http://a.example/blog/1', b'<lastmod>2026-07-01</lastmod>'),
)
RULES = {'rules': [['/product/', 'parse_product'], ['^http://a\\.example/blog', 'parse_blog'], ['', 'parse']], 'follow': [''], 'alternate': False}
XML = {'Content-Type': 'application/xml'}

RESPONSES = [
    ('XML content type, URL without extension', 'http://a.example/sitemap', XML, PAGES, DEFAULT_SPIDER),
    ('text/xml with a charset', 'http://a.example/sitemap', {'Content-Type': 'text/xml; charset=utf-8'}, PAGES, DEFAULT_SPIDER),
    ('RSS content type is XML too', 'http://a.example/feed', {'Content-Type': 'application/rss+xml'}, PAGES, DEFAULT_SPIDER),
    ('HTML page at a non-.xml URL is not a sitemap', 'http://a.example/page', {'Content-Type': 'text/html'}, PAGES, DEFAULT_SPIDER),
    ('XHTML content type is HTML', 'http://a.example/page', {'Content-Type': 'application/xhtml+xml'}, PAGES, DEFAULT_SPIDER),
    ('plain text at a non-.xml URL', 'http://a.example/sitemap', {'Content-Type': 'text/plain'}, PAGES, DEFAULT_SPIDER),
    ('JSON content type', 'http://a.example/sitemap', {'Content-Type': 'application/json'}, PAGES, DEFAULT_SPIDER),
    ('HTML content type at a .xml URL is read', 'http://a.example/sitemap.xml', {'Content-Type': 'text/html'}, PAGES, DEFAULT_SPIDER),
    ('HTML page at a .xml URL: no entries', 'http://a.example/sitemap.xml', {'Content-Type': 'text/html'}, b'<html><body><a href="/x">x</a></body></html>', DEFAULT_SPIDER),
    ('.xml.gz URL with an already decompressed body', 'http://a.example/sitemap.xml.gz', {'Content-Type': 'application/octet-stream'}, PAGES, DEFAULT_SPIDER),
    ('.XML in capitals is not .xml', 'http://a.example/sitemap.XML', {'Content-Type': 'text/plain'}, PAGES, DEFAULT_SPIDER),
    ('.XML without a content type is XML by its extension', 'http://a.example/sitemap.XML', {}, PAGES, DEFAULT_SPIDER),
    ('query after .xml', 'http://a.example/sitemap.xml?page=2', {'Content-Type': 'text/plain'}, PAGES, DEFAULT_SPIDER),
    ('no content type, body with an XML declaration', 'http://a.example/sitemap', {}, PAGES, DEFAULT_SPIDER),
    ('no content type, body without an XML declaration', 'http://a.example/sitemap', {}, b'<urlset><url><loc>http://a.example/1</loc></url></urlset>', DEFAULT_SPIDER),
    ('no content type, HTML body with an XML declaration', 'http://a.example/sitemap', {}, b'<?xml version="1.0"?><html><body><urlset><url><loc>http://a.example/1</loc></url></urlset></body></html>', DEFAULT_SPIDER),
    ('no content type, .txt URL', 'http://a.example/sitemap.txt', {}, PAGES, DEFAULT_SPIDER),
    ('no content type, .rss URL', 'http://a.example/feed.rss', {}, b'<urlset><url><loc>http://a.example/1</loc></url></urlset>', DEFAULT_SPIDER),
    ('Content-Disposition names an .xml file', 'http://a.example/download', {'Content-Disposition': 'attachment; filename="sitemap.xml"'}, b'<urlset><url><loc>http://a.example/1</loc></url></urlset>', DEFAULT_SPIDER),
    ('gzip body, gzip content type', 'http://a.example/sitemap.xml.gz', {'Content-Type': 'application/x-gzip'}, gzip.compress(PAGES, mtime=0), DEFAULT_SPIDER),
    ('gzip body at any URL', 'http://a.example/download?id=7', {'Content-Type': 'application/octet-stream'}, gzip.compress(PAGES, mtime=0), DEFAULT_SPIDER),
    ('gzip body without a content type', 'http://a.example/s.gz', {}, gzip.compress(PAGES, mtime=0), DEFAULT_SPIDER),
    ('gzip body of a sitemap index', 'http://a.example/index.xml.gz', {'Content-Type': 'application/gzip'}, gzip.compress(INDEX, mtime=0), DEFAULT_SPIDER),
    ('truncated gzip body keeps what it holds', 'http://a.example/sitemap.xml.gz', {'Content-Type': 'application/gzip'}, gzip.compress(PAGES, mtime=0)[:-40], DEFAULT_SPIDER),
    ('gzip body with a bad checksum', 'http://a.example/sitemap.xml.gz', {'Content-Type': 'application/gzip'}, gzip.compress(PAGES, mtime=0)[:-8] + b'\0\0\0\0' + gzip.compress(PAGES, mtime=0)[-4:], DEFAULT_SPIDER),
    ('gzip body served as XML is read as is', 'http://a.example/sitemap', XML, gzip.compress(PAGES, mtime=0), DEFAULT_SPIDER),
    ('plain text body at a .gz URL', 'http://a.example/sitemap.gz', {'Content-Type': 'application/gzip'}, PAGES, DEFAULT_SPIDER),
    ('sitemap index: every sitemap followed', 'http://a.example/index.xml', XML, INDEX, DEFAULT_SPIDER),
    ('sitemap index: sitemap_follow', 'http://a.example/index.xml', XML, INDEX, {'rules': [['', 'parse']], 'follow': ['products', 'pages'], 'alternate': False}),
    ('sitemap index: anchored sitemap_follow', 'http://a.example/index.xml', XML, INDEX, {'rules': [['', 'parse']], 'follow': ['^http://a\\.example/blog'], 'alternate': False}),
    ('sitemap index with alternate links followed', 'http://a.example/index.xml', XML, b'<sitemapindex ' + XHTML + b'><sitemap><loc>http://a.example/s.xml</loc><xhtml:link rel="alternate" href="http://a.example/de/s.xml"/></sitemap></sitemapindex>', {'rules': [['', 'parse']], 'follow': [''], 'alternate': True}),
    ('sitemap_rules: the first matching rule', 'http://a.example/sitemap.xml', XML, PAGES, RULES),
    ('sitemap_rules: URLs no rule matches are skipped', 'http://a.example/sitemap.xml', XML, PAGES, {'rules': [['/product/', 'parse_product']], 'follow': [''], 'alternate': False}),
    ('alternate links off', 'http://a.example/sitemap.xml', XML, PAGES, DEFAULT_SPIDER),
    ('alternate links on', 'http://a.example/sitemap.xml', XML, PAGES, {'rules': [['/product/', 'parse_product'], ['', 'parse']], 'follow': [''], 'alternate': True}),
    ('sitemap_filter by lastmod', 'http://a.example/sitemap.xml', XML, PAGES, {'rules': [['', 'parse']], 'follow': [''], 'alternate': False, 'lastmod_from': '2026-01-01'}),
    ('sitemap_filter by lastmod in an index', 'http://a.example/index.xml', XML, INDEX, {'rules': [['', 'parse']], 'follow': [''], 'alternate': False, 'lastmod_from': '2026-01-01'}),
    ('entries hidden in comments are not requested', 'http://a.example/sitemap.xml', XML, SITEMAPS['entry hidden in a comment'], DEFAULT_SPIDER),
    ('truncated sitemap', 'http://a.example/sitemap.xml', XML, SITEMAPS['truncated after a complete entry'], DEFAULT_SPIDER),
    ('UTF-16 sitemap', 'http://a.example/sitemap.xml', XML, u'<?xml version="1.0" encoding="UTF-16"?><urlset><url><loc>http://a.example/1</loc></url><url><loc>http://a.example/2</loc></url></urlset>'.encode('utf-16'), DEFAULT_SPIDER),
    ('windows-1252 sitemap', 'http://a.example/sitemap.xml', XML, b'<?xml version="1.0" encoding="windows-1252"?><!-- \x93quoted\x94 --><urlset><url><loc>http://a.example/1</loc></url></urlset>', DEFAULT_SPIDER),
    ('an RSS feed at a .xml URL: not a sitemap type', 'http://a.example/feed.xml', XML, SITEMAPS['RSS feed'], DEFAULT_SPIDER),
    ('unreadable body', 'http://a.example/sitemap.xml', XML, b'not xml at all', DEFAULT_SPIDER),
    ('an empty loc stops the callback', 'http://a.example/sitemap.xml', XML, b'<urlset><url><loc>http://a.example/1</loc></url><url><loc></loc></url><url><loc>http://a.example/3</loc></url></urlset>', DEFAULT_SPIDER),
    ('a relative loc stops the callback', 'http://a.example/sitemap.xml', XML, b'<urlset><url><loc>http://a.example/1</loc></url><url><loc>/2</loc></url></urlset>', DEFAULT_SPIDER),
    ('robots.txt', 'http://a.example/robots.txt', {'Content-Type': 'text/plain'}, b'User-agent: *\nSitemap: /sitemap_index.xml\nsitemap: http://b.example/s.xml\n', DEFAULT_SPIDER),
    ('robots.txt with a query is read as a sitemap', 'http://a.example/robots.txt?x=1', {'Content-Type': 'text/plain'}, b'Sitemap: /s.xml\n', DEFAULT_SPIDER),
    ('robots.txt in a subdirectory', 'http://a.example/shop/robots.txt', {'Content-Type': 'text/plain'}, b'Sitemap: s.xml\n', DEFAULT_SPIDER),
]


class Warnings(logging.Handler):
    def __init__(self):
        super().__init__()
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def spider_answer(url, headers, body, config):
    def callback(name):
        def method(self, response):
            pass
        method.__name__ = name
        return method

    attrs = {
        'name': 'oracle',
        'sitemap_rules': [tuple(rule) for rule in config['rules']],
        'sitemap_follow': config['follow'],
        'sitemap_alternate_links': config['alternate'],
        'parse': callback('parse'),
        'parse_product': callback('parse_product'),
        'parse_blog': callback('parse_blog'),
    }
    if 'lastmod_from' in config:
        def sitemap_filter(self, entries):
            for entry in entries:
                if entry.get('lastmod', '') >= config['lastmod_from']:
                    yield entry
        attrs['sitemap_filter'] = sitemap_filter
    spider = type('OracleSpider', (SitemapSpider,), attrs)()
    hdrs = Headers(headers)
    cls = responsetypes.from_args(headers=hdrs, url=url, body=body)
    response = cls(url=url, headers=hdrs, body=body)
    warnings = Warnings()
    log = logging.getLogger('scrapy.spiders.sitemap')
    log.addHandler(warnings)
    requests, outcome = [], 'ok'
    try:
        for request in spider._parse_sitemap(response):
            callback = request.callback.__name__
            requests.append([request.url, 'sitemap' if callback == '_parse_sitemap' else callback])
    except Exception:
        outcome = 'unreadable' if not requests and _unreadable(spider, response) else 'failed'
    finally:
        log.removeHandler(warnings)
    if any(m.startswith('Ignoring invalid sitemap') for m in warnings.messages):
        outcome = 'ignored'
    return {'class': cls.__name__, 'outcome': outcome, 'requests': requests}


def _unreadable(spider, response):
    try:
        Sitemap(spider._get_sitemap_body(response))
        return False
    except Exception:
        return True


def latin1(data):
    return data.decode('latin-1')


logging.getLogger('scrapy.spiders.sitemap').propagate = False
print(json.dumps({
    'sitemaps': [{'name': name, 'body': latin1(body), **sitemap_answer(body)} for name, body in SITEMAPS.items()],
    'robots': [{'name': name, 'text': text, 'base': base, 'urls': list(sitemap_urls_from_robots(text, base_url=base))} for name, text, base in ROBOTS],
    'responses': [
        {'name': name, 'url': url, 'headers': headers, 'body': latin1(body), 'spider': config, **spider_answer(url, headers, body, config)}
        for name, url, headers, body, config in RESPONSES
    ],
}, indent=1, ensure_ascii=False))
