"""Python's urljoin (what Scrapy's response.urljoin and LinkExtractor join with) on bases and
links written here. Output: test/fixtures/oracle/urljoin.json (see test/helpers/oracle.ts)."""
import json
from urllib.parse import urljoin

BASES = [
    "http://a/b/c/d;p?q", "http://a/b/c/", "http://a", "http://a/", "http://a//x/y", "https://h/a/b.html#f",
    "file:///tmp/x", "http://a/b/../c", "http://a/b/./c/", "http://a/b/c/..", "https://docs.example/3/library/os.html",
    "http://a/b;p/c", "ftp://u@h:21/pub/", "mailto:someone@example.com",
]
LINKS = [
    "g", "./g", "g/", "/g", "//g", "?y", "g?y", "#s", "g#s", "..", "../g", "../../../g", "g/./h", "g//h",
    "a/b.", ".g", "g..", "../", ".", "", ";x", "g;x", "g;x?y#s", "http:g", "https:g", "mailto:x", "g/.", "g/..",
    "os.path.html#module-os.path", "../tutorial/index.html", "/a/./b/../c", "caf\u00e9?q=\u00e9", "g?a=1&b=2", "..g", "g/../../..",
]

print(json.dumps([{"base": base, "url": url, "joined": urljoin(base, url)} for base in BASES for url in LINKS], indent=1, ensure_ascii=False))
