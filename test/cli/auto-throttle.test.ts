import {beforeAll, expect, test} from '@jest/globals';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {runCli} from '../helpers/cli.js';
import {send, useTestSite, useWorkspace} from '../helpers/site.js';

// AutoThrottle through a real crawl: the downloader measures each latency and the slot waits for it.
const LATENCY_MS = 120;
const arrivals: number[] = [];
const site = useTestSite((request, response) => {
  arrivals.push(performance.now());
  setTimeout(() => send(response, 200, 'text/html', `<html><title>${request.url}</title></html>`), LATENCY_MS);
});
const workspace = useWorkspace('throttle');

beforeAll(() => {
  writeFileSync(join(workspace, 'slow.mjs'), `import {Spider} from 'dragline';
export class SlowSpider extends Spider {
  static spiderName = 'slow';
  startUrls = Array.from({length: 8}, (_, i) => '${site.base}/page/' + i);
  parse(response) { return {url: response.url}; }
}
`);
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
