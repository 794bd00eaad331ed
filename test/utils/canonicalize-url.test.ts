import {describe, expect, test} from '@jest/globals';
import {canonicalizeUrl} from '../../src/utils/canonicalize-url.js';

// Expected values are w3lib's own (tests/test_url.py, CanonicalizeUrlTest and the safe_url_string
// cases canonicalize_url inherits), so a pass means "canonicalizes as Scrapy does".

describe('canonicalizeUrl: structure', () => {
  test.each([
    ['http://www.example.com/', 'http://www.example.com/'],
    ['http://www.example.com', 'http://www.example.com/'],
    ['https://example.org?a=b', 'https://example.org/?a=b'],
    ['http://www.EXAMPLE.com/', 'http://www.example.com/'],
    ['HTTP://www.example.com/Path', 'http://www.example.com/Path'],
  ])('%s -> %s', (input, expected) => {
    expect(canonicalizeUrl(input)).toBe(expected);
  });

  test('keeps the port, even the default one, and drops an empty one', () => {
    expect(canonicalizeUrl('http://www.example.com:8888/do?a=1&b=2&c=3')).toBe('http://www.example.com:8888/do?a=1&b=2&c=3');
    expect(canonicalizeUrl('http://www.example.com:80/do')).toBe('http://www.example.com:80/do');
    expect(canonicalizeUrl('http://www.example.com:/do?a=1&b=2&c=3')).toBe('http://www.example.com/do?a=1&b=2&c=3');
  });

  test('keeps userinfo (not lower-cased) and escapes what userinfo may not hold', () => {
    expect(canonicalizeUrl('http://user:pass@www.example.com:81/do?now=1')).toBe('http://user:pass@www.example.com:81/do?now=1');
    expect(canonicalizeUrl('http://User:PASS@WWW.example.com/')).toBe('http://User:PASS@www.example.com/');
    expect(canonicalizeUrl('ftp://admin:|%@example.com')).toBe('ftp://admin:%7C%25@example.com/');
  });

  test('drops the fragment unless asked to keep it', () => {
    expect(canonicalizeUrl('http://user:pass@www.example.com/do?a=1#frag')).toBe('http://user:pass@www.example.com/do?a=1');
    expect(canonicalizeUrl('http://user:pass@www.example.com/do?a=1#frag', {keepFragments: true})).toBe(
      'http://user:pass@www.example.com/do?a=1#frag',
    );
    expect(canonicalizeUrl('https://example.org#a', {keepFragments: true})).toBe('https://example.org/#a');
  });

  test('strips surrounding whitespace and drops tabs and newlines anywhere', () => {
    expect(canonicalizeUrl('  http://www.example.com/a\tb\n?q=1\r\n ')).toBe('http://www.example.com/ab?q=1');
  });

  test('re-brackets IPv6 hosts', () => {
    expect(canonicalizeUrl('http://[::1]:8080/x')).toBe('http://[::1]:8080/x');
    expect(canonicalizeUrl('http://[FE80::1]/')).toBe('http://[fe80::1]/');
  });
});

