"""Selector answers from parsel 1.7, the oracle for test/selector/selectors-oracle.test.ts.

Each case is a document, a chain of operations and parsel's answer. A chain starts from
`Selector(text=doc)` (or `type='xml'`) and applies, in order:

  ["css", q]  ["xpath", q]  ["xpath", q, {"namespaces": {...}, "variables": {...}}]
  ["item", i]                       the i-th selector of a list
  ["register_namespace", p, uri]    ["remove_namespaces"]
and ends with one of
  ["get"]  ["getall"]  ["attrib"]  ["len"]
  ["re", pattern]  ["re", pattern, replace_entities]  ["re_first", pattern]  ["re_first", pattern, default]

The answer is {"result": ...}, or {"error": True} when parsel raises (dragline must then throw a
DraglineError). Cases where lxml builds a different tree than the HTML standard (and so parse5), or
serializes it differently, carry "lxml_difference": the reason, also listed in docs/selectors.md; the jest test checks that
dragline's answer really differs there, and each has a neighbour case with a selector that works in both.

Regenerate: /usr/bin/python3 test/oracle/parsel_selectors.py > test/fixtures/oracle/parsel_selectors.json
"""
import json

from parsel import Selector

DOCS = {
    "mixed": '<html><body><div id="d" class="box main">head <p id="p1">one <b>bold</b> tail1</p> mid '
             '<p id="p2" class="x">two</p> end<span id="s">s<i>i</i>after-i</span></div>'
             '<div id="e">other<p>three</p></div></body></html>',
    "nested": '<div id="outer">a<div id="inner">b<div id="deep">c</div>d</div>e</div>',
    "whitespace": '<ul>\n  <li> one </li>\n  <li>\ttwo\n</li>\n  <li></li>\n</ul>',
    "entities": '<p title="a &amp; b &quot;q&quot;">fish &amp; chips &lt;tag&gt; caf&eacute; &#169; &#x263A; &nbsp;x</p>'
                '<p>AT&amp;T &copy; 2020</p>',
    "references": '<p title="x &amp; y">fish &amp; chips &lt;tag&gt; &#169; caf&eacute; &#x263A;</p><p>AT&amp;T</p>',
    # References to C1 control codes in the text, which re() reads as the windows-1252 characters meant.
    "c1_references": '<p>a &amp;#128; b &amp;#147;x&amp;#148; &amp;#x9F; &amp;#x85;</p>',
    "crlf": '<p>a\r\nb\rc</p>',
    "legacy-entity": '<p>AT&T &copy 2020 &notit; &amp</p>',
    "comments": '<div>before<!-- a comment -->after<!--second--></div><p>p<!--in p-->q</p>',
    "links": '<body><a href="/one" class="nav" id="first">One</a><a href="/two">Two <img src="two.png" alt="2"></a>'
             '<a name="anchor">no href</a><p><a href="/three" rel="next nofollow">Three</a></p>'
             '<img src="logo.png" alt="logo"><area href="/map"></body>',
    "siblings": '<div><h2 id="h">Title</h2><p id="a">first</p><p id="b">second <em>em</em></p>'
                '<span id="c">third</span><p id="d">fourth</p></div>',
    "classes": '<div class="a b  c"><p class="a">1</p><p class="b a">2</p><p class="ab">3</p>'
               '<p class=" c\tb\na ">4</p><p>5</p><p class="">6</p></div>',
    "table": '<table id="t"><tbody><tr><td>1</td><td>2</td></tr><tr><td>3</td><td class="n">4</td></tr></tbody></table>',
    "lang": '<html lang="en"><body><p xml:lang="fr">bonjour</p><div lang="de"><p>hallo</p></div></body></html>',
    "noscript": '<html><head><noscript><link rel="stylesheet" href="/ns.css"></noscript></head><body>'
                '<noscript><a href="/no-js">No JS <b>here</b></a><img src="/pixel.gif"></noscript>'
                '<p>visible</p><noscript>plain &amp; text</noscript></body></html>',
    "following": '<div id="r"><p id="a">a<b id="a1">a1</b><b id="a2">a2</b></p><p id="b">b<i id="b1">b1</i></p>'
                 '<p id="c">c</p></div><footer id="f">f</footer>',
    "numbers": '<ul><li data-n="1">10</li><li data-n="2">20.5</li><li data-n="x">abc</li><li data-n="4"> 7 </li></ul>',
    "regex": '<div><span class="price">Price: $1,299.99</span><span class="sku">SKU-00123 / sku-456</span>'
             '<p>Line one\nLine two\nlast line</p><a href="/item?id=42&amp;ref=home">Item 42</a>'
             '<p class="d">2026-12-02 and 1999-01-31</p><p class="u">Zoë café naïve</p></div>',
    "tbody": '<table><tr><td>x</td></tr></table>',
    "misnested": '<p>one<b>two<i>three</b>four</i>five</p>',
    "p-in-p": '<p>outer<p>inner</p>tail</p>',
    "html-pi": '<div><?php echo 1 ?>after</div>',
    "form-in-table": '<table><form action="/f"><tr><td><input name="q"></td></tr></form></table>',
}

