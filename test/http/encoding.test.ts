import {describe, expect, test} from '@jest/globals';
import iconv from 'iconv-lite';
import {bodyDeclaredEncoding, decodeBody, resolveEncoding} from '../../src/http/encoding.js';
import {Request} from '../../src/http/request.js';
import {Response} from '../../src/http/response.js';
import {codeOf} from '../helpers/errors.js';
import {itMatchesInstalledScrapy, oracleFixture} from '../helpers/oracle.js';

interface OracleCase {
  name: string;
  headers: Record<string, string>;
  encoding: string | null;
  body: string;
  scrapy: {class: string; encoding: string; text: string};
}

const {cases} = oracleFixture<{cases: OracleCase[]}>('encodings');

/** Scrapy reports Python's codec names; dragline the WHATWG names of the same encodings. */
const WHATWG_NAMES: Record<string, string[]> = {
  'utf-8': ['utf-8'],
  cp1252: ['windows-1252'],
  'windows-1252': ['windows-1252'],
  cp932: ['shift_jis'],
  shift_jis: ['shift_jis'],
  euc_jp: ['euc-jp'],
  // w3lib reads gbk and gb2312 as gb18030; WHATWG's gbk decoder is gb18030's.
  gb18030: ['gbk', 'gb18030'],
  big5hkscs: ['big5'],
  cp949: ['euc-kr'],
  'koi8-r': ['koi8-r'],
  cp1251: ['windows-1251'],
  'iso8859-5': ['iso-8859-5'],
  cp866: ['ibm866'],
  'iso8859-2': ['iso-8859-2'],
  cp1250: ['windows-1250'],
  cp1254: ['windows-1254'],
  'iso8859-7': ['iso-8859-7'],
  cp1253: ['windows-1253'],
  cp1255: ['windows-1255'],
  cp874: ['windows-874'],
  'iso8859-15': ['iso-8859-15'],
  'utf-16-le': ['utf-16le'],
  'utf-16-be': ['utf-16be'],
  // A BOM-less "utf-16" is read big-endian by both.
  'utf-16': ['utf-16be'],
  'utf-32-le': ['utf-32le'],
  'utf-32-be': ['utf-32be'],
};

/**
 * Where dragline answers differently on purpose, and the case whose Scrapy text it gives instead.
 * - A body that declares nothing, is not UTF-8, and has a byte Python's cp1252 leaves undefined
 *   (0x81 0x8D 0x8F 0x90 0x9D): Scrapy gives up and reports 'ascii', every non-ASCII byte becoming
 *   U+FFFD; dragline keeps windows-1252 (only those bytes become U+FFFD), the "the fallback is
 *   windows-1252".
 * - A quoted charset (`charset="koi8-r"`, which RFC 9110 allows): w3lib does not read it, dragline does.
 * - EUC-JP 0xA1C1: Python's table has WAVE DASH (U+301C), iconv-lite's (and WHATWG's) FULLWIDTH TILDE (U+FF5E).
 */
const DIFFERENCES: Record<string, {encoding: string; sameTextAs?: string; tilde?: true}> = {
  'no declaration, bytes windows-1252 leaves undefined': {encoding: 'windows-1252', sameTextAs: 'windows-1252 header, bytes windows-1252 leaves undefined'},
  'meta after 4096 bytes, shift_jis bytes': {encoding: 'windows-1252', sameTextAs: 'windows-1252 header, shift_jis bytes'},
  'quoted charset in header, legacy bytes': {encoding: 'koi8-r', sameTextAs: 'koi8-r header'},
  'euc-jp header, wave dash': {encoding: 'euc-jp', tilde: true},
};

function responseFor(oracleCase: OracleCase): Response {
  const request = new Request('http://example.com/page');
  return new Response({
    url: request.url,
    status: 200,
    headers: oracleCase.headers,
    body: Buffer.from(oracleCase.body, 'base64'),
    request,
    ...(oracleCase.encoding === null ? {} : {encoding: oracleCase.encoding}),
  });
}

