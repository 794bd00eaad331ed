import {describe, expect, test} from '@jest/globals';
import {alreadyCanonicalUrl, isAbsoluteAsJoined, isAlreadySafe} from '../../src/utils/already-safe-url.js';
import {canonicalizeUrl, canonicalizeUrlParsed} from '../../src/utils/canonicalize-url.js';
import {safeUrlString, safeUrlStringParsed} from '../../src/utils/safe-url-string.js';
import {urljoin, urljoinParsed} from '../../src/utils/urljoin.js';

// The shortcuts answer without parsing; the full parse (itself checked against w3lib and Python in
// the oracle tests) is the reference. Every input whose shortcut answers must get the same answer
// from the full parse.

/** A small deterministic generator (mulberry32), so a failure names an input that comes back. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SCHEMES = ['http://', 'https://', 'HTTP://', 'Https://', 'ftp://', 'file://', 'mailto:', '//', ' http://', 'http:/', ''];
const HOSTS = ['example.com', 'www.example.com', 'Example.COM', '127.0.0.1', 'h', 'a..b', 'xn--caf-dma.com', 'café.fr', '[::1]', 'user:pw@h', 'us%40er@h', 'h.', '', 'a_b.com', 'x'.repeat(64) + '.com'];
const PORTS = ['', '', '', ':80', ':8080', ':51234', ':65535', ':65536', ':99999', ':123456', ':080', ':0', ':', ':8a', ':+1'];
const PATH_PIECES = ['/', '/', '/a', '/page/3', '/b.html', '%20', '%2F', '%2f', '%41', '%zz', '%', ';', ';p=1', '.', '..', '/./', '/../', '//', '[', ']', '|', "'", '!', '$', '&', '(', '*', '+', ',', '=', ':', '@', '~', 'é', ' ', '\t', '\n', '"', '<', '^', '`', '{', '\\', 'ü/x'];
const QUERY_PIECES = ['a=1', 'b=2', 'a=2', 'b=', 'c', '=v', 'a-=b', 'a=x', 'ab=1', 'A=1', 'z=9', 'k=a+b', 'k=%41', 'k=%2b', 'k=é', "k='", 'k=;', 'k=/', 'k=?', 'k=[', '', ' ', 'a.b=1', 'a~=1', 'a_b=1', 'x=1&x=1'];
const FRAGMENT_PIECES = ['', 'top', 'a/b', 'x?y', '!', "'", '%41', '%', '#', ' ', 'é', '[', 'sec-1.2', '~'];

function pick<T>(next: () => number, list: readonly T[]): T {
  return list[Math.floor(next() * list.length)]!;
}

// Mostly plain parts, now and then an unusual one: inputs near the edge of what the shortcuts take.
const PLAIN_SCHEMES = ['http://', 'https://'];
const PLAIN_HOSTS = ['example.com', '127.0.0.1', 'localhost', 'a-b.example.org'];
const PLAIN_PORTS = ['', ':8080', ':51234', ':1'];
const PLAIN_PATH_PIECES = ['/', '/a', '/page/3', '/b.html', '/x-y_z~', "/it's", '/(1)', '/a:b@c', '/!$&*+,='];

function generatedUrls(count: number, seed: number, plain = false): string[] {
  const next = random(seed);
  const urls: string[] = [];
  const odd = () => !plain || next() < 0.1;
  for (let n = 0; n < count; n++) {
    let url = pick(next, odd() ? SCHEMES : PLAIN_SCHEMES) + pick(next, odd() ? HOSTS : PLAIN_HOSTS) + pick(next, odd() ? PORTS : PLAIN_PORTS);
    const pieces = Math.floor(next() * 5);
    for (let i = 0; i < pieces; i++) url += pick(next, odd() ? PATH_PIECES : PLAIN_PATH_PIECES);
    if (next() < 0.6) {
      url += '?';
      const args = Math.floor(next() * 4);
      for (let i = 0; i < args; i++) url += (i > 0 ? pick(next, ['&', '&', ';', '&&']) : '') + pick(next, QUERY_PIECES);
    }
    if (next() < 0.3) url += '#' + pick(next, FRAGMENT_PIECES) + pick(next, FRAGMENT_PIECES);
    if (next() < 0.05) url += pick(next, [' ', '\t', '\x00']);
    urls.push(url);
  }
  return urls;
}

/** URLs a crawl meets: what the shortcuts are for. */
const TYPICAL = [
  'http://127.0.0.1:51234/page/3?a=1&b=2',
  'http://127.0.0.1:51234/page/3?b=2&a=1',
  'http://127.0.0.1:8080/',
  'https://docs.python.org/3/library/os.html#os.path',
  'https://www.postgresql.org/docs/15/sql-select.html',
  'http://localhost:3000/a/b/c.html?x=1&y=&z=3',
  'https://example.com/search?q=a+b&page=2',
  'https://example.com/wiki/Caf%C3%A9',
  "https://example.com/it's",
  'https://example.com/a;b',
  'https://example.com',
  'https://example.com?a=1',
  'https://example.com/?',
  'https://example.com/#',
  'https://EXAMPLE.com/',
  'http://127.0.0.1:051234/',
];

