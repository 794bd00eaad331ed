/**
 * The downloader against a local server: bodies and methods as sent, and DOWNLOAD_MAXSIZE /
 * DOWNLOAD_WARNSIZE (and their meta keys) applied from the Content-Length and while the body arrives.
 */
import {afterAll, beforeAll, describe, expect, test} from '@jest/globals';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {gzipSync} from 'node:zlib';
import {Downloader} from '../../../src/core/downloader/downloader.js';
import {Request} from '../../../src/http/request.js';
import {Logger} from '../../../src/core/logger.js';
import {Settings} from '../../../src/settings/settings.js';

let server: http.Server;
let base: string;
/** Whether the server got to send all of a streamed body before the client hung up, by path. */
const streamedToEnd = new Map<string, boolean>();

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      if (path === '/echo') {
        response.writeHead(200, {'Content-Type': 'application/json'});
        response.end(JSON.stringify({method: request.method, length: request.headers['content-length'] ?? null, body: Buffer.concat(chunks).toString()}));
      } else if (path.startsWith('/sized/')) {
        const size = Number(path.slice('/sized/'.length));
        response.writeHead(200, {'Content-Type': 'text/plain', 'Content-Length': String(size)});
        response.end('x'.repeat(size));
      } else if (path === '/big-head') {
        // What a HEAD of a large file, and a 304 of one, look like: a Content-Length, no body.
        response.writeHead(request.method === 'HEAD' ? 200 : 304, {'Content-Type': 'application/zip', 'Content-Length': String(2 * 1024 * 1024)});
        response.end();
      } else if (path.startsWith('/announced/')) {
        // Announces a body and sends none of it: the client is to refuse it from the header alone.
        response.writeHead(200, {'Content-Type': 'video/mp4', 'Content-Length': path.slice('/announced/'.length)});
        response.flushHeaders();
        response.on('close', () => response.destroy());
      } else if (path === '/gzip-sized') {
        // Content-Length is the compressed size; the body the client gets is longer.
        const zipped = gzipSync('unzipped '.repeat(1000));
        response.writeHead(200, {'Content-Type': 'text/plain', 'Content-Encoding': 'gzip', 'Content-Length': String(zipped.length)});
        response.end(zipped);
      } else if (path === '/gzip') {
        response.writeHead(200, {'Content-Type': 'text/plain', 'Content-Encoding': 'gzip'});
        response.end(gzipSync('unzipped '.repeat(100)));
      } else if (path === '/endless') {
        // No Content-Length: 1 KB every 5 ms, 60 times, unless the client hangs up first.
        response.writeHead(200, {'Content-Type': 'text/plain'});
        streamedToEnd.set(path, false);
        let sent = 0;
        const timer = setInterval(() => {
          if (response.destroyed) return clearInterval(timer);
          response.write('y'.repeat(1024));
          if (++sent === 60) {
            clearInterval(timer);
            streamedToEnd.set(path, true);
            response.end();
          }
        }, 5);
        response.on('close', () => clearInterval(timer));
      } else {
        response.writeHead(404);
        response.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function downloaderWith(values: Record<string, unknown> = {}): {downloader: Downloader; warnings: string[]} {
  const warnings: string[] = [];
  const logger = Logger.create({level: 'DEBUG', sink: {write: (line, level) => (level === 'WARNING' ? warnings.push(line) : undefined)}});
  return {downloader: new Downloader(new Settings(values), logger), warnings};
}

describe('Downloader', () => {
  test('sends each method with its body; one without a body is not left open (POST with Content-Length 0, DELETE with none)', async () => {
    const {downloader} = downloaderWith();
    try {
      const sent = async (request: Request) => JSON.parse((await downloader.fetch(request)).text) as Record<string, unknown>;
      expect(await sent(new Request(`${base}/echo`))).toEqual({method: 'GET', length: null, body: ''});
      expect(await sent(new Request(`${base}/echo`, {method: 'POST', body: 'a=1'}))).toEqual({method: 'POST', length: '3', body: 'a=1'});
      expect(await sent(new Request(`${base}/echo`, {method: 'POST', meta: {download_timeout: 5}}))).toEqual({method: 'POST', length: '0', body: ''});
      expect(await sent(new Request(`${base}/echo`, {method: 'DELETE', meta: {download_timeout: 5}}))).toEqual({method: 'DELETE', length: null, body: ''});
    } finally {
      downloader.close();
    }
  });

  test('gives the decompressed body, the status, the headers and the server address', async () => {
    const {downloader} = downloaderWith();
    try {
      const response = await downloader.fetch(new Request(`${base}/gzip`));
      expect(response.status).toBe(200);
      expect(response.text).toBe('unzipped '.repeat(100));
      expect(response.header('content-type')).toBe('text/plain');
      expect(response.ip).toBe('127.0.0.1');
      expect((await downloader.fetch(new Request(`${base}/missing`))).status).toBe(404);
    } finally {
      downloader.close();
    }
  });

  test('DOWNLOAD_MAXSIZE refuses a body whose Content-Length is larger, and meta.download_maxsize overrides it', async () => {
    const {downloader} = downloaderWith({DOWNLOAD_MAXSIZE: 1000});
    try {
      await expect(downloader.fetch(new Request(`${base}/sized/1001`))).rejects.toMatchObject({
        code: 'ERR_BODY_TOO_LARGE',
        message: `Cancelling download of ${base}/sized/1001: expected response size (1001) larger than download max size (1000)`,
      });
      expect((await downloader.fetch(new Request(`${base}/sized/1000`))).body.length).toBe(1000);
      expect((await downloader.fetch(new Request(`${base}/sized/5000`, {meta: {download_maxsize: 0}}))).body.length).toBe(5000);
      await expect(downloader.fetch(new Request(`${base}/sized/600`, {meta: {download_maxsize: 500}}))).rejects.toMatchObject({code: 'ERR_BODY_TOO_LARGE'});
    } finally {
      downloader.close();
    }
  });

  test('by default a body may hold 64 MiB, not Scrapy\'s 1 GiB: a larger one is refused from its Content-Length', async () => {
    const {downloader} = downloaderWith({});
    try {
      await expect(downloader.fetch(new Request(`${base}/announced/${64 * 1024 * 1024 + 1}`))).rejects.toMatchObject({
        code: 'ERR_BODY_TOO_LARGE',
        message: expect.stringContaining('larger than download max size (67108864)'),
      });
    } finally {
      downloader.close();
    }
  });

  test('a body read into the buffer its Content-Length announced, or past it when compressed, arrives whole', async () => {
    const {downloader} = downloaderWith({});
    try {
      const sized = await downloader.fetch(new Request(`${base}/sized/200000`));
      expect(sized.body.equals(Buffer.from('x'.repeat(200000)))).toBe(true);
      expect((await downloader.fetch(new Request(`${base}/gzip-sized`))).text).toBe('unzipped '.repeat(1000));
    } finally {
      downloader.close();
    }
  });

  test('a body without Content-Length is cut off as soon as it passes DOWNLOAD_MAXSIZE, not read to its end', async () => {
    const {downloader} = downloaderWith({DOWNLOAD_MAXSIZE: 4096});
    try {
      await expect(downloader.fetch(new Request(`${base}/endless`))).rejects.toMatchObject({
        code: 'ERR_BODY_TOO_LARGE',
        message: expect.stringMatching(/^Cancelling download of .*\/endless: received \(\d+\) bytes larger than download max size \(4096\)$/),
      });
      expect(streamedToEnd.get('/endless')).toBe(false);
    } finally {
      downloader.close();
    }
  });

  test('a HEAD or 304 response declaring a large size has no body to refuse or warn about', async () => {
    const {downloader, warnings} = downloaderWith({DOWNLOAD_MAXSIZE: 1024 * 1024, DOWNLOAD_WARNSIZE: 1000});
    try {
      const head = await downloader.fetch(new Request(`${base}/big-head`, {method: 'HEAD'}));
      expect([head.status, head.body.length]).toEqual([200, 0]);
      const notModified = await downloader.fetch(new Request(`${base}/big-head`));
      expect([notModified.status, notModified.body.length]).toEqual([304, 0]);
      expect(warnings).toEqual([]);
    } finally {
      downloader.close();
    }
  });

  test('DOWNLOAD_WARNSIZE logs one warning, from the Content-Length or from the bytes received', async () => {
    const {downloader, warnings} = downloaderWith({DOWNLOAD_WARNSIZE: 1000});
    try {
      expect((await downloader.fetch(new Request(`${base}/sized/2000`))).body.length).toBe(2000);
      expect((await downloader.fetch(new Request(`${base}/sized/900`))).body.length).toBe(900);
      expect((await downloader.fetch(new Request(`${base}/endless`, {meta: {download_warnsize: 2048}}))).body.length).toBe(60 * 1024);
      expect(warnings).toHaveLength(2);
      expect(warnings[0]).toContain(`Expected response size (2000) larger than download warn size (1000) in request <GET ${base}/sized/2000>.`);
      expect(warnings[1]).toContain(`Received more bytes than download warn size (2048) in request <GET ${base}/endless>.`);
    } finally {
      downloader.close();
    }
  });
});
