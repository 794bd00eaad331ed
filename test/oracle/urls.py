"""Scrapy's answers for URL safety, Request URLs, JsonRequest bodies, canonical URLs and
fingerprints. Output: test/fixtures/oracle/urls.json (see test/helpers/oracle.ts)."""
import json
from urllib.parse import urlsplit, urlunsplit

import scrapy.utils.request
from scrapy import Request
from scrapy.http import JsonRequest
from scrapy.utils.request import fingerprint
from w3lib.url import canonicalize_url, safe_url_string

# Where dragline deliberately follows a later w3lib/Scrapy (docs/spiders.md), a case also carries
# "later": the installed answer with that later rule applied, and why.

def bracketed_ipv6(url, safe):
    """w3lib 2.1.1 writes an IPv6 host without its brackets, which no client can use."""
    host = urlsplit(url.strip()).hostname
    return safe.replace("//" + host, "//[" + host + "]", 1) if host and ":" in host else safe

def userinfo_case_kept(url, canonical):
    """w3lib 2.2.1: canonicalize_url no longer lower-cases the userinfo."""
    netloc = urlsplit(url if "[" in url else safe_url_string(url)).netloc
    if "@" not in netloc:
        return canonical
    parts = urlsplit(canonical)
    return urlunsplit(parts._replace(netloc=netloc.rpartition("@")[0] + "@" + parts.netloc.rpartition("@")[2]))

def later_canonicalize_url(url, keep_blank_values=True, keep_fragments=False, encoding=None):
    return userinfo_case_kept(url, canonicalize_url(url, keep_blank_values=keep_blank_values, keep_fragments=keep_fragments, encoding=encoding))

def later_fingerprint(request, **kwargs):
    """Scrapy's fingerprint with the later canonicalize_url rules."""
    original = scrapy.utils.request.canonicalize_url
    scrapy.utils.request.canonicalize_url = later_canonicalize_url
    try:
        return fingerprint(request, **kwargs).hex()
    finally:
        scrapy.utils.request.canonicalize_url = original

# URLs a page or a user may hand to Request(); every one goes through safe_url_string.
URLS = [
    "http://h/a b/café",
    "http://www.example.com/",
    "http://www.example.com",
    "HTTP://WWW.Example.COM/Path/To",
    "  http://www.example.com/lead-and-trail  ",
    "\x00\x1f http://www.example.com/controls\x7f",
    "http://www.example.com/tab\tand\nnew\rline",
    "http://www.example.com/a space/b?q=a space#frag space",
    "http://www.example.com/résumé",
    "http://www.example.com/résumé?q=résumé",
    "http://www.example.com/?q=日本語&x=1",
    "http://www.example.com/#fragmént",
    "http://www.example.com/%20already%2Fescaped?q=%E9%20x",
    "http://www.example.com/100%/done?p=50%&q=%zz",
    "http://www.example.com/%e9%E9?a=%7e",
    "http://www.example.com/a|b[c]d{e}?f|g[h]i{j}#k|l[m]",
    "http://www.example.com/it's?q=it's#it's",
    "ftp://ftp.example.com/it's?q=it's",
    "foo://host/it's?q=it's",
    "http://www.example.com/\"quoted\"<angle>`tick`^caret\\back",
    "http://www.example.com/?q=\"<>`^{}",
    "http://www.example.com/path;params?q=1",
    "http://www.example.com/a;b/c;d=e?f;g",
    "http://www.example.com:80/",
    "http://www.example.com:8080/x",
    "http://www.example.com:080/x",
    "http://www.example.com:0/x",
    "http://www.example.com:0000000000080/x",
    "https://www.example.com:443/x",
    "http://www.example.com:/x",
    "http://user:pass@www.example.com/",
    "http://User:Pa ss@www.example.com:81/",
    "http://us%40er:p%3Ass@www.example.com/",
    "http://user@www.example.com/",
    "http://:pass@www.example.com/",
    "http://üser:pässword@www.example.com/",
    "http://a@b@www.example.com/",
    "http://www.bücher.de/straße?ß=1",
    "http://BÜCHER.example/",
    "http://例え.テスト/パス",
    "http://xn--bcher-kva.de/",
    "http://www.example.com./trailing-dot",
    "http://президент.рф/",
    "http://ﬁ.example/",
    "http://münchen.de:8080/a",
    "http://[::1]:8080/x",
    "http://[FE80::1]/",
    "http://127.0.0.1:8000/?q=1",
    "http://www.example.com?no-path",
    "http://www.example.com#only-fragment",
    "http://www.example.com/?",
    "http://www.example.com/#",
    "http://www.example.com/?#",
    "http://www.example.com/a?b?c#d#e",
    "https://example.org/%7Euser/~other",
    "http://www.example.com/€uro?€=€",
    "http://www.example.com/\U0001f600?emoji=\U0001f600",
    "mailto:someone@example.com?subject=hello there",
    "data:text/html,<p>héllo world</p>",
    "about:blank",
    "file:///tmp/a b/c.txt",
    "http:no-slashes",
    "http://www.example.com/a/../b/./c",
    "http://www.example.com//double//slash",
    "http://www.example.com/?a=1&a=2&b=&c",
    "http://www.example.com/ajax.html#!key=value",
    "http://www.example.com/\u00a0nbsp\u3000ideographic-space",
    "http://www.example.com/\u200bzero-width",
]

