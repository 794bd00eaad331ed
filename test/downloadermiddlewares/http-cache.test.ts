import {describe, expect, test} from '@jest/globals';
import {existsSync, readFileSync, utimesSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {HttpCacheMiddleware} from '../../src/downloadermiddlewares/http-cache.js';
import {fingerprintHex} from '../../src/utils/fingerprint.js';
import {Request} from '../../src/http/request.js';
import {Response} from '../../src/http/response.js';
import {useTempDirs} from '../persistence/helpers.js';
import {fakeCrawler, responseFor} from '../helpers/fake-crawler.js';

const {newDir} = useTempDirs();

function cacheWith(values: Record<string, unknown> = {}) {
  const dir = newDir();
  const crawler = fakeCrawler({HTTPCACHE_ENABLED: true, HTTPCACHE_DIR: dir, ...values});
  return {dir, crawler, cache: new HttpCacheMiddleware(crawler), spider: crawler.spider};
}

const page = (url = 'http://127.0.0.1/item?b=2&a=1', meta: Record<string, unknown> = {}) => new Request(url, {meta});

describe('HttpCacheMiddleware', () => {
  test('is left out unless HTTPCACHE_ENABLED', () => {
    expect(() => new HttpCacheMiddleware(fakeCrawler())).toThrow(expect.objectContaining({name: 'NotConfigured'}));
  });

  test('stores a downloaded response and answers the same request from disk, flagged cached', () => {
    const {dir, crawler, cache, spider} = cacheWith();
    const first = page();
    expect(cache.processRequest(first, spider)).toBeUndefined();
    const downloaded = responseFor(first, {status: 200, headers: {'content-type': 'text/html', 'x-tag': ['a', 'b']}, body: '<html>hi</html>', url: 'http://127.0.0.1/item?a=1&b=2'});
    expect(cache.processResponse(first, downloaded, spider)).toBe(downloaded);

    const folder = join(dir, 'test', fingerprintHex(first).slice(0, 2), fingerprintHex(first));
    expect(readFileSync(join(folder, 'response_body'), 'utf8')).toBe('<html>hi</html>');

    // Another request with the same fingerprint (argument order does not matter).
    const again = page('http://127.0.0.1/item?a=1&b=2');
    const cached = cache.processRequest(again, spider) as Response;
    expect(cached).toBeInstanceOf(Response);
    expect([cached.status, cached.url, cached.body.toString(), cached.flags]).toEqual([200, 'http://127.0.0.1/item?a=1&b=2', '<html>hi</html>', ['cached']]);
    expect(cached.headers).toEqual({'content-type': 'text/html', 'x-tag': ['a', 'b']});
    expect(cached.request).toBe(again);
    // A cached response going back up is not stored again.
    cache.processResponse(again, cached, spider);
    expect(crawler.stats.toObject()).toMatchObject({'httpcache/miss': 1, 'httpcache/firsthand': 1, 'httpcache/store': 1, 'httpcache/hit': 1});
  });

  test('HTTPCACHE_IGNORE_HTTP_CODES are not stored; dont_cache is neither read nor stored', () => {
    const {crawler, cache, spider} = cacheWith({HTTPCACHE_IGNORE_HTTP_CODES: [404]});
    const missing = page('http://127.0.0.1/gone');
    cache.processRequest(missing, spider);
    cache.processResponse(missing, responseFor(missing, {status: 404}), spider);
    expect(cache.processRequest(page('http://127.0.0.1/gone'), spider)).toBeUndefined();
    expect(crawler.stats.toObject()).toMatchObject({'httpcache/uncacheable': 1, 'httpcache/miss': 2});

    const live = page('http://127.0.0.1/live', {dont_cache: true});
    cache.processRequest(live, spider);
    cache.processResponse(live, responseFor(live, {body: 'now'}), spider);
    expect(cache.processRequest(page('http://127.0.0.1/live'), spider)).toBeUndefined();
  });

  test('entries older than HTTPCACHE_EXPIRATION_SECS are fetched again; damaged entries are misses', () => {
    const {dir, cache, spider} = cacheWith({HTTPCACHE_EXPIRATION_SECS: 60});
    const request = page();
    cache.processResponse(request, responseFor(request, {body: 'old'}), spider);
    expect(cache.processRequest(page(), spider)).toBeInstanceOf(Response);
    const meta = join(dir, 'test', fingerprintHex(request).slice(0, 2), fingerprintHex(request), 'meta.json');
    const longAgo = new Date(Date.now() - 120_000);
    utimesSync(meta, longAgo, longAgo);
    expect(cache.processRequest(page(), spider)).toBeUndefined();

    cache.processResponse(request, responseFor(request, {body: 'new'}), spider);
    expect((cache.processRequest(page(), spider) as Response).body.toString()).toBe('new');
    writeFileSync(meta, '{not json');
    expect(cache.processRequest(page(), spider)).toBeUndefined();
  });

  test('HTTPCACHE_IGNORE_MISSING drops what is not cached; file: URLs are never cached', () => {
    const {dir, crawler, cache, spider} = cacheWith({HTTPCACHE_IGNORE_MISSING: true});
    expect(() => cache.processRequest(page('http://127.0.0.1/new'), spider)).toThrow(expect.objectContaining({name: 'IgnoreRequest', message: expect.stringContaining('Ignored request not in cache: <GET http://127.0.0.1/new>')}));
    expect(crawler.stats.toObject()).toMatchObject({'httpcache/ignore': 1});
    const local = page('file:///tmp/page.html');
    expect(cache.processRequest(local, spider)).toBeUndefined();
    cache.processResponse(local, responseFor(local, {body: 'local'}), spider);
    expect(existsSync(join(dir, 'test', fingerprintHex(local).slice(0, 2)))).toBe(false);
  });
});
