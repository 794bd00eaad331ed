import {describe, expect, test} from '@jest/globals';
import {Request} from '../../src/http/request.js';
import {RetryMiddleware, getRetryRequest, backoffDelayMs} from '../../src/downloadermiddlewares/retry.js';
import {fakeCrawler, responseFor} from '../helpers/fake-crawler.js';

function networkError(code: string, message = `connect ${code} 127.0.0.1:1`): Error & {code: string} {
  return Object.assign(new Error(message), {code});
}

describe('RetryMiddleware', () => {
  test('retries a status in RETRY_HTTP_CODES: same request, not filtered, lower priority, counted', () => {
    const crawler = fakeCrawler({RETRY_TIMES: 2, RETRY_PRIORITY_ADJUST: -1});
    const middleware = new RetryMiddleware(crawler);
    const request = new Request('http://example.com/a', {priority: 5, meta: {keep: 'me'}});
    const retry = middleware.processResponse(request, responseFor(request, {status: 503}), crawler.spider);
    expect(retry).toBeInstanceOf(Request);
    const retried = retry as Request;
    expect(retried.url).toBe(request.url);
    expect(retried.dontFilter).toBe(true);
    expect(retried.priority).toBe(4);
    expect(retried.meta).toMatchObject({retry_times: 1, keep: 'me'});
    expect(request.meta.retry_times).toBeUndefined();
    expect(crawler.stats.get('retry/count')).toBe(1);
    expect(crawler.stats.get('retry/reason_count/503 Service Unavailable')).toBe(1);
    expect(crawler.logged('DEBUG')).toContain(
      '[dragline.downloadermiddlewares.retry] DEBUG: Retrying <GET http://example.com/a> (failed 1 times): 503 Service Unavailable',
    );
  });

  test('passes other statuses through untouched', () => {
    const crawler = fakeCrawler();
    const middleware = new RetryMiddleware(crawler);
    const request = new Request('http://example.com/');
    const response = responseFor(request, {status: 404});
    expect(middleware.processResponse(request, response, crawler.spider)).toBe(response);
    expect(crawler.stats.get('retry/count')).toBeUndefined();
  });

  test('gives up after RETRY_TIMES retries, returns the response and logs an error', () => {
    const crawler = fakeCrawler({RETRY_TIMES: 2});
    const middleware = new RetryMiddleware(crawler);
    let request = new Request('http://example.com/flaky');
    const attempts: unknown[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const response = responseFor(request, {status: 500});
      const result = middleware.processResponse(request, response, crawler.spider);
      attempts.push(result);
      if (!(result instanceof Request)) break;
      request = result;
    }
    expect(attempts).toHaveLength(3);
    expect(attempts[2]).not.toBeInstanceOf(Request);
    expect(crawler.stats.get('retry/count')).toBe(2);
    expect(crawler.stats.get('retry/max_reached')).toBe(1);
    expect(crawler.logged('ERROR')).toEqual([
      '[dragline.downloadermiddlewares.retry] ERROR: Gave up retrying <GET http://example.com/flaky> (failed 3 times): 500 Internal Server Error',
    ]);
  });

  test('retries network errors by code, and not other errors', () => {
    const crawler = fakeCrawler();
    const middleware = new RetryMiddleware(crawler);
    const request = new Request('http://example.com/');
    const retried = middleware.processException(request, networkError('ECONNREFUSED'), crawler.spider);
    expect(retried?.meta.retry_times).toBe(1);
    expect(crawler.stats.get('retry/reason_count/ECONNREFUSED')).toBe(1);
    const wrapped = Object.assign(new Error('request failed'), {code: 'ERR_SOMETHING', cause: networkError('ECONNRESET')});
    expect(middleware.processException(request, wrapped, crawler.spider)).toBeInstanceOf(Request);
    expect(middleware.processException(request, new TypeError('bug in a middleware'), crawler.spider)).toBeUndefined();
  });

  test('meta.dont_retry and meta.max_retry_times are honoured', () => {
    const crawler = fakeCrawler({RETRY_TIMES: 5});
    const middleware = new RetryMiddleware(crawler);
    const untouchable = new Request('http://example.com/', {meta: {dont_retry: true}});
    const response = responseFor(untouchable, {status: 500});
    expect(middleware.processResponse(untouchable, response, crawler.spider)).toBe(response);
    expect(middleware.processException(untouchable, networkError('ETIMEDOUT'), crawler.spider)).toBeUndefined();

    const once = new Request('http://example.com/once', {meta: {max_retry_times: 1, retry_times: 1}});
    expect(middleware.processResponse(once, responseFor(once, {status: 500}), crawler.spider)).not.toBeInstanceOf(Request);
    expect(crawler.stats.get('retry/max_reached')).toBe(1);
  });

  test('RETRY_ENABLED off leaves the middleware out', () => {
    expect(() => new RetryMiddleware(fakeCrawler({RETRY_ENABLED: false}))).toThrow(expect.objectContaining({name: 'NotConfigured'}));
  });

  test('RETRY_BACKOFF_BASE puts a growing, capped delay in meta.retry_delay_ms', () => {
    const crawler = fakeCrawler({RETRY_TIMES: 5, RETRY_BACKOFF_BASE: 1, RETRY_BACKOFF_MAX: 3});
    const middleware = new RetryMiddleware(crawler);
    let request = new Request('http://example.com/');
    const delays: unknown[] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      request = middleware.processResponse(request, responseFor(request, {status: 429}), crawler.spider) as Request;
      delays.push(request.meta.retry_delay_ms);
    }
    expect(delays).toEqual([1000, 2000, 3000]);
    expect(backoffDelayMs(1, 0, 60)).toBe(0);
    const noBackoff = fakeCrawler();
    const earlier = new Request('http://example.com/', {meta: {retry_delay_ms: 5000}});
    const plain = new RetryMiddleware(noBackoff).processResponse(earlier, responseFor(earlier, {status: 429}), noBackoff.spider) as Request;
    expect(plain).toBeInstanceOf(Request);
    expect(plain.meta.retry_delay_ms).toBeUndefined();
  });
});

describe('getRetryRequest', () => {
  test('retries from a callback with a custom reason and stats prefix', () => {
    const crawler = fakeCrawler({RETRY_TIMES: 1});
    const request = new Request('http://example.com/empty');
    const retry = getRetryRequest(request, {spider: crawler.spider, reason: 'empty page', statsBaseKey: 'myretry'});
    expect(retry?.meta.retry_times).toBe(1);
    expect(crawler.stats.get('myretry/count')).toBe(1);
    expect(crawler.stats.get('myretry/reason_count/empty page')).toBe(1);
    expect(getRetryRequest(retry as Request, {spider: crawler.spider, reason: 'empty page', statsBaseKey: 'myretry'})).toBeUndefined();
    expect(crawler.stats.get('myretry/max_reached')).toBe(1);
  });

  test('maxRetryTimes overrides RETRY_TIMES', () => {
    const crawler = fakeCrawler({RETRY_TIMES: 0});
    const request = new Request('http://example.com/');
    expect(getRetryRequest(request, {spider: crawler.spider})).toBeUndefined();
    expect(getRetryRequest(request, {spider: crawler.spider, maxRetryTimes: 3})).toBeInstanceOf(Request);
  });
});
