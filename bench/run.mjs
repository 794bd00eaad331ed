#!/usr/bin/env node
// dragline against Scrapy and Crawlee, interleaved on one local site. Run by hand, never by npm test:
//
//   npm run build && node bench/run.mjs            full: 20,000 pages at 0 and 20 ms latency (~10 min)
//   node bench/run.mjs --quick                     2,000 pages (~1-2 min)
//   node bench/run.mjs --all                       also Scrapy without JOBDIR, and the peers at 20 ms too (longer)
//   node bench/run.mjs --kill                      kill -9 at 40% of the site, then a rerun, per crawler
//   node bench/run.mjs --only dragline,scrapy --latencies 0 --rounds 3
//   node bench/run.mjs --quick --base /tmp/base --only dragline --rounds 3   this build beside another built checkout
//
// Each crawler runs in its own child process under /usr/bin/time -v (CPU seconds, peak RSS); the
// site runs in one more process and logs every request, so pages missed and fetched twice are
// counted from what was really served. Results go to stdout and to bench/results/.
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {cpus, tmpdir} from 'node:os';
import {join} from 'node:path';
import {parseArgs} from 'node:util';
import {BENCH_DIR, crawlerConfigs, detectCrawlers} from './lib/crawlers.mjs';
import {haveTimeBinary, loadAverage, runMeasured} from './lib/measure.mjs';
import {startSiteServer} from './lib/site-client.mjs';
import {comparisonTable, killTable, ratioLines} from './lib/report.mjs';

const {values: options} = parseArgs({
  options: {
    quick: {type: 'boolean', default: false},
    pages: {type: 'string'},
    latencies: {type: 'string', default: '0,20'},
    only: {type: 'string'},
    rounds: {type: 'string', default: '1'},
    all: {type: 'boolean', default: false},
    kill: {type: 'boolean', default: false},
    'kill-at': {type: 'string', default: '0.4'},
    concurrency: {type: 'string', default: '16'},
    timeout: {type: 'string'},
    'keep-logs': {type: 'boolean', default: true},
    base: {type: 'string'},
  },
});

const pages = Number(options.pages ?? (options.quick ? 2000 : 20000));
const latencies = options.latencies.split(',').map(Number);
const rounds = Math.max(1, Math.min(10, Number(options.rounds)));
const concurrency = Number(options.concurrency);
const runTimeoutMs = Number(options.timeout ?? (options.quick ? 120 : 400)) * 1000;
const only = options.only ? new Set(options.only.split(',').map((name) => name.trim().toLowerCase())) : undefined;

if (!haveTimeBinary()) {
  console.error('/usr/bin/time is needed for CPU seconds and peak RSS (apt-get install -y time)');
  process.exit(2);
}

const installed = detectCrawlers();
const notes = [];
for (const [name, found] of Object.entries(installed)) {
  if (found.missing) notes.push(`${name} skipped: ${found.missing}`);
}
if (installed.dragline.missing) {
  console.error(installed.dragline.missing);
  process.exit(2);
}
const configs = crawlerConfigs({concurrency, pages, baseDir: options.base}).filter((config) => !installed[config.crawler].missing && (only === undefined || only.has(config.crawler) || only.has(config.name.toLowerCase())));

const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
const resultsDir = join(BENCH_DIR, 'results', `${stamp}${options.kill ? '-kill' : ''}`);
mkdirSync(resultsDir, {recursive: true});
const machine = {
  nproc: cpus().length,
  cpu: cpus()[0]?.model,
  node: process.version,
  versions: Object.fromEntries(Object.entries(installed).map(([name, found]) => [name, found.version ?? 'not installed'])),
  loadBefore: loadAverage(),
};
console.log(`Site: ${pages.toLocaleString('en-US')} pages, ~10 links a page, ~6 KB a page, one item a page; ${concurrency} concurrent requests`);
console.log(`Machine: ${machine.nproc} cores (${machine.cpu}), node ${machine.node}, load ${machine.loadBefore}; ${Object.entries(machine.versions).map(([k, v]) => `${k} ${v}`).join(', ')}`);
for (const note of notes) console.log(`Note: ${note}`);
console.log(`Logs in ${resultsDir}\n`);

const site = await startSiteServer(pages);
let exitCode = 0;
try {
  if (options.kill) await killComparison();
  else await comparison();
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await site.close();
}
process.exit(exitCode);

async function runOnce(config, latencyMs, label) {
  const url = await site.url(latencyMs);
  await site.reset();
  const cwd = mkdtempSync(join(tmpdir(), 'dragline-bench-run-'));
  const load = loadAverage();
  const logPath = join(resultsDir, `${label}.log`);
  try {
    const measured = await runMeasured({argv: config.argv(url), cwd, logPath, timeoutMs: runTimeoutMs});
    const served = await site.report();
    const items = config.items(cwd);
    return {config: config.name, crawler: config.crawler, persistence: config.persistence, latencyMs, load, ...measured, served, items, pagesPerSecond: served.fetched / measured.wallSeconds};
  } finally {
    rmSync(cwd, {recursive: true, force: true});
  }
}

/**
 * The bare client runs at every latency: it is the ceiling the others are measured against.
 * A full run stays near 10 minutes by running the peers where the goals compare against them: at
 * 0 ms, with persistence. --all (or --only) runs every configuration at every latency.
 */
