"""Scrapy's LinkExtractor on pages and options written here. Output: test/fixtures/oracle/links.json
(see test/helpers/oracle.ts). Each link is given as Scrapy builds it, plus `url_fragment`, the
fragment of its URL, which is what dragline's Link.fragment holds (Scrapy's LinkExtractor leaves
Link.fragment empty). Bodies are latin1 strings of the page's bytes."""
import json
import re
from urllib.parse import urldefrag, urlparse

from scrapy.http import HtmlResponse
from scrapy.linkextractors import LinkExtractor

PAGE_URL = "http://www.example.com/dir/page.html"

def js_link(value):
    match = re.search(r"javascript:goToPage\('(.*?)'", value)
    return match.group(1) if match else value

def drop_twos(value):
    return None if value.endswith("2") else value

def to_upper_path(value):
    return value.replace("/item", "/ITEM")

# Named processValue functions, implemented the same way in the jest test.
PROCESS = {"js_link": js_link, "drop_twos": drop_twos, "to_upper_path": to_upper_path}

SHOP = """<html><head><title>shop</title></head><body>
<div id="nav"><a href="/cat/1">Books</a> <a href="/cat/2" rel="nofollow noopener">Music</a></div>
<div class="list">
  <a href="item/1?b=2&amp;a=1#reviews"> The  <b>first</b>
    item </a>
  <a href="item/1?b=2&amp;a=1">again</a>
  <a href="item/1?a=1&amp;b=2">again, arguments swapped</a>
  <a href="http://cdn.example.com/item/9">on the CDN</a>
  <a href="http://other.example.org/item/5">elsewhere</a>
  <a href="http://www.example.com:8080/item/6">on a port</a>
  <a href="brochure.pdf">PDF</a>
  <a href="pics/photo.JPG">photo</a>
  <a href="archive.tar.gz">archive</a>
  <a href="file.pdf;jsessionid=1">pdf with params</a>
  <a href="page.webp">webp</a>
  <a name="anchor">no link</a>
  <area href="/map/3" alt="map">
  <img src="/img/cover.png" data-href="/item/7">
</div></body></html>"""

SCHEMES = """<html><body>
<a href="mailto:shop@example.com">mail</a>
<a href="javascript:void(0)">js</a>
<a href="javascript:goToPage('../other/page.html'); return false">js page</a>
<a href="data:text/html,hello">data</a>
<a href="tel:+123">phone</a>
<a href="ftp://ftp.example.com/pub/file.txt">ftp</a>
<a href="file:///etc/hosts">file</a>
<a href="HTTPS://WWW.EXAMPLE.COM/Upper">upper</a>
<a href="//cdn.example.com/scheme-relative">scheme-relative</a>
<a href="irc://irc.example.com/chan">irc</a>
<a href="ws://www.example.com/socket">ws</a>
<a href="about:blank">about</a>
</body></html>"""

WHITESPACE = """<html><body>
<a href="  /padded  ">padded</a>
<a href="
/newline
">newline</a>
<a href="/in side/space">inner space</a>
<a href="">empty</a>
<a href=" ">blank</a>
<a href="#">hash</a>
<a href="#top">fragment only</a>
<a href="?q=1">query only</a>
<a href=".">dot</a>
<a href="..">dotdot</a>
<a href="../../../../up">far up</a>
<a href="./a/./b/../c">dots</a>
<a href="a//b">double slash</a>
<a href="/tab\there">tab</a>
</body></html>"""

REL = """<html><body>
<a href="/1" rel="nofollow">plain</a>
<a href="/2" rel="NoFollow">mixed case</a>
<a href="/3" rel="NOFOLLOW">upper case</a>
<a href="/4" rel="noopener nofollow">two tokens</a>
<a href="/5" rel="noopener,nofollow">comma</a>
<a href="/6" rel="  nofollow  ">padded</a>
<a href="/7" rel="nofollowme">not the token</a>
<a href="/8" rel="">empty</a>
<a href="/9" rel="external">external</a>
<a href="/10" rel="ugc, nofollow, sponsored">commas and spaces</a>
<a href="/11" REL="nofollow">attribute name case</a>
</body></html>"""

UNICODE = """<html><head><meta charset="utf-8"></head><body>
<a href="/café?q=café#frag é">café</a>
<a href="/日本/?q=日本語">日本</a>
<a href="http://bücher.example/straße">IDN</a>
<a href="/a b?c d=e f">spaces</a>
<a href="/%E9already?q=%E9">escaped</a>
<a href="/100%/x?p=50%">lone percent</a>
<a href="/it's?q=it's">quote</a>
<a href="/x?a=1;b=2">semicolon</a>
<a href="/x?b=1&amp;a=2#f">to canonicalize</a>
<a href="/x?a=2&amp;b=1#g">same canonical</a>
<a href="http://[::1]:8080/ipv6">ipv6</a>
</body></html>"""

