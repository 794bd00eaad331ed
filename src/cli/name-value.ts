import {DraglineError} from '../core/errors.js';

/**
 * Splits repeatable `NAME=VALUE` options (`-s`, `-a`) at the first '=', as Scrapy's
 * arglist_to_dict; a later repetition of a name wins.
 */
export function parseNameValues(values: readonly string[] | undefined, flag: '-s' | '-a'): Record<string, string> {
  const result: Record<string, string> = {};
  for (const value of values ?? []) {
    const equals = value.indexOf('=');
    if (equals <= 0) {
      throw new DraglineError('BAD_ARGUMENT', `Invalid ${flag} value '${value}', use ${flag} NAME=VALUE`, {
        suggestions: [flag === '-s' ? 'For example: -s CONCURRENT_REQUESTS=8' : 'For example: -a category=books'],
      });
    }
    result[value.slice(0, equals).trim()] = value.slice(equals + 1);
  }
  return result;
}
