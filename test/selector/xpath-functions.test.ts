import {describe, expect, test} from '@jest/globals';
import {Selector} from '../../src/selector/index.js';
import {loadXPath} from '../../src/selector/xpath-library.js';

// Function tables are shared by every query and every evaluation context (xpath-library.ts,
// shareFunctionTables): each kind of function must still resolve, query after query, inside
// predicates and at the top, and a resolver given a function of its own must not lend it to others.

const PAGE = Selector.fromHtml(`<html><body>
  <ul><li class="item first">one</li><li class="item">two</li><li class="other">three</li></ul>
  <p lang="en">para <a href="/a/1">x</a> <a href="/b/2">y</a> <a href="/a/3">x</a></p>
</body></html>`);

describe('XPath functions with shared tables', () => {
  test('core functions, at the top and inside predicates, in repeated queries', () => {
    for (let round = 0; round < 3; round++) {
      expect(PAGE.xpath('count(//li)').get()).toBe('3.0');
      expect(PAGE.xpath('concat(string(//li[1]), "-", normalize-space(//li[last()]))').get()).toBe('one-three');
      expect(PAGE.xpath('//li[position() > 1 and contains(@class, "item")]/text()').getall()).toEqual(['two']);
      expect(PAGE.xpath('//a[starts-with(@href, "/a")][not(contains(., "y"))]/@href').getall()).toEqual(['/a/1', '/a/3']);
      expect(PAGE.xpath('sum(//li[string-length(.) = 3]/@missing) + floor(2.5) + round(1.5) + ceiling(0.2)').get()).toBe('5.0');
    }
  });

  test("parsel's extensions: has-class, EXSLT regular expressions and sets", () => {
    for (let round = 0; round < 3; round++) {
      expect(PAGE.xpath('//li[has-class("item")]/text()').getall()).toEqual(['one', 'two']);
      expect(PAGE.xpath('//li[has-class("item", "first")]/text()').getall()).toEqual(['one']);
      expect(PAGE.xpath('//a[re:test(@href, "^/a/\\d$")]/@href').getall()).toEqual(['/a/1', '/a/3']);
      expect(PAGE.xpath('re:replace(string(//a[2]/@href), "/(\\w)/", "", "<\\1>")').get()).toBe('<b>2');
      expect(PAGE.xpath('re:match(string(//a[1]/@href), "/(\\w)/(\\d)")/text()').getall()).toEqual(['/a/1', 'a', '1']);
      expect(PAGE.xpath('set:distinct(//a)/text()').getall()).toEqual(['x', 'y']);
      expect(PAGE.xpath('count(set:difference(//li, //li[has-class("other")]))').get()).toBe('2.0');
    }
  });

  test('an unknown function is still an error naming it', () => {
    expect(() => PAGE.xpath('//li[no-such-function()]')).toThrow(/no-such-function/);
  });

  test('a resolver given a function of its own copies the table instead of changing everyone\'s', () => {
    const library = loadXPath() as unknown as {FunctionResolver: new () => {addFunction(ns: string, name: string, fn: unknown): void; getFunction(name: string, ns: string): unknown}};
    const own = new library.FunctionResolver();
    own.addFunction('', 'mine', () => true);
    expect(own.getFunction('mine', '')).toBeDefined();
    expect(own.getFunction('count', '')).toBeDefined();
    const other = new library.FunctionResolver();
    expect(other.getFunction('mine', '')).toBeUndefined();
    expect(other.getFunction('count', '')).toBeDefined();
    expect(() => PAGE.xpath('mine()')).toThrow(/mine/);
  });
});
