#!/usr/bin/env node
// dragline against Scrapy on real pages: three documentation sets Debian packages as HTML (PostgreSQL,
// Python, SQLite), each served from its installed folder on 127.0.0.1, crawled by the same CrawlSpider
// in both (every in-site link; per page the title by CSS, the h1 by XPath string(), the number of
// links, the first paragraph by XPath), JOBDIR on, interleaved. Run by hand, never by npm test:
//
//   apt-get install -y python3-doc postgresql-doc-15 sqlite3-doc python3-scrapy time
//   npm run build && node bench/real-pages.mjs                     one round on each site
//   node bench/real-pages.mjs --rounds 3 --sites python,sqlite     medians of three
//   node bench/real-pages.mjs --profile                            also where dragline's CPU goes, by stage
//   node bench/real-pages.mjs --base /tmp/base                     also another commit's build, interleaved
//     (git worktree add /tmp/base COMMIT; copy node_modules; npm run build there)
//
// Each crawler runs in its own child under /usr/bin/time -v (CPU seconds, peak RSS); the server runs
// in one more process and logs every page it serves. Results go to stdout and bench/results/.
import {copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {cpus, tmpdir} from 'node:os';
import {join} from 'node:path';
import {parseArgs} from 'node:util';
import {BENCH_DIR, REPO_DIR, detectCrawlers} from './lib/crawlers.mjs';
import {summarise} from './lib/cpu-profile.mjs';
import {installedDocSites} from './lib/doc-sites.mjs';
import {countJsonLines, haveTimeBinary, loadAverage, runMeasured} from './lib/measure.mjs';
import {startDocsServer} from './lib/site-client.mjs';
import {stageOf, stageTable} from './lib/stages.mjs';

const {values: options} = parseArgs({
  options: {
    rounds: {type: 'string', default: '1'},
    sites: {type: 'string'},
    only: {type: 'string'},
    concurrency: {type: 'string', default: '16'},
    timeout: {type: 'string', default: '300'},
    profile: {type: 'boolean', default: false},
    base: {type: 'string'},
  },
});
const rounds = Math.max(1, Math.min(10, Number(options.rounds)));
const concurrency = Number(options.concurrency);
const timeoutMs = Number(options.timeout) * 1000;
const only = options.only ? new Set(options.only.split(',').map((name) => name.trim().toLowerCase())) : undefined;
const MB = 2 ** 20;

if (!haveTimeBinary()) {
  console.error('/usr/bin/time is needed for CPU seconds and peak RSS (apt-get install -y time)');
  process.exit(2);
}
const installed = detectCrawlers();
if (installed.dragline.missing) {
  console.error(installed.dragline.missing);
  process.exit(2);
}
const {sites, missing} = installedDocSites(options.sites ? new Set(options.sites.split(',')) : undefined);
if (sites.length === 0) {
  console.error(`No documentation site installed:\n${missing.join('\n')}`);
  process.exit(2);
}

const common = ['-o', 'items.jsonl', '-L', 'INFO', '-s', `CONCURRENT_REQUESTS=${concurrency}`, '-s', `CONCURRENT_REQUESTS_PER_DOMAIN=${concurrency}`, '-s', 'LOGSTATS_INTERVAL=10', '-s', 'JOBDIR=job'];
const crawlers = [
  {name: 'dragline', argv: (url, profileDir) => [process.execPath, ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), join(REPO_DIR, 'bin', 'run.js'), 'runspider', join(BENCH_DIR, 'spiders', 'docs-spider.mjs'), '-a', `startUrl=${url}`, ...common]},
  ...(options.base ? [{name: 'dragline-base', argv: (url) => [process.execPath, join(options.base, 'bin', 'run.js'), 'runspider', join(options.base, 'bench', 'spiders', 'docs-spider.mjs'), '-a', `startUrl=${url}`, ...common]}] : []),
  {name: 'Scrapy', argv: (url) => ['/usr/bin/python3', '-m', 'scrapy', 'runspider', join(BENCH_DIR, 'spiders', 'docs_spider.py'), '-a', `start_url=${url}`, ...common], missing: installed.scrapy.missing},
].filter((crawler) => (only === undefined || only.has(crawler.name.toLowerCase())) && !crawler.missing);

const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
const resultsDir = join(BENCH_DIR, 'results', `${stamp}-real-pages`);
mkdirSync(resultsDir, {recursive: true});
const loadBefore = loadAverage();
console.log(`Real pages: ${sites.map((site) => site.name).join(', ')}; ${concurrency} concurrent requests, JOBDIR on, ${rounds} round(s)`);
console.log(`Machine: ${cpus().length} cores (${cpus()[0]?.model}), node ${process.version}, load ${loadBefore}; dragline ${installed.dragline.version}, Scrapy ${installed.scrapy.version ?? 'not installed'}`);
for (const line of [...missing, ...(installed.scrapy.missing ? [installed.scrapy.missing] : [])]) console.log(`Note: ${line}`);
console.log(`Logs in ${resultsDir}\n`);

const server = startDocsServer();
const results = [];
const profiles = [];
let exitCode = 0;
try {
  for (const site of sites) {
    const url = (await server.serve(site.root)) + site.start;
    for (let round = 1; round <= rounds; round++) {
      for (const crawler of crawlers) results.push(await runOnce(site, crawler, url, round));
    }
    if (options.profile) profiles.push({site, ...(await profileOnce(site, url))});
  }
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await server.close();
}
report();
process.exit(exitCode);

