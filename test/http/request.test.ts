import {describe, expect, test} from '@jest/globals';
import {JsonRequest, Request} from '../../src/http/request.js';
import {Response} from '../../src/http/response.js';
import {fingerprintHex} from '../../src/utils/fingerprint.js';
import {pythonJsonDumps} from '../../src/utils/python-json.js';
import {codeOf} from '../helpers/errors.js';

// Scrapy's answers for the URL cases are in test/utils/urls-oracle.test.ts; these are the parts
// around them: encoding labels, bodies, JsonRequest options, and what Python cannot express.

describe('Request encoding', () => {
  test('defaults to utf-8; any label an encoder knows is accepted, an unknown one is a one-line BAD_ARGUMENT error', () => {
    expect(new Request('http://h/').encoding).toBe('utf-8');
    for (const label of ['windows-1252', 'shift_jis', 'latin1', 'cp1252', 'gb18030', 'euc-kr', 'koi8-r', 'utf8']) {
      expect(new Request('http://h/', {encoding: label}).encoding).toBe(label);
    }
    expect(codeOf(() => new Request('http://h/', {encoding: 'klingon-8'}))).toBe('BAD_ARGUMENT');
  });

  test('a string body is written in the encoding; the path stays UTF-8, the query follows the encoding', () => {
    const request = new Request('http://h/日本?q=日本', {encoding: 'shift_jis', body: 'q=日本', method: 'POST'});
    expect(request.body.toString('hex')).toBe(Buffer.concat([Buffer.from('q='), Buffer.from([0x93, 0xfa, 0x96, 0x7b])]).toString('hex'));
    expect(request.url).toBe('http://h/%E6%97%A5%E6%9C%AC?q=%93%FA%96%7B');
  });

  test('a character the encoding cannot hold goes out as an HTML character reference, as browsers send it', () => {
    expect(new Request('http://h/?q=€ü', {encoding: 'latin1'}).url).toBe('http://h/?q=&%238364;%FC');
    expect(new Request('http://h/', {encoding: 'latin1', body: '€'}).body.toString('latin1')).toBe('&#8364;');
  });

  test('a UTF-16 page still writes its URL queries as UTF-8 (WHATWG), its string bodies in UTF-16', () => {
    const request = new Request('http://h/?q=é', {encoding: 'utf-16le', body: 'é'});
    expect(request.url).toBe('http://h/?q=%C3%A9');
    expect(request.body.toString('hex')).toBe('e900');
  });

  test('replace() keeps the encoding for the new URL', () => {
    const request = new Request('http://h/', {encoding: 'windows-1252'});
    expect(request.replace({url: 'http://h/?q=café'}).url).toBe('http://h/?q=caf%E9');
  });

  test('a URL without "://" (other than about: and data:) is refused, as Scrapy refuses it', () => {
    expect(() => new Request('mailto:a@b.example')).toThrow('Missing scheme in request url');
    expect(() => new Request('/relative/path')).toThrow('Missing scheme in request url');
    expect(new Request('about:blank').url).toBe('about:blank');
    expect(new Request('data:text/plain,a b').url).toBe('data:text/plain,a%20b');
  });

  test('a priority that is not a finite number is refused (NaN from `depth * undefined` cannot be ordered or stored)', () => {
    expect(() => new Request('http://h/', {priority: Number.NaN})).toThrow('Request priority must be a finite number, got NaN');
    expect(() => new Request('http://h/', {priority: Number.POSITIVE_INFINITY})).toThrow('got Infinity');
    expect(() => new Request('http://h/').replace({priority: Number.NaN})).toThrow(TypeError);
    expect(new Request('http://h/', {priority: -3}).priority).toBe(-3);
  });
});

