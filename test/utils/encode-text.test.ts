import {describe, expect, test} from '@jest/globals';
import {encodeText, outputEncoding} from '../../src/utils/encode-text.js';

describe('encodeText', () => {
  test("what the encoding lacks becomes &#N; by default (a URL query), an error with errors: 'strict' (form data)", () => {
    expect(encodeText('café ☃', 'windows-1252').toString('latin1')).toBe('caf\xe9 &#9731;');
    expect(encodeText('café', 'windows-1252', {errors: 'strict'}).toString('latin1')).toBe('caf\xe9');
    expect(() => encodeText('café ☃', 'windows-1252', {errors: 'strict'})).toThrow(expect.objectContaining({code: 'BAD_ARGUMENT'}));
    expect(() => encodeText('x', 'no-such-encoding')).toThrow(expect.objectContaining({code: 'BAD_ARGUMENT'}));
  });

  test("a page's output encoding: its own, UTF-8 for UTF-16 pages (the HTML standard's rule for URLs and forms)", () => {
    expect(outputEncoding('shift_jis')).toBe('shift_jis');
    expect(outputEncoding('utf-16le')).toBe('utf-8');
    expect(outputEncoding('UTF-16BE')).toBe('utf-8');
    expect(outputEncoding('utf8')).toBe('utf-8');
    expect(() => outputEncoding('no-such-encoding')).toThrow(expect.objectContaining({code: 'BAD_ARGUMENT'}));
  });
});