function scrapyCase(name: string): OracleCase {
  const found = cases.find((oracleCase) => oracleCase.name === name);
  if (found === undefined) throw new Error(`no oracle case named ${name}`);
  return found;
}

describe('text encodings against Scrapy (test/oracle/encodings.py)', () => {
  itMatchesInstalledScrapy('encodings');

  test('the fixture holds many cases, and only the listed differences', () => {
    expect(cases.length).toBeGreaterThan(100);
    for (const name of Object.keys(DIFFERENCES)) expect(cases.map((oracleCase) => oracleCase.name)).toContain(name);
  });

  test.each(cases.filter((oracleCase) => DIFFERENCES[oracleCase.name] === undefined).map((oracleCase) => [oracleCase.name, oracleCase] as const))(
    '%s: same text and encoding as Scrapy',
    (_name, oracleCase) => {
      const response = responseFor(oracleCase);
      expect(response.text).toBe(oracleCase.scrapy.text);
      expect(WHATWG_NAMES[oracleCase.scrapy.encoding]).toContain(response.encoding);
    },
  );

  test.each(Object.entries(DIFFERENCES))('%s: the documented difference', (name, difference) => {
    const oracleCase = scrapyCase(name);
    const response = responseFor(oracleCase);
    expect(response.encoding).toBe(difference.encoding);
    const scrapyText = oracleCase.scrapy.text;
    if (difference.sameTextAs !== undefined) {
      expect(response.text).toBe(scrapyCase(difference.sameTextAs).scrapy.text);
      expect(response.text).not.toBe(scrapyText);
    }
    if (difference.tilde === true) {
      expect(scrapyText).toContain('\u301c');
      expect(response.text).toBe(scrapyText.replaceAll('\u301c', '\uff5e'));
    }
  });

  test('every encoding dragline reports can be written back by iconv-lite (for query strings)', () => {
    for (const oracleCase of cases) expect([oracleCase.name, iconv.encodingExists(responseFor(oracleCase).encoding)]).toEqual([oracleCase.name, true]);
  });
});

describe('Response.encoding', () => {
  const request = new Request('http://127.0.0.1/');
  const make = (body: Buffer, contentType?: string, encoding?: string): Response =>
    new Response({url: request.url, status: 200, headers: contentType === undefined ? {} : {'content-type': contentType}, body, request, encoding});

  test("the issue's example: caf\\xe9 under <meta charset=iso-8859-1> is café, in windows-1252", () => {
    const response = make(Buffer.from('<html><head><meta charset="iso-8859-1"></head><body><p>caf\xe9</p></body></html>', 'latin1'), 'text/html');
    expect(response.encoding).toBe('windows-1252');
    expect(response.css('p::text').get()).toBe('café');
  });

  test('the selector tree is built from the decoded text', () => {
    const html = Buffer.from('<html><head><meta charset="shift_jis"><title>t</title></head><body><h1>日本語</h1></body></html>'.replace('日本語', ''), 'utf8');
    const body = Buffer.concat([html.subarray(0, html.indexOf('</h1>')), iconv.encode('日本語', 'shift_jis'), html.subarray(html.indexOf('</h1>'))]);
    expect(make(body, 'text/html').xpath('//h1/text()').get()).toBe('日本語');
  });

  test('an XML response is read in the encoding its declaration names', () => {
    const body = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="windows-1251"?><rss><title>'), iconv.encode('Москва', 'windows-1251'), Buffer.from('</title></rss>')]);
    const response = make(body, 'application/rss+xml');
    expect(response.selector.type).toBe('xml');
    expect(response.css('title::text').get()).toBe('Москва');
  });

  test('an explicit encoding wins over the header and is reported by its WHATWG name', () => {
    const response = make(iconv.encode('Привет', 'koi8-r'), 'text/plain; charset=utf-8', 'KOI8_R');
    expect(response.encoding).toBe('koi8-r');
    expect(response.text).toBe('Привет');
  });

  test('an unknown explicit encoding is a BAD_ARGUMENT error', () => {
    expect(codeOf(() => make(Buffer.from('x'), 'text/html', 'no-such-encoding'))).toBe('BAD_ARGUMENT');
  });

  test('json() reads a body in the charset the header names', () => {
    expect(make(iconv.encode('{"city": "Kraków"}', 'iso-8859-2'), 'application/json; charset=iso-8859-2').json()).toEqual({city: 'Kraków'});
  });
});

