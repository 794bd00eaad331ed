import {describe, expect, test} from '@jest/globals';
import {Request} from '../../src/http/request.js';
import {Spider} from '../../src/spiders/spider.js';
import {HttpErrorMiddleware, isHttpError} from '../../src/spidermiddlewares/http-error.js';
import {OffsiteMiddleware} from '../../src/spidermiddlewares/offsite.js';
import {DepthMiddleware} from '../../src/spidermiddlewares/depth.js';
import {RefererMiddleware, refererFor} from '../../src/spidermiddlewares/referer.js';
import {UrlLengthMiddleware} from '../../src/spidermiddlewares/url-length.js';
import {collect, fakeCrawler, fromArray, responseFor} from '../helpers/fake-crawler.js';

function thrownBy(action: () => void): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('HttpErrorMiddleware', () => {
  test('lets 2xx through and raises HttpError with the response for other statuses', () => {
    const crawler = fakeCrawler();
    const middleware = new HttpErrorMiddleware(crawler);
    const ok = new Request('http://a.test/');
    expect(thrownBy(() => middleware.processSpiderInput(responseFor(ok, {status: 204}), crawler.spider))).toBeUndefined();
    const missing = responseFor(new Request('http://a.test/gone'), {status: 404});
    const error = thrownBy(() => middleware.processSpiderInput(missing, crawler.spider));
    expect(isHttpError(error)).toBe(true);
    expect(error).toMatchObject({code: 'HTTP_ERROR', response: missing});
  });

  test('an unhandled HttpError is counted, logged and swallowed; other errors are not touched', () => {
    const crawler = fakeCrawler();
    const middleware = new HttpErrorMiddleware(crawler);
    const missing = responseFor(new Request('http://a.test/gone'), {status: 404});
    const error = thrownBy(() => middleware.processSpiderInput(missing, crawler.spider)) as Error;
    expect(middleware.processSpiderException(missing, error)).toEqual([]);
    expect(middleware.processSpiderException(missing, new Error('callback bug'))).toBeUndefined();
    expect(crawler.stats.get('httperror/response_ignored_count')).toBe(1);
    expect(crawler.stats.get('httperror/response_ignored_status_count/404')).toBe(1);
    expect(crawler.logged('INFO')).toEqual([
      '[dragline.spidermiddlewares.httperror] INFO: Ignoring response <404 http://a.test/gone>: HTTP status code is not handled or not allowed',
    ]);
  });

  test('settings, spider attribute and meta decide which statuses reach the callback', () => {
    const allows = (settings: Record<string, unknown>, status: number, meta: Record<string, unknown> = {}, spiderList?: number[]) => {
      const spider = Object.assign(new Spider(), {name: 's'}, spiderList === undefined ? {} : {handleHttpstatusList: spiderList});
      const crawler = fakeCrawler(settings, {spider});
      const response = responseFor(new Request('http://a.test/', {meta}), {status});
      return thrownBy(() => new HttpErrorMiddleware(crawler).processSpiderInput(response, spider)) === undefined;
    };
    expect(allows({HTTPERROR_ALLOWED_CODES: [404]}, 404)).toBe(true);
    expect(allows({HTTPERROR_ALLOWED_CODES: [404]}, 500)).toBe(false);
    expect(allows({HTTPERROR_ALLOW_ALL: true}, 500)).toBe(true);
    expect(allows({}, 500, {}, [500])).toBe(true);
    expect(allows({HTTPERROR_ALLOWED_CODES: [500]}, 500, {}, [404])).toBe(false);
    expect(allows({}, 410, {handle_httpstatus_list: [410]})).toBe(true);
    expect(allows({HTTPERROR_ALLOW_ALL: true}, 500, {handle_httpstatus_list: [410]})).toBe(false);
    expect(allows({}, 503, {handle_httpstatus_all: true})).toBe(true);
  });
});

