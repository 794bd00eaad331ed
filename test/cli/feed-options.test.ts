import {describe, expect, test} from '@jest/globals';
import {feedsFromOptions} from '../../src/cli/feed-options.js';
import {parseNameValues} from '../../src/cli/name-value.js';
import {cmdlineSettings} from '../../src/cli/cmdline-settings.js';
import {codeOf} from '../helpers/errors.js';


describe('-o / -O to FEEDS (as Scrapy feed_process_params_from_cli)', () => {
  test('the format comes from the extension', () => {
    expect(feedsFromOptions(['items.jsonl', 'items.jl', 'items.jsonlines', 'out/items.json', 'items.csv', 'items.xml'], undefined)).toEqual({
      'items.jsonl': {format: 'jsonl'},
      'items.jl': {format: 'jsonl'},
      'items.jsonlines': {format: 'jsonl'},
      'out/items.json': {format: 'json'},
      'items.csv': {format: 'csv'},
      'items.xml': {format: 'xml'},
    });
  });

  test('a :FORMAT suffix wins over the extension and is split at the last colon', () => {
    expect(feedsFromOptions(['items.txt:csv', 'file:///tmp/items.dat:jsonl'], undefined)).toEqual({
      'items.txt': {format: 'csv'},
      'file:///tmp/items.dat': {format: 'jsonl'},
    });
  });

  test('a colon that is not a format is part of the path', () => {
    expect(feedsFromOptions(['C:\\crawls\\items.json'], undefined)).toEqual({'C:\\crawls\\items.json': {format: 'json'}});
  });

  test('-:FORMAT means standard output', () => {
    expect(feedsFromOptions(['-:jsonl'], undefined)).toEqual({'stdout:': {format: 'jsonl'}});
  });

  test('-O marks every feed as overwritten', () => {
    expect(feedsFromOptions(undefined, ['a.json', 'b.csv'])).toEqual({'a.json': {format: 'json', overwrite: true}, 'b.csv': {format: 'csv', overwrite: true}});
  });

  test('an unguessable format, or -o with -O, is refused', () => {
    expect(codeOf(() => feedsFromOptions(['items'], undefined))).toBe('BAD_OUTPUT');
    expect(codeOf(() => feedsFromOptions(['items.yaml'], undefined))).toBe('BAD_OUTPUT');
    expect(codeOf(() => feedsFromOptions(['-'], undefined))).toBe('BAD_OUTPUT');
    expect(codeOf(() => feedsFromOptions(['a.json'], ['b.json']))).toBe('BAD_ARGUMENT');
  });
});

describe('NAME=VALUE options', () => {
  test('split at the first =, a later repetition wins', () => {
    expect(parseNameValues(['a=1', 'url=http://x/?q=1', 'a=2', 'empty='], '-a')).toEqual({a: '2', url: 'http://x/?q=1', empty: ''});
  });

  test('no = or no name is refused', () => {
    expect(codeOf(() => parseNameValues(['FOO'], '-s'))).toBe('BAD_ARGUMENT');
    expect(codeOf(() => parseNameValues(['=x'], '-s'))).toBe('BAD_ARGUMENT');
  });

  test('-s values are coerced by the setting type; log options win over -s, as in Scrapy', () => {
    expect(cmdlineSettings({set: ['CONCURRENT_REQUESTS=4', 'COOKIES_ENABLED=false', 'LOG_LEVEL=DEBUG'], loglevel: 'WARNING'})).toEqual({
      CONCURRENT_REQUESTS: 4,
      COOKIES_ENABLED: false,
      LOG_ENABLED: true,
      LOG_LEVEL: 'WARNING',
    });
    expect(cmdlineSettings({logfile: 'crawl.log', nolog: true})).toEqual({LOG_ENABLED: false, LOG_FILE: 'crawl.log'});
    expect(codeOf(() => cmdlineSettings({set: ['DOWNLOAD_DELAY=soon']}))).toBe('BAD_SETTING');
  });
});
