"""Scrapy's answers for test/http/encoding.test.ts: which encoding a TextResponse picks and the text it decodes.

Prints JSON: {"cases": [{name, headers, encoding (explicit, or null), body (base64), scrapy: {class, encoding, text}}]}.
Regenerate: /usr/bin/python3 test/oracle/encodings.py > test/fixtures/oracle/encodings.json
"""
import base64
import json

from scrapy.http import Headers, TextResponse
from scrapy.responsetypes import responsetypes

URL = "http://example.com/page"

JA = "日本語のページです。東京は晴れ、気温は二十度。"
ZH = "中文网页，北京欢迎你。价格：十二元。"
ZH_TW = "繁體中文網頁，臺北市天氣晴朗。"
KO = "한국어 웹 페이지입니다. 서울은 맑음."
RU = "Русский текст: Москва, погода ясная."
PL = "Zażółć gęślą jaźń - Łódź"
TR = "Türkçe: ığüşöç İĞÜŞÖÇ"
EL = "Ελληνικά: καλημέρα κόσμε"
HE = "עברית: שלום עולם"
TH = "ภาษาไทย สวัสดีครับ"
FR = "Café crème, à bientôt ! « déjà vu » – 5 €"


def html(text, head=""):
    return f"<html><head>{head}<title>t</title></head><body><p>{text}</p></body></html>"


def page(text, codec, head=""):
    return html(text, head).encode(codec)


def ct(value):
    return {"Content-Type": value}


def meta(charset):
    return f'<meta charset="{charset}">'


def http_equiv(charset):
    return f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'


PADDING = "<!-- " + "x" * 4200 + " -->"
SMART = b"<p>\x93q\x94 \x80</p>"

