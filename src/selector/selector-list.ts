import type {Selector} from './selector.js';
import {type RegexInput, type RegexOptions} from './regex.js';
import type {XPathOptions} from './xpath-query.js';

/**
 * The selectors a query returned, in document order: an Array with parsel's SelectorList methods,
 * which apply to every member (css, xpath, re, getall) or to the first one (get, reFirst, attrib).
 */
export class SelectorList extends Array<Selector> {
  // map() and friends may return anything, so they build plain arrays; slice() and filter() keep the type.
  static get [Symbol.species](): ArrayConstructor {
    return Array;
  }

  /** A list holding the given selectors (Array.of spreads arguments; this does not). */
  static fromSelectors(selectors: Iterable<Selector>): SelectorList {
    const list = new SelectorList();
    for (const selector of selectors) list.push(selector);
    return list;
  }

  override slice(start?: number, end?: number): SelectorList {
    return SelectorList.fromSelectors(super.slice(start, end));
  }

  override filter(predicate: (selector: Selector, index: number, list: Selector[]) => unknown): SelectorList {
    return SelectorList.fromSelectors(super.filter(predicate));
  }

  /** The first selector's get(), or `defaultValue` (null if none given) when the list is empty. */
  get(): string | null;
  get(defaultValue: string): string;
  get(defaultValue: string | null = null): string | null {
    return this.length > 0 ? this[0].get() : defaultValue;
  }

  getall(): string[] {
    return Array.from(this, (selector) => selector.get());
  }

  /** Old parsel names: extract() is getall(), extractFirst() is get(). */
  extract(): string[] {
    return this.getall();
  }

  extractFirst(): string | null;
  extractFirst(defaultValue: string): string;
  extractFirst(defaultValue: string | null = null): string | null {
    return this.get(defaultValue as string);
  }

  css(query: string): SelectorList {
    return flatten(this, (selector) => selector.css(query));
  }

  xpath(query: string, options?: XPathOptions): SelectorList {
    return flatten(this, (selector) => selector.xpath(query, options));
  }

  re(regex: RegexInput, options?: RegexOptions): string[] {
    const strings: string[] = [];
    for (const selector of this) strings.push(...selector.re(regex, options));
    return strings;
  }

  /** The first string re() would give, found without matching the rest of the list. */
  reFirst(regex: RegexInput): string | null;
  reFirst(regex: RegexInput, defaultValue: string, options?: RegexOptions): string;
  reFirst(regex: RegexInput, defaultValue: string | null, options?: RegexOptions): string | null;
  reFirst(regex: RegexInput, defaultValue: string | null = null, options?: RegexOptions): string | null {
    for (const selector of this) {
      const found = selector.re(regex, options);
      if (found.length > 0) return found[0];
    }
    return defaultValue;
  }

  /** The attributes of the first element, `{}` when the list is empty. */
  get attrib(): Record<string, string> {
    return this.length > 0 ? this[0].attrib : {};
  }
}

function flatten(list: SelectorList, select: (selector: Selector) => SelectorList): SelectorList {
  const result = new SelectorList();
  for (const selector of list) for (const found of select(selector)) result.push(found);
  return result;
}
