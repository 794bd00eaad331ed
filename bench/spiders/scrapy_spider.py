"""Scrapy's side of the benchmark: the same spider as dragline's demo spider (src/demo/demo-spider.ts).

Run with: python3 -m scrapy runspider scrapy_spider.py -a start_url=URL -o items.jsonl
"""
import scrapy


class DemoSpider(scrapy.Spider):
    name = "demo"
    allowed_domains = ["127.0.0.1"]
    start_url = ""

    def start_requests(self):
        yield scrapy.Request(self.start_url, callback=self.parse)

    def parse(self, response):
        for quote in response.css("div.quote"):
            yield {
                "page": quote.attrib.get("data-page"),
                "text": quote.css("span.text::text").get(),
                "author": quote.css("small.author::text").get(),
                "tags": quote.css("a.tag::text").getall(),
            }
        yield from response.follow_all(css="ul.links a", callback=self.parse)
        state = getattr(self, "state", None)  # Scrapy sets spider.state only with a JOBDIR
        if state is not None:
            state["pages"] = state.get("pages", 0) + 1
