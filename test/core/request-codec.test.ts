import {describe, expect, test} from '@jest/globals';
import {JsonRequest, Request} from '../../src/http/request.js';
import {FormRequest} from '../../src/http/form-request.js';
import {PageMethod} from '../../src/http/page-method.js';
import {Spider} from '../../src/spiders/spider.js';
import type {Response} from '../../src/http/response.js';
import {serialize} from 'node:v8';
import {decodeRequest, encodeRequest} from '../../src/core/request-codec.js';
import {codeOf} from '../helpers/errors.js';

class BaseSpider extends Spider {
  static spiderName = 'quotes';
  inherited(response: Response): unknown {
    return response.url;
  }
}
class QuotesSpider extends BaseSpider {
  parseItem(response: Response): unknown {
    return response.url;
  }
  onError(): unknown {
    return undefined;
  }
}
class RenamedSpider extends BaseSpider {
  parseProduct(response: Response): unknown {
    return response.url;
  }
}


describe('request codec', () => {
  const spider = new QuotesSpider();

  test('round-trips every field', () => {
    const request = new Request('https://example.org/page?a=1', {
      callback: spider.parseItem,
      errback: spider.onError,
      method: 'put',
      headers: {'X-One': 'a', 'X-Many': ['b', 'c']},
      body: Buffer.from([0, 1, 2, 255]),
      cookies: {session: 'abc'},
      meta: {depth: 3, when: new Date(0), nested: {list: [1, 'two', null]}, bytes: Buffer.from('hi'), map: new Map([['k', 1]])},
      cbKwargs: {page: 2},
      priority: -4,
      dontFilter: true,
      flags: ['cached'],
      encoding: 'latin1',
    });
    const back = decodeRequest(encodeRequest(request, spider), spider);
    expect(back).toBeInstanceOf(Request);
    expect(back.url).toBe(request.url);
    expect(back.method).toBe('PUT');
    expect(back.headers).toEqual(request.headers);
    expect(Buffer.compare(back.body, request.body)).toBe(0);
    expect(back.cookies).toEqual({session: 'abc'});
    expect(back.meta.depth).toBe(3);
    expect(back.meta.when).toEqual(new Date(0));
    expect(back.meta.nested).toEqual({list: [1, 'two', null]});
    expect(Buffer.from(back.meta.bytes as Uint8Array).toString()).toBe('hi');
    expect(back.meta.map).toEqual(new Map([['k', 1]]));
    expect(back.cbKwargs).toEqual({page: 2});
    expect(back.priority).toBe(-4);
    expect(back.dontFilter).toBe(true);
    expect(back.flags).toEqual(['cached']);
    expect(back.encoding).toBe('latin1');
    expect(back.callback).toBe(QuotesSpider.prototype.parseItem);
    expect(back.errback).toBe(QuotesSpider.prototype.onError);
  });

  test('no callback stays none; an inherited method is found by name', () => {
    const plain = decodeRequest(encodeRequest(new Request('https://example.org/'), spider), spider);
    expect(plain.callback).toBeUndefined();
    const inherited = decodeRequest(encodeRequest(new Request('https://example.org/', {callback: spider.inherited}), spider), spider);
    expect(inherited.callback).toBe(BaseSpider.prototype.inherited);
  });

  test('FormRequest and JsonRequest keep their class and body', () => {
    const form = new FormRequest('https://example.org/login', {formdata: {user: 'u', tag: ['a', 'b']}, callback: spider.parseItem});
    const formBack = decodeRequest(encodeRequest(form, spider), spider);
    expect(formBack).toBeInstanceOf(FormRequest);
    expect(formBack.method).toBe('POST');
    expect(formBack.body.toString()).toBe('user=u&tag=a&tag=b');
    expect(formBack.headers).toEqual(form.headers);

    const json = new JsonRequest('https://example.org/api', {data: {q: 1}});
    delete json.headers.Accept;
    const jsonBack = decodeRequest(encodeRequest(json, spider), spider);
    expect(jsonBack).toBeInstanceOf(JsonRequest);
    expect(JSON.parse(jsonBack.body.toString())).toEqual({q: 1});
    expect(jsonBack.headers).toEqual({'Content-Type': 'application/json'});
  });

  test('a callback the spider no longer has is CALLBACK_NOT_FOUND naming it and the URL', () => {
    const payload = encodeRequest(new Request('https://example.org/p/1', {callback: spider.parseItem}), spider);
    let error: {code?: string; message?: string} | undefined;
    try {
      decodeRequest(payload, new RenamedSpider());
    } catch (caught) {
      error = caught as typeof error;
    }
    expect(error?.code).toBe('CALLBACK_NOT_FOUND');
    expect(error?.message).toContain('parseItem');
    expect(error?.message).toContain('https://example.org/p/1');
  });

  test('arrow and bound callbacks are UNSERIALIZABLE_REQUEST with the reason', () => {
    const arrow = new Request('https://example.org/', {callback: () => undefined});
    expect(codeOf(() => encodeRequest(arrow, spider))).toBe('UNSERIALIZABLE_REQUEST');
    const bound = new Request('https://example.org/', {callback: spider.parseItem.bind(spider)});
    expect(() => encodeRequest(bound, spider)).toThrow(/callback is not a method of the spider: bound parseItem/);
    const anonymous = new Request('https://example.org/', {errback: [() => undefined][0]});
    expect(() => encodeRequest(anonymous, spider)).toThrow(/not a method of the spider/);
  });

  test('values v8 cannot clone (or would change) are UNSERIALIZABLE_REQUEST', () => {
    const withFunction = new Request('https://example.org/', {meta: {hook: () => 1}});
    expect(codeOf(() => encodeRequest(withFunction, spider))).toBe('UNSERIALIZABLE_REQUEST');
    class Tagged {
      tag = Symbol('x');
    }
    const withSymbol = new Request('https://example.org/', {cbKwargs: {item: new Tagged()}});
    expect(codeOf(() => encodeRequest(withSymbol, spider))).toBe('UNSERIALIZABLE_REQUEST');
    const symbolValue = new Request('https://example.org/', {meta: {tag: Symbol('x')}});
    expect(() => encodeRequest(symbolValue, spider)).toThrow(/meta.tag is a symbol/);
    class Plain {
      value = 1;
    }
    expect(() => encodeRequest(new Request('https://example.org/', {meta: {item: new Plain()}}), spider)).toThrow(/instance of Plain/);
    const cyclic: Record<string, unknown> = {name: 'loop'};
    cyclic.self = cyclic;
    const back = decodeRequest(encodeRequest(new Request('https://example.org/', {meta: {cyclic}}), spider), spider);
    const meta = back.meta.cyclic as Record<string, unknown>;
    expect(meta.self).toBe(meta);
  });
  test('page methods are stored as data and come back as PageMethod; one holding a function is refused', () => {
    const methods = [new PageMethod('waitForSelector', 'div.quote', {timeout: 5000}), new PageMethod('evaluate', 'window.scrollBy(0, 800)')];
    const request = new Request('https://example.org/', {meta: {playwright: true, playwright_page_methods: methods}});
    // What a call returned is output: a retried request is stored without it (an element handle could not be).
    methods[0]!.result = new (class ElementHandle {})();
    const back = decodeRequest(encodeRequest(request, spider), spider);
    const restored = back.meta.playwright_page_methods as PageMethod[];
    expect(restored.map((method) => method.result)).toEqual([undefined, undefined]);
    expect(restored.map((method) => method instanceof PageMethod)).toEqual([true, true]);
    expect(restored.map((method) => [method.method, method.args])).toEqual([['waitForSelector', ['div.quote', {timeout: 5000}]], ['evaluate', ['window.scrollBy(0, 800)']]]);
    const closure = new Request('https://example.org/', {meta: {playwright_page_methods: [new PageMethod('evaluate', () => 1)]}});
    expect(() => encodeRequest(closure, spider)).toThrow(/meta\.playwright_page_methods\.0\.args\.0 is a function/);
  });

  test('a record written before encodings were labels (a Node BufferEncoding such as latin1) still reads', () => {
    const body = Buffer.from('q=caf\xe9', 'latin1');
    const record = {v: 1, url: 'http://h/search?q=caf%E9', method: 'POST', body, encoding: 'latin1', callback: 'parseItem'};
    const back = decodeRequest(serialize(record), spider);
    expect([back.url, back.method, back.encoding, back.body]).toEqual(['http://h/search?q=caf%E9', 'POST', 'latin1', body]);
    expect(back.callback).toBe(spider.parseItem);
    // The label still works as an encoding: a replaced string body and query are written in it.
    const replaced = back.replace({url: 'http://h/search?q=thé', body: 'q=thé'});
    expect([replaced.url, replaced.body.toString('hex')]).toEqual(['http://h/search?q=th%E9', Buffer.from('q=th\xe9', 'latin1').toString('hex')]);
    expect(decodeRequest(encodeRequest(back, spider), spider).encoding).toBe('latin1');
  });

  test('a request with default fields decodes to the same defaults and keeps its record small', () => {
    const payload = encodeRequest(new Request('https://example.org/a', {callback: spider.parseItem}), spider);
    const back = decodeRequest(payload, spider);
    expect([back.method, back.priority, back.dontFilter, back.encoding, back.body.length]).toEqual(['GET', 0, false, 'utf-8', 0]);
    expect([back.headers, back.cookies, back.meta, back.cbKwargs, back.flags]).toEqual([{}, {}, {}, {}, []]);
    expect(back.callback).toBe(spider.parseItem);
    expect(back.errback).toBeUndefined();
    // Defaults are left out of the record: each queued request is written once and read once.
    expect(payload.length).toBeLessThan(80);
    // Two decoded requests never share their (mutable) objects.
    const other = decodeRequest(payload, spider);
    back.meta.depth = 1;
    back.headers.Referer = 'x';
    expect(other.meta).toEqual({});
    expect(other.headers).toEqual({});
  });

  test('records in the earlier full layout (every field written) still decode', () => {
    const full = serialize({
      v: 1, cls: 'FormRequest', url: 'https://example.org/f', method: 'POST', headers: {A: 'b'}, body: Buffer.from('x=1'),
      cookies: {c: 'd'}, meta: {depth: 2}, cbKwargs: {k: 1}, priority: 3, dontFilter: true, flags: ['f'], encoding: 'latin1',
      callback: 'parseItem', errback: null,
    });
    const back = decodeRequest(full, spider);
    expect(back).toBeInstanceOf(FormRequest);
    expect([back.url, back.method, back.body.toString(), back.priority, back.dontFilter, back.encoding]).toEqual(['https://example.org/f', 'POST', 'x=1', 3, true, 'latin1']);
    expect([back.headers, back.cookies, back.meta, back.cbKwargs, back.flags]).toEqual([{A: 'b'}, {c: 'd'}, {depth: 2}, {k: 1}, ['f']]);
    expect(back.callback).toBe(spider.parseItem);
    expect(back.errback).toBeUndefined();
  });
});
