// The browser benchmark's spider (bench/browser.mjs): crawls the JS site (src/demo/js-site.ts)
// page N → pages 2N+1 and 2N+2, computing the links from the URL so that plain and rendered crawls
// fetch the same pages; `-a render=1` renders them (one item a page holds the quotes it saw).
import {PageMethod, Request, Spider} from '../../dist/index.js';

export class JsTreeSpider extends Spider {
  static spiderName = 'js-tree';
  startUrl = '';
  pages = '200';
  render = '';

  async *start() {
    yield new Request(this.startUrl, {callback: this.parse, meta: this.meta()});
  }

  async *parse(response) {
    yield {url: response.url, quotes: response.css('div.quote').length};
    const n = Number(/\/page\/(\d+)$/.exec(response.url)?.[1]);
    for (const child of [2 * n + 1, 2 * n + 2]) {
      if (child < Number(this.pages)) yield response.follow(`/page/${child}`, {callback: this.parse, meta: this.meta()});
    }
  }

  meta() {
    return this.render === '' ? {} : {playwright: true, playwright_page_methods: [new PageMethod('waitForSelector', 'div.quote')]};
  }
}
