import {describe, expect, test} from '@jest/globals';
import {createHash} from 'node:crypto';
import {Request} from '../../src/http/request.js';
import {fingerprint, fingerprintHex} from '../../src/utils/fingerprint.js';
import {pythonJsonString} from '../../src/utils/python-json.js';

// Scrapy's tests/test_utils_request.py TestFingerprint.known_hashes, recomputed with Python.
const KNOWN_HASHES: Array<[string, Request, {includeHeaders?: string[]; keepFragments?: boolean}, string]> = [
  ['GET http://example.org', new Request('http://example.org'), {}, '7873d70c33756a15fed7649ba909e064bf9c5844'],
  ['GET https://example.org', new Request('https://example.org'), {}, 'c03485502caa9106f874b4bd2ad9e98a3a6dc36c'],
  ['GET ?a', new Request('https://example.org?a'), {}, '47adb8436b191ced83382c01c4de3beea594610c'],
  ['GET ?a=b', new Request('https://example.org?a=b'), {}, '02344d59628ac21ebc3ed6ac2ada9c46c1727f17'],
  ['GET ?a=b&a', new Request('https://example.org?a=b&a'), {}, '742be82afb84e3761a7d8870c0cc42d79dfe7a96'],
  ['GET ?a=b&a=c', new Request('https://example.org?a=b&a=c'), {}, 'da1e63d09c087360b49be2b652f86befea5147ef'],
  ['POST', new Request('https://example.org', {method: 'POST'}), {}, '9dcd410f54023acaa07d90da0542de648a4e371d'],
  ['GET body a', new Request('https://example.org', {body: 'a'}), {}, 'c3347a3ed8998bda3705729949a8a0783ba4315f'],
  ['POST body a', new Request('https://example.org', {method: 'POST', body: 'a'}), {}, '3560e27934d09deee0ba74778751e84fd738fce7'],
  ['#a, header ignored', new Request('https://example.org#a', {headers: {A: 'B'}}), {}, 'c03485502caa9106f874b4bd2ad9e98a3a6dc36c'],
  ['#a, header A', new Request('https://example.org#a', {headers: {A: 'B'}}), {includeHeaders: ['A']}, '5dc71ff2af4732bca4fa990a3333da189481552e'],
  ['#a kept', new Request('https://example.org#a', {headers: {A: 'B'}}), {keepFragments: true}, '3c1aeb8579de57fbdc7188eeaf17dd0cbf48181f'],
  [
    '#a kept, header A',
    new Request('https://example.org#a', {headers: {A: 'B'}}),
    {includeHeaders: ['A'], keepFragments: true},
    'c1ef7e949b53c18309dc7a389fdc7b1116492e11',
  ],
  ['GET /ab', new Request('https://example.org/ab'), {}, '4ee56cb812406977e2f31b70eaff702175e28ac6'],
  ['GET /a body b', new Request('https://example.org/a', {body: 'b'}), {}, '5f4e4f76bc6f2436fc579fb234679fbbdda832c5'],
];

describe('fingerprint: Scrapy known hashes', () => {
  test.each(KNOWN_HASHES)('%s', (_name, request, options, expected) => {
    expect(fingerprintHex(request, options)).toBe(expected);
    expect(fingerprint(request, options).toString('hex')).toBe(expected);
  });
});

