import {describe, expect, test} from '@jest/globals';
import {Settings} from '../../../src/settings/settings.js';
import {configuredHandlers, DownloadHandlers} from '../../../src/core/downloader/download-handlers.js';
import {findChromium} from '../../../src/core/downloader/playwright/chromium-executable.js';
import {PlaywrightDownloadHandler} from '../../../src/core/downloader/playwright/playwright-handler.js';
import {Request} from '../../../src/http/request.js';
import {Response} from '../../../src/http/response.js';
import {codeOf} from '../../helpers/errors.js';
import type {Logger} from '../../../src/core/logger.js';

describe('DOWNLOAD_HANDLERS', () => {
  test('maps schemes to built-in handler names; "http" and null leave the HTTP handler', () => {
    const settings = new Settings({DOWNLOAD_HANDLERS: {http: 'playwright', 'HTTPS:': 'playwright', ftp: null, file: 'http'}});
    expect([...configuredHandlers(settings)]).toEqual([['http', 'playwright'], ['https', 'playwright']]);
    expect([...configuredHandlers(new Settings({}))]).toEqual([]);
  });

  test('an unknown handler name or a value that is not a mapping is BAD_SETTING', () => {
    expect(codeOf(() => configuredHandlers(new Settings({DOWNLOAD_HANDLERS: {http: 'selenium'}})))).toBe('BAD_SETTING');
    expect(() => configuredHandlers(new Settings({DOWNLOAD_HANDLERS: {http: 'selenium'}}))).toThrow(/unknown handler "selenium" for http: use one of http, playwright/);
    expect(codeOf(() => configuredHandlers(new Settings({DOWNLOAD_HANDLERS: 'playwright'})))).toBe('BAD_SETTING');
  });

  test('schemes without a handler go to the HTTP download', async () => {
    const fetched: string[] = [];
    const handlers = new DownloadHandlers({
      settings: new Settings({DOWNLOAD_HANDLERS: {}}),
      httpDownload: async (request) => {
        fetched.push(request.url);
        return new Response({url: request.url, status: 200, request});
      },
    });
    const response = await handlers.download(new Request('http://example.org/a'));
    expect(response.status).toBe(200);
    expect(fetched).toEqual(['http://example.org/a']);
    await handlers.close();
  });

  test('a request asking for a browser without the playwright handler is fetched plainly, with one warning', async () => {
    const warnings: string[] = [];
    const handlers = new DownloadHandlers({
      settings: new Settings({DOWNLOAD_HANDLERS: {ftp: 'playwright'}}),
      logger: {warning: (message: string) => warnings.push(message)} as unknown as Logger,
      httpDownload: async (request) => new Response({url: request.url, status: 200, request}),
    });
    await handlers.download(new Request('https://example.org/a', {meta: {playwright: true}}));
    await handlers.download(new Request('https://example.org/b', {meta: {playwright: true}}));
    expect(warnings).toEqual(['<GET https://example.org/a> asks for a browser (meta.playwright) but DOWNLOAD_HANDLERS has no "playwright" for its scheme: it is fetched with plain HTTP (see docs/browser.md)']);
  });
});

describe('finding Chromium', () => {
  test('an empty PATH is BROWSER_NOT_FOUND naming the Debian package', () => {
    expect(codeOf(() => findChromium(undefined, ''))).toBe('BROWSER_NOT_FOUND');
    expect(() => findChromium(undefined, '')).toThrow('install the Debian package chromium (apt-get install -y chromium)');
  });

  test('executablePath wins, and must be an executable file', () => {
    expect(findChromium(process.execPath, '')).toBe(process.execPath);
    expect(codeOf(() => findChromium('/nonexistent/chromium', ''))).toBe('BAD_SETTING');
    expect(codeOf(() => findChromium('/tmp', ''))).toBe('BAD_SETTING');
  });
});

describe('the playwright handler before any browser', () => {
  test('requests without meta.playwright go through plain HTTP; a camelCase meta key is refused naming scrapy-playwright\'s', async () => {
    const fetched: string[] = [];
    const handler = new PlaywrightDownloadHandler({
      settings: new Settings({}),
      httpDownload: async (request) => {
        fetched.push(request.url);
        return new Response({url: request.url, status: 200, request});
      },
    });
    await handler.download(new Request('http://example.org/plain'));
    expect(fetched).toEqual(['http://example.org/plain']);
    const camel = new Request('http://example.org/camel', {meta: {playwright: true, playwrightIncludePage: true}});
    await expect(handler.download(camel)).rejects.toThrow('meta.playwrightIncludePage is not read: write meta.playwright_include_page');
    await handler.close();
  });
});
