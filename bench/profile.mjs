#!/usr/bin/env node
// Profiles dragline's CLI on the benchmark site (node --cpu-prof on the crawler child) and prints
// where its CPU time goes. Run by hand:
//
//   npm run build && node bench/profile.mjs [--pages 5000] [--latency 0] [--memory]
//   node bench/profile.mjs --summarise path/to/file.cpuprofile
import {mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {parseArgs} from 'node:util';
import {BENCH_DIR, crawlerConfigs} from './lib/crawlers.mjs';
import {formatSummary, summarise} from './lib/cpu-profile.mjs';
import {runMeasured} from './lib/measure.mjs';
import {startSiteServer} from './lib/site-client.mjs';

const {values: options} = parseArgs({
  options: {
    pages: {type: 'string', default: '5000'},
    latency: {type: 'string', default: '0'},
    memory: {type: 'boolean', default: false},
    top: {type: 'string', default: '25'},
    summarise: {type: 'string'},
  },
});
const top = Number(options.top);

if (options.summarise) {
  console.log(formatSummary(summarise(options.summarise), top));
  process.exit(0);
}

const pages = Number(options.pages);
const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
const outDir = join(BENCH_DIR, 'results', `${stamp}-profile`);
mkdirSync(outDir, {recursive: true});
const site = await startSiteServer(pages);
try {
  const url = await site.url(Number(options.latency));
  const wanted = options.memory ? 'dragline (memory)' : 'dragline';
  const config = crawlerConfigs({cpuProfileDir: outDir}).find((entry) => entry.name === wanted);
  const cwd = mkdtempSync(join(tmpdir(), 'dragline-bench-profile-'));
  try {
    await site.reset();
    const run = await runMeasured({argv: config.argv(url), cwd, logPath: join(outDir, 'crawl.log'), timeoutMs: 300_000});
    const served = await site.report();
    // The main thread's profile is the busiest; the others belong to the module loader's worker thread.
    const profiles = readdirSync(outDir).filter((name) => name.endsWith('.cpuprofile'))
      .map((name) => summarise(join(outDir, name)))
      .sort((a, b) => (b.totalMs - b.idleMs) - (a.totalMs - a.idleMs))
      .slice(0, 1);
    const header = `${wanted}, ${pages} pages, ${options.latency} ms latency: ${served.fetched} pages in ${run.wallSeconds.toFixed(1)} s (${(served.fetched / run.wallSeconds).toFixed(0)} pages/s, with --cpu-prof), CPU ${run.cpuSeconds.toFixed(1)} s`;
    const text = [header, '', ...profiles.map((summary) => formatSummary(summary, top))].join('\n');
    console.log(text);
    writeFileSync(join(outDir, 'summary.md'), text + '\n');
    console.log(`\nProfile files in ${outDir}`);
  } finally {
    rmSync(cwd, {recursive: true, force: true});
  }
} finally {
  await site.close();
}