describe('fingerprint: what counts', () => {
  test('is a 20-byte digest, and the hex form is its lower-case hex', () => {
    const request = new Request('http://www.example.com/query?id=111&cat=222');
    const digest = fingerprint(request);
    expect(digest).toBeInstanceOf(Buffer);
    expect(digest.length).toBe(20);
    expect(fingerprintHex(request)).toBe(digest.toString('hex'));
    expect(fingerprintHex(request)).toMatch(/^[0-9a-f]{40}$/);
  });

  test('hashes the JSON Python writes with sort_keys=True', () => {
    const request = new Request('https://example.org/x?b=2&a=1', {method: 'PUT', body: 'hi'});
    const json = '{"body": "6869", "headers": {}, "method": "PUT", "url": "https://example.org/x?a=1&b=2"}';
    expect(fingerprintHex(request)).toBe(createHash('sha1').update(json).digest('hex'));
  });

  test('query argument order does not matter', () => {
    const first = new Request('http://www.example.com/query?id=111&cat=222');
    const second = new Request('http://www.example.com/query?cat=222&id=111');
    expect(fingerprintHex(first)).toBe(fingerprintHex(second));
  });

  test('different query values differ', () => {
    const first = new Request('http://www.example.com/hnnoticiaj1.aspx?78132,199');
    const second = new Request('http://www.example.com/hnnoticiaj1.aspx?78160,199');
    expect(fingerprintHex(first)).not.toBe(fingerprintHex(second));
  });

  test('equivalent spellings of one URL agree', () => {
    const plain = new Request('http://www.example.com/r%C3%A9sum%C3%A9?q=a+b');
    for (const url of ['http://WWW.example.com/résumé?q=a b', 'http://www.example.com/r%c3%a9sum%c3%a9?q=a%20b']) {
      expect(fingerprintHex(new Request(url))).toBe(fingerprintHex(plain));
    }
  });

  test('path case matters', () => {
    expect(fingerprintHex(new Request('http://scrapytest.org/index.html'))).not.toBe(
      fingerprintHex(new Request('http://scrapytest.org/INDEX.html')),
    );
  });

  test('the method matters', () => {
    const get = new Request('http://www.example.com/');
    const post = new Request('http://www.example.com/', {method: 'POST'});
    expect(fingerprintHex(get)).not.toBe(fingerprintHex(post));
    expect(fingerprintHex(new Request('http://www.example.com/', {method: 'post'}))).toBe(fingerprintHex(post));
  });

  test('the body matters', () => {
    const one = new Request('http://www.example.com/', {method: 'POST', body: 'request body'});
    const other = new Request('http://www.example.com/', {method: 'POST', body: 'other body'});
    expect(fingerprintHex(one)).not.toBe(fingerprintHex(other));
    expect(fingerprintHex(new Request('http://www.example.com/', {method: 'POST', body: Buffer.from('request body')}))).toBe(
      fingerprintHex(one),
    );
  });

  test('URL and body are kept apart (/foo is not /f with body oo)', () => {
    const whole = new Request('http://www.example.com/foo');
    const split = new Request('http://www.example.com/f', {body: 'oo'});
    expect(fingerprintHex(whole)).not.toBe(fingerprintHex(split));
  });

  test('the fragment is ignored unless keepFragments', () => {
    const plain = new Request('http://www.example.com/query?id=111&cat=222');
    const withFragment = new Request('http://www.example.com/query?cat=222&id=111#fragment');
    expect(fingerprintHex(withFragment)).toBe(fingerprintHex(plain));
    expect(fingerprintHex(withFragment, {keepFragments: true})).not.toBe(fingerprintHex(plain, {keepFragments: true}));
    const otherFragment = new Request('http://www.example.com/query?cat=222&id=111#other');
    expect(fingerprintHex(otherFragment, {keepFragments: true})).not.toBe(fingerprintHex(withFragment, {keepFragments: true}));
  });
});

