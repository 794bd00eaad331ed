/**
 * Every TLS and connection failure a download can meet, against local servers only: each is one
 * log line with the URL and what it means, and is counted under the exception class Scrapy raises
 * for it (downloader/exception_type_count/...). Certificates are made at test time with openssl.
 */
import {afterAll, beforeAll, describe, expect, test} from '@jest/globals';
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {runSpider} from '../../../src/core/crawler-process.js';
import type {Failure} from '../../../src/http/request.js';
import {Request} from '../../../src/http/request.js';
import {Settings} from '../../../src/settings/settings.js';
import {Spider} from '../../../src/spiders/spider.js';
import {itMatchesInstalledScrapy, oracleFixture} from '../../helpers/oracle.js';

const dir = mkdtempSync(join(tmpdir(), 'dragline-download-errors-'));
const servers: net.Server[] = [];
const urls: Record<string, string> = {};
const sockets = new Set<net.Socket>();

/** A self-signed certificate for 127.0.0.1, valid from `start` to `end` (openssl ca takes explicit dates). */
function certificate(name: string, start: string, end: string): {key: Buffer; cert: Buffer} {
  const folder = join(dir, name);
  execFileSync('mkdir', ['-p', folder]);
  writeFileSync(join(folder, 'index.txt'), '');
  writeFileSync(join(folder, 'serial'), '01\n');
  writeFileSync(join(folder, 'ca.cnf'), '[ca]\ndefault_ca = d\n[d]\ndatabase = index.txt\nnew_certs_dir = .\nserial = serial\ndefault_md = sha256\npolicy = p\n[p]\ncommonName = supplied\n');
  const run = (args: string[]): void => void execFileSync('openssl', args, {cwd: folder, stdio: 'ignore'});
  run(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'req.csr', '-subj', '/CN=127.0.0.1']);
  run(['ca', '-batch', '-config', 'ca.cnf', '-selfsign', '-keyfile', 'key.pem', '-in', 'req.csr', '-out', 'cert.pem', '-startdate', start, '-enddate', end]);
  return {key: readFileSync(join(folder, 'key.pem')), cert: readFileSync(join(folder, 'cert.pem'))};
}

async function listen(server: net.Server): Promise<number> {
  servers.push(server);
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  const plain = await listen(http.createServer((_request, response) => response.end('plain')));
  urls.wrongVersion = `https://127.0.0.1:${plain}/`;
  urls.selfSigned = `https://127.0.0.1:${await listen(https.createServer(certificate('self', '20200101000000Z', '20991231000000Z'), (_q, r) => r.end('tls')))}/`;
  urls.expired = `https://127.0.0.1:${await listen(https.createServer(certificate('expired', '20200101000000Z', '20200102000000Z'), (_q, r) => r.end('tls')))}/`;
  const closed = net.createServer();
  const closedPort = await new Promise<number>((resolve) => closed.listen(0, '127.0.0.1', () => resolve((closed.address() as AddressInfo).port)));
  await new Promise((resolve) => closed.close(resolve));
  urls.refused = `http://127.0.0.1:${closedPort}/`;
  const reset = net.createServer((socket) => {
    socket.on('error', () => undefined);
    socket.once('data', () => socket.resetAndDestroy());
  });
  urls.reset = `http://127.0.0.1:${await listen(reset)}/`;
  const resetMidBody = net.createServer((socket) => {
    socket.on('error', () => undefined);
    // Half the promised body, then a reset once the client has read the headers.
    socket.once('data', () => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc', () => setImmediate(() => socket.resetAndDestroy())));
  });
  urls.resetMidBody = `http://127.0.0.1:${await listen(resetMidBody)}/`;
  const silent = net.createServer((socket) => socket.on('error', () => undefined));
  urls.timeout = `http://127.0.0.1:${await listen(silent)}/`;
  urls.dns = 'http://no-such-host.invalid/';
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  for (const server of servers) await new Promise((resolve) => server.close(resolve));
  rmSync(dir, {recursive: true, force: true});
});

