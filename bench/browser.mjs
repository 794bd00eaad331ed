#!/usr/bin/env node
// Rendered pages against plain HTTP on the same local JS site (src/demo/js-site.ts), interleaved.
// Run by hand, never by npm test (`npm run build` first; needs Debian's chromium):
//
//   node bench/browser.mjs [--pages 200] [--concurrency 8] [--rounds 3]
//
// Each crawl is `dragline runspider bench/spiders/js-tree-spider.mjs` in a child process; both modes
// fetch the same pages (the spider computes the links from the URL), rendered ones also run the
// page's script and wait for its quote. Memory is the proportional set size (PSS: shared pages
// split between the processes sharing them) of the crawl and all its children (Chromium's
// processes), sampled every 100 ms; "per page" is the rendered crawl's peak above the plain one's,
// divided by the pages open at once (PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = the concurrency): it
// includes the browser's fixed cost, so compare two --concurrency values for the cost of a page.
import {spawn} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {parseArgs} from 'node:util';
import {startJsSite} from '../dist/demo/js-site.js';

const BENCH = new URL('.', import.meta.url).pathname;
const CLI = join(BENCH, '..', 'bin', 'run.js');
const {values: options} = parseArgs({options: {pages: {type: 'string', default: '200'}, concurrency: {type: 'string', default: '8'}, rounds: {type: 'string', default: '3'}}});
const pages = Number(options.pages);
const concurrency = Number(options.concurrency);
const rounds = Math.max(1, Math.min(10, Number(options.rounds)));

/** PSS in bytes of `pid` and every process below it. */
function treePss(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  let total = 0;
  const stack = [pid];
  while (stack.length > 0) {
    const current = stack.pop();
    try {
      const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${current}/smaps_rollup`, 'utf8'));
      total += match ? Number(match[1]) * 1024 : 0;
    } catch {
      // Gone meanwhile.
    }
    stack.push(...(children.get(current) ?? []));
  }
  return total;
}

async function crawl(site, render) {
  const dir = mkdtempSync(join(tmpdir(), 'dragline-bench-browser-'));
  const args = [CLI, 'runspider', join(BENCH, 'spiders', 'js-tree-spider.mjs'), '-a', `startUrl=${site.url}/page/0`, '-a', `pages=${pages}`,
    '-o', join(dir, 'items.jsonl'), '-s', `CONCURRENT_REQUESTS=${concurrency}`, '-s', `CONCURRENT_REQUESTS_PER_DOMAIN=${concurrency}`,
    '-s', 'LOG_LEVEL=INFO', '-s', 'DOWNLOAD_HANDLERS={"http":"playwright","https":"playwright"}'];
  if (render) args.push('-a', 'render=1');
  site.served.length = 0;
  const started = performance.now();
  const child = spawn(process.execPath, args, {stdio: ['ignore', 'ignore', 'pipe']});
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, treePss(child.pid))), 100);
  const code = await new Promise((resolve) => child.on('close', resolve));
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  const elapsed = Number(/"elapsed_time_seconds": ([\d.]+)/.exec(stderr)?.[1] ?? NaN);
  const items = readFileSync(join(dir, 'items.jsonl'), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
  rmSync(dir, {recursive: true, force: true});
  if (code !== 0) throw new Error(`crawl failed (${code}):\n${stderr.slice(-2000)}`);
  return {seconds, elapsed, pages: items.length, withQuote: items.filter((item) => item.quotes > 0).length, peakPss: peak};
}

const site = await startJsSite(pages);
const results = {plain: [], rendered: []};
try {
  for (let round = 0; round < rounds; round += 1) {
    for (const mode of round % 2 === 0 ? ['plain', 'rendered'] : ['rendered', 'plain']) {
      const result = await crawl(site, mode === 'rendered');
      results[mode].push(result);
      console.log(`round ${round + 1} ${mode.padEnd(8)} ${result.pages} pages (${result.withQuote} with the script's quote) in ${result.elapsed.toFixed(2)} s crawl time (${result.seconds.toFixed(2)} s with start-up): ${(result.pages / result.elapsed).toFixed(1)} pages/s, peak PSS ${(result.peakPss / 2 ** 20).toFixed(0)} MiB`);
    }
  }
} finally {
  await site.close();
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const rate = (mode) => median(results[mode].map((result) => result.pages / result.elapsed));
const pss = (mode) => median(results[mode].map((result) => result.peakPss));
console.log(`\nmedian of ${rounds}: plain ${rate('plain').toFixed(1)} pages/s, rendered ${rate('rendered').toFixed(1)} pages/s (${(rate('plain') / rate('rendered')).toFixed(1)}x slower)`);
console.log(`peak memory: plain ${(pss('plain') / 2 ** 20).toFixed(0)} MiB, rendered ${(pss('rendered') / 2 ** 20).toFixed(0)} MiB; ${((pss('rendered') - pss('plain')) / concurrency / 2 ** 20).toFixed(1)} MiB per open page (${concurrency} open at once, the browser's fixed cost included)`);
console.log(`load average ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]} on ${(await import('node:os')).cpus().length} CPUs`);
