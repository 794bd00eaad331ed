"""Scrapy's side of the real-pages benchmark (bench/real-pages.mjs); the same spider as docs-spider.mjs.

Run with: python3 -m scrapy runspider docs_spider.py -a start_url=URL -o items.jsonl
"""
from scrapy.linkextractors import LinkExtractor
from scrapy.spiders import CrawlSpider, Rule
import scrapy


class DocsSpider(CrawlSpider):
    name = "docs"
    allowed_domains = ["127.0.0.1"]
    start_url = ""
    rules = [Rule(LinkExtractor(allow=[r"\.html$"], deny=[r"/_sources/", r"/_downloads/"]), callback="parse_page", follow=True)]

    def start_requests(self):
        yield scrapy.Request(self.start_url)

    def parse_page(self, response):
        return {
            "url": response.url,
            "title": response.css("title::text").get(),
            "h1": response.xpath("string(//h1)").get(),
            "links": len(response.css("a::attr(href)").getall()),
            "firstParagraph": response.xpath("normalize-space((//p)[1])").get(),
        }