test('each failure is one log line with the URL and its meaning, counted under Scrapy exception class', async () => {
  const failures: Record<string, string | undefined> = {};
  class FailingSpider extends Spider {
    static override spiderName = 'failing';
    override async *start() {
      for (const url of Object.values(urls)) yield new Request(url);
      yield new Request(urls.refused + 'errback', {errback: this.failed});
    }
    failed(failure: Failure) {
      failures[failure.request.url] = (failure.error as {code?: string}).code;
    }
  }
  const log = join(dir, 'crawl.log');
  const settings = new Settings();
  settings.update({LOG_FILE: log, LOG_LEVEL: 'INFO', RETRY_ENABLED: false, DOWNLOAD_TIMEOUT: 0.5, ROBOTSTXT_OBEY: false, TELNETCONSOLE_ENABLED: false}, 'cmdline');
  const {stats} = await runSpider({spiderClass: FailingSpider, settings, handleSignals: false});
  const lines = readFileSync(log, 'utf8').split('\n').filter((line) => line.includes('Error downloading'));
  const lineFor = (url: string): string => lines.find((line) => line.includes(`<GET ${url}>`)) ?? `no line for ${url}`;
  const port = (url: string): string => new URL(url).port;

  expect(lineFor(urls.wrongVersion)).toContain(`127.0.0.1:${port(urls.wrongVersion)} does not speak TLS (OpenSSL: wrong version number): it is probably a plain-HTTP server, so use http:// URLs for it (http://127.0.0.1:${port(urls.wrongVersion)}/)`);
  expect(lineFor(urls.selfSigned)).toContain('its TLS certificate is self-signed (DEPTH_ZERO_SELF_SIGNED_CERT); dragline checks certificates (Scrapy does not)');
  expect(lineFor(urls.expired)).toContain('its TLS certificate has expired (CERT_HAS_EXPIRED)');
  expect(lineFor(urls.refused)).toContain(`127.0.0.1:${port(urls.refused)} refused the connection: nothing is listening there`);
  expect(lineFor(urls.reset)).toContain('closed the connection without answering (ECONNRESET)');
  expect(lineFor(urls.resetMidBody)).toContain('closed the connection while the response was arriving');
  expect(lineFor(urls.timeout)).toContain('no complete response within 0.5 seconds (DOWNLOAD_TIMEOUT');
  expect(lineFor(urls.dns)).toContain('DNS lookup failed: the host name no-such-host.invalid does not exist');
  // One line each, no stack trace.
  expect(lines).toHaveLength(8);
  expect(readFileSync(log, 'utf8')).not.toMatch(/\n\s+at /);
  // The errback still sees Node's code (what RETRY_EXCEPTIONS lists).
  expect(failures[urls.refused + 'errback']).toBe('ECONNREFUSED');

  const counted = Object.fromEntries(Object.entries(stats).filter(([key]) => key.startsWith('downloader/exception_type_count/')).map(([key, value]) => [key.slice('downloader/exception_type_count/'.length), value]));
  expect(counted).toEqual({
    'twisted.web._newclient.ResponseNeverReceived': 4, // wrong version, self-signed, expired, reset before answering
    'twisted.web._newclient.ResponseFailed': 1,
    'twisted.internet.error.ConnectionRefusedError': 2,
    'twisted.internet.error.TimeoutError': 1,
    'twisted.internet.error.DNSLookupError': 1,
  });
  expect(stats['downloader/exception_count']).toBe(9);
});

/** Scrapy's answers for the failures both can meet (Scrapy does not check certificates, so those are left out). */
interface ExceptionTypesOracle {
  cases: string[];
  exception_types: Record<string, string>;
  stats: Record<string, number>;
}

test("each failure is counted under the exception class Scrapy's downloader raises for it (test/oracle/download_exception_types.py)", async () => {
  const oracle = oracleFixture<ExceptionTypesOracle>('download_exception_types');
  const urlOf: Record<string, string> = {
    https_to_plain_http: urls.wrongVersion,
    connection_refused: urls.refused,
    reset_before_answer: urls.reset,
    reset_mid_body: urls.resetMidBody,
    no_answer_timeout: urls.timeout,
    dns_not_found: urls.dns,
  };
  expect(Object.keys(urlOf).sort()).toEqual(oracle.cases);
  const answers: Record<string, string> = {};
  class CasesSpider extends Spider {
    static override spiderName = 'cases';
    override async *start() {
      for (const [name, url] of Object.entries(urlOf)) yield new Request(url, {errback: this.failed, cbKwargs: {name}, dontFilter: true});
    }
    failed(failure: Failure) {
      answers[String(failure.request.cbKwargs.name)] = String((failure.error as {exceptionType?: string}).exceptionType);
    }
  }
  const settings = new Settings();
  settings.update({LOG_ENABLED: false, RETRY_ENABLED: false, DOWNLOAD_TIMEOUT: 0.5, ROBOTSTXT_OBEY: false}, 'cmdline');
  const {stats} = await runSpider({spiderClass: CasesSpider, settings, handleSignals: false});
  expect(answers).toEqual(oracle.exception_types);
  expect(Object.fromEntries(Object.entries(stats).filter(([key]) => key.startsWith('downloader/exception_type_count/')))).toEqual(oracle.stats);
});

describe('the oracle', () => {
  itMatchesInstalledScrapy('download_exception_types');
});

test("retries count their reason under the same class, as Scrapy's get_retry_request", async () => {
  class RefusedSpider extends Spider {
    static override spiderName = 'refused';
    override startUrls = [urls.refused];
  }
  const settings = new Settings();
  settings.update({LOG_ENABLED: false, RETRY_TIMES: 2, ROBOTSTXT_OBEY: false}, 'cmdline');
  const {stats} = await runSpider({spiderClass: RefusedSpider, settings, handleSignals: false});
  expect(stats['retry/reason_count/twisted.internet.error.ConnectionRefusedError']).toBe(2);
  expect(stats['downloader/exception_type_count/twisted.internet.error.ConnectionRefusedError']).toBe(3);
});
