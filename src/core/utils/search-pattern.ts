/**
 * A pattern a user gives as a string (a regular expression's source) or a RegExp, ready for
 * repeated `test()` calls: a `g` flag is dropped, since it would make `test()` remember where it stopped.
 */
export function searchPattern(pattern: string | RegExp): RegExp {
  return typeof pattern === 'string' ? new RegExp(pattern) : new RegExp(pattern.source, pattern.flags.replace('g', ''));
}
