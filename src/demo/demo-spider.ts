import {Spider} from '../spiders/spider.js';
import {Request} from '../http/request.js';
import type {Response} from '../http/response.js';

/** The spider `dragline demo` and `dragline bench` run: one quote item per page, every link followed. */
export class DemoSpider extends Spider {
  static override spiderName = 'demo';
  /** Set with `-a startUrl=...`, or by the demo command to the local site it started. */
  startUrl = '';
  override allowedDomains = ['127.0.0.1'];

  override async *start(): AsyncGenerator<unknown> {
    const urls = this.startUrl !== '' ? [this.startUrl] : this.startUrls;
    for (const url of urls) yield new Request(url, {callback: this.parse});
  }

  override async *parse(response: Response): AsyncGenerator<unknown> {
    for (const quote of response.css('div.quote')) {
      yield {
        page: quote.attrib['data-page'],
        text: quote.css('span.text::text').get(),
        author: quote.css('small.author::text').get(),
        tags: quote.css('a.tag::text').getall(),
      };
    }
    yield* response.followAll({css: 'ul.links a'}, {callback: this.parse});
    this.state.pages = ((this.state.pages as number | undefined) ?? 0) + 1;
  }
}
