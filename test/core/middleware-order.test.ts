import {describe, expect, test} from '@jest/globals';
import {DOWNLOADER_MIDDLEWARES_BASE, SPIDER_MIDDLEWARES_BASE} from '../../src/core/middleware-order.js';
import {fakeCrawler} from '../helpers/fake-crawler.js';

function build(component: new (crawler: ReturnType<typeof fakeCrawler>) => unknown, settings: Record<string, unknown>): string {
  try {
    new component(fakeCrawler(settings));
    return 'on';
  } catch (error) {
    if ((error as Error).name === 'NotConfigured') return 'off';
    throw error;
  }
}

describe('default middleware order tables', () => {
  test("use Scrapy's order numbers", () => {
    const orders = (table: Record<string, {order: number}>) => Object.fromEntries(Object.entries(table).map(([name, entry]) => [name, entry.order]));
    expect(orders(DOWNLOADER_MIDDLEWARES_BASE)).toEqual({
      RobotsTxtMiddleware: 100,
      HttpAuthMiddleware: 300,
      DownloadTimeoutMiddleware: 350,
      DefaultHeadersMiddleware: 400,
      UserAgentMiddleware: 500,
      RetryMiddleware: 550,
      MetaRefreshMiddleware: 580,
      RedirectMiddleware: 600,
      CookiesMiddleware: 700,
      HttpProxyMiddleware: 750,
      DownloaderStatsMiddleware: 850,
      HttpCacheMiddleware: 900,
    });
    expect(orders(SPIDER_MIDDLEWARES_BASE)).toEqual({
      HttpErrorMiddleware: 50,
      OffsiteMiddleware: 500,
      RefererMiddleware: 700,
      UrlLengthMiddleware: 800,
      DepthMiddleware: 900,
    });
  });

  test('every built-in builds from a crawler with the default settings; only robots.txt and the HTTP cache are off by default', () => {
    const state = Object.fromEntries(
      [...Object.entries(DOWNLOADER_MIDDLEWARES_BASE), ...Object.entries(SPIDER_MIDDLEWARES_BASE)].map(([name, entry]) => [name, build(entry.component, {})]),
    );
    expect(Object.entries(state).filter(([, value]) => value === 'off').map(([name]) => name)).toEqual(['RobotsTxtMiddleware', 'HttpCacheMiddleware']);
  });

  test('their enabling settings switch them off', () => {
    const switches: Record<string, Record<string, unknown>> = {
      RetryMiddleware: {RETRY_ENABLED: false},
      MetaRefreshMiddleware: {METAREFRESH_ENABLED: false},
      RedirectMiddleware: {REDIRECT_ENABLED: false},
      CookiesMiddleware: {COOKIES_ENABLED: false},
      DownloaderStatsMiddleware: {DOWNLOADER_STATS: false},
      HttpProxyMiddleware: {HTTPPROXY_ENABLED: false},
    };
    for (const [name, settings] of Object.entries(switches)) {
      expect([name, build(DOWNLOADER_MIDDLEWARES_BASE[name]!.component, settings)]).toEqual([name, 'off']);
    }
    expect(build(DOWNLOADER_MIDDLEWARES_BASE.RobotsTxtMiddleware!.component, {ROBOTSTXT_OBEY: true})).toBe('on');
    expect(build(DOWNLOADER_MIDDLEWARES_BASE.HttpCacheMiddleware!.component, {HTTPCACHE_ENABLED: true})).toBe('on');
    expect(build(SPIDER_MIDDLEWARES_BASE.RefererMiddleware!.component, {REFERER_ENABLED: false})).toBe('off');
    expect(build(SPIDER_MIDDLEWARES_BASE.UrlLengthMiddleware!.component, {URLLENGTH_LIMIT: 0})).toBe('off');
  });
});