XML_DOCS = {
    "atom": '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/">'
            '<title>Feed</title><entry><title>First</title><link href="/1" rel="alternate"/>'
            '<media:thumbnail url="/1.jpg"/></entry><entry><title>Second</title><link href="/2"/></entry></feed>',
    "pis": '<?xml version="1.0"?>\n<?xml-stylesheet type="text/xsl" href="style.xsl"?>\n<root><?proc data here?>'
           '<a>text</a><?other?><b>x<?inner y?>z</b></root>',
    "attrs": '<root xmlns:x="http://example.com/x" xmlns:xlink="http://www.w3.org/1999/xlink">'
             '<item id="1" x:kind="big" xlink:href="/h" xml:lang="en">one</item>'
             '<item xmlns="http://example.com/d" id="2">two</item><plain a="1" b="2"/></root>',
    "rss": '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><item><title>T1</title>'
           '<dc:creator>Ann</dc:creator><description><![CDATA[<p>Rich & bold</p>]]></description></item>'
           '<item><title>T2</title><dc:creator>Bob</dc:creator></item></channel></rss>',
    "mixed-xml": '<doc>lead <em>emph</em> tail <!-- note --> <sub>x<sub>y</sub></sub>end</doc>',
}

ATOM = "http://www.w3.org/2005/Atom"
cases = []


def case(group, doc, chain, lxml_difference=None, doc_type="html"):
    entry = {"group": group, "type": doc_type, "doc": doc, "chain": chain}
    if lxml_difference:
        entry["lxml_difference"] = lxml_difference
    cases.append(entry)


def getall(group, doc, *queries, kind="css"):
    for query in queries:
        case(group, doc, [[kind, query], ["getall"]])


# --- 1. ::text, *::text, ::attr() with every combinator --------------------------------------------
TEXT_QUERIES = [
    "div ::text", "div::text", "div *::text", "div > ::text", "div > *::text", "div>*::text",
    "::text", "*::text", "p::text", "p ::text", "p *::text", "body > div ::text", "div p::text",
    "div > p::text", "div > p ::text", "span ::text", "span > ::text", "#d ::text", "#d > * ::text",
    "p + ::text", "p + p::text", "p ~ ::text", "p ~ *::text", "b, i ::text", "div ::text, p::text",
    "div *.x::text", "div *[id]::text", "div :not(p)::text", "p:first-child::text", "div p:nth-of-type(2) ::text",
]
for query in TEXT_QUERIES:
    case("css-text", "mixed", [["css", query], ["getall"]])
for query in ["div ::text", "div::text", "div > ::text", "div div ::text", "div > div::text", "#inner ::text", "*::text"]:
    case("css-text", "nested", [["css", query], ["getall"]])
for query in ["li::text", "li ::text", "ul ::text", "ul > ::text", "ul::text"]:
    case("css-text", "whitespace", [["css", query], ["getall"]])
for query in ["div::text", "div ::text", "p::text", "p ::text", "*::text"]:
    case("css-text", "comments", [["css", query], ["getall"]])
ATTR_QUERIES = [
    "::attr(id)", "*::attr(id)", "div ::attr(id)", "div::attr(id)", "div > ::attr(id)", "div *::attr(class)",
    "p::attr(id)", "p::attr(class)", "div ::attr(class)", "#d > ::attr(id)", "p + ::attr(id)", "span ::attr(id)",
    "p::attr(missing)", "div::attr(  id  )", "div::attr(\"id\")",
]
for query in ATTR_QUERIES:
    case("css-text", "mixed", [["css", query], ["getall"]])
for query in ["a::attr(href)", "a ::attr(href)", "body ::attr(src)", "p ::attr(href)", "p > ::attr(rel)", "img::attr(alt)",
              "a::attr(href), img::attr(src)", "*::attr(href)"]:
    case("css-text", "links", [["css", query], ["getall"]])
for query in ["p::attr(title)", "p::text", "p ::text"]:
    case("css-text", "entities", [["css", query], ["getall"]])
