import {DraglineError} from '../core/errors.js';
import type {Response} from '../http/response.js';
import {extractRegex, type RegexInput} from '../selector/regex.js';
import type {Selector} from '../selector/selector.js';
import type {SelectorList} from '../selector/selector-list.js';
import {Identity, toValues, type LoaderContext, type Processor} from './processors.js';

/** What a loader reads from (a response or a selector), the item it fills, and a context for processors. */
export interface ItemLoaderOptions {
  /** The item to fill: a plain object, an Item or a Map. Default: a new `defaultItemClass`. Its existing values count as collected. */
  item?: object;
  response?: Response;
  selector?: Selector | SelectorList;
  /** Anything processors should see in their context argument. */
  context?: Record<string, unknown>;
}

/** Options that may follow the processors of an add/get/replace call. */
export interface ValueOptions {
  /** Keep only what this regular expression extracts from each string value, as Selector.re(). */
  re?: RegexInput;
}

export interface FieldProcessors {
  input?: Processor;
  output?: Processor;
}

type Extra = Array<Processor | ValueOptions>;

/**
 * Fills an item from a page, as Scrapy's ItemLoader: `addCss`, `addXpath` and `addValue` collect
 * values per field, each through the field's input processor; `loadItem()` runs each field's output
 * processor over what was collected and sets the result on the item.
 *
 *   class ProductLoader extends ItemLoader {
 *     static override defaultOutputProcessor = TakeFirst();
 *     static override fieldProcessors = {name: {input: MapCompose((s: string) => s.trim())}, tags: {output: Identity()}};
 *   }
 *   const loader = new ProductLoader({response});
 *   loader.addCss('name', 'h1::text');
 *   loader.addValue('url', response.url);
 *   yield loader.loadItem();
 */
export class ItemLoader {
  static defaultItemClass: new () => object = Object;
  static defaultInputProcessor: Processor = Identity();
  static defaultOutputProcessor: Processor = Identity();
  /** Per field input and output processors; a field without them uses the defaults. */
  static fieldProcessors: Record<string, FieldProcessors> = {};
  // Read from the class: an instance field of these names is a compile error, and refused when it runs.
  /** Not read from an instance: write `static defaultItemClass = ...`. */
  declare defaultItemClass?: never;
  /** Not read from an instance: write `static defaultInputProcessor = ...`. */
  declare defaultInputProcessor?: never;
  /** Not read from an instance: write `static defaultOutputProcessor = ...`. */
  declare defaultOutputProcessor?: never;
  /** Not read from an instance: write `static fieldProcessors = {...}`. */
  declare fieldProcessors?: never;

  readonly item: object;
  readonly selector?: Selector | SelectorList;
  readonly context: LoaderContext;
  /** Collected values per field; nested loaders share their parent's. */
  private readonly values: Map<string, unknown[]>;

  constructor(options: ItemLoaderOptions = {}, parent?: ItemLoader) {
    const type = this.constructor as typeof ItemLoader;
    this.item = options.item ?? parent?.item ?? new type.defaultItemClass();
    this.selector = options.selector ?? options.response?.selector;
    this.context = {...parent?.context, ...options.context, item: this.item, response: options.response ?? parent?.context.response, selector: this.selector};
    if (parent !== undefined) {
      this.values = parent.values;
    } else {
      this.values = new Map();
      for (const [field, value] of itemEntries(this.item)) if (value !== undefined) this.values.set(field, toValues(value));
    }
  }

  /**
   * Adds values to a field, through `processors` (and `{re}`) first, then the field's input processor.
   * With `field` null (or ''), `value` is an object of fields. A value that is or becomes null or
   * undefined adds nothing; `''`, `0` and `false` are values.
   */
  addValue(field: string | null, value: unknown, ...extra: Extra): this {
    return this.store(field, this.getValue(value, ...extra), false);
  }

  /**
   * As addValue, but replaces what the field had collected. As in itemloaders, a value that is or
   * becomes null or undefined replaces nothing (the field keeps its values), while one the input
   * processor turns into nothing (`[]`) empties the field.
   */
  replaceValue(field: string | null, value: unknown, ...extra: Extra): this {
    return this.store(field, this.getValue(value, ...extra), true);
  }

  /**
   * `value` through `{re}` and then `processors` one after the other, without collecting it:
   * `getValue('name: foo', TakeFirst(), (s: string) => s.toUpperCase(), {re: 'name: (.+)'})` is `'FOO'`.
   * The chain stops at null or undefined (the rest of the processors are not called).
   */
  getValue(value: unknown, ...extra: Extra): unknown {
    const {processors, re} = splitExtra(extra);
    let current: unknown = value;
    if (re !== undefined) current = toValues(current).flatMap((entry) => extractRegex(re, String(entry)));
    for (const processor of processors) {
      if (current === null || current === undefined) break;
      current = processor(current, this.context);
    }
    return current;
  }

  addCss(field: string | null, query: string | string[], ...extra: Extra): this {
    return this.addValue(field, this.selectAll('css', query), ...extra);
  }

  replaceCss(field: string | null, query: string | string[], ...extra: Extra): this {
    return this.replaceValue(field, this.selectAll('css', query), ...extra);
  }

  getCss(query: string | string[], ...extra: Extra): unknown {
    return this.getValue(this.selectAll('css', query), ...extra);
  }

  addXpath(field: string | null, query: string | string[], ...extra: Extra): this {
    return this.addValue(field, this.selectAll('xpath', query), ...extra);
  }

