/**
 * Item loader processors, as Scrapy's (the itemloaders package): each takes the values collected
 * for a field (a list; a single value counts as a list of one) and returns what to store. Called
 * with the loader's context as second argument, which a processor may ignore. Any function of that
 * shape is a processor.
 */
export type LoaderContext = Record<string, unknown>;
export type Processor = (values: any, context: LoaderContext) => unknown;
/** A function MapCompose and Compose apply: to one value (MapCompose) or to the whole value (Compose). */
export type ValueFunction = (value: any, context: LoaderContext) => unknown;

/** Lists as they are; nothing (undefined, null) as no values; anything else as one value. */
export function toValues(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** The values unchanged: the default input and output processor. */
export function Identity(): Processor {
  return (values) => values;
}

/** The first value that is neither null, undefined nor an empty string; undefined if there is none. */
export function TakeFirst(): Processor {
  return (values) => toValues(values).find((value) => value !== null && value !== undefined && value !== '');
}

/** The values joined into one string. */
export function Join(separator = ' '): Processor {
  return (values) => toValues(values).map(String).join(separator);
}

/**
 * Applies each function to every value in turn: a function's result is flattened when it is a list,
 * and dropped when it is null or undefined, before the next function sees it. For cleaning values
 * one by one (trim, parse a price, drop empties).
 */
export function MapCompose(...functions: ValueFunction[]): Processor {
  return (values, context) => {
    let current = toValues(values);
    for (const fn of functions) {
      const next: unknown[] = [];
      for (const value of current) next.push(...toValues(fn(value, context)));
      current = next;
    }
    return current;
  };
}

export interface ComposeOptions {
  /** Stop at the first function that returns null or undefined (default true), as Scrapy's stop_on_none. */
  stopOnNone?: boolean;
}

/**
 * Passes the whole list through the functions one after the other (each gets what the previous
 * returned). `Compose(values => values[0], s => s.toUpperCase())`. An options object may come last.
 */
export function Compose(...args: Array<ValueFunction | ComposeOptions>): Processor {
  const last = args.at(-1);
  const options: ComposeOptions = typeof last === 'object' && last !== null ? (args.pop() as ComposeOptions) : {};
  const functions = args as ValueFunction[];
  const stopOnNone = options.stopOnNone ?? true;
  return (values, context) => {
    let value: unknown = values;
    for (const fn of functions) {
      if (stopOnNone && (value === null || value === undefined)) break;
      value = fn(value, context);
    }
    return value;
  };
}