# Nested selectors: queries relative to a selected element.
NESTED = [
    [["css", "div"], ["css", "::text"]], [["css", "div"], ["css", " ::text"]], [["css", "div"], ["css", "*::text"]],
    [["css", "div"], ["css", "p::text"]], [["css", "div"], ["css", "div::text"]], [["css", "div"], ["css", "div ::text"]],
    [["css", "div"], ["css", "p ::text"]],
    [["css", "#d"], ["css", "::attr(id)"]], [["css", "#d"], ["css", " ::attr(id)"]], [["css", "p"], ["css", "::text"]],
    [["css", "div"], ["xpath", "./p/text()"]], [["css", "div"], ["xpath", ".//text()"]], [["css", "div"], ["xpath", "text()"]],
    [["css", "p"], ["xpath", "./text()"]], [["css", "#d p"], ["xpath", "./b"]], [["css", "span"], ["css", "i::text"]],
    [["xpath", "//p"], ["css", "b::text"]], [["xpath", "//div[@id='d']"], ["css", "p:first-child::text"]],
    [["css", "div"], ["item", 1], ["css", "::text"]], [["css", "p"], ["item", 0], ["xpath", "string()"]],
]
NESTED += [
    [["css", "#d"], ["css", "p ::text"]], [["css", "#d"], ["css", "p *::text"]], [["css", "#d"], ["css", "p > ::text"]],
    [["css", "#d"], ["css", "::attr(class)"]], [["css", "p"], ["css", " ::text"]], [["css", "p"], ["css", "*::text"]],
    [["css", "span"], ["css", "::text"]], [["css", "span"], ["css", "* ::text"]],
    [["xpath", "//div"], ["css", "::attr(id)"]], [["xpath", "//div"], ["xpath", "./@id"]], [["css", "div"], ["css", "p"], ["css", "::text"]],
    [["css", "div"], ["css", "p"], ["xpath", "normalize-space()"]], [["css", "#d"], ["xpath", "count(.//p)"]],
    [["css", "#d"], ["xpath", "string-length(normalize-space())"]], [["css", "div"], ["xpath", "boolean(./span)"]],
]
for chain in NESTED:
    case("css-text", "mixed", chain + [["getall"]])
for chain in [[["css", "p"], ["item", 0], ["get"]], [["css", "p::text"], ["get"]], [["css", "div"], ["attrib"]],
              [["css", "p"], ["attrib"]], [["css", "#d"], ["item", 0], ["attrib"]],
              [["css", "nothing"], ["attrib"]], [["css", "nothing"], ["get"]], [["css", "span"], ["get"]],
              [["css", "#d"], ["css", "b"], ["get"]]]:
    case("css-text", "mixed", chain)
for chain in [[["css", "p"], ["attrib"]], [["xpath", "//p/@title"], ["get"]]]:
    case("css-text", "entities", chain)
case("css-text", "comments", [["css", "div"], ["get"]])
case("css-text", "comments", [["xpath", "//comment()"], ["getall"]])

# --- 2. XPath: parsel's extensions, axes, functions, results ---------------------------------------
XPATHS_MIXED = [
    "//p[has-class('x')]/@id", "//div[has-class('box')]/@id", "//div[has-class('box', 'main')]/@id",
    "//div[has-class('main', 'box')]/@id", "//div[has-class('box', 'nope')]/@id", "//*[has-class('x')]/text()",
    "//p[re:test(@id, '^p\\d$')]/@id", "//p[re:test(., 'ONE', 'i')]/@id", "//p[re:test(., 'ONE')]/@id",
    "//p[re:test(@id, '2$')]/text()", "re:replace(string(//p[@id='p1']), 'o', '', '0')",
    "re:replace('a-b-c', '-', 'g', '+')", "re:replace('a-b-c', '-', '', '+')", "re:replace('Abc abc', 'a', 'gi', 'x')",
    "re:replace('2026-12-02', '(\\d+)-(\\d+)-(\\d+)', '', '\\3/\\2/\\1')",
    "string(re:match('price 12.50 eur', '(\\d+)\\.(\\d+)'))", "count(re:match('price 12.50 eur', '(\\d+)\\.(\\d+)'))",
    "re:match('price 12.50 eur', '(\\d+)\\.(\\d+)')", "re:match('a1b2c3', '\\d', 'g')", "re:match('nothing', '\\d')",
    "re:match('ab12', '(?P<word>[a-z]+)(\\d+)')/text()",
    "set:difference(//p, //p[@class])/@id", "set:intersection(//p, //*[@class])/@id",
    "set:distinct(//p | //div)/@id", "set:has-same-node(//p, //*[@id='p2'])", "set:has-same-node(//p, //span)",
    "set:leading(//*[@id], //*[@id='p2'])/@id", "set:trailing(//*[@id], //*[@id='p2'])/@id",
    "set:leading(//*[@id], //nothing)/@id", "set:leading(//p, //span)/@id", "set:trailing(//p, //span)/@id",
    "count(set:distinct(//p/text() | //b/text()))",
    "count(//p)", "count(//p) > 2", "count(//nothing)", "sum(//p/@id)", "1 div 3", "1 div 0", "-1 div 0", "0 div 0",
    "2 + 3", "10 * 0.1", "100000 * 100000 * 100000 * 100000", "0.00001", "-0", "7 mod 3", "number('12')", "number('x')",
    "string-length(//p[@id='p1'])", "string(//p[@id='p1'])", "normalize-space(//p[@id='p1'])", "normalize-space(//div)",
    "string(//div/@class)", "concat(//p/@id, '-', //span/@id)", "substring-before('a/b', '/')", "translate('abc', 'b', 'B')",
    "boolean(//p)", "boolean(//nothing)", "true()", "not(true())", "//p/@id = 'p2'", "name(//*[@id='s'])",
    "local-name(//*[@id='s'])", "//p[last()]/@id", "//p[position() = 1]/text()", "(//text())[3]", "//p[2]/text()",
    "//b/following::*/@id", "//b/following::text()", "//p[@id='p1']/following::*/@id", "//p[@id='p1']/following-sibling::*/@id",
    "//i/preceding::*/@id", "//i/ancestor::*/@id", "//b/ancestor-or-self::*[@id]/@id", "//span/descendant::text()",
    "//div[@id='d']/p[1]/following::p/text()", "id('p2')/text()", "//p[@id='p1']/@*", "//div[@id='d']/node()",
    "//comment()", "//text()[normalize-space()][1]", "//p[contains(., 'two')]/@id", "//p[starts-with(@id, 'p')]/@id",
    "//*[self::p or self::span]/@id", "//p | //span", "//p/text() | //p/@id",
]
for query in XPATHS_MIXED:
    case("xpath", "mixed", [["xpath", query], ["getall"]])