# (url, encoding) pairs: the query and fragment go out in the page's encoding, the path in UTF-8.
ENCODED = [
    ("http://www.example.com/café?q=café#café", "latin1"),
    ("http://www.example.com/café?q=café#café", "cp1252"),
    ("http://www.example.com/?q=€", "cp1252"),
    ("http://www.example.com/日本?q=日本語", "shift_jis"),
    ("http://www.example.com/日本?q=日本語", "euc-jp"),
    ("http://www.example.com/?q=中文", "gbk"),
    ("http://www.example.com/?q=中文", "gb18030"),
    ("http://www.example.com/?q=中文", "big5"),
    ("http://www.example.com/?q=한국어", "euc-kr"),
    ("http://www.example.com/?q=привет", "koi8-r"),
    ("http://www.example.com/?q=привет", "cp1251"),
    ("http://www.example.com/?q=%E9&r=é", "latin1"),
    ("http://www.example.com/?q=a b&c=d'e", "latin1"),
    ("http://ÿ.example/?q=ÿ", "latin1"),
    ("http://u:pé@www.example.com/?q=é", "latin1"),
]

def safe_cases():
    cases = []
    for url in URLS:
        case = {"url": url, "encoding": "utf-8", "safe": safe_url_string(url)}
        if bracketed_ipv6(url, case["safe"]) != case["safe"]:
            case["later"] = {"safe": bracketed_ipv6(url, case["safe"]), "why": "IPv6 host keeps its brackets"}
        cases.append(case)
    for url, encoding in ENCODED:
        cases.append({"url": url, "encoding": encoding, "safe": safe_url_string(url, encoding)})
    return cases

def request_case(url, encoding):
    try:
        request = Request(url, encoding=encoding)
    except ValueError as error:
        return {"url": url, "encoding": encoding, "error": str(error).split(":")[0]}
    case = {"url": url, "encoding": encoding, "request_url": request.url, "fingerprint": fingerprint(request).hex(),
            "fingerprint_keep_fragments": fingerprint(request, keep_fragments=True).hex()}
    safe = safe_url_string(url, encoding)
    why = []
    if "#!" in url:
        why.append("#! is not rewritten to ?_escaped_fragment_= (dropped by later Scrapy)")
    if bracketed_ipv6(url, safe) != safe:
        why.append("IPv6 host keeps its brackets")
        safe = bracketed_ipv6(url, safe)
    if why or "@" in urlsplit(safe).netloc:
        later = Request("http://placeholder/", encoding=encoding)
        later._url = safe  # the URL dragline's Request holds, fingerprinted with the later rules
        answers = {"request_url": safe, "fingerprint": later_fingerprint(later), "fingerprint_keep_fragments": later_fingerprint(later, keep_fragments=True)}
        if "@" in urlsplit(safe).netloc and answers["fingerprint"] != case["fingerprint"]:
            why.append("canonical userinfo keeps its case (w3lib 2.2.1)")
        if why:
            case["later"] = {**answers, "why": "; ".join(why)}
    return case

def request_cases():
    return [request_case(url, "utf-8") for url in URLS] + [request_case(url, encoding) for url, encoding in ENCODED]