  replaceXpath(field: string | null, query: string | string[], ...extra: Extra): this {
    return this.replaceValue(field, this.selectAll('xpath', query), ...extra);
  }

  getXpath(query: string | string[], ...extra: Extra): unknown {
    return this.getValue(this.selectAll('xpath', query), ...extra);
  }

  /** A loader for the part of the page `query` selects, filling the same item. */
  nestedCss(query: string, context: Record<string, unknown> = {}): this {
    return this.nested(this.requireSelector('nestedCss').css(query), context);
  }

  nestedXpath(query: string, context: Record<string, unknown> = {}): this {
    return this.nested(this.requireSelector('nestedXpath').xpath(query), context);
  }

  /** What the field has collected so far (after input processors). */
  getCollectedValues(field: string): unknown[] {
    return [...(this.values.get(field) ?? [])];
  }

  /** The field's collected values through its output processor. */
  getOutputValue(field: string): unknown {
    const processor = this.processorsFor(field).output ?? (this.constructor as typeof ItemLoader).defaultOutputProcessor;
    const collected = this.getCollectedValues(field);
    try {
      return processor(collected, this.context);
    } catch (error) {
      throw processorError('output', field, collected, error);
    }
  }

  /** Sets every field's output value on the item (fields whose output is null or undefined are left out) and returns it. */
  loadItem<T extends object = Record<string, unknown>>(): T {
    for (const field of this.values.keys()) {
      const value = this.getOutputValue(field);
      if (value === undefined || value === null) continue;
      if (this.item instanceof Map) this.item.set(field, value);
      else (this.item as Record<string, unknown>)[field] = value;
    }
    return this.item as T;
  }

  /** Collects into `field`, or, with `field` null, into each field of the object `values`. */
  private store(field: string | null, values: unknown, replace: boolean): this {
    if (values === null || values === undefined) return this;
    if (field !== null && field !== '') this.collect(field, values, replace);
    else for (const [key, fieldValue] of Object.entries((values as Record<string, unknown>) ?? {})) this.collect(key, fieldValue, replace);
    return this;
  }

  private collect(field: string, value: unknown, replace: boolean): void {
    const processor = this.processorsFor(field).input ?? (this.constructor as typeof ItemLoader).defaultInputProcessor;
    let processed: unknown;
    try {
      processed = processor(toValues(value), this.context);
    } catch (error) {
      throw processorError('input', field, value, error);
    }
    if (replace) this.values.delete(field);
    // itemloaders keeps what the input processor returns only when Python finds it true: not None,
    // an empty list, '', 0 or false (a single '' or 0 from add_value arrives as a list of one).
    if (!pythonTruthy(processed)) return;
    this.values.set(field, [...(this.values.get(field) ?? []), ...toValues(processed)]);
  }

  private processorsFor(field: string): FieldProcessors {
    refuseInstanceClassFields(this);
    return (this.constructor as typeof ItemLoader).fieldProcessors[field] ?? {};
  }

  private selectAll(kind: 'css' | 'xpath', query: string | string[]): string[] {
    const selector = this.requireSelector(kind === 'css' ? 'addCss' : 'addXpath');
    const queries = Array.isArray(query) ? query : [query];
    return queries.flatMap((each) => (kind === 'css' ? selector.css(each) : selector.xpath(each)).getall());
  }

  private requireSelector(method: string): Selector | SelectorList {
    if (this.selector === undefined) throw new TypeError(`${this.constructor.name}.${method}() needs a loader made with a response or a selector: new ${this.constructor.name}({response})`);
    return this.selector;
  }

  private nested(selector: SelectorList, context: Record<string, unknown>): this {
    const type = this.constructor as new (options: ItemLoaderOptions, parent?: ItemLoader) => this;
    return new type({selector, context}, this);
  }
}

/** itemloaders' message for a processor that threw, naming the field and what it was given. */
function processorError(kind: 'input' | 'output', field: string, value: unknown, cause: unknown): Error {
  return new Error(`Error with ${kind} processor: field=${JSON.stringify(field)} value=${JSON.stringify(value)} error=${(cause as Error)?.message ?? String(cause)}`, {cause});
}

function pythonTruthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof Map) return value.size > 0;
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) return Object.keys(value).length > 0;
  return Boolean(value);
}

function splitExtra(extra: Extra): {processors: Processor[]; re?: RegexInput} {
  const processors: Processor[] = [];
  let re: RegexInput | undefined;
  for (const entry of extra) {
    if (typeof entry === 'function') processors.push(entry);
    else if (entry?.re !== undefined) re = entry.re;
  }
  return {processors, re};
}

function itemEntries(item: object): Array<[string, unknown]> {
  return item instanceof Map ? [...item.entries()] : Object.entries(item);
}

const CLASS_FIELDS = ['defaultItemClass', 'defaultInputProcessor', 'defaultOutputProcessor', 'fieldProcessors'];

/** A loader field the loader reads from its class, set on the instance instead, would be ignored: refused, as spider-check does for spiders. */
function refuseInstanceClassFields(loader: ItemLoader): void {
  const field = CLASS_FIELDS.find((name) => Object.hasOwn(loader, name));
  if (field !== undefined) {
    throw new DraglineError('SPIDER_INVALID', `${loader.constructor.name}: ${field} is an instance field, but the loader reads it from the class: make it static (static ${field} = ...)`);
  }
}