for query in ["//*[@id='a']/following::*/@id", "//*[@id='a']/following::text()", "//*[@id='a1']/following::*/@id",
              "//*[@id='b']/following::node()", "//*[@id='r']/following::*/@id", "//*[@id='c']/following::*/@id",
              "//*[@id='b1']/following::text()", "//*[@id='a']/@id/following::*/@id", "//*[@id='a']/text()/following::*/@id",
              "//*[@id='b']/preceding::*/@id", "//*[@id='b1']/preceding::text()", "count(//*[@id='a']/following::*)"]:
    case("xpath", "following", [["xpath", query], ["getall"]])
for chain in [[["css", "#a"], ["xpath", "following::*/@id"]], [["css", "#a"], ["xpath", "following::text()"]],
              [["css", "#a1"], ["xpath", "following::b/text()"]], [["css", "p"], ["xpath", "following::p[1]/@id"]]]:
    case("xpath", "following", chain + [["getall"]])
for query in ["//p[has-class('a')]/text()", "//p[has-class('b', 'a')]/text()", "//p[has-class('c')]/text()",
              "//*[has-class('a', 'b', 'c')]/@class", "//p[has-class('ab')]/text()", "//p[not(has-class('a'))]/text()",
              "count(//*[has-class('b')])"]:
    case("xpath", "classes", [["xpath", query], ["getall"]])
for query in ["//p[lang('fr')]/text()", "//p[lang('FR')]/text()", "//p[lang('en')]/text()", "//p[lang('de')]/text()",
              "count(//*[lang('en')])", "//*[lang('fr')]", "//p[@xml:lang]/text()"]:
    case("xpath", "lang", [["xpath", query], ["getall"]])
for query in ["//li/@data-n", "sum(//li)", "sum(//li[1] | //li[2])", "number(//li[2])", "number(//li[4])",
              "//li[. > 15]/text()", "//li[@data-n > 1]/text()", "count(//li[number(.) = number(.)])", "//li[1] + //li[2]",
              "round(20.5)", "round(-2.5)", "floor(-1.5)", "ceiling(1.2)", "1 = 1.0", "'1' = 1", "//li[2] * 2", "1 div 7",
              "123456789 * 1000000000", "0.1 + 0.2", "string(1 div 0)", "string(0.5)", "string(100)", "-(1 div 3)",
              "//li[@data-n='x']/@data-n * 1", "count(//li) div 3"]:
    case("xpath", "numbers", [["xpath", query], ["getall"]])
