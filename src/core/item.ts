/** The fields an Item subclass declares, as Scrapy's `scrapy.Field()` declarations. */
export type ItemFields = readonly string[];

/**
 * An item with declared fields, for those who want Scrapy's Item: setting an undeclared field throws,
 * so a typo shows at once. Plain objects work everywhere an Item does.
 *
 *   class Quote extends Item { static fields = ['text', 'author'] as const }
 *   yield new Quote({text, author});
 */
export class Item {
  static fields: ItemFields = [];

  constructor(values: Record<string, unknown> = {}) {
    const declared = new Set((this.constructor as typeof Item).fields);
    for (const [key, value] of Object.entries(values)) {
      if (!declared.has(key)) throw new TypeError(`${this.constructor.name} does not support field: ${key}`);
      (this as Record<string, unknown>)[key] = value;
    }
    return new Proxy(this, {
      set(target, key, value) {
        if (typeof key === 'string' && !declared.has(key)) throw new TypeError(`${target.constructor.name} does not support field: ${key}`);
        return Reflect.set(target, key, value);
      },
    });
  }
}

/** A plain object of an item's fields, for export. */
export function itemToObject(item: unknown): Record<string, unknown> {
  if (item instanceof Map) return Object.fromEntries(item);
  return {...(item as Record<string, unknown>)};
}