describe('fingerprint: headers', () => {
  const request = () => new Request('http://www.example.com/', {headers: {'Accept-Language': 'en', 'X-Id': ['1', '2']}});

  test('are ignored by default', () => {
    const bare = new Request('http://www.example.com/');
    expect(fingerprintHex(request())).toBe(fingerprintHex(bare));
  });

  test('count when included, whatever the case of the names', () => {
    const bare = new Request('http://www.example.com/');
    const included = fingerprintHex(request(), {includeHeaders: ['accept-language']});
    expect(included).not.toBe(fingerprintHex(bare, {includeHeaders: ['accept-language']}));
    expect(fingerprintHex(request(), {includeHeaders: ['ACCEPT-LANGUAGE']})).toBe(included);
    const otherValue = new Request('http://www.example.com/', {headers: {'accept-language': 'fr'}});
    expect(fingerprintHex(otherValue, {includeHeaders: ['accept-language']})).not.toBe(included);
  });

  test('do not depend on the order they are named in', () => {
    expect(fingerprintHex(request(), {includeHeaders: ['X-Id', 'Accept-Language']})).toBe(
      fingerprintHex(request(), {includeHeaders: ['accept-language', 'x-id']}),
    );
  });

  test('are encoded as Scrapy does: hex of the lower-cased name, list of hex values', () => {
    const json =
      '{"body": "", "headers": {"6163636570742d6c616e6775616765": ["656e"], "782d6964": ["31", "32"]}, ' +
      '"method": "GET", "url": "http://www.example.com/"}';
    expect(fingerprintHex(request(), {includeHeaders: ['x-id', 'Accept-Language']})).toBe(createHash('sha1').update(json).digest('hex'));
  });

  test('named but absent do not count', () => {
    const bare = new Request('http://www.example.com/');
    expect(fingerprintHex(bare, {includeHeaders: ['X-Missing']})).toBe(fingerprintHex(bare));
  });
});

describe('fingerprint: verbatim_url and caching', () => {
  test('meta.verbatim_url hashes the URL as given, fragment and order included', () => {
    const verbatim = new Request('http://www.example.com/?b=1&a=2#frag', {meta: {verbatim_url: true}});
    const canonical = new Request('http://www.example.com/?b=1&a=2#frag');
    expect(fingerprintHex(verbatim)).not.toBe(fingerprintHex(canonical));
    const json = '{"body": "", "headers": {}, "method": "GET", "url": "http://www.example.com/?b=1&a=2#frag"}';
    expect(fingerprintHex(verbatim)).toBe(createHash('sha1').update(json).digest('hex'));
  });

  test('escapes non-ASCII in JSON as Python does; a Request has made its URL ASCII before it is hashed', () => {
    expect(pythonJsonString('é€😀"\\\n')).toBe('"\\u00e9\\u20ac\\ud83d\\ude00\\"\\\\\\n"');
    const request = new Request('http://www.example.com/é€😀', {meta: {verbatim_url: true}});
    const json = '{"body": "", "headers": {}, "method": "GET", "url": "http://www.example.com/%C3%A9%E2%82%AC%F0%9F%98%80"}';
    expect(fingerprintHex(request)).toBe(createHash('sha1').update(json).digest('hex'));
  });

  test('a request is hashed once per option set; the digest handed out cannot corrupt the cache', () => {
    const request = new Request('http://www.example.com/a?x=1');
    const first = fingerprint(request);
    first.fill(0);
    expect(fingerprint(request).toString('hex')).toBe(fingerprintHex(request));
    expect(fingerprintHex(request)).not.toBe('0'.repeat(40));
    expect(fingerprintHex(request, {keepFragments: true})).toBe(fingerprintHex(request));
  });

  test('replace() makes a new request with its own fingerprint', () => {
    const request = new Request('http://www.example.com/a');
    const before = fingerprintHex(request);
    const replaced = request.replace({url: 'http://www.example.com/b'});
    expect(fingerprintHex(replaced)).not.toBe(before);
    expect(fingerprintHex(request)).toBe(before);
  });

  test('a fingerprinted request keeps its answer out of sight: it still equals a fresh copy, and a spread does not carry it', () => {
    const request = new Request('http://www.example.com/a?b=1');
    const hex = fingerprintHex(request);
    expect(request).toEqual(new Request('http://www.example.com/a?b=1'));
    expect(Object.keys(request)).toEqual(Object.keys(new Request('http://www.example.com/a?b=1')));
    expect(fingerprintHex(request)).toBe(hex);
    expect(fingerprint(request).toString('hex')).toBe(hex);
  });
});