BASE = """<html><head><base href="/base/dir/"></head><body>
<a href="rel">relative</a><a href="/abs">absolute</a><a href="">empty</a><a href="?q">query</a><a href="#f">frag</a>
</body></html>"""

BASE_OTHER_HOST = """<html><head><base href="http://other.example.org/b/index.html"></head><body>
<a href="x">x</a><a href="../y">y</a>
</body></html>"""

TEXTS = """<html><body>
<a href="/t1">  spaced   out  </a>
<a href="/t2"><img src="i.png" alt="alt text"></a>
<a href="/t3">with <script>var x = 1;</script> script</a>
<a href="/t4">multi
line
text</a>
<a href="/t5">&amp; &lt;entities&gt; &eacute;</a>
<a href="/t1">  spaced   out  </a>
<a href="/t1">different text</a>
</body></html>"""

REGIONS = """<html><body>
<div id="a"><a href="/1">one</a><a href="/2">two</a><p><a href="/3">three</a></p></div>
<div id="b"><a href="/2">two again</a><a href="/4">four</a></div>
<div id="c"><area href="/5"><link href="/6"><iframe src="/7"></iframe></div>
<a href="/8" id="top">top</a>
</body></html>"""

MULTI_ATTRS = """<html><body>
<a data-url="/d1" href="/h1">data first</a>
<a href="/h2" data-url="/d2">href first</a>
<img src="/i.png" data-src="/big.png">
<form action="/submit"><input type="image" src="/button.png"></form>
<link href="/style.css" rel="stylesheet">
</body></html>"""

LATIN1 = "<html><head><meta http-equiv='content-type' content='text/html; charset=latin1'></head><body><a href='/caf\xe9?q=caf\xe9#caf\xe9'>caf\xe9</a><a href='/x?q=\xfc\xdf'>umlaut</a></body></html>"
CP1252 = "<html><body><a href='/euro?q=\u20ac&amp;r=\u2019'>euro</a></body></html>"
SHIFT_JIS = "<html><body><a href='/jp?q=\u65e5\u672c\u8a9e'>\u65e5\u672c</a></body></html>"
EUC_KR = "<html><body><a href='/kr/\ud55c?q=\ud55c\uad6d\uc5b4'>korean</a></body></html>"

CASES = [
    # (name, body text, charset, options)
    ("shop defaults", SHOP, "utf-8", {}),
    ("shop restrict_css nav", SHOP, "utf-8", {"restrict_css": "#nav"}),
    ("shop allow string", SHOP, "utf-8", {"allow": "/item/"}),
    ("shop allow and deny lists", SHOP, "utf-8", {"allow": [r"/item/", r"/cat/"], "deny": [r"other\.example", "reviews|a=1"]}),
    ("shop allow_domains with subdomains", SHOP, "utf-8", {"allow_domains": "example.com"}),
    ("shop deny_domains", SHOP, "utf-8", {"deny_domains": ["cdn.example.com", "other.example.org"]}),
    ("shop allow_domains upper case", SHOP, "utf-8", {"allow_domains": ["EXAMPLE.COM"], "allow": "item"}),
    ("shop deny_extensions empty", SHOP, "utf-8", {"deny_extensions": []}),
    ("shop deny_extensions jpg", SHOP, "utf-8", {"deny_extensions": ["jpg"]}),
    ("shop deny_extensions tar.gz", SHOP, "utf-8", {"deny_extensions": ["tar.gz", "gz"]}),
    ("shop canonicalize", SHOP, "utf-8", {"canonicalize": True}),
    ("shop unique false", SHOP, "utf-8", {"unique": False}),
    ("shop canonicalize unique false", SHOP, "utf-8", {"canonicalize": True, "unique": False}),
    ("shop tags img attrs src data-href", SHOP, "utf-8", {"tags": ["img"], "attrs": ["src", "data-href"], "deny_extensions": []}),
    ("shop tags string", SHOP, "utf-8", {"tags": "area", "attrs": "href"}),
    ("shop restrict_xpaths", SHOP, "utf-8", {"restrict_xpaths": '//div[@id="nav"]/a[1]'}),
    ("shop restrict_text", SHOP, "utf-8", {"restrict_text": "again"}),
    ("shop restrict_text list", SHOP, "utf-8", {"restrict_text": ["^Books$", "CDN"]}),
    ("shop process_value drop_twos", SHOP, "utf-8", {"process_value": "drop_twos"}),
    ("shop process_value to_upper_path", SHOP, "utf-8", {"process_value": "to_upper_path", "allow": "ITEM"}),
    ("schemes defaults", SCHEMES, "utf-8", {}),
    ("schemes process_value js_link", SCHEMES, "utf-8", {"process_value": "js_link"}),
    ("schemes deny_extensions empty", SCHEMES, "utf-8", {"deny_extensions": []}),
    ("whitespace strip", WHITESPACE, "utf-8", {}),
    ("whitespace no strip", WHITESPACE, "utf-8", {"strip": False}),
    ("whitespace unique false", WHITESPACE, "utf-8", {"unique": False}),
    ("rel", REL, "utf-8", {}),
    ("unicode", UNICODE, "utf-8", {}),
    ("unicode canonicalize", UNICODE, "utf-8", {"canonicalize": True}),
    ("unicode allow on escaped url", UNICODE, "utf-8", {"allow": "caf%C3%A9"}),
    ("base", BASE, "utf-8", {}),
    ("base other host", BASE_OTHER_HOST, "utf-8", {}),
    ("texts", TEXTS, "utf-8", {}),
    ("texts unique false", TEXTS, "utf-8", {"unique": False}),
    ("regions css two", REGIONS, "utf-8", {"restrict_css": ["#a", "#b"]}),
    ("regions xpath and css", REGIONS, "utf-8", {"restrict_xpaths": '//div[@id="b"]', "restrict_css": "#a p"}),
    ("regions nested overlap", REGIONS, "utf-8", {"restrict_css": ["#a", "#a p"]}),
    ("regions on the link itself", REGIONS, "utf-8", {"restrict_xpaths": '//a[@id="top"]'}),
    ("regions tags area link iframe", REGIONS, "utf-8", {"tags": ["area", "link", "iframe"], "attrs": ["href", "src"]}),
    ("regions unique false", REGIONS, "utf-8", {"restrict_css": ["#a", "#b", "#a"], "unique": False}),
    ("multi attrs in document order", MULTI_ATTRS, "utf-8", {"attrs": ["href", "data-url"]}),
    ("multi attrs images", MULTI_ATTRS, "utf-8", {"tags": ["img", "input"], "attrs": ["src", "data-src"], "deny_extensions": []}),
    ("multi attrs form action", MULTI_ATTRS, "utf-8", {"tags": "form", "attrs": "action"}),
    ("latin1 page", LATIN1, "latin1", {}),
    ("cp1252 page", CP1252, "cp1252", {}),
    ("shift_jis page", SHIFT_JIS, "shift_jis", {}),
    ("euc-kr page", EUC_KR, "euc-kr", {}),
]