describe('response.follow', () => {
  test('joins as Python does and passes the page encoding; options win', () => {
    const pageIn = (contentType: string, body: Buffer) => new Response({url: 'http://h/dir/page', status: 200, headers: {'content-type': contentType}, body, request: new Request('http://h/dir/page')});
    const utf8 = pageIn('text/html; charset=utf-8', Buffer.from('<a href="x">'));
    expect(utf8.follow('../a b?q=é').url).toBe('http://h/a%20b?q=%C3%A9');
    // Nothing declared and ASCII only: windows-1252, as Scrapy's cp1252 guess (its answer here is q=%E9).
    const undeclared = pageIn('text/html', Buffer.from('<a href="x">'));
    expect(undeclared.follow('../a b?q=é').url).toBe('http://h/a%20b?q=%E9');
    expect(undeclared.follow('?q=é', {encoding: 'utf-8'}).url).toBe('http://h/dir/page?q=%C3%A9');
    // A UTF-16 page writes its links' queries in UTF-8, WHATWG's output encoding (Scrapy 2.8 writes UTF-16 bytes: q%00=%00%E9%00).
    const utf16 = pageIn('text/html; charset=utf-16le', Buffer.from('<a href="x">', 'utf16le'));
    expect(utf16.follow('?q=é').url).toBe('http://h/dir/page?q=%C3%A9');
  });
});

describe('JsonRequest', () => {
  test('a given body wins over data, and the method then stays GET (Scrapy warns and ignores data)', () => {
    const request = new JsonRequest('http://h/api', {body: '{"raw": 1}', data: {ignored: true}});
    expect([request.method, request.body.toString()]).toEqual(['GET', '{"raw": 1}']);
  });

  test('a method given is kept; null data is no data', () => {
    expect(new JsonRequest('http://h/api', {data: {a: 1}, method: 'put'}).method).toBe('PUT');
    const none = new JsonRequest('http://h/api', {data: null});
    expect([none.method, none.body.length]).toEqual(['GET', 0]);
  });

  test('headers given in any case are not doubled', () => {
    const request = new JsonRequest('http://h/api', {data: {}, headers: {'content-type': 'application/vnd.api+json', accept: '*/*'}});
    expect(request.headers).toEqual({'content-type': 'application/vnd.api+json', accept: '*/*'});
  });

  test('replace({data}) dumps the new data; dumpsKwargs sortKeys: false keeps insertion order', () => {
    const request = new JsonRequest('http://h/api', {data: {b: 1, a: 2}});
    const replaced = request.replace({data: {d: 1, c: 2}});
    expect([replaced.method, replaced.body.toString()]).toEqual(['POST', '{"c": 2, "d": 1}']);
    const unsorted = new JsonRequest('http://h/api', {data: {b: 1, a: 2}, dumpsKwargs: {sortKeys: false}});
    expect(unsorted.body.toString()).toBe('{"b": 1, "a": 2}');
    expect(unsorted.replace({data: {y: 1, x: 2}}).body.toString()).toBe('{"y": 1, "x": 2}');
    expect(fingerprintHex(unsorted)).not.toBe(fingerprintHex(request));
  });
});

describe('pythonJsonDumps: what JSON cannot carry to the oracle', () => {
  test('NaN and the infinities as Python writes them; BigInts in full; integral numbers past 2**53 as floats', () => {
    expect(pythonJsonDumps([Number.NaN, Infinity, -Infinity])).toBe('[NaN, Infinity, -Infinity]');
    expect(pythonJsonDumps({n: 12345678901234567890n})).toBe('{"n": 12345678901234567890}');
    expect(pythonJsonDumps([2 ** 53, 1e21, -0, 0.5])).toBe('[9007199254740992.0, 1e+21, 0, 0.5]');
  });

  test('undefined members are left out and toJSON honoured, as JSON.stringify; a cycle is a TypeError', () => {
    expect(pythonJsonDumps({a: undefined, d: new Date(0), f: () => 1, l: [undefined]}, {sortKeys: true})).toBe('{"d": "1970-01-01T00:00:00.000Z", "l": [null]}');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => pythonJsonDumps(cyclic)).toThrow(TypeError);
  });
});
