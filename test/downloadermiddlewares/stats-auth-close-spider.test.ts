import {afterEach, describe, expect, jest, test} from '@jest/globals';
import {Request} from '../../src/http/request.js';
import {Spider} from '../../src/spiders/spider.js';
import {SIGNALS} from '../../src/core/signals.js';
import {DownloaderStatsMiddleware} from '../../src/downloadermiddlewares/downloader-stats.js';
import {HttpAuthMiddleware} from '../../src/downloadermiddlewares/http-auth.js';
import {CloseSpiderExtension} from '../../src/extensions/close-spider.js';
import {fakeCrawler, responseFor} from '../helpers/fake-crawler.js';

describe('DownloaderStatsMiddleware', () => {
  test('counts requests by method, responses by status, their bytes, and errors by code', () => {
    const crawler = fakeCrawler();
    const middleware = new DownloaderStatsMiddleware(crawler);
    const get = new Request('http://a.test/page');
    const post = new Request('http://a.test/form', {method: 'POST', body: 'x=1'});
    middleware.processRequest(get);
    middleware.processRequest(post);
    middleware.processResponse(get, responseFor(get, {status: 200, body: 'hello'}));
    middleware.processResponse(post, responseFor(post, {status: 404}));
    middleware.processException(get, Object.assign(new Error('timed out'), {code: 'ETIMEDOUT'}));
    middleware.processException(get, new TypeError('odd'));

    expect(crawler.stats.get('downloader/request_count')).toBe(2);
    expect(crawler.stats.get('downloader/request_method_count/GET')).toBe(1);
    expect(crawler.stats.get('downloader/request_method_count/POST')).toBe(1);
    // "GET /page HTTP/1.1\r\nHost: a.test\r\n\r\n" = 20 + 14 + 2; "POST /form HTTP/1.1\r\n…" = 21 + 14 + 2 + 3 body bytes.
    expect(crawler.stats.get('downloader/request_bytes')).toBe(36 + 21 + 14 + 2 + 3);
    expect(crawler.stats.get('downloader/response_count')).toBe(2);
    expect(crawler.stats.get('downloader/response_status_count/200')).toBe(1);
    expect(crawler.stats.get('downloader/response_status_count/404')).toBe(1);
    // "HTTP/1.1 200 OK\r\n\r\nhello" = 17 + 2 + 5; "HTTP/1.1 404 Not Found\r\n\r\n" = 24 + 2.
    expect(crawler.stats.get('downloader/response_bytes')).toBe(24 + 26);
    expect(crawler.stats.get('downloader/exception_count')).toBe(2);
    expect(crawler.stats.get('downloader/exception_type_count/ETIMEDOUT')).toBe(1);
    expect(crawler.stats.get('downloader/exception_type_count/TypeError')).toBe(1);
  });

  test('DOWNLOADER_STATS off leaves the middleware out', () => {
    expect(() => new DownloaderStatsMiddleware(fakeCrawler({DOWNLOADER_STATS: false}))).toThrow(expect.objectContaining({name: 'NotConfigured'}));
  });
});

describe('HttpAuthMiddleware', () => {
  const basic = `Basic ${Buffer.from('me:secret').toString('base64')}`;
  function auth(extra: Record<string, unknown>) {
    const spider = Object.assign(new Spider(), {name: 's', httpUser: 'me', httpPass: 'secret'}, extra);
    const middleware = new HttpAuthMiddleware(fakeCrawler({}, {spider}));
    middleware.open(spider);
    return (url: string) => {
      const request = new Request(url);
      middleware.processRequest(request);
      return request.header('authorization');
    };
  }

  test('sends credentials only to httpAuthDomain and its subdomains', () => {
    const send = auth({httpAuthDomain: 'intranet.test'});
    expect([send('http://intranet.test/'), send('http://docs.intranet.test/'), send('http://elsewhere.test/')]).toEqual([basic, basic, undefined]);
  });

  test('without httpAuthDomain, to the domain of the first request; with null, everywhere', () => {
    const first = auth({});
    expect([first('http://one.test/'), first('http://two.test/')]).toEqual([basic, undefined]);
    const everywhere = auth({httpAuthDomain: null});
    expect([everywhere('http://one.test/'), everywhere('http://two.test/')]).toEqual([basic, basic]);
  });
});

