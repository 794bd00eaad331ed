import {describe, expect, test} from '@jest/globals';
import {feedTimestamp, feedUriParams, hasFeedUriParams, resolveFeedUri} from '../../../src/extensions/feedexport/feed-uri.js';

describe('feed URI placeholders (Scrapy %-formatting)', () => {
  const spider = Object.assign({name: 'quotes'}, {category: 'books', page: '7', parse() {}});
  const params = feedUriParams(spider, new Date('2026-11-24T08:39:02.123Z'));

  test('%(time)s is the UTC second, with - for : as Scrapy writes it', () => {
    expect(feedTimestamp(new Date('2026-11-24T08:39:02.999Z'))).toBe('2026-11-24T08-39-02+00-00');
  });

  test('name, time, spider attributes, %d and %% are filled', () => {
    expect(resolveFeedUri('out/%(name)s/%(category)s-%(time)s.jsonl', params)).toBe('out/quotes/books-2026-11-24T08-39-02+00-00.jsonl');
    expect(resolveFeedUri('page-%(page)d-100%%.csv', params)).toBe('page-7-100%.csv');
    expect(hasFeedUriParams('items.jsonl')).toBe(false);
    expect(hasFeedUriParams('items-%(time)s.jsonl')).toBe(true);
    expect(hasFeedUriParams('100%%.jsonl')).toBe(true);
    expect(resolveFeedUri('100%%.jsonl', params)).toBe('100%.jsonl');
  });

  test('a placeholder with nothing to fill it, or a method, is a BAD_OUTPUT error naming the -a to pass', () => {
    expect(() => resolveFeedUri('%(site)s.jsonl', params)).toThrow(expect.objectContaining({code: 'BAD_OUTPUT', message: expect.stringContaining("pass it with -a site=VALUE")}));
    expect(() => resolveFeedUri('%(parse)s.jsonl', params)).toThrow(expect.objectContaining({code: 'BAD_OUTPUT'}));
    expect(() => resolveFeedUri('%(category)d.jsonl', params)).toThrow(expect.objectContaining({code: 'BAD_OUTPUT', message: expect.stringContaining('needs a number')}));
  });
});