describe('OffsiteMiddleware', () => {
  function offsite(allowedDomains?: string[]) {
    const spider = Object.assign(new Spider(), {name: 's', allowedDomains});
    const crawler = fakeCrawler({}, {spider});
    const middleware = new OffsiteMiddleware(crawler);
    middleware.open(spider);
    return {crawler, middleware, spider};
  }

  test('keeps items and requests to allowed domains and their subdomains, whatever the port', async () => {
    const {crawler, middleware, spider} = offsite(['example.com']);
    const response = responseFor(new Request('http://example.com/'));
    const outputs = [
      {title: 'an item'},
      new Request('http://example.com/a'),
      new Request('https://shop.example.com:8443/b'),
      new Request('http://notexample.com/c'),
      new Request('http://example.com.evil.test/d'),
      new Request('http://evil.test/e'),
      new Request('http://evil.test/f', {dontFilter: true}),
      new Request('http://partner.test/g', {meta: {allow_offsite: true}}),
    ];
    const kept = await collect(middleware.processSpiderOutput(response, fromArray(outputs), spider));
    expect(kept.map((output) => (output instanceof Request ? output.url : output))).toEqual([
      {title: 'an item'},
      'http://example.com/a',
      'https://shop.example.com:8443/b',
      'http://evil.test/f',
      'http://partner.test/g',
    ]);
    expect(crawler.stats.get('offsite/filtered')).toBe(3);
    expect(crawler.stats.get('offsite/domains')).toBe(3);
    expect(crawler.logged('DEBUG')).toContain("[dragline.spidermiddlewares.offsite] DEBUG: Filtered offsite request to 'evil.test': <GET http://evil.test/e>");
  });

  test('logs each offsite domain once', async () => {
    const {crawler, middleware, spider} = offsite(['example.com']);
    const response = responseFor(new Request('http://example.com/'));
    await collect(middleware.processSpiderOutput(response, fromArray([new Request('http://evil.test/1'), new Request('http://evil.test/2')]), spider));
    expect(crawler.logged('DEBUG').filter((line) => line.includes('Filtered offsite'))).toHaveLength(1);
    expect(crawler.stats.get('offsite/filtered')).toBe(2);
  });

  test('a spider without allowedDomains goes anywhere; URL and port entries are ignored with a warning', async () => {
    const open = offsite(undefined);
    const response = responseFor(new Request('http://example.com/'));
    expect(await collect(open.middleware.processSpiderOutput(response, fromArray([new Request('http://anywhere.test/')]), open.spider))).toHaveLength(1);

    const odd = offsite(['http://example.com', 'example.org:8080', 'example.net']);
    const kept = await collect(odd.middleware.processSpiderOutput(response, fromArray([
      new Request('http://example.com/'), new Request('http://example.org/'), new Request('http://example.net/'),
    ]), odd.spider));
    expect(kept.map((request) => (request as Request).url)).toEqual(['http://example.net/']);
    expect(odd.crawler.logged('WARNING')).toHaveLength(2);
  });
});

describe('DepthMiddleware', () => {
  test('start requests are depth 0; requests from a page one deeper; too deep ones are dropped', async () => {
    const crawler = fakeCrawler({DEPTH_LIMIT: 2, DEPTH_STATS_VERBOSE: true});
    const middleware = new DepthMiddleware(crawler);
    const [start] = (await collect(middleware.processStart(fromArray([new Request('http://a.test/'), {an: 'item'}])))) as Request[];
    expect(start.meta.depth).toBe(0);

    const level1 = (await collect(middleware.processSpiderOutput(responseFor(start), fromArray([new Request('http://a.test/1'), {an: 'item'}]))))[0] as Request;
    expect(level1.meta.depth).toBe(1);
    const level2 = (await collect(middleware.processSpiderOutput(responseFor(level1), fromArray([new Request('http://a.test/2')]))))[0] as Request;
    expect(level2.meta.depth).toBe(2);
    const level3 = await collect(middleware.processSpiderOutput(responseFor(level2), fromArray([new Request('http://a.test/3'), {kept: true}])));
    expect(level3).toEqual([{kept: true}]);
    expect(crawler.logged('DEBUG')).toContain('[dragline.spidermiddlewares.depth] DEBUG: Ignoring link (depth > 2): http://a.test/3');
    expect(crawler.stats.get('request_depth_max')).toBe(2);
    expect([0, 1, 2, 3].map((depth) => crawler.stats.get(`request_depth_count/${depth}`))).toEqual([1, 1, 1, undefined]);
  });

  test('DEPTH_PRIORITY lowers the priority by depth; a response without depth counts as depth 0', async () => {
    const crawler = fakeCrawler({DEPTH_PRIORITY: 3});
    const middleware = new DepthMiddleware(crawler);
    const [child] = (await collect(middleware.processSpiderOutput(responseFor(new Request('http://a.test/')), fromArray([new Request('http://a.test/1', {priority: 10})])))) as Request[];
    expect(child.meta.depth).toBe(1);
    expect(child.priority).toBe(7);
    expect(crawler.stats.get('request_depth_count/1')).toBeUndefined();
  });
});