CASES = [
    # The example and its variants.
    ("meta iso-8859-1, no header charset", ct("text/html"), None, b'<html><head><meta charset="iso-8859-1"></head><body>caf\xe9</body></html>'),
    ("meta iso-8859-1, no content type", {}, None, b'<html><head><meta charset="iso-8859-1"></head><body>caf\xe9</body></html>'),
    ("header iso-8859-1 means windows-1252", ct("text/html; charset=iso-8859-1"), None, SMART),
    ("header latin1 means windows-1252", ct("text/html; charset=latin1"), None, SMART),
    ("header us-ascii means windows-1252", ct("text/html; charset=us-ascii"), None, SMART),
    ("header ascii means windows-1252", ct("text/html; charset=ascii"), None, SMART),
    ("header windows-1252", ct("text/html; charset=windows-1252"), None, SMART),
    ("header cp1252", ct("text/html; charset=cp1252"), None, SMART),
    ("header latin-1 (Python spelling)", ct("text/html; charset=latin-1"), None, SMART),
    ("header iso_8859_1 (underscores)", ct("text/html; charset=iso_8859_1"), None, SMART),
    ("header ISO-8859-1 upper case", ct("text/html; charset=ISO-8859-1"), None, SMART),
    ("header CHARSET= upper case", ct("text/html; CHARSET=ISO-8859-1"), None, SMART),
    ("header without space", ct("text/html;charset=iso-8859-1"), None, SMART),
    ("windows-1252 french", ct("text/html; charset=windows-1252"), None, page(FR, "cp1252")),
    # Legacy encodings with text in their language, from the header.
    ("shift_jis header", ct("text/html; charset=Shift_JIS"), None, page(JA, "shift_jis")),
    ("sjis header", ct("text/html; charset=sjis"), None, page(JA, "shift_jis")),
    ("x-sjis header", ct("text/html; charset=x-sjis"), None, page(JA, "shift_jis")),
    ("windows-31j header, cp932-only character", ct("text/html; charset=windows-31j"), None, page(JA + "①髙", "cp932")),
    ("shift_jis header, cp932-only character", ct("text/html; charset=shift_jis"), None, page(JA + "①髙", "cp932")),
    ("cp932 header", ct("text/html; charset=cp932"), None, page(JA, "cp932")),
    ("euc-jp header", ct("text/html; charset=EUC-JP"), None, page(JA, "euc_jp")),
    ("euc_jp header (underscore)", ct("text/html; charset=euc_jp"), None, page(JA, "euc_jp")),
    ("gbk header", ct("text/html; charset=GBK"), None, page(ZH, "gbk")),
    ("gb2312 header", ct("text/html; charset=gb2312"), None, page(ZH, "gb2312")),
    ("gb2312 header, gbk-only character", ct("text/html; charset=gb2312"), None, page(ZH + "镕", "gbk")),
    ("gb18030 header, four-byte character", ct("text/html; charset=gb18030"), None, page(ZH + "𠀀", "gb18030")),
    ("gbk header, four-byte gb18030 character", ct("text/html; charset=gbk"), None, page(ZH + "𠀀", "gb18030")),
    ("gb2312 meta, four-byte gb18030 character", ct("text/html"), None, page(ZH + "𠀀", "gb18030", meta("gb2312"))),
    ("big5 header", ct("text/html; charset=big5"), None, page(ZH_TW, "big5")),
    ("big5-hkscs header", ct("text/html; charset=big5-hkscs"), None, page(ZH_TW, "big5hkscs")),
    ("euc-kr header", ct("text/html; charset=euc-kr"), None, page(KO, "euc_kr")),
    ("euc-kr header, cp949-only character", ct("text/html; charset=euc-kr"), None, page(KO + "똠", "cp949")),
    ("ks_c_5601-1987 header", ct("text/html; charset=ks_c_5601-1987"), None, page(KO, "cp949")),
    ("koi8-r header", ct("text/html; charset=koi8-r"), None, page(RU, "koi8_r")),
    ("windows-1251 header", ct("text/html; charset=windows-1251"), None, page(RU, "cp1251")),
    ("iso-8859-5 header", ct("text/html; charset=iso-8859-5"), None, page(RU, "iso8859_5")),
    ("ibm866 header", ct("text/html; charset=ibm866"), None, page(RU, "cp866")),
    ("iso-8859-2 header", ct("text/html; charset=iso-8859-2"), None, page(PL, "iso8859_2")),
    ("windows-1250 header", ct("text/html; charset=windows-1250"), None, page(PL, "cp1250")),
    ("iso-8859-9 header means windows-1254", ct("text/html; charset=iso-8859-9"), None, page(TR, "cp1254")),
    ("iso-8859-7 header", ct("text/html; charset=iso-8859-7"), None, page(EL, "iso8859_7")),
    ("windows-1253 header", ct("text/html; charset=windows-1253"), None, page(EL, "cp1253")),
    ("windows-1255 header", ct("text/html; charset=windows-1255"), None, page(HE, "cp1255")),
    ("tis-620 header means windows-874", ct("text/html; charset=tis-620"), None, page(TH, "cp874")),
    ("iso-8859-15 header", ct("text/html; charset=iso-8859-15"), None, page(FR.replace("« ", "").replace(" »", "").replace("–", "-"), "iso8859_15")),
    ("utf-8 header", ct("text/html; charset=utf-8"), None, page(FR + JA, "utf-8")),
    ("utf8 header", ct("text/html; charset=utf8"), None, page(FR + JA, "utf-8")),
    ("UTF-8 header upper case", ct("text/html; charset=UTF-8"), None, page(FR + JA, "utf-8")),
    # The same, from a <meta> in the page.
    ("shift_jis meta charset", ct("text/html"), None, page(JA, "shift_jis", meta("shift_jis"))),
    ("euc-jp http-equiv", ct("text/html"), None, page(JA, "euc_jp", http_equiv("euc-jp"))),
    ("gbk meta charset", ct("text/html"), None, page(ZH, "gbk", meta("gbk"))),
    ("gb2312 http-equiv", ct("text/html"), None, page(ZH, "gb2312", http_equiv("gb2312"))),
    ("big5 meta charset", ct("text/html"), None, page(ZH_TW, "big5", meta("big5"))),
    ("euc-kr http-equiv", ct("text/html"), None, page(KO, "euc_kr", http_equiv("euc-kr"))),
    ("koi8-r meta charset", ct("text/html"), None, page(RU, "koi8_r", meta("koi8-r"))),
    ("windows-1251 http-equiv", ct("text/html"), None, page(RU, "cp1251", http_equiv("windows-1251"))),
    ("meta charset unquoted", ct("text/html"), None, page(FR, "cp1252", "<meta charset=windows-1252>")),
    ("meta charset single quotes", ct("text/html"), None, page(FR, "cp1252", "<meta charset='windows-1252'>")),
    ("meta charset self-closing", ct("text/html"), None, page(FR, "cp1252", '<meta charset="windows-1252"/>')),
    ("meta charset with spaces", ct("text/html"), None, page(FR, "cp1252", '<meta charset = " windows-1252 " >')),
    ("META CHARSET upper case", ct("text/html"), None, page(FR, "cp1252", '<META CHARSET="WINDOWS-1252">')),
    ("meta with other attributes first", ct("text/html"), None, page(FR, "cp1252", '<meta name="x" data-y=z charset="windows-1252">')),
    ("http-equiv content first", ct("text/html"), None, page(RU, "koi8_r", '<meta content="text/html; charset=koi8-r" http-equiv="Content-Type">')),
    ("http-equiv unquoted", ct("text/html"), None, page(RU, "koi8_r", "<meta http-equiv=Content-Type content='text/html;charset=koi8-r'>")),
    ("http-equiv upper case", ct("text/html"), None, page(RU, "koi8_r", '<META HTTP-EQUIV="CONTENT-TYPE" CONTENT="TEXT/HTML; CHARSET=KOI8-R">')),
    ("http-equiv with an attribute between", ct("text/html"), None, page(RU, "koi8_r", '<meta http-equiv="Content-Type" lang="ru" content="text/html; charset=koi8-r">')),
    ("meta content without http-equiv", ct("text/html"), None, page(RU, "koi8_r", '<meta content="text/html; charset=koi8-r">')),
    ("first of two metas wins", ct("text/html"), None, page(FR, "cp1252", meta("windows-1252") + meta("utf-8"))),
    ("meta iso-8859-1 on utf-8 bytes", ct("text/html"), None, page(FR, "utf-8", meta("iso-8859-1"))),
    ("meta after 4096 bytes is not seen", ct("text/html"), None, page(FR, "cp1252", PADDING + meta("windows-1252"))),
    ("meta after 4096 bytes, shift_jis bytes", ct("text/html"), None, page(JA, "shift_jis", PADDING + meta("shift_jis"))),
    ("windows-1252 header, shift_jis bytes", ct("text/html; charset=windows-1252"), None, page(JA, "shift_jis", PADDING + meta("shift_jis"))),
    ("meta within the first 4096 bytes", ct("text/html"), None, page(FR, "cp1252", "<!-- " + "x" * 3000 + " -->" + meta("windows-1252"))),
    ("meta after <body> is not seen", ct("text/html"), None, ("<html><body><meta charset='koi8-r'><p>" + RU + "</p></body></html>").encode("koi8_r")),
    ("meta with unknown charset", ct("text/html"), None, page(FR, "cp1252", meta("no-such-charset"))),
    ("meta with unknown charset, utf-8 bytes", ct("text/html"), None, page(FR, "utf-8", meta("no-such-charset"))),
    ("meta name=charset is not a declaration", ct("text/html"), None, page(FR, "utf-8", '<meta name="charset" content="koi8-r">')),
    # Header against page.
    ("header wins over meta", ct("text/html; charset=utf-8"), None, page(FR, "utf-8", meta("iso-8859-1"))),
    ("header wins over meta, the other way", ct("text/html; charset=koi8-r"), None, page(RU, "koi8_r", meta("utf-8"))),
    ("unknown header charset falls back to meta", ct("text/html; charset=bogus"), None, page(RU, "koi8_r", meta("koi8-r"))),
    ("unknown header charset, no meta, utf-8 bytes", ct("text/html; charset=x-unknown"), None, page(FR, "utf-8")),
    ("empty header charset falls back to meta", ct("text/html; charset="), None, page(RU, "koi8_r", meta("koi8-r"))),
    # BOMs.
    ("utf-8 BOM, no header", ct("text/html"), None, b"\xef\xbb\xbf" + page(FR, "utf-8")),
    ("utf-8 BOM beats header iso-8859-1", ct("text/html; charset=iso-8859-1"), None, b"\xef\xbb\xbf" + page(FR, "utf-8")),
    ("utf-8 BOM beats meta", ct("text/html"), None, b"\xef\xbb\xbf" + page(FR, "utf-8", meta("windows-1252"))),
    ("two utf-8 BOMs keep the second", ct("text/html; charset=utf-8"), None, b"\xef\xbb\xbf\xef\xbb\xbf" + page(FR, "utf-8")),
    ("utf-16le BOM", ct("text/html"), None, b"\xff\xfe" + page(JA, "utf-16-le")),
    ("utf-16be BOM", ct("text/html"), None, b"\xfe\xff" + page(KO, "utf-16-be")),
    ("utf-16le BOM beats header utf-8", ct("text/html; charset=utf-8"), None, b"\xff\xfe" + page(RU, "utf-16-le")),
    ("utf-16le BOM, header utf-16", ct("text/html; charset=utf-16"), None, b"\xff\xfe" + page(RU, "utf-16-le")),
    ("header utf-16 without BOM is big-endian", ct("text/html; charset=utf-16"), None, page(RU, "utf-16-be")),
    ("header utf-16be", ct("text/html; charset=utf-16be"), None, page(ZH, "utf-16-be")),
    ("header utf-16le", ct("text/html; charset=UTF-16LE"), None, page(ZH, "utf-16-le")),
    ("utf-32le BOM", ct("text/html"), None, b"\xff\xfe\x00\x00" + page(JA, "utf-32-le")),
    ("utf-32be BOM", ct("text/html"), None, b"\x00\x00\xfe\xff" + page(JA, "utf-32-be")),
    ("BOM only", ct("text/html"), None, b"\xef\xbb\xbf"),
    # XML declarations.
    ("xml declaration iso-8859-1", ct("text/xml"), None, b'<?xml version="1.0" encoding="ISO-8859-1"?><r>caf\xe9 \x80</r>'),
    ("xml declaration single quotes", ct("application/xml"), None, b"<?xml version='1.0' encoding='windows-1251'?><r>" + RU.encode("cp1251") + b"</r>"),
    ("xml declaration shift_jis, rss", ct("application/rss+xml"), None, b'<?xml version="1.0" encoding="Shift_JIS"?><rss><title>' + JA.encode("shift_jis") + b"</title></rss>"),
    ("xml declaration, header charset wins", ct("text/xml; charset=utf-8"), None, b'<?xml version="1.0" encoding="ISO-8859-1"?><r>' + FR.encode("utf-8") + b"</r>"),
    ("xml declaration without encoding", ct("text/xml"), None, b'<?xml version="1.0"?><r>' + FR.encode("utf-8") + b"</r>"),
    ("xml declaration in an html page", ct("text/html"), None, b'<?xml version="1.0" encoding="koi8-r"?><html><body>' + RU.encode("koi8_r") + b"</body></html>"),
    # Detection: ascii, then utf-8, then windows-1252.
    ("no declaration, ascii", ct("text/html"), None, b"<html><body>plain ascii</body></html>"),
    ("no declaration, utf-8", ct("text/html"), None, page(FR + JA, "utf-8")),
    ("no declaration, windows-1252", ct("text/html"), None, page(FR, "cp1252")),
    ("no declaration, latin-1 bytes", ct("text/html"), None, b"<p>na\xefve caf\xe9 \xa9 \xbd</p>"),
    ("no content type, utf-8", {}, None, page(JA, "utf-8")),
    ("no content type, ascii", {}, None, b"hello"),
    ("empty body", ct("text/html"), None, b""),
    ("empty body, header charset", ct("text/html; charset=shift_jis"), None, b""),
    ("empty body, no headers", {}, None, b""),
    # Malformed bytes.
    ("utf-8 header, truncated sequence", ct("text/html; charset=utf-8"), None, b"<p>caf\xc3</p>"),
    ("utf-8 header, lone continuation bytes", ct("text/html; charset=utf-8"), None, b"<p>a\x80\xbfb</p>"),
    ("utf-8 header, overlong slash", ct("text/html; charset=utf-8"), None, b"<p>\xc0\xaf</p>"),
    ("utf-8 header, encoded surrogate", ct("text/html; charset=utf-8"), None, b"<p>\xed\xa0\x80x</p>"),
    ("utf-8 header, truncated 4-byte at end", ct("text/html; charset=utf-8"), None, b"<p>\xf0\x9f\x98"),
    ("utf-8 header, latin-1 bytes", ct("text/html; charset=utf-8"), None, b"<p>caf\xe9 na\xefve</p>"),
    ("utf-8 header, byte 0xff", ct("text/html; charset=utf-8"), None, b"<p>\xff\xfe\xfd</p>"),
    ("shift_jis header, truncated lead byte", ct("text/html; charset=shift_jis"), None, JA.encode("shift_jis") + b"\x82"),
    ("utf-16be header, odd length", ct("text/html; charset=utf-16be"), None, "ab".encode("utf-16-be") + b"\x00"),
    # Header forms.
    ("quoted charset in header", ct('text/html; charset="utf-8"'), None, page(FR, "utf-8")),
    ("quoted charset in header, legacy bytes", ct('text/html; charset="koi8-r"'), None, page(RU, "koi8_r")),
    ("charset before the media type", ct("charset=koi8-r; text/html"), None, page(RU, "koi8_r")),
    ("second charset parameter", ct("text/html; charset=; charset=koi8-r"), None, page(RU, "koi8_r")),
    # Non-HTML responses.
    ("json, no charset, utf-8", ct("application/json"), None, '{"name": "Zoë", "city": "東京"}'.encode("utf-8")),
    ("json, charset iso-8859-1", ct("application/json; charset=iso-8859-1"), None, '{"name": "Zoë"}'.encode("latin-1")),
    ("json with a BOM", ct("application/json"), None, b"\xef\xbb\xbf" + '{"a": "é"}'.encode("utf-8")),
    ("text/plain shift_jis", ct("text/plain; charset=shift_jis"), None, JA.encode("shift_jis")),
    ("text/plain, no charset, windows-1252", ct("text/plain"), None, FR.encode("cp1252")),
    ("csv utf-8", ct("text/csv"), None, "name,city\nZoë,Kraków\n".encode("utf-8")),
    ("javascript koi8-r", ct("application/javascript; charset=koi8-r"), None, ('var s = "' + RU + '";').encode("koi8_r")),
    ("binary image bytes", ct("image/png"), None, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
    # An explicit encoding wins.
    ("explicit encoding beats header", ct("text/html; charset=utf-8"), "koi8-r", page(RU, "koi8_r")),
    ("explicit encoding beats meta", ct("text/html"), "windows-1252", page(FR, "cp1252", meta("utf-8"))),
    ("explicit shift_jis, no header", {}, "shift_jis", page(JA, "shift_jis")),
    ("explicit encoding, BOM still decodes", ct("text/html"), "windows-1252", b"\xef\xbb\xbf" + page(FR, "utf-8")),
    # Where Python's codecs and WHATWG's differ (see the test's DIFFERENCES).
    ("windows-1252 header, undefined byte 0x81", ct("text/html; charset=windows-1252"), None, b"<p>a\x81b\x80</p>"),
    ("no declaration, bytes windows-1252 leaves undefined", ct("text/html"), None, b"<p>caf\xe9 \x81 \x9d</p>"),
    ("windows-1252 header, bytes windows-1252 leaves undefined", ct("text/html; charset=windows-1252"), None, b"<p>caf\xe9 \x81 \x9d</p>"),
    ("euc-jp header, wave dash", ct("text/html; charset=euc-jp"), None, page("10時〜12時", "euc_jp")),
]


def answer(name, headers, encoding, body):
    cls = responsetypes.from_args(headers=Headers(headers), url=URL, body=body)
    # Scrapy's Response (binary types) has no .text; every TextResponse subclass decodes the same way.
    make = cls if issubclass(cls, TextResponse) else TextResponse
    kwargs = {"encoding": encoding} if encoding else {}
    response = make(URL, body=body, headers=headers, **kwargs)
    return {
        "name": name,
        "headers": headers,
        "encoding": encoding,
        "body": base64.b64encode(body).decode("ascii"),
        "scrapy": {"class": cls.__name__, "encoding": response.encoding, "text": response.text},
    }


names = [case[0] for case in CASES]
assert len(names) == len(set(names)), "case names must be unique"
print(json.dumps({"cases": [answer(*case) for case in CASES]}, ensure_ascii=False, indent=1))
