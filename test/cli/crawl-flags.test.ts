import {describe, expect, test} from '@jest/globals';
import {cmdlineSettings} from '../../src/cli/cmdline-settings.js';
import {crawlOptions} from '../../src/cli/run-crawl.js';
import {jsonObject} from '../../src/cli/parse-spider.js';
import {EXIT_CODES, type DraglineErrorCode} from '../../src/core/errors.js';

// The flag checks of crawl/runspider and parse, called as the commands call them (crawl.ts and
// runspider.ts: crawlOptions(flags, cmdlineSettings(flags)); parse.ts: jsonObject(flags.meta, '--meta')).
// One spawned test per command (crawl-commands.test.ts: -s without =; parse.test.ts: a URL
// without a scheme) proves the wiring: the exit code, the message on stderr's first line, no stack.

/** The coded error `action` throws, with the exit code the commands give it. */
function userErrorOf(action: () => unknown): {code: DraglineErrorCode; exit: number; message: string} {
  try {
    action();
  } catch (error) {
    const {code, message} = error as {code: DraglineErrorCode; message: string};
    return {code, exit: EXIT_CODES[code], message};
  }
  throw new Error('expected a user error, none was thrown');
}

function expectUserError(action: () => unknown, exit: number, code: DraglineErrorCode, message: RegExp): void {
  const error = userErrorOf(action);
  expect(error.code).toBe(code);
  expect(error.exit).toBe(exit);
  expect(error.message).toMatch(message);
  // One line on stderr.
  expect(error.message).not.toContain('\n');
}

describe('crawl and runspider flags, refused before any spider is loaded', () => {
  test('a -s value of the wrong type names the setting and the type', () => {
    expectUserError(() => cmdlineSettings({set: ['CONCURRENT_REQUESTS=lots']}), 2, 'BAD_SETTING', /CONCURRENT_REQUESTS.*"lots" is not an integer/);
  });

  test('-a without = is refused', () => {
    expectUserError(() => crawlOptions({arg: ['category']}, {}), 2, 'BAD_ARGUMENT', /Invalid -a value 'category', use -a NAME=VALUE/);
  });

  test('an output format that cannot be guessed names the supported ones', () => {
    expectUserError(() => crawlOptions({output: ['items.yaml']}, {}), 2, 'BAD_OUTPUT', /Unrecognized output format 'yaml'\. Set a supported one \(json, jsonl, jsonlines, jl, csv, xml\) after a colon/);
  });

  test('-o with -O is refused', () => {
    expectUserError(() => crawlOptions({output: ['a.jsonl'], 'overwrite-output': ['b.jsonl']}, {}), 2, 'BAD_ARGUMENT', /Please use only one of -o\/--output and -O\/--overwrite-output/);
  });
});

describe('parse flags', () => {
  test('-m that is not JSON is refused', () => {
    expectUserError(() => jsonObject('{category}', '--meta'), 2, 'BAD_ARGUMENT', /--meta is not valid JSON/);
  });
});
