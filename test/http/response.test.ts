import {describe, expect, test} from '@jest/globals';
import {inspect} from 'node:util';
import {Request} from '../../src/http/request.js';
import {Response} from '../../src/http/response.js';

function responseWith(body: string, contentType: string): Response {
  const request = new Request('http://127.0.0.1/api');
  return new Response({url: request.url, status: 200, headers: {'content-type': contentType}, body: Buffer.from(body, 'latin1'), request});
}

describe('Response', () => {
  test('json() parses the decoded body, as Scrapy does', () => {
    expect(responseWith('{"items": [1, 2], "name": "caf\xe9"}', 'application/json; charset=latin1').json()).toEqual({items: [1, 2], name: 'café'});
  });

  test('json() on a body that is not JSON names the URL', () => {
    expect(() => responseWith('<html></html>', 'text/html').json()).toThrow(/http:\/\/127\.0\.0\.1\/api is not JSON/);
  });

  test('urljoin reads <base href> in any case, and a page without one joins to its own URL', () => {
    const page = (head: string) => {
      const request = new Request('http://127.0.0.1/docs/page.html');
      return new Response({url: request.url, status: 200, headers: {'content-type': 'text/html'}, body: Buffer.from(`<html><head>${head}</head><body><a href="x">x</a></body></html>`), request});
    };
    expect(page('<base href="http://other.test/dir/">').urljoin('x.html')).toBe('http://other.test/dir/x.html');
    expect(page('<BaSe HREF="/root/">').urljoin('x.html')).toBe('http://127.0.0.1/root/x.html');
    expect(page('<title>no base</title>').urljoin('x.html')).toBe('http://127.0.0.1/docs/x.html');
    expect(page('<title>a baseline</title>').follow('../up.html').url).toBe('http://127.0.0.1/up.html');
  });

  test('requests and responses inspect as Scrapy prints them', () => {
    const response = responseWith('{}', 'application/json');
    expect(inspect([response, response.request])).toBe('[ <200 http://127.0.0.1/api>, <GET http://127.0.0.1/api> ]');
  });
});