describe('RefererMiddleware', () => {
  test('sets Referer to the page URL without its fragment, never on https to http, keeps an existing one', async () => {
    const middleware = new RefererMiddleware(fakeCrawler());
    const response = responseFor(new Request('https://user:pw@a.test/list?page=2#top'));
    const outputs = await collect(middleware.processSpiderOutput(response, fromArray([
      new Request('https://a.test/item'),
      new Request('http://a.test/insecure'),
      new Request('https://a.test/own', {headers: {referer: 'https://mine.test/'}}),
    ]))) as Request[];
    expect(outputs.map((request) => request.header('referer'))).toEqual(['https://a.test/list?page=2', undefined, 'https://mine.test/']);
    expect(() => new RefererMiddleware(fakeCrawler({REFERER_ENABLED: false}))).toThrow(expect.objectContaining({name: 'NotConfigured'}));
  });

  test('each referrer policy, for a same-origin link, a cross-origin one and a downgrade to http', () => {
    const page = 'https://u:p@a.test/list?page=2#top';
    const targets = ['https://a.test/item', 'https://b.test/x', 'http://a.test/plain'];
    const full = 'https://a.test/list?page=2';
    const origin = 'https://a.test/';
    const expected: Record<string, Array<string | undefined>> = {
      'scrapy-default': [full, full, undefined],
      'no-referrer-when-downgrade': [full, full, undefined],
      'no-referrer': [undefined, undefined, undefined],
      'same-origin': [full, undefined, undefined],
      origin: [origin, origin, origin],
      'strict-origin': [origin, origin, undefined],
      'origin-when-cross-origin': [full, origin, origin],
      'strict-origin-when-cross-origin': [full, origin, undefined],
      'unsafe-url': [full, full, full],
    };
    for (const [policy, referers] of Object.entries(expected)) {
      expect([policy, targets.map((target) => refererFor(page, target, policy as never))]).toEqual([policy, referers]);
    }
    expect(refererFor('file:///home/me/page.html', 'https://a.test/', 'unsafe-url')).toBeUndefined();
  });

  test('meta.referrer_policy beats the page\'s Referrer-Policy header, which beats REFERRER_POLICY', async () => {
    const middleware = new RefererMiddleware(fakeCrawler({REFERRER_POLICY: 'no-referrer'}));
    const plain = responseFor(new Request('https://a.test/page'));
    const withHeader = responseFor(new Request('https://a.test/page'), {headers: {'referrer-policy': 'unknown-token, origin'}});
    const referers = async (response: typeof plain) => ((await collect(middleware.processSpiderOutput(response, fromArray([
      new Request('https://b.test/1'),
      new Request('https://b.test/2', {meta: {referrer_policy: 'unsafe-url'}}),
    ])))) as Request[]).map((request) => request.header('referer'));
    expect(await referers(plain)).toEqual([undefined, 'https://a.test/page']);
    expect(await referers(withHeader)).toEqual(['https://a.test/', 'https://a.test/page']);
    expect(() => new RefererMiddleware(fakeCrawler({REFERRER_POLICY: 'sometimes'}))).toThrow(expect.objectContaining({code: 'BAD_SETTING', message: expect.stringContaining("REFERRER_POLICY 'sometimes' is not a referrer policy")}));
  });
});

describe('UrlLengthMiddleware', () => {
  test('drops requests with URLs longer than URLLENGTH_LIMIT', async () => {
    const crawler = fakeCrawler({URLLENGTH_LIMIT: 30});
    const middleware = new UrlLengthMiddleware(crawler);
    const outputs = await collect(middleware.processSpiderOutput(responseFor(new Request('http://a.test/')), fromArray([
      new Request('http://a.test/short'),
      new Request(`http://a.test/${'x'.repeat(40)}`),
    ]))) as Request[];
    expect(outputs.map((request) => request.url)).toEqual(['http://a.test/short']);
    expect(crawler.stats.get('urllength/request_ignored_count')).toBe(1);
    expect(() => new UrlLengthMiddleware(fakeCrawler({URLLENGTH_LIMIT: 0}))).toThrow(expect.objectContaining({name: 'NotConfigured'}));
  });
});