async function runOnce(site, crawler, url, round, profileDir) {
  await server.reset();
  const cwd = mkdtempSync(join(tmpdir(), 'dragline-real-pages-'));
  const load = loadAverage();
  process.stdout.write(`${site.name}, round ${round}: ${crawler.name} ... `);
  try {
    const measured = await runMeasured({argv: crawler.argv(url, profileDir), cwd, logPath: join(resultsDir, `${site.slug}-${crawler.name}-r${round}.log`), timeoutMs});
    const served = await server.report();
    const items = countJsonLines(join(cwd, 'items.jsonl'), 'url');
    const result = {site: site.name, crawler: crawler.name, round, load, ...measured, served, items, pagesPerSecond: served.fetched / measured.wallSeconds};
    const status = result.timedOut ? 'TIMED OUT' : result.code === 0 ? 'ok' : `exit ${result.code ?? result.signal}`;
    console.log(`${status}, ${served.fetched} pages (${(served.htmlBytes / served.fetched / 1024).toFixed(1)} KiB mean) in ${measured.wallSeconds.toFixed(1)} s = ${result.pagesPerSecond.toFixed(0)} pages/s, CPU ${(1000 * measured.cpuSeconds / served.fetched).toFixed(1)} ms/page, peak RSS ${(measured.peakRssBytes / MB).toFixed(0)} MB, ${items.items} items`);
    return result;
  } finally {
    rmSync(cwd, {recursive: true, force: true});
  }
}

/** One more dragline run under --cpu-prof (slower: not counted in the table), summarised by stage. */
async function profileOnce(site, url) {
  const profileDir = mkdtempSync(join(tmpdir(), 'dragline-real-pages-profile-'));
  try {
    const run = await runOnce(site, crawlers.find((crawler) => crawler.name === 'dragline'), url, 'profile', profileDir);
    const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
    // Kept with the logs, to look further (node bench/profile.mjs --summarise FILE).
    if (file !== undefined) copyFileSync(join(profileDir, file), join(resultsDir, `${site.slug}-dragline.cpuprofile`));
    return {pages: run.served.fetched, summary: file === undefined ? undefined : summarise(join(profileDir, file), stageOf)};
  } finally {
    rmSync(profileDir, {recursive: true, force: true});
  }
}

function median(runs) {
  const sorted = [...runs].sort((a, b) => a.pagesPerSecond - b.pagesPerSecond);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

function report() {
  const rows = [];
  const ratios = [];
  for (const site of sites) {
    const bySite = Object.fromEntries(crawlers.map((crawler) => [crawler.name, median(results.filter((run) => run.site === site.name && run.crawler === crawler.name))]));
    for (const [name, run] of Object.entries(bySite)) {
      if (run === undefined) continue;
      const status = run.timedOut ? ' (timed out)' : run.code !== 0 ? ` (exit ${run.code ?? run.signal})` : '';
      rows.push(`| ${site.name} | ${name}${status} | ${run.served.fetched.toLocaleString('en-US')} | ${(run.served.htmlBytes / run.served.fetched / 1024).toFixed(1)} | ${run.wallSeconds.toFixed(1)} | **${run.pagesPerSecond.toFixed(0)}** | ${(1000 * run.cpuSeconds / run.served.fetched).toFixed(1)} | ${(run.peakRssBytes / MB).toFixed(0)} | ${run.served.twice} | ${run.items.items.toLocaleString('en-US')} | ${run.load.toFixed(2)} |`);
    }
    const mine = bySite.dragline;
    const peer = bySite.Scrapy;
    if (mine && peer) {
      const cpu = (run) => run.cpuSeconds / run.served.fetched;
      ratios.push(`- ${site.name}: pages/s ${(mine.pagesPerSecond / peer.pagesPerSecond).toFixed(2)}× Scrapy (goal ≥ 2×); CPU per page ${(100 * cpu(mine) / cpu(peer)).toFixed(0)}% of Scrapy's (goal ≤ 50%); peak RSS ${(100 * mine.peakRssBytes / peer.peakRssBytes).toFixed(0)}% of Scrapy's (goal ≤ 100%)`);
    }
  }
  const table = ['| site | crawler | pages | KiB/page | wall s | pages/s | CPU ms/page | peak RSS MB | fetched twice | items | load |', '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|', ...rows].join('\n');
  const command = `node bench/real-pages.mjs ${process.argv.slice(2).join(' ')}`.trim();
  const parts = [`Command: ${command}`, `Machine: ${cpus().length} cores, node ${process.version}, load ${loadBefore} before / ${loadAverage()} after`, '', table, '', ...ratios];
  for (const {site, pages, summary} of profiles) {
    if (summary !== undefined) parts.push('', `Where dragline's CPU goes on ${site.name} (${pages} pages, one profiled run):`, '', stageTable(summary, pages));
  }
  const text = parts.join('\n');
  console.log(`\n${text}`);
  writeFileSync(join(resultsDir, 'results.md'), text + '\n');
  writeFileSync(join(resultsDir, 'results.json'), JSON.stringify({command, concurrency, rounds, results}, null, 2));
}
