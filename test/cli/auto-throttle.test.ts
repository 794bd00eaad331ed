import {afterAll, beforeAll, expect, test} from '@jest/globals';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {runCli} from '../helpers/cli.js';

// AutoThrottle through a real crawl: the downloader measures each latency and the slot waits for it.
const LATENCY_MS = 120;
let server: Server;
let base: string;
const arrivals: number[] = [];
const workspace = mkdtempSync(join(tmpdir(), 'dragline-throttle-'));

beforeAll(async () => {
  server = createServer((request, response) => {
    arrivals.push(performance.now());
    setTimeout(() => {
      response.writeHead(200, {'content-type': 'text/html'});
      response.end(`<html><title>${request.url}</title></html>`);
    }, LATENCY_MS);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  writeFileSync(join(workspace, 'slow.mjs'), `import {Spider} from 'dragline';
export class SlowSpider extends Spider {
  static spiderName = 'slow';
  startUrls = Array.from({length: 8}, (_, i) => '${base}/page/' + i);
  parse(response) { return {url: response.url}; }
}
`);
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(workspace, {recursive: true, force: true});
});

test('with AUTOTHROTTLE_ENABLED, requests to a slow domain are spaced by its latency', async () => {
  const result = await runCli([
    'runspider', 'slow.mjs', '-L', 'INFO',
    '-s', 'AUTOTHROTTLE_ENABLED=true', '-s', 'AUTOTHROTTLE_START_DELAY=0', '-s', 'AUTOTHROTTLE_DEBUG=true',
    '-s', 'CONCURRENT_REQUESTS_PER_DOMAIN=4', '-s', 'RANDOMIZE_DOWNLOAD_DELAY=false', '-s', 'ROBOTSTXT_OBEY=false',
  ], {cwd: workspace});
  expect(result.code).toBe(0);
  expect(arrivals).toHaveLength(8);
  const debugLines = result.stderr.split('\n').filter((line) => line.includes('[dragline.extensions.throttle]'));
  expect(debugLines).toHaveLength(8);
  for (const line of debugLines) {
    const [, delay, latency] = /delay: *(\d+) ms .*latency: *(\d+) ms/.exec(line) ?? [];
    expect(Number(latency)).toBeGreaterThanOrEqual(LATENCY_MS - 5);
    expect(Number(delay)).toBeGreaterThanOrEqual(Number(latency));
  }
  // The first four go out at once (start delay 0); once a latency is known, one at a time, a latency apart.
  const sorted = [...arrivals].sort((a, b) => a - b);
  for (let i = 5; i < 8; i++) expect(sorted[i] - sorted[i - 1]).toBeGreaterThanOrEqual(LATENCY_MS * 0.8);
});
