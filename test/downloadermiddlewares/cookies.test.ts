import {describe, expect, test} from '@jest/globals';
import {Request} from '../../src/http/request.js';
import {SIGNALS} from '../../src/core/signals.js';
import {CookiesMiddleware, COOKIES_FILE} from '../../src/downloadermiddlewares/cookies.js';
import {fakeCrawler, fakeJob, responseFor} from '../helpers/fake-crawler.js';

describe('CookiesMiddleware', () => {
  test('stores Set-Cookie from a response and sends it back to that site only', () => {
    const crawler = fakeCrawler();
    const middleware = new CookiesMiddleware(crawler);
    const first = new Request('http://shop.test/login');
    middleware.processRequest(first);
    expect(first.header('cookie')).toBeUndefined();
    middleware.processResponse(first, responseFor(first, {headers: {'Set-Cookie': ['session=abc; Path=/', 'theme=dark; Path=/account']}}));

    const next = new Request('http://shop.test/account/orders');
    middleware.processRequest(next);
    expect(next.header('cookie')?.split('; ').sort()).toEqual(['session=abc', 'theme=dark']);
    const home = new Request('http://shop.test/');
    middleware.processRequest(home);
    expect(home.header('cookie')).toBe('session=abc');
    const elsewhere = new Request('http://other.test/');
    middleware.processRequest(elsewhere);
    expect(elsewhere.header('cookie')).toBeUndefined();
  });

  test('merges request.cookies into the jar and replaces a hand-written Cookie header', () => {
    const crawler = fakeCrawler();
    const middleware = new CookiesMiddleware(crawler);
    const request = new Request('http://shop.test/', {cookies: {currency: 'EUR'}, headers: {cookie: 'stale=1'}});
    middleware.processRequest(request);
    expect(request.header('cookie')).toBe('currency=EUR');
    const later = new Request('http://shop.test/cart');
    middleware.processRequest(later);
    expect(later.header('cookie')).toBe('currency=EUR');
  });

  test('keeps one jar per meta.cookiejar key', () => {
    const crawler = fakeCrawler();
    const middleware = new CookiesMiddleware(crawler);
    for (const user of [1, 2]) {
      const login = new Request('http://shop.test/login', {meta: {cookiejar: user}});
      middleware.processRequest(login);
      middleware.processResponse(login, responseFor(login, {headers: {'set-cookie': `user=${user}`}}));
    }
    const asTwo = new Request('http://shop.test/', {meta: {cookiejar: 2}});
    const asDefault = new Request('http://shop.test/');
    middleware.processRequest(asTwo);
    middleware.processRequest(asDefault);
    expect(asTwo.header('cookie')).toBe('user=2');
    expect(asDefault.header('cookie')).toBeUndefined();
  });

  test('meta.dont_merge_cookies leaves the request and its response alone', () => {
    const crawler = fakeCrawler();
    const middleware = new CookiesMiddleware(crawler);
    const request = new Request('http://shop.test/', {meta: {dont_merge_cookies: true}, headers: {Cookie: 'mine=1'}, cookies: {ignored: '1'}});
    middleware.processRequest(request);
    expect(request.header('cookie')).toBe('mine=1');
    middleware.processResponse(request, responseFor(request, {headers: {'Set-Cookie': 'tracker=1'}}));
    const next = new Request('http://shop.test/');
    middleware.processRequest(next);
    expect(next.header('cookie')).toBeUndefined();
  });

  test('COOKIES_DEBUG logs what is sent and received', () => {
    const crawler = fakeCrawler({COOKIES_DEBUG: true});
    const middleware = new CookiesMiddleware(crawler);
    const request = new Request('http://shop.test/', {cookies: {a: '1'}});
    middleware.processRequest(request);
    middleware.processResponse(request, responseFor(request, {headers: {'Set-Cookie': 'b=2'}}));
    expect(crawler.logged('DEBUG')).toEqual([
      '[dragline.downloadermiddlewares.cookies] DEBUG: Sending cookies to: <GET http://shop.test/>\nCookie: a=1',
      '[dragline.downloadermiddlewares.cookies] DEBUG: Received cookies from: <200 http://shop.test/>\nSet-Cookie: b=2',
    ]);
  });

  test('COOKIES_ENABLED off leaves the middleware out', () => {
    expect(() => new CookiesMiddleware(fakeCrawler({COOKIES_ENABLED: false}))).toThrow(expect.objectContaining({name: 'NotConfigured'}));
  });
});

describe('CookiesMiddleware with a job', () => {
  test('saves the jars on the persist signal and at close, and a new run sends them again', () => {
    const job = fakeJob();
    const crawler = fakeCrawler({}, {job});
    const middleware = new CookiesMiddleware(crawler);
    middleware.open();
    const login = new Request('http://shop.test/login', {meta: {cookiejar: 'alice'}});
    middleware.processRequest(login);
    middleware.processResponse(login, responseFor(login, {headers: {'Set-Cookie': 'session=alice; Max-Age=86400'}}));
    expect(job.documents[COOKIES_FILE]).toBeUndefined();
    crawler.signals.emit(SIGNALS.persist);
    expect(JSON.stringify(job.documents[COOKIES_FILE])).toContain('session');

    const home = new Request('http://shop.test/');
    middleware.processRequest(home);
    middleware.processResponse(home, responseFor(home, {headers: {'Set-Cookie': 'visited=yes'}}));
    middleware.close();
    expect(crawler.signals.listenerCount(SIGNALS.persist)).toBe(0);

    const resumed = fakeCrawler({}, {job});
    const again = new CookiesMiddleware(resumed);
    again.open();
    const asAlice = new Request('http://shop.test/', {meta: {cookiejar: 'alice'}});
    const asDefault = new Request('http://shop.test/');
    again.processRequest(asAlice);
    again.processRequest(asDefault);
    expect(asAlice.header('cookie')).toBe('session=alice');
    expect(asDefault.header('cookie')).toBe('visited=yes');
    expect(resumed.stats.get('cookies/expired_at_resume')).toBeUndefined();
  });

  test('drops cookies that expired while the job was paused, says so once and counts them', () => {
    const job = fakeJob();
    const before = fakeCrawler({}, {job});
    const first = new CookiesMiddleware(before);
    first.open();
    const request = new Request('http://shop.test/');
    first.processRequest(request);
    first.processResponse(request, responseFor(request, {headers: {'Set-Cookie': [
      'old=1; Expires=Wed, 21 Oct 2037 07:28:00 GMT',
      'older=2; Expires=Wed, 21 Oct 2037 07:28:00 GMT',
      'fresh=3; Expires=Wed, 21 Oct 2099 07:28:00 GMT',
    ]}}));
    first.close();
    // Age the saved cookies, as if the job had been paused until after they expired.
    const saved = job.documents[COOKIES_FILE] as {jars: Record<string, {cookies: Array<{key: string; expires: string}>}>};
    for (const cookie of saved.jars[''].cookies) {
      if (cookie.key !== 'fresh') cookie.expires = '2001-01-01T00:00:00.000Z';
    }

    const resumed = fakeCrawler({}, {job});
    const middleware = new CookiesMiddleware(resumed);
    middleware.open();
    const next = new Request('http://shop.test/');
    middleware.processRequest(next);
    expect(next.header('cookie')).toBe('fresh=3');
    expect(resumed.stats.get('cookies/expired_at_resume')).toBe(2);
    expect(resumed.logged('WARNING')).toEqual([
      '[dragline.downloadermiddlewares.cookies] WARNING: 2 cookies expired while the job was paused; requests that need them may fail (see docs/jobs.md: cookies)',
    ]);
  });
});
