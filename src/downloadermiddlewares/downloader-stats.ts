import {STATUS_CODES} from 'node:http';
import type {Crawler} from '../core/crawler.js';
import type {Headers, Request} from '../http/request.js';
import type {Response} from '../http/response.js';
import {NotConfigured, type DownloaderMiddleware} from '../core/middleware.js';
import type {StatsCollector} from '../core/stats.js';

/** Counts requests, responses, their sizes on the wire and download errors, as Scrapy's DownloaderStats. */
export class DownloaderStatsMiddleware implements DownloaderMiddleware {
  private readonly stats: StatsCollector;

  constructor(crawler: Crawler) {
    if (!crawler.settings.getBool('DOWNLOADER_STATS')) throw new NotConfigured('DOWNLOADER_STATS is off');
    this.stats = crawler.stats;
  }

  processRequest(request: Request): void {
    this.stats.inc('downloader/request_count');
    this.stats.inc(`downloader/request_method_count/${request.method}`);
    this.stats.inc('downloader/request_bytes', requestSize(request));
  }

  processResponse(_request: Request, response: Response): Response {
    this.stats.inc('downloader/response_count');
    this.stats.inc(`downloader/response_status_count/${response.status}`);
    this.stats.inc('downloader/response_bytes', responseSize(response));
    return response;
  }

  processException(_request: Request, error: Error & {code?: string}): void {
    this.stats.inc('downloader/exception_count');
    this.stats.inc(`downloader/exception_type_count/${errorType(error)}`);
  }
}

/**
 * What identifies an error in the stats: for a network failure, the class Scrapy raises for it
 * (`twisted.internet.error.ConnectionRefusedError`…, see DownloadError), else a stable code, else
 * the error's class name.
 */
export function errorType(error: Error & {code?: unknown; exceptionType?: unknown}): string {
  if (typeof error.exceptionType === 'string') return error.exceptionType;
  return typeof error.code === 'string' && error.code !== '' ? error.code : error.name || 'Error';
}

/** Bytes of the HTTP/1.1 request as it would be sent: request line, Host, headers, blank line, body. */
function requestSize(request: Request): number {
  const url = new URL(request.url);
  const requestLine = `${request.method} ${url.pathname || '/'}${url.search} HTTP/1.1\r\n`;
  const host = `Host: ${url.host}\r\n`;
  return Buffer.byteLength(requestLine) + Buffer.byteLength(host) + headersSize(request.headers) + 2 + request.body.length;
}

/** Bytes of the response: status line, headers, blank line and body (as Scrapy's estimate). */
function responseSize(response: Response): number {
  const statusLine = `HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}\r\n`;
  return Buffer.byteLength(statusLine) + headersSize(response.headers) + 2 + response.body.length;
}

function headersSize(headers: Headers): number {
  let size = 0;
  for (const [name, value] of Object.entries(headers)) {
    for (const one of Array.isArray(value) ? value : [value]) size += Buffer.byteLength(`${name}: ${one}\r\n`);
  }
  return size;
}
