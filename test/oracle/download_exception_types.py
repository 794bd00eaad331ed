"""The exception class Scrapy's downloader raises for each way a download can fail below HTTP, which
its DownloaderStats counts as downloader/exception_type_count/<module.Class>. Local servers only:
a plain-HTTP server hit with https://, a closed port, a socket that resets before answering and one
that resets halfway through the body, a socket that never answers, and a name under .invalid."""
import json
import socket
import struct
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import scrapy
from scrapy.crawler import CrawlerProcess


class Plain(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"plain")

    def log_message(self, *args):
        pass


def serve_raw(on_request):
    """A TCP server on 127.0.0.1 that calls on_request(conn) once a request has arrived."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)

    def loop():
        while True:
            conn, _ = listener.accept()
            conn.recv(65536)
            on_request(conn)

    threading.Thread(target=loop, daemon=True).start()
    return listener.getsockname()[1]


def reset(conn):
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


def reset_mid_body(conn):
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc")
    reset(conn)


silent = []
plain = HTTPServer(("127.0.0.1", 0), Plain)
threading.Thread(target=plain.serve_forever, daemon=True).start()
closed = socket.socket()
closed.bind(("127.0.0.1", 0))
closed_port = closed.getsockname()[1]
closed.close()

CASES = {
    "https_to_plain_http": f"https://127.0.0.1:{plain.server_address[1]}/",
    "connection_refused": f"http://127.0.0.1:{closed_port}/",
    "reset_before_answer": f"http://127.0.0.1:{serve_raw(reset)}/",
    "reset_mid_body": f"http://127.0.0.1:{serve_raw(reset_mid_body)}/",
    "no_answer_timeout": f"http://127.0.0.1:{serve_raw(silent.append)}/",
    "dns_not_found": "http://no-such-host.invalid/",
}
answers = {}
stats = {}


class Failing(scrapy.Spider):
    name = "failing"
    custom_settings = {"RETRY_ENABLED": False, "DOWNLOAD_TIMEOUT": 1, "LOG_ENABLED": False}

    def start_requests(self):
        for case, url in CASES.items():
            yield scrapy.Request(url, errback=self.failed, cb_kwargs={"case": case}, dont_filter=True)

    def parse(self, response, case):
        answers[case] = "ok"

    def closed(self, reason):
        prefix = "downloader/exception_type_count/"
        stats.update({k: v for k, v in self.crawler.stats.get_stats().items() if k.startswith(prefix)})

    def failed(self, failure):
        error = failure.value
        answers[failure.request.cb_kwargs["case"]] = f"{type(error).__module__}.{type(error).__name__}"


process = CrawlerProcess(settings={"LOG_ENABLED": False})
process.crawl(Failing)
process.start()
json.dump({"cases": sorted(CASES), "exception_types": dict(sorted(answers.items())), "stats": dict(sorted(stats.items()))}, sys.stdout, indent=1)
print()
