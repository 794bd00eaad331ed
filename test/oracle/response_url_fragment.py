"""response.url against request.url for URLs with fragments: Scrapy's HTTP download handler requests
the URL without its fragment and gives the response that URL, while the request keeps the fragment.
Paths are relative to a local server's root; the answers are too."""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import scrapy
from scrapy.crawler import CrawlerProcess

PATHS = [
    "/", "/#", "/#top", "/page", "/page#", "/page#section-2", "/page?q=1#frag", "/page?q=#",
    "/page?q=a&r=b#x", "/dir/#intro", "/dir/page.html#h1", "/page#a#b", "/page#a?b=c",
    "/page#/route/1", "/page?x=%20#y", "/page#%C3%A9", "/a/b/c?d=e&f=g#h=i&j=k",
]


class Echo(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(self.path.encode())

    def log_message(self, *args):
        pass


server = HTTPServer(("127.0.0.1", 0), Echo)
threading.Thread(target=server.serve_forever, daemon=True).start()
base = f"http://127.0.0.1:{server.server_address[1]}"
answers = {}


class Fragments(scrapy.Spider):
    name = "fragments"

    def start_requests(self):
        for path in PATHS:
            yield scrapy.Request(base + path, cb_kwargs={"path": path}, dont_filter=True)

    def parse(self, response, path):
        cut = len(base)
        answers[path] = {"response_url": response.url[cut:], "request_url": response.request.url[cut:], "served": response.text}


process = CrawlerProcess(settings={"LOG_ENABLED": False})
process.crawl(Fragments)
process.start()
json.dump([{"path": path, **answers[path]} for path in PATHS], sys.stdout, indent=1)
print()