case("xpath", "mixed", [["xpath", "//p[@id=$id]/text()", {"variables": {"id": "p2"}}], ["getall"]])
case("xpath", "mixed", [["xpath", "count(//p[@class=$c])", {"variables": {"c": "x"}}], ["getall"]])
case("xpath", "mixed", [["xpath", "//p[position()=$n]/@id", {"variables": {"n": 1}}], ["getall"]])
case("xpath", "mixed", [["xpath", "//p[["], ["getall"]])
case("xpath", "mixed", [["xpath", "//nope:p"], ["getall"]])
case("xpath", "mixed", [["xpath", "unknown-function(1)"], ["getall"]])
case("xpath", "mixed", [["xpath", "//p[has-class()]"], ["getall"]])
case("xpath", "mixed", [["xpath", "//p[has-class(1)]"], ["getall"]])
case("xpath", "mixed", [["xpath", "//p[re:test(., '(?i)ONE')]/@id"], ["getall"]])
case("xpath", "mixed", [["xpath", "//p[re:test(@id, '\\Ap\\d\\Z')]/@id"], ["getall"]])
case("xpath", "mixed", [["xpath", "re:replace('a.b.c', '\\.', 'g', '\\\\')"], ["getall"]])
case("xpath", "mixed", [["xpath", "re:replace('John Smith', '(?P<first>\\w+) (?P<last>\\w+)', '', '\\g<last>, \\g<first>')"], ["getall"]])
case("xpath", "mixed", [["xpath", "re:replace('aaa', 'a', 'g', '\\g<0>\\g<0>')"], ["getall"]])
for chain in [[["xpath", "//p"], ["xpath", "string()"]], [["xpath", "//p"], ["xpath", "normalize-space(.)"]],
              [["xpath", "//p"], ["xpath", "count(.//text())"]], [["xpath", "//p"], ["xpath", "has-class('x')"]],
              [["xpath", "//p/@id"], ["xpath", "string()"]], [["xpath", "//p/@id"], ["xpath", ".."]],
              [["xpath", "//p/text()"], ["xpath", "string-length()"]], [["xpath", "//p"], ["xpath", "re:test(., 'o')"]],
              [["xpath", "//p"], ["get"]], [["xpath", "//p/@id"], ["get"]], [["xpath", "count(//p)"], ["get"]],
              [["xpath", "true()"], ["get"]], [["xpath", "false()"], ["getall"]], [["xpath", "'text'"], ["getall"]],
              [["xpath", "count(//p)"], ["re", "\\d"]]]:
    case("xpath", "mixed", chain if chain[-1][0] in ("get", "getall", "re", "attrib") else chain + [["getall"]])

# --- 3. re() and re_first() with Python's syntax and parsel's semantics -----------------------------
REGEXES = [
    ("span.price::text", "\\d+"), ("span.price::text", "[\\d,.]+"), ("span.price::text", "\\$([\\d,]+)\\.(\\d+)"),
    ("span.price::text", "(?P<extract>\\d+)\\.\\d+"), ("span.price::text", "(?P<dollars>\\d),(?P<rest>\\d+)"),
    ("span.price::text", "(?i)PRICE"), ("span.price::text", "PRICE"), ("span.price::text", "(?i)price: (\\S+)"),
    ("span.sku::text", "(?i)sku-(\\d+)"), ("span.sku::text", "sku-(\\d+)|SKU-(\\d+)"), ("span.sku::text", "(SKU)?-(\\d+)"),
    ("span.sku::text", "(?P<p>[a-z]+)-\\d+"), ("span.sku::text", "(?P<w>[A-Z])(?P=w)"), ("span.sku::text", "(?i)(?P<w>s)k(?P=w)?"),
    ("p:nth-of-type(1)::text", "^Line \\w+"), ("p:nth-of-type(1)::text", "(?m)^Line \\w+"), ("p:nth-of-type(1)::text", "(?m)line$"),
    ("p:nth-of-type(1)::text", "one.Line"), ("p:nth-of-type(1)::text", "(?s)one.Line"), ("p:nth-of-type(1)::text", "(?is)ONE.line"),
    ("p:nth-of-type(1)::text", "\\ALine"), ("p:nth-of-type(1)::text", "(?m)\\ALine"), ("p:nth-of-type(1)::text", "line\\Z"),
    ("p:nth-of-type(1)::text", "(?m)two\\Z"), ("p:nth-of-type(1)::text", "(?m)two$"),
    ("p:nth-of-type(1)::text", "(?x) Line \\s+ (\\w+)  # a comment"), ("p:nth-of-type(1)::text", "(?x)[ ]one"),
    ("p:nth-of-type(1)::text", "(?x) last \\  line"), ("p:nth-of-type(1)::text", "(?xi) LINE [ ] (?P<n> \\w+ )"),
    ("p.d::text", "(\\d{4})-(\\d{2})-(\\d{2})"), ("p.d::text", "(?P<extract>\\d{4})-\\d\\d"), ("p.d::text", "\\d{4}(?=-01)"),
    ("p.d::text", "(?<=-)\\d\\d(?=-)"), ("p.d::text", "(?:\\d{4})-(\\d\\d)"), ("p.d::text", "\\b\\d{2}\\b"),
    ("p.d::text", "\\d*"), ("p.d::text", "x*"), ("p.d::text", "(a)|(\\d{4})"), ("p.u::text", "\\w+"), ("p.u::text", "[\\w]+"),
    ("p.u::text", "\\W+"), ("p.u::text", "caf\\u00e9"), ("p.u::text", "\\bna\\w+"), ("p.u::text", "[^\\W\\d]+"),
    ("p.u::text", "\\x5a\\w"), ("p.u::text", "(?a)\\w+"), ("p.u::text", "(?u)\\w+"), ("a::attr(href)", "id=(\\d+)"), ("a::attr(href)", "[?&]ref=([^&]+)"),
    ("a", "href=\"([^\"]+)\""), ("a", "id=\\d+&amp;"), ("span.sku::text", "\\-\\s/\\s"), ("span.sku::text", "[\\-/]"),
    ("span.price::text", "\\$"), ("span.price::text", "[$]\\d"), ("span.price::text", "\\d{1,2}\\,"),
]
for query, pattern in REGEXES:
    case("re", "regex", [["css", query], ["re", pattern]])