describe('CloseSpiderExtension', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  test('closes the spider once when the page, item or error count is reached', () => {
    for (const [setting, signal, reason] of [
      ['CLOSESPIDER_PAGECOUNT', SIGNALS.responseReceived, 'closespider_pagecount'],
      ['CLOSESPIDER_ITEMCOUNT', SIGNALS.itemScraped, 'closespider_itemcount'],
      ['CLOSESPIDER_ERRORCOUNT', SIGNALS.spiderError, 'closespider_errorcount'],
    ] as const) {
      const crawler = fakeCrawler({[setting]: 3});
      const extension = new CloseSpiderExtension(crawler);
      for (let count = 1; count <= 5; count += 1) {
        crawler.signals.emit(signal);
        expect(crawler.closeReasons).toEqual(count >= 3 ? [reason] : []);
      }
      extension.close();
    }
  });

  test('unset limits do nothing', () => {
    const crawler = fakeCrawler();
    const extension = new CloseSpiderExtension(crawler);
    expect(extension.enabled).toBe(false);
    for (let count = 0; count < 10; count += 1) {
      crawler.signals.emit(SIGNALS.responseReceived);
      crawler.signals.emit(SIGNALS.itemScraped);
      crawler.signals.emit(SIGNALS.spiderError);
    }
    expect(crawler.closeReasons).toEqual([]);
  });

  test('CLOSESPIDER_TIMEOUT closes the spider that long after it opened; close() cancels it', () => {
    jest.useFakeTimers();
    const crawler = fakeCrawler({CLOSESPIDER_TIMEOUT: 2});
    const extension = new CloseSpiderExtension(crawler);
    jest.advanceTimersByTime(5000);
    expect(crawler.closeReasons).toEqual([]);
    crawler.signals.emit(SIGNALS.spiderOpened);
    jest.advanceTimersByTime(1999);
    expect(crawler.closeReasons).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(crawler.closeReasons).toEqual(['closespider_timeout']);
    extension.close();

    const cancelled = fakeCrawler({CLOSESPIDER_TIMEOUT: 2});
    const other = new CloseSpiderExtension(cancelled);
    cancelled.signals.emit(SIGNALS.spiderOpened);
    other.close();
    jest.advanceTimersByTime(10_000);
    expect(cancelled.closeReasons).toEqual([]);
    expect(cancelled.signals.listenerCount(SIGNALS.spiderOpened)).toBe(0);
  });
  test('CLOSESPIDER_PAGECOUNT_NO_ITEM closes after that many responses in a row without an item', () => {
    const crawler = fakeCrawler({CLOSESPIDER_PAGECOUNT_NO_ITEM: 3});
    const extension = new CloseSpiderExtension(crawler);
    expect(extension.enabled).toBe(true);
    const pages = (count: number) => {
      for (let i = 0; i < count; i += 1) crawler.signals.emit(SIGNALS.responseReceived);
    };
    pages(2);
    crawler.signals.emit(SIGNALS.itemScraped);
    pages(2);
    expect(crawler.closeReasons).toEqual([]);
    pages(1);
    expect(crawler.closeReasons).toEqual(['closespider_pagecount_no_item']);
    pages(5);
    expect(crawler.closeReasons).toEqual(['closespider_pagecount_no_item']);
    extension.close();
  });

  test('CLOSESPIDER_TIMEOUT_NO_ITEM closes when a whole period passed without an item', () => {
    jest.useFakeTimers();
    const crawler = fakeCrawler({CLOSESPIDER_TIMEOUT_NO_ITEM: 10});
    const extension = new CloseSpiderExtension(crawler);
    crawler.signals.emit(SIGNALS.spiderOpened);
    // Items at 8, 16 and 24 s: each 10 s period up to 30 s has one; the one from 30 to 40 s has none.
    for (let item = 0; item < 3; item += 1) {
      jest.advanceTimersByTime(8000);
      crawler.signals.emit(SIGNALS.itemScraped);
    }
    jest.advanceTimersByTime(39_999 - 24_000);
    expect(crawler.closeReasons).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(crawler.closeReasons).toEqual(['closespider_timeout_no_item']);
    jest.advanceTimersByTime(60_000);
    expect(crawler.closeReasons).toEqual(['closespider_timeout_no_item']);
    extension.close();
  });
});
