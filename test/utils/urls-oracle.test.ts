import {describe, expect, test} from '@jest/globals';
import {fingerprintHex} from '../../src/utils/fingerprint.js';
import {JsonRequest, Request} from '../../src/http/request.js';
import {canonicalizeUrl} from '../../src/utils/canonicalize-url.js';
import {safeUrlString} from '../../src/utils/safe-url-string.js';
import {itMatchesInstalledScrapy, oracleFixture} from '../helpers/oracle.js';

type SafeCase = Later<{url: string; encoding: string; safe: string}>;
type RequestCase = Later<{url: string; encoding: string; request_url?: string; error?: string; fingerprint?: string; fingerprint_keep_fragments?: string}>;
interface JsonCase {data: unknown; body: string; method: string; headers: Record<string, string[]>; fingerprint: string}
type CanonicalCase = Later<{url: string; keep_blank_values: boolean; keep_fragments: boolean; canonical: string}>;
interface UrlsFixture {
  safe_url_string: SafeCase[];
  requests: RequestCase[];
  json_requests: JsonCase[];
  canonicalize_url: CanonicalCase[];
}

const fixture = oracleFixture<UrlsFixture>('urls');

/**
 * A case where dragline deliberately follows a later w3lib/Scrapy carries `later`: the oracle's
 * answer with that rule applied (test/oracle/urls.py says how), and why; docs/spiders.md lists them.
 */
type Later<T> = T & {later?: Partial<T> & {why: string}};
function answer<T, K extends keyof T>(c: Later<T>, key: K): T[K] {
  return (c.later?.[key] ?? c[key]) as T[K];
}

describe('safeUrlString agrees with w3lib safe_url_string', () => {
  test.each(fixture.safe_url_string.map((c) => [JSON.stringify(c.url), c.encoding, c] as const))('%s (%s)', (_name, _encoding, c) => {
    expect(safeUrlString(c.url, c.encoding)).toBe(answer(c, 'safe'));
  });

  test('the issue example', () => {
    expect(new Request('http://h/a b/café').url).toBe('http://h/a%20b/caf%C3%A9');
  });

  test('the deliberate differences are few, and each says why', () => {
    const later = [...fixture.safe_url_string, ...fixture.requests, ...fixture.canonicalize_url].filter((c) => c.later);
    expect(later.length).toBeLessThan(15);
    for (const c of later) expect(c.later!.why).toMatch(/IPv6|#!|userinfo/);
  });
});

describe('new Request(url) agrees with Scrapy: its url and fingerprints', () => {
  test.each(fixture.requests.map((c) => [JSON.stringify(c.url), c.encoding, c] as const))('%s (%s)', (_name, _encoding, c) => {
    if (c.error !== undefined) {
      expect(() => new Request(c.url, {encoding: c.encoding})).toThrow(c.error);
      return;
    }
    const request = new Request(c.url, {encoding: c.encoding});
    expect(request.url).toBe(answer(c, 'request_url'));
    expect(fingerprintHex(request)).toBe(answer(c, 'fingerprint'));
    expect(fingerprintHex(request, {keepFragments: true})).toBe(answer(c, 'fingerprint_keep_fragments'));
  });
});

describe('JsonRequest agrees with Scrapy: body bytes, method, headers, fingerprint', () => {
  test.each(fixture.json_requests.map((c) => [JSON.stringify(c.data)?.slice(0, 60) ?? 'no data', c] as const))('%s', (_name, c) => {
    const request = new JsonRequest('http://www.example.com/api', c.data === null ? {} : {data: c.data});
    expect(request.body.toString('latin1')).toBe(c.body);
    expect(request.method).toBe(c.method);
    expect(request.headers).toEqual(Object.fromEntries(Object.entries(c.headers).map(([name, values]) => [name, values[0]])));
    expect(fingerprintHex(request)).toBe(c.fingerprint);
  });
});

describe('canonicalizeUrl agrees with w3lib canonicalize_url', () => {
  test.each(fixture.canonicalize_url.map((c) => [JSON.stringify(c.url), c.keep_blank_values, c.keep_fragments, c] as const))(
    '%s keepBlankValues=%s keepFragments=%s',
    (_name, _blank, _fragments, c) => {
      expect(canonicalizeUrl(c.url, {keepBlankValues: c.keep_blank_values, keepFragments: c.keep_fragments})).toBe(answer(c, 'canonical'));
    },
  );
});

itMatchesInstalledScrapy('urls');
