import {DraglineError} from './errors.js';

/** The fields an Item subclass declares, as Scrapy's `scrapy.Field()` declarations. */
export type ItemFields = readonly string[];

/**
 * An item with declared fields, for those who want Scrapy's Item: setting an undeclared field throws,
 * so a typo shows at once. Plain objects work everywhere an Item does. Give the fields' types as
 * the type argument, and the compiler checks them too:
 *
 *   class Quote extends Item<{text: string; author?: string}> { static fields = ['text', 'author'] as const }
 *   yield new Quote({text, author});   // quote.text is a string; new Quote({txet}) does not compile
 */
const DeclaredItem = class Item {
  static fields: ItemFields = [];
  /** Not read from an instance: write `static fields = [...] as const`. */
  declare fields?: never;

  constructor(values: object = {}) {
    const declared = new Set((this.constructor as typeof DeclaredItem).fields);
    for (const [key, value] of Object.entries(values)) {
      if (!declared.has(key)) throw new TypeError(`${this.constructor.name} does not support field: ${key}`);
      (this as Record<string, unknown>)[key] = value;
    }
    return new Proxy(this, {
      set(target, key, value) {
        if (typeof key === 'string' && !declared.has(key)) throw new TypeError(`${target.constructor.name} does not support field: ${key}`);
        return Reflect.set(target, key, value);
      },
      // A subclass's instance field is defined, not set, on the item: \`fields = [...]\` lands here.
      defineProperty(target, key, descriptor) {
        if (key === 'fields' && !declared.has(key)) {
          throw new DraglineError('SPIDER_INVALID', `${target.constructor.name}: fields is an instance field, but the item reads it from the class: make it static (static fields = [...] as const)`);
        }
        return Reflect.defineProperty(target, key, descriptor);
      },
    });
  }
};

/** An Item instance with typed fields (any fields when not given). */
export type Item<Fields extends object = Record<string, unknown>> = InstanceType<typeof DeclaredItem> & Fields;

/** The Item class: `extends Item` or `extends Item<{...fields}>`. */
export interface ItemClass {
  new <Fields extends object = Record<string, unknown>>(values?: Partial<Fields>): Item<Fields>;
  readonly prototype: InstanceType<typeof DeclaredItem>;
  fields: ItemFields;
}

export const Item: ItemClass = DeclaredItem as ItemClass;

/** A plain object of an item's fields, for export. */
export function itemToObject(item: unknown): Record<string, unknown> {
  if (item instanceof Map) return Object.fromEntries(item);
  return {...(item as Record<string, unknown>)};
}