for query, pattern in REGEXES[:20]:
    case("re", "regex", [["css", query], ["re_first", pattern]])
for query, pattern, default in [("span.price::text", "nomatch", "dflt"), ("span.price::text", "nomatch", None),
                                ("nothing::text", "\\d", "dflt"), ("span::text", "(\\d+)", None)]:
    case("re", "regex", [["css", query], ["re_first", pattern, default]])
ENTITY_DOC = "references"
for chain in [[["css", "p"], ["re", "&\\w+;"]], [["css", "p"], ["re", "&\\w+;", False]], [["css", "p"], ["re", "caf.|AT&amp;T"]],
              [["css", "p"], ["re", "&#?\\w+;?"]], [["css", "p"], ["re", "&#?\\w+;?", False]], [["css", "p"], ["re_first", "&[a-z]+;"]],
              [["css", "p"], ["re", "(&)(\\w+);"]], [["css", "p::attr(title)"], ["re", "&.*"]], [["css", "p"], ["item", 1], ["re", "&\\w+;"]],
              [["css", "p"], ["item", 0], ["re", "title=\"[^\"]*\""]], [["css", "p"], ["re", "&(#x?[0-9a-f]+|[a-z]+);"]],
              [["css", "p::text"], ["re", "."]], [["css", "p"], ["item", 0], ["re_first", "&gt;", "d"]]]:
    case("re", ENTITY_DOC, chain)
for chain in [[["css", "p::text"], ["re", ".+"]], [["css", "p::text"], ["re_first", "b (.+)"]], [["css", "p::text"], ["re", ".+", False]]]:
    case("re", "c1_references", chain)
for chain in [[["xpath", "//p/text()"], ["re", "(?P<extract>\\w+)"]], [["css", "p::text"], ["re", "(\\w)(\\w)?"]],
              [["css", "p"], ["item", 0], ["re", "<b>(.*?)</b>"]], [["css", "p"], ["re", "(?s)<p.*?>(.*?)</p>"]],
              [["css", "#p1"], ["re_first", "(\\w+) <b>"]], [["xpath", "string(//div)"], ["re", "(?i)TWO|one"]]]:
    case("re", "mixed", chain)
for pattern in ["(?P<a>x", "a{2,1}", "(?<!a+)b", "\\p{L}", "[z-a]", "\\q", "(?(1)a|b)", "a(?i)b"]:
    case("re", "regex", [["css", "span::text"], ["re", pattern]])

# --- 4. <noscript> is markup ------------------------------------------------------------------------
for query in ["noscript a::attr(href)", "noscript ::text", "noscript::text", "a::attr(href)", "img::attr(src)", "noscript > *",
              "link::attr(href)", "body > noscript a b::text", "noscript a::text"]:
    case("noscript", "noscript", [["css", query], ["getall"]])
for query in ["//noscript//a/@href", "//noscript/text()", "string(//noscript[1])", "//noscript[2]/text()", "count(//noscript/*)",
              "//head/noscript/link/@href", "//a/text()"]:
    case("noscript", "noscript", [["xpath", query], ["getall"]])
case("noscript", "noscript", [["css", "body noscript"], ["item", 0], ["get"]])
case("noscript", "noscript", [["css", "body noscript"], ["item", 1], ["get"]])
case("noscript", "noscript", [["css", "noscript"], ["item", 0], ["css", "a"], ["attrib"]])

# --- 5. XML: processing instructions, attributes, namespaces ----------------------------------------
for query in ["//processing-instruction()", "//processing-instruction('proc')", "count(//processing-instruction())",
              "string(//processing-instruction('proc'))", "name(//processing-instruction()[1])",
              "//b/processing-instruction()", "//b/node()", "/root/node()", "/node()", "//processing-instruction('nope')",
              "//b/text()", "string(//b)"]:
    case("xml", "pis", [["xpath", query], ["getall"]], doc_type="xml")