function wanted(config, latencyMs) {
  if (options.all || only !== undefined) return true;
  if (config.name === 'Scrapy (memory)') return options.quick;
  return config.crawler === 'dragline' || config.crawler === 'bare' || latencyMs === 0;
}

async function comparison() {
  const results = [];
  for (let round = 1; round <= rounds; round++) {
    for (const latencyMs of latencies) {
      for (const config of configs) {
        if (!wanted(config, latencyMs)) continue;
        const label = `${config.name.replace(/\W+/g, '-')}-${latencyMs}ms-r${round}`;
        process.stdout.write(`round ${round}, ${latencyMs} ms: ${config.name} ... `);
        const result = await runOnce(config, latencyMs, label);
        results.push(result);
        const status = result.timedOut ? 'TIMED OUT' : result.code === 0 ? 'ok' : `exit ${result.code ?? result.signal}`;
        console.log(`${status}, ${result.served.fetched} pages in ${result.wallSeconds.toFixed(1)} s = ${result.pagesPerSecond.toFixed(0)} pages/s, CPU ${result.cpuSeconds?.toFixed(1)} s, peak RSS ${(result.peakRssBytes / 2 ** 20).toFixed(0)} MB`);
      }
    }
  }
  machine.loadAfter = loadAverage();
  const table = comparisonTable(results, {pages});
  const ratios = ratioLines(results, {concurrency});
  const command = `node bench/run.mjs ${process.argv.slice(2).join(' ')}`.trim();
  const text = [`Command: ${command}`, `Machine: ${machine.nproc} cores, node ${machine.node}, load ${machine.loadBefore} before / ${machine.loadAfter} after`, ...notes.map((note) => `Note: ${note}`), '', table, '', ...ratios].join('\n');
  console.log(`\n${text}`);
  writeFileSync(join(resultsDir, 'results.md'), text + '\n');
  writeFileSync(join(resultsDir, 'results.json'), JSON.stringify({command, machine, pages, concurrency, notes, results}, null, 2));
}

/**
 * kill -9 once the site has served `kill-at` of its pages, then the same command again: what was
 * missed, fetched twice, and whether each item is in the output exactly once.
 */
async function killComparison() {
  const killAt = Number(options['kill-at']);
  const rows = [];
  const latencyMs = latencies[0];
  for (const config of configs.filter((entry) => entry.persistence !== 'off' && entry.crawler !== 'bare')) {
    const url = await site.url(latencyMs);
    await site.reset();
    const cwd = mkdtempSync(join(tmpdir(), 'dragline-bench-kill-'));
    const label = config.name.replace(/\W+/g, '-');
    process.stdout.write(`${config.name}: first run, kill -9 at ${Math.round(killAt * 100)}% ... `);
    try {
      let poll;
      let fetchedAtKill = 0;
      const first = await runMeasured({
        argv: config.argv(url), cwd, logPath: join(resultsDir, `${label}-killed.log`), timeoutMs: runTimeoutMs, timed: false,
        onStarted: (child) => {
          poll = setInterval(async () => {
            const served = await site.report().catch(() => undefined);
            if (served === undefined || served.fetched < killAt * pages || fetchedAtKill > 0) return;
            fetchedAtKill = served.fetched;
            clearInterval(poll);
            try {
              process.kill(-child.pid, 'SIGKILL');
            } catch {
              // It finished first.
            }
          }, 100);
        },
      });
      clearInterval(poll);
      const itemsAfterKill = config.items(cwd);
      console.log(`killed after ${first.wallSeconds.toFixed(1)} s with ${fetchedAtKill} pages served (${itemsAfterKill.items} items written)`);
      process.stdout.write(`${config.name}: rerun ... `);
      const second = await runMeasured({argv: config.argv(url), cwd, env: config.resumeEnv, logPath: join(resultsDir, `${label}-resumed.log`), timeoutMs: runTimeoutMs});
      const served = await site.report();
      const items = config.items(cwd);
      const row = {config: config.name, pages, killed: first.signal === 'SIGKILL', fetchedAtKill, firstSeconds: first.wallSeconds, resumedSeconds: second.wallSeconds, resumedExit: second.timedOut ? 'timed out' : second.code, served, items, resumedPeakRssBytes: second.peakRssBytes};
      rows.push(row);
      console.log(`${second.wallSeconds.toFixed(1)} s; ${served.missed} pages never fetched, ${served.twice} fetched more than once; ${items.distinctPages} pages in the items, ${items.items - items.distinctPages} duplicate items`);
    } finally {
      rmSync(cwd, {recursive: true, force: true});
    }
  }
  const table = killTable(rows);
  const command = `node bench/run.mjs ${process.argv.slice(2).join(' ')}`.trim();
  const text = [`Command: ${command}`, `Machine: ${machine.nproc} cores, node ${machine.node}, load ${machine.loadBefore} before / ${loadAverage()} after`, ...notes.map((note) => `Note: ${note}`), '', table].join('\n');
  console.log(`\n${text}`);
  writeFileSync(join(resultsDir, 'results.md'), text + '\n');
  writeFileSync(join(resultsDir, 'results.json'), JSON.stringify({command, machine, pages, rows}, null, 2));
}
