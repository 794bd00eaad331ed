/**
 * re()/reFirst() and XPath's re: functions read string patterns as Python's `re` (what users paste
 * from Scrapy code); what JavaScript cannot express is a one-line BAD_ARGUMENT error naming it.
 * (Agreement with Python on many patterns is in selectors-oracle.test.ts.)
 */
import {describe, expect, test} from '@jest/globals';
import {DraglineError} from '../../src/core/errors.js';
import {Selector} from '../../src/selector/index.js';
import {codeOf} from '../helpers/errors.js';

const text = Selector.fromHtml('<p>Line one\tline two\n</p><p>Zoë_1 ٣</p>').css('p::text');

function errorOf(pattern: string): DraglineError {
  try {
    text.re(pattern);
  } catch (error) {
    return error as DraglineError;
  }
  throw new Error(`${pattern} was accepted`);
}

describe('Python regular expressions', () => {
  test.each([
    ['(?i:abc)', 'scoped inline flags'],
    ['(?-i:abc)', 'scoped inline flags'],
    ['(?>ab)c', 'atomic groups'],
    ['a*+', 'possessive quantifiers'],
    ['a{1,3}+', 'possessive quantifiers'],
    ['(a)?(?(1)b|c)', 'conditional groups'],
    ['\\N{EM DASH}', '\\N{name}'],
    ['(?L)a', 'locale flag'],
    ['a(?i)b', 'must be at the start'],
    ['(?<=a+)b', 'fixed-width'],
    ['\\q', 'bad escape \\q'],
    ['[\\w-z]', 'bad character range'],
    ['(?P<a>x', 'Unterminated group'],
  ])('%s is refused, naming %s', (pattern, construct) => {
    const error = errorOf(pattern);
    expect(error).toBeInstanceOf(DraglineError);
    expect(error.code).toBe('BAD_ARGUMENT');
    expect(error.message).toContain(construct);
    expect(error.message).toContain(JSON.stringify(pattern));
    expect(error.message).not.toContain('\n');
  });

  test("Python's meaning of ., ^, $ and \\Z: only \\n ends a line, $ also matches before a final newline", () => {
    expect(text.re('one.')).toEqual(['one\t']);
    // A string holding a CR (the HTML parser turns CRs into LFs): JavaScript's `.` would stop at it.
    expect(Selector.fromHtml('').xpath('"one\rtwo"').re('(?m)one.two$')).toEqual(['one\rtwo']);
    expect(text.re('two.')).toEqual([]);
    expect(text.re('(?s)two.')).toEqual(['two\n']);
    expect(text.re('(?m)\\w+$')).toEqual(['two', '٣']);
    expect(text.re('(?m)^\\w+')).toEqual(['Line', 'Zoë_1']);
    expect(text.re('two$')).toEqual(['two']);
    expect(text.re('two\\Z')).toEqual([]);
    expect(text.re('two\\n\\Z')).toEqual(['two\n']);
  });

  test('\\w, \\d and \\b are Unicode in a string pattern, ASCII in a RegExp; (?a) is refused as parsel does', () => {
    expect(text.re('\\w+')).toEqual(['Line', 'one', 'line', 'two', 'Zoë_1', '٣']);
    expect(text.re('\\d')).toEqual(['1', '٣']);
    expect(errorOf('(?a)\\w+').message).toContain('ASCII and UNICODE flags are incompatible');
    expect(text.re(/\w+/)).toEqual(['Line', 'one', 'line', 'two', 'Zo', '_1']);
    expect(text.re('\\bZo\\b')).toEqual([]);
  });

  test('a RegExp keeps JavaScript syntax; named groups of either syntax work', () => {
    expect(text.re(/(?<extract>t\w+)/)).toEqual(['two']);
    expect(text.re('(?P<extract>t\\w+)')).toEqual(['two']);
    expect(text.re('(?P<c>[a-z])(?P=c)')).toEqual([]);
    expect(codeOf(() => text.re('('))).toBe('BAD_ARGUMENT');
  });

  test('XPath re:test and re:replace use the same syntax', () => {
    const page = Selector.fromHtml('<a href="/item/42">x</a><a href="/about">y</a>');
    expect(page.xpath('//a[re:test(@href, "(?i)/ITEM/\\d+\\Z")]/text()').getall()).toEqual(['x']);
    expect(page.xpath('re:replace(//a[1]/@href, "/item/(?P<id>\\d+)", "", "id=\\g<id>")').get()).toBe('id=42');
    expect(codeOf(() => page.xpath('//a[re:test(@href, "(?i:x)")]'))).toBe('BAD_ARGUMENT');
  });
});
