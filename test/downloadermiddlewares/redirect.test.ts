import {describe, expect, test} from '@jest/globals';
import {Request} from '../../src/http/request.js';
import {Spider} from '../../src/spiders/spider.js';
import {RedirectMiddleware} from '../../src/downloadermiddlewares/redirect.js';
import {MetaRefreshMiddleware, findMetaRefresh} from '../../src/downloadermiddlewares/meta-refresh.js';
import {fakeCrawler, responseFor} from '../helpers/fake-crawler.js';

function redirectOf(request: Request, status: number, location: string, crawler = fakeCrawler()): Request {
  const middleware = new RedirectMiddleware(crawler);
  const result = middleware.processResponse(request, responseFor(request, {status, headers: {Location: location}}), crawler.spider);
  expect(result).toBeInstanceOf(Request);
  return result as Request;
}

describe('RedirectMiddleware', () => {
  test('follows a relative Location and records the chain in meta', () => {
    const crawler = fakeCrawler({REDIRECT_PRIORITY_ADJUST: 2});
    const request = new Request('http://example.com/old/page', {priority: 1});
    const redirected = redirectOf(request, 301, '../new', crawler);
    expect(redirected.url).toBe('http://example.com/new');
    expect(redirected.priority).toBe(3);
    expect(redirected.meta).toMatchObject({redirect_times: 1, redirect_urls: ['http://example.com/old/page'], redirect_reasons: [301]});
    expect(crawler.logged('DEBUG')).toContain(
      '[dragline.downloadermiddlewares.redirect] DEBUG: Redirecting (301) to <GET http://example.com/new> from <GET http://example.com/old/page>',
    );
    const second = redirectOf(redirected, 302, 'https://example.com/final', crawler);
    expect(second.meta).toMatchObject({redirect_times: 2, redirect_urls: ['http://example.com/old/page', 'http://example.com/new'], redirect_reasons: [301, 302]});
  });

  test('keeps dontFilter of the original request (the redirect goes through the duplicates filter)', () => {
    expect(redirectOf(new Request('http://a.test/'), 302, '/b').dontFilter).toBe(false);
    expect(redirectOf(new Request('http://a.test/', {dontFilter: true}), 302, '/b').dontFilter).toBe(true);
  });

  test('303 turns any method but HEAD into a bodiless GET; 301/302 only a POST', () => {
    const post = () => new Request('http://a.test/form', {method: 'POST', body: 'x=1', headers: {'Content-Type': 'application/x-www-form-urlencoded', 'X-Keep': '1'}});
    for (const status of [301, 302, 303]) {
      const redirected = redirectOf(post(), status, '/done');
      expect(redirected.method).toBe('GET');
      expect(redirected.body.length).toBe(0);
      expect(redirected.header('content-type')).toBeUndefined();
      expect(redirected.header('x-keep')).toBe('1');
    }
    expect(redirectOf(new Request('http://a.test/', {method: 'PUT', body: 'b'}), 303, '/x').method).toBe('GET');
    expect(redirectOf(new Request('http://a.test/', {method: 'HEAD'}), 303, '/x').method).toBe('HEAD');
    expect(redirectOf(new Request('http://a.test/', {method: 'PUT', body: 'b'}), 302, '/x').method).toBe('PUT');
  });

  test('307 and 308 keep the method and the body', () => {
    for (const status of [307, 308]) {
      const redirected = redirectOf(new Request('http://a.test/form', {method: 'POST', body: 'x=1'}), status, '/again');
      expect(redirected.method).toBe('POST');
      expect(redirected.body.toString()).toBe('x=1');
    }
  });

  test('drops Cookie and Authorization headers when the host changes, keeps them on the same host', () => {
    const headers = {Cookie: 'session=1', Authorization: 'Basic abc'};
    const sameHost = redirectOf(new Request('http://a.test/1', {headers, cookies: {c: '1'}}), 302, '/2');
    expect(sameHost.header('cookie')).toBe('session=1');
    expect(sameHost.header('authorization')).toBe('Basic abc');
    expect(sameHost.cookies).toEqual({c: '1'});
    const otherHost = redirectOf(new Request('http://a.test/1', {headers, cookies: {c: '1'}}), 302, 'http://evil.test/2');
    expect(otherHost.header('cookie')).toBeUndefined();
    expect(otherHost.header('authorization')).toBeUndefined();
    expect(otherHost.cookies).toEqual({});
    const downgrade = redirectOf(new Request('https://a.test/1', {headers}), 302, 'http://a.test/2');
    expect(downgrade.header('cookie')).toBeUndefined();
  });

  test('discards the request when REDIRECT_MAX_TIMES is reached', () => {
    const crawler = fakeCrawler({REDIRECT_MAX_TIMES: 2});
    const middleware = new RedirectMiddleware(crawler);
    let request = new Request('http://a.test/0');
    let error: unknown;
    for (let hop = 1; hop <= 4 && error === undefined; hop += 1) {
      try {
        request = middleware.processResponse(request, responseFor(request, {status: 302, headers: {Location: `/${hop}`}}), crawler.spider) as Request;
      } catch (caught) {
        error = caught;
      }
    }
    expect(request.url).toBe('http://a.test/2');
    expect(error).toMatchObject({name: 'IgnoreRequest', message: 'max redirections reached'});
    expect(crawler.logged('DEBUG')).toContain('[dragline.downloadermiddlewares.redirect] DEBUG: Discarding <GET http://a.test/2>: max redirections reached');
  });

  test('leaves the response alone when asked to, or when it is not a usable redirect', () => {
    const spider = Object.assign(new Spider(), {name: 's', handleHttpstatusList: [301]});
    const crawler = fakeCrawler({}, {spider});
    const middleware = new RedirectMiddleware(crawler);
    const cases: Array<[Request, number, Record<string, string>]> = [
      [new Request('http://a.test/', {meta: {dont_redirect: true}}), 302, {Location: '/x'}],
      [new Request('http://a.test/', {meta: {handle_httpstatus_list: [302]}}), 302, {Location: '/x'}],
      [new Request('http://a.test/', {meta: {handle_httpstatus_all: true}}), 302, {Location: '/x'}],
      [new Request('http://a.test/'), 301, {Location: '/x'}],
      [new Request('http://a.test/'), 302, {}],
      [new Request('http://a.test/'), 200, {Location: '/x'}],
      [new Request('http://a.test/'), 302, {Location: 'ftp://a.test/file'}],
    ];
    for (const [request, status, headers] of cases) {
      const response = responseFor(request, {status, headers});
      expect(middleware.processResponse(request, response, spider)).toBe(response);
    }
  });

  test('REDIRECT_ENABLED off leaves the middleware out', () => {
    expect(() => new RedirectMiddleware(fakeCrawler({REDIRECT_ENABLED: false}))).toThrow(expect.objectContaining({name: 'NotConfigured'}));
  });
});