describe('canonicalizeUrl: query', () => {
  test('sorts arguments by key, then by value', () => {
    expect(canonicalizeUrl('http://www.example.com/do?a=1&b=2&c=3')).toBe('http://www.example.com/do?a=1&b=2&c=3');
    expect(canonicalizeUrl('http://www.example.com/do?c=1&b=2&a=3')).toBe('http://www.example.com/do?a=3&b=2&c=1');
    expect(canonicalizeUrl('http://www.example.com/do?c=3&b=5&b=2&a=50')).toBe('http://www.example.com/do?a=50&b=2&b=5&c=3');
  });

  test('drops empty fields', () => {
    expect(canonicalizeUrl('http://www.example.com/do?&a=1')).toBe('http://www.example.com/do?a=1');
    expect(canonicalizeUrl('http://www.example.com/do?')).toBe('http://www.example.com/do');
    expect(canonicalizeUrl('http://www.example.com/do?&&')).toBe('http://www.example.com/do');
  });

  test('keeps blank values by default, as `a=`', () => {
    expect(canonicalizeUrl('http://www.example.com/do?b=&a=2')).toBe('http://www.example.com/do?a=2&b=');
    expect(canonicalizeUrl('http://www.example.com/do?b=&c&a=2')).toBe('http://www.example.com/do?a=2&b=&c=');
    expect(canonicalizeUrl('https://example.org?a=b&a')).toBe('https://example.org/?a=&a=b');
  });

  test('drops blank values when keepBlankValues is false', () => {
    expect(canonicalizeUrl('http://www.example.com/do?b=&a=2', {keepBlankValues: false})).toBe('http://www.example.com/do?a=2');
    expect(canonicalizeUrl('http://www.example.com/do?b=&c&a=2', {keepBlankValues: false})).toBe('http://www.example.com/do?a=2');
  });

  test('treats a query without `=` as one blank key', () => {
    expect(canonicalizeUrl('http://www.example.com/do?1750,4')).toBe('http://www.example.com/do?1750%2C4=');
    expect(canonicalizeUrl('http://www.example.com/do?78132,199')).toBe('http://www.example.com/do?78132%2C199=');
  });

  test('spaces, `+` and `%20` all become `+`', () => {
    for (const query of ['q=a space&a=1', 'q=a+space&a=1', 'q=a%20space&a=1']) {
      expect(canonicalizeUrl(`http://www.example.com/do?${query}`)).toBe('http://www.example.com/do?a=1&q=a+space');
    }
  });

  test('an escaped plus stays a plus, escaped', () => {
    expect(canonicalizeUrl('http://www.example.com/do?q=1%2B1')).toBe('http://www.example.com/do?q=1%2B1');
  });

  test('encodes non-ASCII arguments as UTF-8', () => {
    expect(canonicalizeUrl('http://www.example.com/do?price=£500&a=5&z=3')).toBe('http://www.example.com/do?a=5&price=%C2%A3500&z=3');
    expect(canonicalizeUrl('http://www.example.com/do?price(£)=500&a=1')).toBe('http://www.example.com/do?a=1&price%28%C2%A3%29=500');
    expect(canonicalizeUrl('http://www.example.com/résumé?q=résumé')).toBe('http://www.example.com/r%C3%A9sum%C3%A9?q=r%C3%A9sum%C3%A9');
  });

  test('normalises escapes in arguments, keeping non-UTF-8 bytes', () => {
    expect(canonicalizeUrl('http://www.example.com/do?k=b%a3')).toBe('http://www.example.com/do?k=b%A3');
    expect(canonicalizeUrl('http://www.example.com/do?k=r%c3%a9sum%c3%a9')).toBe('http://www.example.com/do?k=r%C3%A9sum%C3%A9');
    expect(canonicalizeUrl('http://www.example.com/do?k=%41%7e')).toBe('http://www.example.com/do?k=A~');
  });

  test('sorts by bytes, not by decoded text or escapes', () => {
    // 'Z' (0x5A) < 'a' (0x61) < 'é' (0xC3 0xA9): byte order after decoding.
    expect(canonicalizeUrl('http://h/?%C3%A9=1&a=2&Z=3')).toBe('http://h/?Z=3&a=2&%C3%A9=1');
    expect(canonicalizeUrl('http://h/?a=%62&a=a')).toBe('http://h/?a=a&a=b');
  });

  test('splits arguments on `&` and on `;`, as w3lib 2.1.1 (and later) does; an escaped %3B stays in the value', () => {
    expect(canonicalizeUrl('http://h/?b=1;a=2')).toBe('http://h/?a=2&b=1');
    expect(canonicalizeUrl('http://h/?b=1%3Ba=2')).toBe('http://h/?b=1%3Ba%3D2');
  });

  test('keeps escaped delimiters inside arguments', () => {
    const url =
      'http://www.example.com/path/to/%23/foo/bar?url=http%3A%2F%2Fwww.example.com%2Fpath%2Fto%2F%23%2Fbar%2Ffoo';
    expect(canonicalizeUrl(url)).toBe(url);
    expect(canonicalizeUrl('http://h/?a=%26b%3Dc')).toBe('http://h/?a=%26b%3Dc');
  });
});

