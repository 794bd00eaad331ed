import {afterAll, beforeAll, expect, test} from '@jest/globals';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {chmodSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {runCli} from '../helpers/cli.js';

let server: http.Server;
let base: string;
const outside = mkdtempSync(join(tmpdir(), 'dragline-fetch-'));

beforeAll(async () => {
  server = http.createServer((request, response) => {
    if (request.url === '/latin1') {
      response.writeHead(200, {'Content-Type': 'text/html; charset=iso-8859-1'});
      response.end(Buffer.from('<html><head><meta charset="iso-8859-1"></head><body>caf\xe9</body></html>', 'latin1'));
      return;
    }
    if (request.url === '/koi8') {
      response.writeHead(200, {'Content-Type': 'text/html; charset=koi8-r'});
      response.end(Buffer.from('<html><head><title>\xed\xcf\xd3\xcb\xd7\xc1</title></head></html>', 'latin1'));
      return;
    }
    if (request.url === '/old') {
      response.writeHead(301, {Location: '/new', 'X-Kind': 'redirect'});
      response.end();
      return;
    }
    response.writeHead(200, {'Content-Type': 'text/html', 'X-Kind': 'page'});
    response.end(`<html><body>you asked for ${request.url} as ${request.headers['user-agent']}</body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

test('fetch prints the body as the downloader got it, following redirects', async () => {
  const result = await runCli(['fetch', `${base}/old`, '-s', 'USER_AGENT=fetch-test', '-L', 'DEBUG'], {cwd: outside});
  expect(result.code).toBe(0);
  expect(result.stdout).toBe('<html><body>you asked for /new as fetch-test</body></html>');
  expect(result.stderr).toContain('Redirecting (301)');
});

test('fetch --headers --no-redirect prints the redirect response itself', async () => {
  const result = await runCli(['fetch', '--headers', '--no-redirect', `${base}/old`], {cwd: outside});
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/^HTTP 301\n/);
  expect(result.stdout).toContain('x-kind: redirect');
  expect(result.stdout).toContain('location: /new');
});

test('fetch refuses a URL without a scheme in one line', async () => {
  const result = await runCli(['fetch', 'example.org/page'], {cwd: outside});
  expect(result.code).toBe(2);
  expect(result.stderr).toContain("Invalid URL 'example.org/page'");
});

test('view opens the page with $BROWSER, saved with a <base> so its links still point at the site', async () => {
  // A "browser" that writes down what it was asked to open.
  const opened = join(outside, 'opened.txt');
  const browser = join(outside, 'fake-browser.sh');
  writeFileSync(browser, `#!/bin/sh\necho "$1" > ${opened}\n`);
  chmodSync(browser, 0o755);
  const result = await runCli(['view', `${base}/page`, '--nolog'], {cwd: outside, env: {BROWSER: browser}});
  expect(result.code).toBe(0);
  const fileUrl = /^Opening (file:\/\/\S+) with /.exec(result.stdout)?.[1];
  expect(fileUrl).toBeDefined();
  const saved = readFileSync(new URL(fileUrl!), 'utf8');
  expect(saved).toBe(`<base href="${base}/page"><html><body>you asked for /page as ${'dragline/0.1 (+https://github.com/dragline-crawler/dragline)'}</body></html>`);
  for (let tries = 0; tries < 50 && !readFileSafe(opened); tries += 1) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(readFileSafe(opened)?.trim()).toBe(fileUrl);

  // A page in another charset is saved as its own bytes, so its <meta charset> still reads it right.
  const latin = await runCli(['view', `${base}/latin1`, '--nolog'], {cwd: outside, env: {BROWSER: `${browser} %s`}});
  const latinFile = /^Opening (file:\/\/\S+) with /.exec(latin.stdout)?.[1];
  expect(readFileSync(new URL(latinFile!)).includes(Buffer.from([0x63, 0x61, 0x66, 0xe9]))).toBe(true);

  // A page whose charset only the header names gets it as a <meta charset>: the file has no header.
  const koi8 = await runCli(['view', `${base}/koi8`, '--nolog'], {cwd: outside, env: {BROWSER: `${browser} %s`}});
  const koi8File = /^Opening (file:\/\/\S+) with /.exec(koi8.stdout)?.[1];
  expect(readFileSync(new URL(koi8File!), 'latin1')).toBe(`<html><head><meta charset="koi8-r"><base href="${base}/koi8"><title>\xed\xcf\xd3\xcb\xd7\xc1</title></head></html>`);
});

function readFileSafe(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
