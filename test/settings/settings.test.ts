import {describe, expect, test} from '@jest/globals';
import {Settings, coerceSetting} from '../../src/settings/settings.js';

describe('Settings', () => {
  test("Scrapy's defaults", () => {
    const settings = new Settings();
    expect(settings.getInt('CONCURRENT_REQUESTS')).toBe(16);
    expect(settings.getInt('CONCURRENT_REQUESTS_PER_DOMAIN')).toBe(8);
    expect(settings.getFloat('DOWNLOAD_TIMEOUT')).toBe(180);
    expect(settings.getInt('RETRY_TIMES')).toBe(2);
    expect(settings.getBool('COOKIES_ENABLED')).toBe(true);
  });

  test('priorities: default < project < spider < cmdline, whatever the order they are set in', () => {
    const settings = new Settings();
    settings.set('DOWNLOAD_DELAY', 3, 'cmdline');
    settings.set('DOWNLOAD_DELAY', 2, 'spider');
    settings.set('DOWNLOAD_DELAY', 1, 'project');
    expect(settings.getFloat('DOWNLOAD_DELAY')).toBe(3);
    expect(settings.priorityOf('DOWNLOAD_DELAY')).toBe('cmdline');
    settings.set('DEPTH_LIMIT', 5, 'project');
    settings.set('DEPTH_LIMIT', 7, 'spider');
    expect(settings.getInt('DEPTH_LIMIT')).toBe(7);
  });

  test('values from the command line are coerced by the setting type', () => {
    expect(coerceSetting('CONCURRENT_REQUESTS', '32')).toBe(32);
    expect(coerceSetting('DOWNLOAD_DELAY', '0.25')).toBe(0.25);
    expect(coerceSetting('COOKIES_ENABLED', 'False')).toBe(false);
    expect(coerceSetting('RETRY_HTTP_CODES', '500,503')).toEqual([500, 503]);
    expect(coerceSetting('FEEDS', '{"a.json": {"format": "json"}}')).toEqual({'a.json': {format: 'json'}});
    expect(coerceSetting('SOMETHING_ELSE', 'text')).toBe('text');
  });

  test('a bad value names the setting and the expected type', () => {
    expect(() => coerceSetting('CONCURRENT_REQUESTS', 'many')).toThrow(/CONCURRENT_REQUESTS.*integer/);
    expect(() => coerceSetting('COOKIES_ENABLED', 'perhaps')).toThrow(expect.objectContaining({code: 'BAD_SETTING'}));
    expect(() => coerceSetting('FEEDS', '[1]')).toThrow(/JSON object/);
  });
});