describe('canonicalizeUrl: path', () => {
  test('encodes non-ASCII paths as UTF-8', () => {
    expect(canonicalizeUrl('http://www.example.com/résumé')).toBe('http://www.example.com/r%C3%A9sum%C3%A9');
    expect(canonicalizeUrl('http://www.example.com/a do£.html?a=1')).toBe('http://www.example.com/a%20do%C2%A3.html?a=1');
  });

  test('escapes spaces and keeps existing escapes', () => {
    expect(canonicalizeUrl('http://www.example.com/a do?a=1')).toBe('http://www.example.com/a%20do?a=1');
    expect(canonicalizeUrl('http://www.example.com/a %20do?a=1')).toBe('http://www.example.com/a%20%20do?a=1');
  });

  test('upper-cases escapes and keeps non-UTF-8 bytes', () => {
    expect(canonicalizeUrl('http://www.example.com/r%c3%a9sum%c3%a9')).toBe('http://www.example.com/r%C3%A9sum%C3%A9');
    expect(canonicalizeUrl('http://www.example.com/a%a3do')).toBe('http://www.example.com/a%A3do');
    expect(canonicalizeUrl('http://www.example.com/a%a3do?q=r%c3%a9sum%c3%a9')).toBe('http://www.example.com/a%A3do?q=r%C3%A9sum%C3%A9');
    expect(canonicalizeUrl('http://www.example.com/a%a3do?q=r%e9sum%e9')).toBe('http://www.example.com/a%A3do?q=r%E9sum%E9');
    expect(canonicalizeUrl('http://www.example.com/caf%E9-con-leche.htm')).toBe('http://www.example.com/caf%E9-con-leche.htm');
  });

  test('decodes escapes of characters a path may hold as they are', () => {
    expect(canonicalizeUrl('http://www.example.com/%7Euser/%41%3a')).toBe('http://www.example.com/~user/A:');
  });

  test('keeps %2F and %3F escaped, upper-cased', () => {
    expect(canonicalizeUrl('http://foo.com/AC%2FDC+rocks%3f/?yeah=1')).toBe('http://foo.com/AC%2FDC+rocks%3F/?yeah=1');
    expect(canonicalizeUrl('http://foo.com/AC%2FDC/')).toBe('http://foo.com/AC%2FDC/');
    expect(canonicalizeUrl('http://foo.com/a%2fb')).toBe('http://foo.com/a%2Fb');
  });

  test('keeps %23 escaped, so that it never becomes a fragment', () => {
    expect(canonicalizeUrl('http://www.example.com/path/to/%23/foo/bar')).toBe('http://www.example.com/path/to/%23/foo/bar');
    expect(canonicalizeUrl('http://www.example.com/path/to/%23/foo/bar#frag')).toBe('http://www.example.com/path/to/%23/foo/bar');
    expect(canonicalizeUrl('http://www.example.com/path/to/%23/foo/bar#frag', {keepFragments: true})).toBe(
      'http://www.example.com/path/to/%23/foo/bar#frag',
    );
  });

  test('leaves safe characters alone', () => {
    const url = 'http://www.simplybedrooms.com/White-Bedroom-Furniture/Bedroom-Mirror:-Josephine-Cheval-Mirror.html';
    expect(canonicalizeUrl(url)).toBe(url);
    expect(canonicalizeUrl('http://h/a|b[c]!$&\'()*+,;=:@')).toBe('http://h/a|b[c]!$&\'()*+,;=:@');
  });

  test('escapes the characters no standard allows in a path', () => {
    expect(canonicalizeUrl('http://localhost:8001/unwise{,},\\,^,`"<>')).toBe('http://localhost:8001/unwise%7B,%7D,%5C,%5E,%60%22%3C%3E');
  });

  test('leaves a malformed escape as it is', () => {
    expect(canonicalizeUrl('http://h/100%/a%zz%4')).toBe('http://h/100%/a%zz%4');
  });
});