case("xml", "pis", [["css", "b"], ["get"]], doc_type="xml")
case("xml", "pis", [["css", "root"], ["xpath", "processing-instruction()"], ["item", 0], ["xpath", "string()"], ["get"]], doc_type="xml")
for chain in [[["css", "item"], ["attrib"]], [["xpath", "//*[@id='2']"], ["attrib"]], [["css", "item"], ["len"]], [["css", "plain"], ["attrib"]],
              [["css", "root"], ["attrib"]], [["xpath", "/*"], ["attrib"]], [["xpath", "//*[@id]/@*"], ["getall"]],
              [["xpath", "//@*[local-name()='kind']"], ["getall"]], [["xpath", "count(//item[1]/@*)"], ["getall"]],
              [["xpath", "//item[1]/@x:kind", {"namespaces": {"x": "http://example.com/x"}}], ["getall"]],
              [["xpath", "//d:item/text()", {"namespaces": {"d": "http://example.com/d"}}], ["getall"]],
              [["xpath", "//item/text()"], ["getall"]], [["css", "item::text"], ["getall"]], [["css", "item::attr(id)"], ["getall"]],
              [["remove_namespaces"], ["css", "item"], ["attrib"]], [["remove_namespaces"], ["xpath", "//item/text()"], ["getall"]],
              [["xpath", "//item[lang('en')]/text()"], ["getall"]], [["xpath", "//item[lang('EN')]/text()"], ["getall"]],
              [["css", "plain"], ["get"]], [["xpath", "//*[@id='2']"], ["get"]]]:
    case("xml", "attrs", chain, doc_type="xml")
for chain in [[["register_namespace", "a", ATOM], ["css", "a|entry a|title::text"], ["getall"]],
              [["register_namespace", "a", ATOM], ["css", "a|title::text"], ["getall"]],
              [["register_namespace", "a", ATOM], ["css", "a|entry > a|link::attr(href)"], ["getall"]],
              [["register_namespace", "a", ATOM], ["register_namespace", "m", "http://search.yahoo.com/mrss/"],
               ["css", "m|thumbnail::attr(url)"], ["getall"]],
              [["register_namespace", "a", ATOM], ["css", "a|entry"], ["item", 1], ["css", "a|title::text"], ["getall"]],
              [["register_namespace", "a", ATOM], ["css", "a|entry"], ["len"]],
              [["register_namespace", "a", ATOM], ["css", "a|entry ::text"], ["getall"]],
              [["register_namespace", "a", ATOM], ["xpath", "//a:entry/a:link/@href"], ["getall"]],
              [["css", "entry"], ["len"]], [["css", "title::text"], ["getall"]], [["xpath", "//entry"], ["len"]],
              [["register_namespace", "a", ATOM], ["xpath", "//a:link[has-class('x')]"], ["len"]],
              [["register_namespace", "a", ATOM], ["xpath", "count(set:distinct(//a:title))"], ["getall"]],
              [["register_namespace", "a", ATOM], ["xpath", "//a:title[re:test(., '^S')]/text()"], ["getall"]],
              [["xpath", "//*[local-name()='link']/@href"], ["getall"]], [["remove_namespaces"], ["css", "entry > title::text"], ["getall"]],
              [["css", "q|entry"], ["getall"]]]:
    case("xml", "atom", chain, doc_type="xml")
for chain in [[["css", "item > title::text"], ["getall"]], [["css", "dc\\:creator::text"], ["getall"]],
              [["css", "description::text"], ["getall"]], [["css", "item ::text"], ["getall"]], [["css", "channel > ::text"], ["getall"]],
              [["xpath", "//description/text()"], ["re", "<(\\w+)>"]], [["css", "item"], ["item", 0], ["get"]],
              [["register_namespace", "dc", "http://purl.org/dc/elements/1.1/"], ["css", "dc|creator::text"], ["getall"]],
              [["register_namespace", "dc", "http://purl.org/dc/elements/1.1/"], ["xpath", "//dc:creator/text()"], ["getall"]]]:
    case("xml", "rss", chain, doc_type="xml")
for query in ["doc::text", "doc ::text", "doc > ::text", "sub::text", "sub ::text", "*::text"]:
    case("xml", "mixed-xml", [["css", query], ["getall"]], doc_type="xml")
for query in ["//doc/node()", "string(/doc)", "normalize-space(/doc)", "//sub/following::text()", "//em/following::node()",
              "//comment()", "count(//text())"]:
    case("xml", "mixed-xml", [["xpath", query], ["getall"]], doc_type="xml")

