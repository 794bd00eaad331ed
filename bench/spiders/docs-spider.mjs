// dragline's side of the real-pages benchmark (bench/real-pages.mjs): follow every in-site HTML link
// with a CrawlSpider rule and, per page, read what a real spider reads, by CSS and by XPath.
// The same spider for Scrapy is docs_spider.py; keep the two alike.
import {CrawlSpider, LinkExtractor, Request, Rule} from '../../dist/index.js';

export class DocsSpider extends CrawlSpider {
  static spiderName = 'docs';
  allowedDomains = ['127.0.0.1'];
  /** Set with `-a startUrl=...`. */
  startUrl = '';
  rules = [new Rule(new LinkExtractor({allow: [/\.html$/], deny: [/\/_sources\//, /\/_downloads\//]}), {callback: 'parsePage', follow: true})];

  async *start() {
    yield new Request(this.startUrl);
  }

  parsePage(response) {
    return {
      url: response.url,
      title: response.css('title::text').get(),
      h1: response.xpath('string(//h1)').get(),
      links: response.css('a::attr(href)').getall().length,
      firstParagraph: response.xpath('normalize-space((//p)[1])').get(),
    };
  }
}
