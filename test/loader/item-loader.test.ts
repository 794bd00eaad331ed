/**
 * ItemLoader and its processors, on a product page, checked against what Scrapy's itemloaders
 * gives for the same calls.
 */
import {describe, expect, test} from '@jest/globals';
import {Request} from '../../src/http/request.js';
import {Response} from '../../src/http/response.js';
import {Item} from '../../src/core/item.js';
import {ItemLoader} from '../../src/loader/item-loader.js';
import {Compose, Identity, Join, MapCompose, TakeFirst} from '../../src/loader/processors.js';
import {Selector} from '../../src/selector/index.js';

const PAGE = `<html><body>
  <div class="product">
    <h1>  Walnut desk  </h1>
    <p class="price">Price: 1,299.50 EUR</p>
    <ul class="tags"><li>wood</li><li> </li><li>office</li></ul>
    <div class="maker"><span class="name">Atelier Nord</span><a href="/makers/nord">more</a></div>
  </div>
  <div class="maker other"><span class="name">Elsewhere Ltd</span></div>
</body></html>`;

function productPage(): Response {
  const request = new Request('http://127.0.0.1/products/desk');
  return new Response({url: request.url, status: 200, headers: {'content-type': 'text/html; charset=utf-8'}, body: Buffer.from(PAGE), request});
}

const trim = (text: string) => text.trim();
const nonEmpty = (text: string) => (text === '' ? undefined : text);

describe('processors', () => {
  test('TakeFirst skips null, undefined and empty strings; Join joins; Identity keeps the list', () => {
    expect(TakeFirst()(['', null, undefined, 'a', 'b'], {})).toBe('a');
    expect(TakeFirst()([], {})).toBeUndefined();
    expect(TakeFirst()([0, 'x'], {})).toBe(0);
    expect(Join()(['a', 'b'], {})).toBe('a b');
    expect(Join(', ')(['a', 'b'], {})).toBe('a, b');
    expect(Identity()(['a', 'b'], {})).toEqual(['a', 'b']);
  });

  test('MapCompose applies each function to every value, flattening lists and dropping null/undefined', () => {
    const split = (text: string) => text.split(',');
    const dropB = (text: string) => (text === 'b' ? null : text);
    expect(MapCompose(split, dropB, (text: string) => text.toUpperCase())(['a,b', 'c'], {})).toEqual(['A', 'C']);
    expect(MapCompose((value: number, context) => value * (context.factor as number))([1, 2], {factor: 10})).toEqual([10, 20]);
  });

  test('Compose passes the whole value down the chain and stops at null/undefined unless told not to', () => {
    expect(Compose((values: string[]) => values[0], (text: string) => text.toUpperCase())(['hello', 'world'], {})).toBe('HELLO');
    expect(Compose((values: string[]) => values[5], (text: string) => text.toUpperCase())(['a'], {})).toBeUndefined();
    expect(Compose((values: string[]) => values[5], (text: unknown) => `got ${text}`, {stopOnNone: false})(['a'], {})).toBe('got undefined');
  });
});

