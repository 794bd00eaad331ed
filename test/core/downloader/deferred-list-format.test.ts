/** got is imported with a stand-in Intl.ListFormat that loads ICU's data only when a list is formatted. */
import {expect, test} from '@jest/globals';

const nativeListFormat = Intl.ListFormat;
const {got} = await import('../../../src/core/downloader/got-client.js');
const {DeferredListFormat} = await import('../../../src/core/downloader/deferred-list-format.js');

test('once got is imported, Intl.ListFormat is the native one again', () => {
  expect(Intl.ListFormat).toBe(nativeListFormat);
  expect(new Intl.ListFormat('en')).toBeInstanceOf(nativeListFormat);
});

test("got's messages that list types are still worded by a list formatter", () => {
  expect(() => got.extend({prefixUrl: 5 as unknown as string})).toThrow("Option 'prefixUrl': Expected values which are `string` or `URL`. Received values of type `number`.");
});

test('the stand-in formats as the native formatter does', () => {
  const list = ['string', 'URL', 'Object', 'undefined'];
  for (const type of ['conjunction', 'disjunction'] as const) {
    const deferred = new DeferredListFormat('en', {style: 'long', type});
    const native = new nativeListFormat('en', {style: 'long', type});
    expect(deferred.format(list)).toBe(native.format(list));
    expect(deferred.formatToParts(list)).toEqual(native.formatToParts(list));
    expect(deferred.resolvedOptions()).toEqual(native.resolvedOptions());
  }
  expect(new DeferredListFormat('en', {type: 'disjunction'}).format(['a', 'b'])).toBe('a or b');
});

test('the stand-in makes its formatter only when first used', () => {
  // The native constructor rejects a bad option at once; the stand-in only when it formats.
  const deferred = new DeferredListFormat('en', {type: 'neither' as 'conjunction'});
  expect(() => new nativeListFormat('en', {type: 'neither' as 'conjunction'})).toThrow(RangeError);
  expect(() => deferred.format(['a', 'b'])).toThrow(RangeError);
});