describe('canonicalizeUrl: hosts', () => {
  test.each([
    ['http://www.bücher.de?q=bücher', 'http://www.xn--bcher-kva.de/?q=b%C3%BCcher'],
    ['http://はじめよう.みんな/?query=サ&maxResults=5', 'http://xn--p8j9a0d9c9a.xn--q9jyb4c/?maxResults=5&query=%E3%82%B5'],
    ['http://www.färgbolaget.nu/färgbolaget', 'http://www.xn--frgbolaget-q5a.nu/f%C3%A4rgbolaget'],
    ['http://кто.рф/index.php?domain=Что', 'http://xn--j1ail.xn--p1ai/index.php?domain=%D0%A7%D1%82%D0%BE'],
    ['http://내도메인.한국/', 'http://xn--220b31d95hq8o.xn--3e0b707e/'],
    ['http://nic.شبكة', 'http://nic.xn--ngbc5azd/'],
    ['https://www2.xn--0kwr83e.在线', 'https://www2.xn--0kwr83e.xn--3ds443g/'],
  ])('IDNA: %s', (input, expected) => {
    expect(canonicalizeUrl(input)).toBe(expected);
  });

  test('IDNA applies to the host only, with userinfo and port around it', () => {
    expect(canonicalizeUrl('http://新华网.中国:80')).toBe('http://xn--xkrr14bows.xn--fiqs8s:80/');
    expect(canonicalizeUrl('ftp://admin:admin@新华网.中国:21')).toBe('ftp://admin:admin@xn--xkrr14bows.xn--fiqs8s:21/');
    expect(canonicalizeUrl('http://Åsa:abc123@➡.ws:81/admin')).toBe('http://%C3%85sa:abc123@xn--hgi.ws:81/admin');
    expect(canonicalizeUrl('http://japão:não@️i❤️.ws:8000/')).toBe('http://jap%C3%A3o:n%C3%A3o@xn--i-7iq.ws:8000/');
  });

  test('IDNA follows IDNA 2003 as Python does: ß becomes ss', () => {
    expect(canonicalizeUrl('http://faß.de/')).toBe('http://fass.de/');
  });

  test('a host IDNA refuses is kept as it is', () => {
    expect(canonicalizeUrl('http://.example.com/résumé?q=résumé')).toBe('http://.example.com/r%C3%A9sum%C3%A9?q=r%C3%A9sum%C3%A9');
    const longLabel = 'example'.repeat(11);
    expect(canonicalizeUrl(`http://www.${longLabel}.com/résumé?q=résumé`)).toBe(
      `http://www.${longLabel}.com/r%C3%A9sum%C3%A9?q=r%C3%A9sum%C3%A9`,
    );
  });
});

describe('canonicalizeUrl: idempotence', () => {
  test.each([
    'http://www.bücher.de/résumé?q=résumé',
    'http://はじめよう.みんな/?query=サ&maxResults=5',
    'http://www.example.com/do?q=a space&b=&c&a=%7e#frag',
    'http://foo.com/AC%2FDC+rocks%3f/?yeah=1',
    'http://www.example.com/a%a3do?q=r%e9sum%e9',
  ])('canonicalizing %s twice changes nothing', (url) => {
    const once = canonicalizeUrl(url, {keepFragments: true});
    expect(canonicalizeUrl(once, {keepFragments: true})).toBe(once);
  });
});
