import {DraglineError} from '../core/errors.js';

/**
 * Refuses an option object with a key `what` does not read: Scrapy's keyword arguments written as
 * they are in Python (`restrict_css`, `cb_kwargs`) would otherwise be ignored without a word. The
 * error names the camelCase spelling when there is one.
 */
export function refuseUnknownOptions(what: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const camel = snakeToCamel(key);
    const hint = known.includes(camel) ? `write ${camel}` : `its options are ${known.join(', ')}`;
    throw new DraglineError('SPIDER_INVALID', `${what} has no option '${key}', so it would be ignored: ${hint}`);
  }
}

/** Scrapy's snake_case name in dragline's camelCase: `parse_start_url` → `parseStartUrl`. */
export function snakeToCamel(name: string): string {
  return name.replace(/_+([a-z0-9])/g, (_whole, letter: string) => letter.toUpperCase());
}