# Data for JsonRequest. No integral floats below 2**53 (1.0): JSON hands JS only a number, which
# prints as 1; no integers past 2**53, which a JS number cannot hold (dragline writes BigInts in full).
JSON_DATA = [
    {"b": 1, "a": 2},
    {"name": "café", "tags": ["ü", "日本", "\U0001f600"], "ok": True, "none": None, "off": False},
    {"nested": {"z": [1, 2, {"y": "x", "b": [None, True]}], "a": {}}, "empty": [], "": "empty key"},
    {"price": 19.99, "ratio": 0.1, "tiny": 1e-07, "small": 0.0001, "huge": 1.5e+300, "neg": -2.5, "e16": 1.5e+16, "e-5": 2.5e-05, "max": 9007199254740991},
    {"quote": "say \"hi\"", "slash": "a/b\\c", "controls": "\n\r\t\b\f\x00\x1f\x7f", "nbsp": "\u00a0", "sep": "\u2028"},
    {"B": 1, "a": 2, "_": 3, "Z": 4, "é": 5, "e": 6, "10": 7, "9": 8, "\U0001f600": 9, "\uffff": 10},
    [1, "two", 3.5, None, [], {}],
    "just a string ü",
    12,
    True,
    [{"id": i, "v": (i + 0.5) / 4} for i in range(1, 6)],
    {"unicode_key_ü": {"nested_ü": "value_ü"}},
]

def json_cases():
    cases = []
    for data in JSON_DATA:
        request = JsonRequest("http://www.example.com/api", data=data)
        cases.append({
            "data": data,
            "body": request.body.decode("latin1"),
            "method": request.method,
            "headers": {k.decode(): [v.decode() for v in vs] for k, vs in request.headers.items()},
            "fingerprint": fingerprint(request).hex(),
        })
    plain = JsonRequest("http://www.example.com/api")
    cases.append({"data": None, "body": plain.body.decode("latin1"), "method": plain.method,
                  "headers": {k.decode(): [v.decode() for v in vs] for k, vs in plain.headers.items()},
                  "fingerprint": fingerprint(plain).hex()})
    return cases

CANONICAL_URLS = [
    "http://www.example.com/do?a=1;b=2",
    "http://www.example.com/do?b=2;a=1&c=3",
    "http://www.example.com/do?a=1;;b=2;",
    "http://www.example.com/do?q=a%3Bb;c",
    "http://www.example.com/do?c=3&b=5&b=2&a=50",
    "http://www.example.com/do?a=2&a=1&a=10&a=",
    "http://www.example.com/do?a&b=&c=1",
    "http://www.example.com/do?&&a=1&&",
    "http://www.example.com/do?a=1#frag",
    "http://www.example.com/do#frag ment é",
    "http://www.example.com/do?q=a+b&r=a%20b&s=a b",
    "http://www.example.com/do?q=%2B&r=+",
    "http://www.example.com/a%2Fb%2fc%3Fd%3f/e",
    "http://www.example.com/%7Euser/%41%42c?x=%7e%41",
    "http://www.example.com/%e9?q=%e9",
    "http://www.example.com/résumé?q=résumé",
    "http://www.example.com/caf%C3%A9?q=caf%C3%A9",
    "http://www.example.com/?q=%zz&r=%",
    "http://www.example.com/path;params;more?q=1",
    "http://www.example.com/a;b/c",
    "http://WWW.Example.COM:80/",
    "http://www.example.com:/x",
    "http://User:PASS@www.example.com/",
    "http://www.bücher.de/",
    "http://www.example.com",
    "http://www.example.com/?",
    "http://www.example.com/do?==&=a&b==",
    "http://www.example.com/do?a=1&A=2&b=%C3%A9&b=%C3%A8",
    "http://www.example.com/do?key=val%26ue&other=x%3Dy",
    "  http://www.example.com/do?b=1&a=2  ",
    "http://www.example.com/do?u=%E2%82%AC&e=€",
    "https://example.org/a b/?c d=e f#g h",
]

def canonical_cases():
    cases = []
    for url in CANONICAL_URLS:
        for keep_blank_values, keep_fragments in ((True, False), (False, False), (True, True)):
            case = {"url": url, "keep_blank_values": keep_blank_values, "keep_fragments": keep_fragments,
                    "canonical": canonicalize_url(url, keep_blank_values=keep_blank_values, keep_fragments=keep_fragments)}
            later = later_canonicalize_url(url, keep_blank_values=keep_blank_values, keep_fragments=keep_fragments)
            if later != case["canonical"]:
                case["later"] = {"canonical": later, "why": "canonical userinfo keeps its case (w3lib 2.2.1)"}
            cases.append(case)
    return cases

print(json.dumps({
    "safe_url_string": safe_cases(),
    "requests": request_cases(),
    "json_requests": json_cases(),
    "canonicalize_url": canonical_cases(),
}, indent=1, ensure_ascii=False, sort_keys=True))