describe('ItemLoader', () => {
  class ProductLoader extends ItemLoader {
    static override defaultOutputProcessor = TakeFirst();
    static override fieldProcessors = {
      name: {input: MapCompose(trim)},
      price: {input: MapCompose((text: string) => Number(text.replace(/,/g, '')))},
      tags: {input: MapCompose(trim, nonEmpty), output: Identity()},
      description: {output: Join(' / ')},
    };
  }

  test('collects values through input processors and loads them through output processors', () => {
    const loader = new ProductLoader({response: productPage()});
    loader.addCss('name', 'h1::text');
    loader.addCss('price', 'p.price::text', {re: /([\d,.]+) EUR/});
    loader.addXpath('tags', '//ul[@class="tags"]/li/text()');
    loader.addValue('url', loader.context.response instanceof Response ? loader.context.response.url : '');
    loader.addValue('description', ['solid', 'oiled']);
    loader.addValue('missing', []);
    expect(loader.getCollectedValues('tags')).toEqual(['wood', 'office']);
    expect(loader.loadItem()).toEqual({
      name: 'Walnut desk',
      price: 1299.5,
      tags: ['wood', 'office'],
      url: 'http://127.0.0.1/products/desk',
      description: 'solid / oiled',
    });
  });

  test('adding appends, replacing starts over; several queries at once add in order', () => {
    const loader = new ItemLoader({response: productPage()});
    loader.addCss('names', ['h1::text', 'span.name::text'], MapCompose(trim));
    expect(loader.getOutputValue('names')).toEqual(['Walnut desk', 'Atelier Nord', 'Elsewhere Ltd']);
    loader.replaceValue('names', 'only');
    expect(loader.getOutputValue('names')).toEqual(['only']);
  });

  test('getValue runs {re} first, then the processors one after the other, as itemloaders get_value', () => {
    const loader = new ItemLoader();
    expect(loader.getValue('name: foo', TakeFirst(), (text: string) => text.toUpperCase(), {re: 'name: (.+)'})).toBe('FOO');
    expect(loader.getValue(['a1', 'b22'], {re: /\d+/})).toEqual(['1', '22']);
  });

  test('a nested loader reads a part of the page and fills the same item', () => {
    const loader = new ProductLoader({response: productPage()});
    loader.addCss('name', 'h1::text');
    const maker = loader.nestedCss('div.product div.maker');
    maker.addCss('maker', 'span.name::text');
    maker.addCss('maker_url', 'a::attr(href)');
    expect(loader.loadItem()).toEqual({name: 'Walnut desk', maker: 'Atelier Nord', maker_url: '/makers/nord'});
  });

  test('an existing item keeps its values as collected ones; an Item subclass refuses an undeclared field', () => {
    class Product extends Item {
      static override fields = ['name', 'sku'] as const;
    }
    const loader = new ItemLoader({item: new Product({sku: 'D-1'}), selector: Selector.fromHtml(PAGE)});
    loader.addCss('name', 'h1::text', MapCompose(trim));
    const product = loader.loadItem<Product & {name: string[]; sku: string[]}>();
    expect(product).toBeInstanceOf(Product);
    expect({...product}).toEqual({sku: ['D-1'], name: ['Walnut desk']});
    loader.addValue('colour', 'brown');
    expect(() => loader.loadItem()).toThrow('Product does not support field: colour');
  });

  test('a processor that throws is reported with its field and value', () => {
    class StrictLoader extends ItemLoader {
      static override fieldProcessors = {
        price: {
          input: MapCompose((text: string) => {
            if (!/^\d+$/.test(text)) throw new Error(`not a number: ${text}`);
            return Number(text);
          }),
        },
      };
    }
    expect(() => new StrictLoader().addValue('price', 'ten')).toThrow('Error with input processor: field="price" value="ten" error=not a number: ten');
  });

  test('what an Item or a loader reads from its class, set as an instance field, is refused: make it static', () => {
    class Product extends Item<{name: string}> {
      static override fields = ['name'] as const;
      // @ts-expect-error fields is read from the class
      fields = ['name'];
    }
    expect(() => new Product({name: 'desk'})).toThrow('Product: fields is an instance field, but the item reads it from the class: make it static (static fields = [...] as const)');
    class LazyLoader extends ItemLoader {
      // @ts-expect-error defaultOutputProcessor is read from the class
      defaultOutputProcessor = TakeFirst();
    }
    const loader = new LazyLoader({selector: Selector.fromHtml(PAGE)});
    let error: {code?: string; message?: string} = {};
    try {
      loader.addCss('name', 'h1::text');
    } catch (thrown) {
      error = thrown as {code?: string; message?: string};
    }
    expect(error).toMatchObject({code: 'SPIDER_INVALID', message: 'LazyLoader: defaultOutputProcessor is an instance field, but the loader reads it from the class: make it static (static defaultOutputProcessor = ...)'});
    // Declared as static, both work.
    class Desk extends Item<{name: string}> {
      static override fields = ['name'] as const;
    }
    expect(new Desk({name: 'desk'}).name).toBe('desk');
  });

  test('CSS and XPath need a response or a selector, and say so', () => {
    expect(() => new ItemLoader().addCss('name', 'h1::text')).toThrow('ItemLoader.addCss() needs a loader made with a response or a selector: new ItemLoader({response})');
  });
});