# --- 6. Where HTML5 tree building differs from lxml's (documented in docs/selectors.md) -------------
TBODY = "parse5 inserts the <tbody> the HTML standard implies; lxml does not"
case("tree", "tbody", [["xpath", "//table/tr/td/text()"], ["getall"]], lxml_difference=TBODY)
case("tree", "tbody", [["css", "table > tr > td::text"], ["getall"]], lxml_difference=TBODY)
case("tree", "tbody", [["xpath", "//table//tr/td/text()"], ["getall"]])
case("tree", "tbody", [["css", "table tr > td::text"], ["getall"]])
case("tree", "table", [["css", "table > tbody > tr > td.n::text"], ["getall"]])
MISNESTED = "misnested tags (<b><i></b></i>): the HTML standard reopens <i> after </b>, so 'four' is inside an <i>; lxml drops that <i>"
case("tree", "misnested", [["xpath", "//i"], ["getall"]], lxml_difference=MISNESTED)
case("tree", "misnested", [["css", "p::text"], ["getall"]], lxml_difference=MISNESTED)
case("tree", "misnested", [["xpath", "string(//p)"], ["getall"]])
case("tree", "misnested", [["css", "b::text"], ["getall"]])
P_IN_P = "a stray </p> makes an empty <p></p> in the HTML standard; lxml ignores it"
case("tree", "p-in-p", [["css", "p::text"], ["getall"]])
case("tree", "p-in-p", [["css", "p"], ["len"]], lxml_difference=P_IN_P)
case("tree", "p-in-p", [["css", "p:not(:empty)"], ["len"]])
case("tree", "p-in-p", [["xpath", "string(//body)"], ["getall"]])
HTML_PI = "<?...> in HTML is a bogus comment in the HTML standard; lxml's HTML parser makes it a processing instruction"
case("tree", "html-pi", [["xpath", "//processing-instruction()"], ["getall"]], lxml_difference=HTML_PI)
case("tree", "html-pi", [["xpath", "//comment()"], ["getall"]], lxml_difference=HTML_PI)
case("tree", "html-pi", [["css", "div::text"], ["getall"]])
FORM = "a <form> directly in a <table> is moved out of it by the HTML standard (its fields stay in the cells); lxml keeps it there"
case("tree", "form-in-table", [["xpath", "//form//input/@name"], ["getall"]], lxml_difference=FORM)
case("tree", "form-in-table", [["xpath", "//table//input/@name"], ["getall"]])
case("tree", "form-in-table", [["css", "input::attr(name)"], ["getall"]])
case("tree", "lang", [["xpath", "//html/@lang"], ["getall"]])
LEGACY = "the HTML standard decodes a few legacy references without ';' (&copy, &amp, &not...); lxml keeps them as written"
case("tree", "legacy-entity", [["css", "p::text"], ["getall"]], lxml_difference=LEGACY)
case("tree", "legacy-entity", [["xpath", "string(//p)"], ["re", "AT&T"]])
CRLF = "the HTML standard turns CR LF and lone CR into LF before parsing; lxml keeps them"
case("tree", "crlf", [["css", "p::text"], ["getall"]], lxml_difference=CRLF)
case("tree", "crlf", [["xpath", "normalize-space(//p)"], ["getall"]])
case("tree", "crlf", [["css", "p::text"], ["re", "\\w"]])
QUOTE = "serialization: lxml quotes an attribute value holding \" with ', parse5 writes &quot;; lxml writes U+00A0 as is, parse5 as &nbsp;"
case("tree", "entities", [["css", "p"], ["item", 0], ["get"]], lxml_difference=QUOTE)
case("tree", "entities", [["css", "p"], ["item", 1], ["get"]])
EMPTY_LI = "serialization: lxml writes an empty <li> (and other elements whose end tag HTML lets you omit) without its end tag"
case("tree", "whitespace", [["css", "ul"], ["get"]], lxml_difference=EMPTY_LI)
case("tree", "whitespace", [["css", "li"], ["item", 0], ["get"]])


def run(entry):
    source = {**DOCS, **XML_DOCS}[entry["doc"]]
    value = Selector(text=source, type=entry["type"])
    for op in entry["chain"]:
        name, args = op[0], op[1:]
        if name == "css":
            value = value.css(args[0])
        elif name == "xpath":
            options = args[1] if len(args) > 1 else {}
            value = value.xpath(args[0], namespaces=options.get("namespaces"), **options.get("variables", {}))
        elif name == "item":
            value = value[args[0]]
        elif name == "register_namespace":
            value.register_namespace(*args)
        elif name == "remove_namespaces":
            value.remove_namespaces()
        elif name == "get":
            return value.get()
        elif name == "getall":
            return value.getall()
        elif name == "attrib":
            return dict(value.attrib)
        elif name == "len":
            return len(value)
        elif name == "re":
            return value.re(args[0], replace_entities=args[1] if len(args) > 1 else True)
        elif name == "re_first":
            return value.re_first(args[0], default=args[1] if len(args) > 1 else None)
        else:
            raise AssertionError(name)
    raise AssertionError("chain without a final operation")


for entry in cases:
    try:
        entry["result"] = run(entry)
    except Exception:  # parsel raises ValueError/re.error/SelectorSyntaxError for bad input
        entry["error"] = True

print(json.dumps({"documents": {**DOCS, **XML_DOCS}, "cases": cases}, indent=1, ensure_ascii=False))
