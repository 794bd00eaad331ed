import {DraglineError} from '../core/errors.js';
import {compilePythonRegex} from '../selector/python-regex.js';

/**
 * A pattern a user gives as a string or a RegExp, ready for repeated `test()` calls (Python's
 * `re.search`, as Scrapy's LinkExtractor and SitemapSpider use it). A string is Python regex syntax,
 * as pasted from Scrapy code (`(?P<id>\d+)`, `\A`, `(?i)`…), read as the selectors' re() reads it; a
 * RegExp keeps its JavaScript meaning, without a `g` flag (which would make `test()` remember where
 * it stopped). `what` names the option in the one-line error for a pattern that cannot be read.
 */
export function searchPattern(pattern: string | RegExp, what = 'pattern'): RegExp {
  if (pattern instanceof RegExp) return new RegExp(pattern.source, pattern.flags.replace('g', ''));
  if (typeof pattern !== 'string') throw new DraglineError('BAD_ARGUMENT', `${what}: expected a regular expression (a string or a RegExp), got ${JSON.stringify(pattern) ?? typeof pattern}`);
  try {
    return compilePythonRegex(pattern);
  } catch (error) {
    if (!(error instanceof DraglineError)) throw error;
    throw new DraglineError(error.code, `${what}: ${error.message}`);
  }
}