describe('decodeBody', () => {
  const everyByte = Buffer.from(Array.from({length: 256}, (_, byte) => byte));

  test('windows-1252 reads every byte as iconv-lite does (latin1 but for 0x80-0x9F)', () => {
    expect(decodeBody(everyByte, 'windows-1252')).toBe(iconv.decode(everyByte, 'windows-1252'));
    expect(decodeBody(Buffer.from([0x93, 0x71, 0x94, 0x20, 0x80]), 'windows-1252')).toBe('“q” €');
  });

  test.each(['windows-1252', 'shift_jis', 'euc-kr', 'gbk', 'koi8-r', 'iso-8859-2'])('an ASCII body in %s reads as itself', (encoding) => {
    const ascii = everyByte.subarray(0, 128);
    expect(decodeBody(ascii, encoding)).toBe(iconv.decode(ascii, encoding === 'gbk' ? 'gb18030' : encoding));
  });

  test('UTF-16 and UTF-32 bodies of ASCII characters are not read as ASCII', () => {
    expect(decodeBody(Buffer.from('Az', 'utf16le'), 'utf-16le')).toBe('Az');
    expect(decodeBody(Buffer.from([0x41, 0, 0, 0, 0x7a, 0, 0, 0]), 'utf-32le')).toBe('Az');
  });
});

describe('resolveEncoding', () => {
  test.each([
    ['latin1', 'windows-1252'],
    ['ISO-8859-1', 'windows-1252'],
    ['us-ascii', 'windows-1252'],
    ['iso_8859_1', 'windows-1252'],
    ['latin-1', 'windows-1252'],
    ['Shift_JIS', 'shift_jis'],
    ['cp932', 'shift_jis'],
    ['gb2312', 'gbk'],
    ['cp949', 'euc-kr'],
    ['utf-16', 'utf-16be'],
    ['UTF8', 'utf-8'],
  ])('%s is %s', (label, name) => {
    expect(resolveEncoding(label)).toBe(name);
  });

  test.each(['no-such-thing', 'x-user-defined', 'iso-2022-jp', 'replacement', ''])('%s is not an encoding dragline reports', (label) => {
    expect(resolveEncoding(label)).toBeUndefined();
  });
});

describe('bodyDeclaredEncoding', () => {
  test.each([
    ['<meta charset="koi8-r">', 'koi8-r'],
    ['<meta http-equiv="refresh" content="5"><meta charset=utf-8>', 'utf-8'],
    ['<meta content="text/html; charset=EUC-JP" http-equiv="content-type">', 'euc-jp'],
    ['<meta content="text/html; charset=big5" content="text/html; charset=gbk">', 'gbk'],
    ['<?xml version="1.0" encoding="ISO-8859-2"?>', 'iso-8859-2'],
  ])('%s declares %s', (head, name) => {
    expect(bodyDeclaredEncoding(Buffer.from(`<html><head>${head}</head><body></body></html>`))).toBe(name);
  });

  test.each([
    ['after <body>', '<html><body><meta charset="koi8-r">'],
    ['an unknown label', '<meta charset="klingon"><meta charset="utf-8">'],
    ['beyond the first 4096 bytes', `<!--${'-'.repeat(4096)}--><meta charset="koi8-r">`],
    ['a meta without charset', '<meta name="description" content="a; charset=koi8-r">'],
  ])('nothing is declared %s', (_what, html) => {
    expect(bodyDeclaredEncoding(Buffer.from(html))).toBeUndefined();
  });
});