const INPUTS = [...TYPICAL, ...generatedUrls(10000, 16), ...generatedUrls(10000, 10, true)];
/** The inputs where the shortcut and the full parse disagree, with both answers (one expect, not 20,000). */
function mismatches(inputs: string[], answers: (url: string) => [string, string]): Array<[string, string, string]> {
  const wrong: Array<[string, string, string]> = [];
  for (const url of inputs) {
    const [quick, parsed] = answers(url);
    if (quick !== parsed) wrong.push([url, quick, parsed]);
  }
  return wrong;
}

const BASES = ['', 'http://127.0.0.1:51234/page/3?a=1', 'https://example.com/a/b/', 'ftp://h/x', 'mailto:x@y', 'HTTP://Example.com'];

describe('isAlreadySafe: safeUrlString without the parse', () => {
  test('takes the shortcut on the URLs a crawl meets, 5-digit ports included', () => {
    expect(isAlreadySafe('http://127.0.0.1:51234/page/3?a=1&b=2')).toBe(true);
    expect(isAlreadySafe('http://127.0.0.1:65535/')).toBe(true);
    expect(isAlreadySafe('https://docs.python.org/3/library/os.html#os.path')).toBe(true);
    expect(isAlreadySafe('http://127.0.0.1:051234/')).toBe(false);
    expect(isAlreadySafe('https://EXAMPLE.com/')).toBe(false);
  });

  test('answers only where the full parse gives the URL back unchanged, in any page encoding', () => {
    let taken = 0;
    const wrong: unknown[] = [];
    for (const url of INPUTS) {
      if (!isAlreadySafe(url)) continue;
      taken++;
      for (const encoding of ['utf-8', 'windows-1252', 'shift_jis', 'utf-16le']) {
        const parsed = safeUrlStringParsed(url, encoding);
        if (parsed !== url) wrong.push([url, encoding, parsed]);
      }
    }
    expect(wrong).toEqual([]);
    expect(taken).toBeGreaterThan(1000);
  });

  test('safeUrlString equals the full parse on every input', () => {
    expect(mismatches(INPUTS, (url) => [safeUrlString(url, 'windows-1252'), safeUrlStringParsed(url, 'windows-1252')])).toEqual([]);
  });
});

describe('alreadyCanonicalUrl: canonicalizeUrl without the parse', () => {
  test('takes the shortcut on canonical URLs and drops the fragment', () => {
    expect(alreadyCanonicalUrl('http://127.0.0.1:51234/page/3?a=1&b=2', false, true)).toBe('http://127.0.0.1:51234/page/3?a=1&b=2');
    expect(alreadyCanonicalUrl('https://docs.python.org/3/library/os.html#os.path', false, true)).toBe('https://docs.python.org/3/library/os.html');
    expect(alreadyCanonicalUrl('https://docs.python.org/3/library/os.html#os.path', true, true)).toBe('https://docs.python.org/3/library/os.html#os.path');
    expect(alreadyCanonicalUrl('http://127.0.0.1:51234/page/3?b=2&a=1', false, true)).toBeUndefined();
    expect(alreadyCanonicalUrl('http://h/?a-=b&a=x', false, true)).toBeUndefined();
  });

  test('answers only what the full parse answers, with every combination of options', () => {
    let taken = 0;
    const wrong: unknown[] = [];
    for (const url of INPUTS) {
      for (const keepFragments of [false, true]) {
        for (const keepBlankValues of [true, false]) {
          const quick = alreadyCanonicalUrl(url, keepFragments, keepBlankValues);
          if (quick === undefined) continue;
          taken++;
          const parsed = canonicalizeUrlParsed(url, keepFragments, keepBlankValues);
          if (parsed !== quick) wrong.push([url, keepFragments, keepBlankValues, quick, parsed]);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(taken).toBeGreaterThan(1000);
  });

  test('canonicalizeUrl equals the full parse on every input', () => {
    expect(mismatches(INPUTS, (url) => [canonicalizeUrl(url), canonicalizeUrlParsed(url, false, true)])).toEqual([]);
  });
});

describe('isAbsoluteAsJoined: urljoin without the parse', () => {
  test('takes the shortcut on absolute http(s) URLs only', () => {
    expect(isAbsoluteAsJoined('http://127.0.0.1:51234/page/3?a=1&b=2')).toBe(true);
    expect(isAbsoluteAsJoined('https://Example.COM/a b/é?x#y')).toBe(true);
    expect(isAbsoluteAsJoined('/page/3')).toBe(false);
    expect(isAbsoluteAsJoined('http:///x')).toBe(false);
    expect(isAbsoluteAsJoined('http://h/a?')).toBe(false);
    expect(isAbsoluteAsJoined('http://h/a;')).toBe(false);
  });

  test('answers only where the full join gives the URL back, whatever the base', () => {
    let taken = 0;
    const wrong: unknown[] = [];
    for (const url of INPUTS) {
      if (!isAbsoluteAsJoined(url)) continue;
      taken++;
      for (const base of BASES) {
        const joined = urljoinParsed(base, url);
        if (joined !== url) wrong.push([base, url, joined]);
      }
    }
    expect(wrong).toEqual([]);
    expect(taken).toBeGreaterThan(1000);
  });

  test('urljoin equals the full join on every input', () => {
    for (const base of BASES) expect(mismatches(INPUTS, (url) => [urljoin(base, url), urljoinParsed(base, url)])).toEqual([]);
  });
});
