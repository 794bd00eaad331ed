import {describe, expect, test} from '@jest/globals';
import {HttpProxyMiddleware} from '../../src/downloadermiddlewares/http-proxy.js';
import {Request} from '../../src/http/request.js';
import {fakeCrawler} from '../helpers/fake-crawler.js';

const proxied = (middleware: HttpProxyMiddleware, url: string, meta: Record<string, unknown> = {}) => {
  const request = new Request(url, {meta});
  middleware.processRequest(request);
  return request.meta.proxy;
};

describe('HttpProxyMiddleware', () => {
  test('takes http_proxy / HTTPS_PROXY for the scheme, except for no_proxy hosts', () => {
    const middleware = new HttpProxyMiddleware(fakeCrawler(), {
      http_proxy: 'proxy.corp:3128', HTTPS_PROXY: 'http://user:p%40ss@secure.corp:8443', no_proxy: 'localhost, .internal.example, 127.0.0.1:8080',
    });
    expect(proxied(middleware, 'http://shop.example/')).toBe('http://proxy.corp:3128/');
    expect(proxied(middleware, 'https://shop.example/')).toBe('http://user:p%40ss@secure.corp:8443/');
    expect(proxied(middleware, 'http://localhost/')).toBeUndefined();
    expect(proxied(middleware, 'http://api.internal.example/')).toBeUndefined();
    expect(proxied(middleware, 'http://internal.example/')).toBeUndefined();
    expect(proxied(middleware, 'http://127.0.0.1:8080/')).toBeUndefined();
    expect(proxied(middleware, 'http://127.0.0.1:9090/')).toBe('http://proxy.corp:3128/');
  });

  test('meta.proxy wins over the environment; null means no proxy; a bad one is an error naming it', () => {
    const middleware = new HttpProxyMiddleware(fakeCrawler(), {http_proxy: 'http://proxy.corp:3128'});
    expect(proxied(middleware, 'http://shop.example/', {proxy: 'http://other:8000'})).toBe('http://other:8000/');
    expect(proxied(middleware, 'http://shop.example/', {proxy: null})).toBeNull();
    expect(() => proxied(middleware, 'http://shop.example/', {proxy: 'socks5://tor:9050'})).toThrow(/meta\.proxy: only http and https proxies are supported/);
    // Written back complete, so the downloader gets a URL it can use.
    expect(proxied(middleware, 'http://shop.example/', {proxy: 'proxy.local:8080'})).toBe('http://proxy.local:8080/');
  });

  test('a proxy taken from the environment is chosen again after a redirect; one the spider set is kept', () => {
    const middleware = new HttpProxyMiddleware(fakeCrawler(), {http_proxy: 'http://plain.corp:3128', no_proxy: 'inside.example'});
    const first = new Request('http://shop.example/old');
    middleware.processRequest(first);
    expect(first.meta.proxy).toBe('http://plain.corp:3128/');
    // The redirect middleware copies meta to the new request.
    for (const target of ['https://shop.example/new', 'http://inside.example/new']) {
      const redirected = first.replace({url: target, meta: {...first.meta}});
      middleware.processRequest(redirected);
      expect([target, redirected.meta.proxy]).toEqual([target, undefined]);
    }
    const pinned = new Request('http://shop.example/', {meta: {proxy: 'http://mine:1'}});
    middleware.processRequest(pinned);
    const redirected = pinned.replace({url: 'https://shop.example/', meta: {...pinned.meta}});
    middleware.processRequest(redirected);
    expect(redirected.meta.proxy).toBe('http://mine:1/');
  });

  test('a bad environment proxy is BAD_SETTING; HTTPPROXY_ENABLED=false leaves the middleware out', () => {
    expect(() => new HttpProxyMiddleware(fakeCrawler(), {https_proxy: 'ftp://files.corp'})).toThrow(expect.objectContaining({code: 'BAD_SETTING'}));
    expect(() => new HttpProxyMiddleware(fakeCrawler({HTTPPROXY_ENABLED: false}), {http_proxy: 'http://proxy.corp:3128'})).toThrow(expect.objectContaining({name: 'NotConfigured'}));
    const none = new HttpProxyMiddleware(fakeCrawler(), {});
    expect(proxied(none, 'http://shop.example/')).toBeUndefined();
  });
});