# Where dragline deliberately follows a later Scrapy, a case also carries "later": the installed
# answer with that rule applied, and why (docs/spiders.md lists them).
LATER_IGNORED_EXTENSIONS = ["webp", "xlsm", "xltm", "xltx", "potm", "potx", "pptm", "docb", "docm", "dotm", "dotx",
                            "sh", "rb", "js", "hqx", "msi", "deb", "rpm", "torrent"]

def nofollow_any_case(el_rel):
    return el_rel is not None and "nofollow" in el_rel.lower().replace(",", " ").split()

def later_links(links, options, rels):
    why = []
    out = []
    for link in links:
        link = dict(link)
        if "deny_extensions" not in options and any(urlparse(link["url"]).path.lower().endswith("." + e) for e in LATER_IGNORED_EXTENSIONS):
            why.append("later IGNORED_EXTENSIONS (webp, js, …) are left out")
            continue
        if link["url"].startswith("http://::1:8080/"):
            # w3lib 2.1.1 writes an IPv6 host without its brackets, which no client can use.
            link["url"] = link["url"].replace("http://::1:8080/", "http://[::1]:8080/")
            link["url_fragment"] = urldefrag(link["url"]).fragment
            why.append("IPv6 host keeps its brackets")
        if not link["nofollow"] and any(nofollow_any_case(rel) for rel in rels.get(link["url"], [])):
            link["nofollow"] = True
            why.append("rel is case-insensitive (later Scrapy)")
        out.append(link)
    return out, sorted(set(why))

def run(name, text, charset, options):
    body = text.encode(charset)
    response = HtmlResponse(PAGE_URL, body=body, headers={"Content-Type": f"text/html; charset={charset}"})
    kwargs = dict(options)
    seen = []
    if "process_value" in kwargs:
        function = PROCESS[kwargs["process_value"]]
        def process(value, function=function):
            seen.append(value)
            return function(value)
        kwargs["process_value"] = process
    links = LinkExtractor(**kwargs).extract_links(response)
    case = {
        "name": name,
        "url": PAGE_URL,
        "charset": charset,
        "body": body.decode("latin1"),
        "options": options,
        "links": [{"url": link.url, "text": link.text, "fragment": link.fragment, "url_fragment": urldefrag(link.url).fragment,
                   "nofollow": link.nofollow} for link in links],
    }
    if seen:
        case["process_value_received"] = seen
    rels = {}
    for link_el in response.xpath("//a[@rel]"):
        href = link_el.attrib.get("href", "")
        rels.setdefault(response.urljoin(href.strip()), []).append(link_el.attrib["rel"])
    later, why = later_links(case["links"], options, rels)
    if why:
        case["later"] = {"links": later, "why": "; ".join(why)}
    if charset != "utf-8":
        case["needs_response_encoding"] = True
    return case

print(json.dumps([run(*case) for case in CASES], indent=1, ensure_ascii=False, sort_keys=True))