describe('MetaRefreshMiddleware', () => {
  const html = (content: string) => `<html><head><meta http-equiv="Refresh" content="${content}"></head><body></body></html>`;

  test('follows a short meta refresh on an HTML page as a GET', () => {
    const crawler = fakeCrawler({METAREFRESH_MAXDELAY: 10});
    const middleware = new MetaRefreshMiddleware(crawler);
    const request = new Request('http://a.test/dir/page', {method: 'POST', body: 'q=1'});
    const response = responseFor(request, {headers: {'Content-Type': 'text/html; charset=utf-8'}, body: html("0; url='../next?a=1&amp;b=2'")});
    const redirected = middleware.processResponse(request, response, crawler.spider) as Request;
    expect(redirected).toBeInstanceOf(Request);
    expect(redirected.url).toBe('http://a.test/next?a=1&b=2');
    expect(redirected.method).toBe('GET');
    expect(redirected.meta.redirect_reasons).toEqual(['meta refresh']);
  });

  test('the http-equiv value is matched in any case', () => {
    const crawler = fakeCrawler({METAREFRESH_MAXDELAY: 10});
    const middleware = new MetaRefreshMiddleware(crawler);
    for (const spelling of ['REFRESH', 'rEfReSh']) {
      const request = new Request('http://a.test/');
      const body = `<html><head><META HTTP-EQUIV="${spelling}" CONTENT="0; URL=/moved"></head></html>`;
      const redirected = middleware.processResponse(request, responseFor(request, {headers: {'Content-Type': 'text/html'}, body}), crawler.spider) as Request;
      expect(redirected.url).toBe('http://a.test/moved');
    }
  });

  test('a page without Content-Type is read as HTML, as CrawlSpider reads it', () => {
    const crawler = fakeCrawler({METAREFRESH_MAXDELAY: 10});
    const middleware = new MetaRefreshMiddleware(crawler);
    const request = new Request('http://a.test/');
    const redirected = middleware.processResponse(request, responseFor(request, {headers: {}, body: html('0; url=/moved')}), crawler.spider) as Request;
    expect(redirected.url).toBe('http://a.test/moved');
  });

  test('ignores long delays, non-HTML responses, HEAD requests and dont_redirect', () => {
    const crawler = fakeCrawler({METAREFRESH_MAXDELAY: 10});
    const middleware = new MetaRefreshMiddleware(crawler);
    const cases: Array<[Request, string, string]> = [
      [new Request('http://a.test/'), 'text/html', html('30; url=/later')],
      [new Request('http://a.test/'), 'text/plain', html('0; url=/x')],
      [new Request('http://a.test/', {method: 'HEAD'}), 'text/html', html('0; url=/x')],
      [new Request('http://a.test/', {meta: {dont_redirect: true}}), 'text/html', html('0; url=/x')],
      [new Request('http://a.test/'), 'text/html', '<!-- <meta http-equiv="refresh" content="0; url=/x"> -->'],
    ];
    for (const [request, type, body] of cases) {
      const response = responseFor(request, {headers: {'Content-Type': type}, body});
      expect(middleware.processResponse(request, response, crawler.spider)).toBe(response);
    }
  });

  test('findMetaRefresh reads the common spellings', () => {
    expect(findMetaRefresh('<meta content="5;URL=http://b.test/" http-equiv="refresh">', 'http://a.test/')).toEqual({delay: 5, url: 'http://b.test/'});
    expect(findMetaRefresh("<META HTTP-EQUIV=refresh CONTENT='1.5, /x'>", 'http://a.test/y/')).toEqual({delay: 1.5, url: 'http://a.test/x'});
    expect(findMetaRefresh('<meta http-equiv="refresh" content="5">', 'http://a.test/')).toBeUndefined();
  });
});
