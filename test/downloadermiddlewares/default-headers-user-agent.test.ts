import {describe, expect, test} from '@jest/globals';
import {Request} from '../../src/http/request.js';
import {Spider} from '../../src/spiders/spider.js';
import {DefaultHeadersMiddleware} from '../../src/downloadermiddlewares/default-headers.js';
import {UserAgentMiddleware} from '../../src/downloadermiddlewares/user-agent.js';
import {DownloadTimeoutMiddleware} from '../../src/downloadermiddlewares/download-timeout.js';
import {fakeCrawler} from '../helpers/fake-crawler.js';

describe('DefaultHeadersMiddleware', () => {
  test('adds DEFAULT_REQUEST_HEADERS without replacing headers the request set, whatever their case', () => {
    const crawler = fakeCrawler({DEFAULT_REQUEST_HEADERS: {Accept: 'text/html', 'X-Team': 'blue'}});
    const middleware = new DefaultHeadersMiddleware(crawler);
    const request = new Request('http://example.com/', {headers: {'x-team': 'red'}});
    middleware.processRequest(request);
    expect(request.headers.Accept).toBe('text/html');
    expect(request.header('X-Team')).toBe('red');
    expect(Object.keys(request.headers).filter((name) => name.toLowerCase() === 'x-team')).toHaveLength(1);
  });
});

describe('UserAgentMiddleware', () => {
  test('sends USER_AGENT unless the request has its own', () => {
    const middleware = new UserAgentMiddleware(fakeCrawler({USER_AGENT: 'mybot/1.0'}));
    const plain = new Request('http://example.com/');
    const custom = new Request('http://example.com/', {headers: {'user-agent': 'special'}});
    middleware.processRequest(plain);
    middleware.processRequest(custom);
    expect(plain.header('User-Agent')).toBe('mybot/1.0');
    expect(custom.header('User-Agent')).toBe('special');
  });

  test("the spider's userAgent wins over the setting", () => {
    const spider = Object.assign(new Spider(), {name: 'ua', userAgent: 'spider-agent/2'});
    const crawler = fakeCrawler({USER_AGENT: 'mybot/1.0'}, {spider});
    const middleware = new UserAgentMiddleware(crawler);
    middleware.open(spider);
    const request = new Request('http://example.com/');
    middleware.processRequest(request);
    expect(request.header('User-Agent')).toBe('spider-agent/2');
  });
});

describe('DownloadTimeoutMiddleware', () => {
  test('sets meta.download_timeout from DOWNLOAD_TIMEOUT, keeping a value the request set', () => {
    const middleware = new DownloadTimeoutMiddleware(fakeCrawler({DOWNLOAD_TIMEOUT: 7}));
    const plain = new Request('http://example.com/');
    const own = new Request('http://example.com/', {meta: {download_timeout: 3}});
    middleware.processRequest(plain);
    middleware.processRequest(own);
    expect(plain.meta.download_timeout).toBe(7);
    expect(own.meta.download_timeout).toBe(3);
  });

  test("the spider's downloadTimeout wins over the setting", () => {
    const spider = Object.assign(new Spider(), {name: 'slow', downloadTimeout: 42});
    const middleware = new DownloadTimeoutMiddleware(fakeCrawler({DOWNLOAD_TIMEOUT: 7}, {spider}));
    middleware.open(spider);
    const request = new Request('http://example.com/');
    middleware.processRequest(request);
    expect(request.meta.download_timeout).toBe(42);
  });
});
