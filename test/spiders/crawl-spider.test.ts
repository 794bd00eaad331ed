import {describe, expect, test} from '@jest/globals';
import {CrawlSpider, Rule} from '../../src/spiders/crawl-spider.js';
import {Request} from '../../src/http/request.js';
import {Response} from '../../src/http/response.js';
import {LinkExtractor} from '../../src/linkextractors/link-extractor.js';
import {iterateOutput} from '../../src/utils/iterate-output.js';

class ShopSpider extends CrawlSpider {
  override name = 'shop';
  override rules = [new Rule(new LinkExtractor({allow: /item/}), {callback: 'parseItem', cbKwargs: {fromRule: 1, shared: 'rule'}, follow: true, processRequest: 'tag'})];

  tag(request: Request): Request {
    request.cbKwargs = {fromRequest: 2, shared: 'request'};
    return request;
  }

  parseItem(_response: Response, kwargs: Record<string, unknown>): unknown {
    return {kwargs};
  }
}

async function run(spider: ShopSpider, response: Response): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const value of iterateOutput(spider.parseRule(response, response.request.cbKwargs))) out.push(value);
  return out;
}

function page(type: string, body: string, cbKwargs: Record<string, unknown> = {}): Response {
  const request = new Request('http://shop.example/item/1', {meta: {rule: 0}, cbKwargs});
  return new Response({url: request.url, status: 200, headers: {'content-type': type}, body: Buffer.from(body), request});
}

describe('CrawlSpider', () => {
  test("a rule callback gets the rule's cbKwargs with the request's own on top; processRequest sees each request", async () => {
    const out = await run(new ShopSpider(), page('text/html', '<a href="/item/2">two</a>', {fromRequest: 2, shared: 'request'}));
    expect(out[0]).toEqual({kwargs: {fromRule: 1, fromRequest: 2, shared: 'request'}});
    const [request] = out.slice(1) as Request[];
    expect([request.url, request.meta.rule, request.cbKwargs]).toEqual(['http://shop.example/item/2', 0, {fromRequest: 2, shared: 'request'}]);
  });

  test('links are only extracted from HTML responses', async () => {
    const out = await run(new ShopSpider(), page('application/json', '{"html": "<a href=\\"/item/3\\">x</a>"}'));
    expect(out).toEqual([{kwargs: {fromRule: 1, shared: 'rule'}}]);
  });
});
