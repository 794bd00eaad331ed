#!/usr/bin/env node
// Micro-benchmarks of the per-page and per-request work on a crawl's hot path, in CPU time, for
// comparing two builds: new Request (an already-safe URL, in three page encodings), canonicalizeUrl,
// new Request + fingerprint, the scheduler's cycle for one page (10 child requests), parsing, and
// the real-pages spider's CSS and XPath queries on real pages. Each measurement runs in its own
// child process, builds alternating, so one build's JIT state never touches the other's. Run by
// hand (never by npm test), after `npm run build`:
//
//   node --expose-gc bench/hot-path-micro.mjs [--base DIR] [--rounds 3] [--only FRAGMENT,...]
//
// --only: the measurements whose name contains one of the fragments (`--only xpath,parse`).
//
// --base DIR: another built checkout (git worktree add /tmp/base <commit>; node_modules copied;
// npm run build). The page sets need python3-doc and postgresql-doc-15 (apt-get install -y ...).
import {execFileSync} from 'node:child_process';
import {existsSync, readFileSync, readdirSync} from 'node:fs';
import {resolve} from 'node:path';
import {pathToFileURL} from 'node:url';
import {parseArgs} from 'node:util';

const PYTHON_DOCS = '/usr/share/doc/python3-doc/html/library/';
const POSTGRESQL_DOCS = '/usr/share/doc/postgresql-doc-15/html/';

/** name -> what one child measures: CPU microseconds per unit (median of its rounds). */
const MEASUREMENTS = {
  'new Request (utf-8)': {unit: 'request', run: (dist) => perRequest(dist, (m, url) => new m.Request(url))},
  'new Request (windows-1252)': {unit: 'request', run: (dist) => perRequest(dist, (m, url) => new m.Request(url, {encoding: 'windows-1252'}))},
  'canonicalizeUrl': {unit: 'URL', run: (dist) => perRequest(dist, (m, url) => m.canonicalizeUrl(url))},
  'new Request + fingerprint': {unit: 'request', run: (dist) => perRequest(dist, (m, url, fingerprint) => fingerprint(new m.Request(url)))},
  'scheduler cycle (10 links)': {unit: 'page', run: schedulerCycle},
  'parse (PostgreSQL)': {unit: 'page', run: (dist) => perPage(dist, POSTGRESQL_DOCS, 300, (m, html) => m.Selector.fromHtml(html))},
  'parse (Python)': {unit: 'page', run: (dist) => perPage(dist, PYTHON_DOCS, 60, (m, html) => m.Selector.fromHtml(html))},
  "css('title::text')": {unit: 'page', run: (dist) => perParsedPage(dist, (selector) => selector.css('title::text').get())},
  "css('a::attr(href)')": {unit: 'page', run: (dist) => perParsedPage(dist, (selector) => selector.css('a::attr(href)').getall())},
  "xpath('string(//h1)')": {unit: 'page', run: (dist) => perParsedPage(dist, (selector) => selector.xpath('string(//h1)').get())},
  "xpath('normalize-space((//p)[1])')": {unit: 'page', run: (dist) => perParsedPage(dist, (selector) => selector.xpath('normalize-space((//p)[1])').get())},
  "xpath('//a[contains(@href, \"os\")]')": {unit: 'page', run: (dist) => perParsedPage(dist, (selector) => selector.xpath('//a[contains(@href, "os")]').length)},
};

const {values: options} = parseArgs({
  options: {
    base: {type: 'string'},
    rounds: {type: 'string', default: '3'},
    only: {type: 'string'},
    child: {type: 'string'},
    dist: {type: 'string'},
  },
});

if (options.child !== undefined) {
  // One measurement in this (child) process: print its median.
  console.log(JSON.stringify(await MEASUREMENTS[options.child].run(options.dist)));
  process.exit(0);
}

const here = resolve(import.meta.dirname, '..');
const builds = [{name: 'this checkout', dir: here}];
if (options.base) builds.push({name: `base (${options.base})`, dir: resolve(options.base)});
for (const build of builds) {
  if (!existsSync(resolve(build.dir, 'dist/index.js'))) {
    console.error(`${build.dir} has no dist/: run npm run build there`);
    process.exit(2);
  }
}
// --only: the measurements whose name contains one of the comma-separated fragments.
const fragments = options.only?.split(',').map((fragment) => fragment.trim()).filter(Boolean);
const names = Object.keys(MEASUREMENTS).filter((name) => fragments === undefined || fragments.some((fragment) => name.includes(fragment)));
const rounds = Math.max(1, Math.min(9, Number(options.rounds)));
console.log(`CPU time per unit, median of ${rounds} child processes per build (each the median of its own rounds); builds alternate`);
const header = ['measurement', 'unit', ...builds.map((build) => build.name), ...(builds.length > 1 ? ['this/base'] : [])];
const lines = [`| ${header.join(' | ')} |`, `|${header.map((_, index) => (index < 2 ? '---' : '---:')).join('|')}|`];
for (const name of names) {
  const results = builds.map(() => []);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? builds.map((_, index) => index) : builds.map((_, index) => index).reverse();
    for (const index of order) {
      const out = execFileSync(process.execPath, ['--expose-gc', import.meta.filename, '--child', name, '--dist', builds[index].dir], {encoding: 'utf8', timeout: 300_000});
      results[index].push(JSON.parse(out.trim().split('\n').pop()));
    }
  }
  const medians = results.map(median);
  const cells = medians.map((value) => `${value.toFixed(value < 10 ? 2 : 0)} µs`);
  if (builds.length > 1) cells.push(`${(medians[0] / medians[1]).toFixed(2)}×`);
  lines.push(`| ${name} | ${MEASUREMENTS[name].unit} | ${cells.join(' | ')} |`);
  console.error(`${name}: ${cells.join(', ')}`);
}
console.log(lines.join('\n'));

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

async function load(dir, path = 'index.js') {
  return import(pathToFileURL(resolve(dir, 'dist', path)).href);
}

/** CPU microseconds of `fn()` divided by `units`: the median of `times` rounds after one to warm up. */
function cpuPerUnit(fn, units, times = 7) {
  fn();
  const samples = [];
  for (let round = 0; round < times; round++) {
    globalThis.gc?.();
    const start = process.cpuUsage();
    fn();
    const used = process.cpuUsage(start);
    samples.push((used.user + used.system) / units);
  }
  return median(samples);
}

/** 1,000 URLs of the benchmark site's shape (a 5-digit port, a sorted query), each passed to `fn`, 50 times. */
async function perRequest(dir, fn) {
  const m = await load(dir);
  const {fingerprint} = await load(dir, 'utils/fingerprint.js');
  const urls = Array.from({length: 1000}, (_, index) => `http://127.0.0.1:51234/page/${index}?a=${index}&b=2`);
  return cpuPerUnit(() => {
    for (let repeat = 0; repeat < 50; repeat++) for (const url of urls) fn(m, url, fingerprint);
  }, 50 * urls.length);
}

/** The engine's commit cycle in the scheduler for one page: 10 child requests made and fingerprinted, prepare, a memory frontier's commit, committed, next. */
async function schedulerCycle(dir) {
  const {Request} = await load(dir);
  const {Scheduler} = await load(dir, 'core/scheduler.js');
  const {Logger} = await load(dir, 'core/logger.js');
  const {StatsCollector} = await load(dir, 'core/stats.js');
  const {MemoryFrontier} = await load(dir, 'persistence/memory/memory-frontier.js');
  const {emptyOutputs} = await load(dir, 'core/commit.js');
  const frontier = new MemoryFrontier();
  const scheduler = new Scheduler({frontier, stats: new StatsCollector(), logger: Logger.create({sink: {write() {}}}), memoryOrder: 'lifo', debug: false, dupefilterDebug: false, encode: () => Buffer.alloc(1), decode: () => null});
  let page = 0;
  const onePage = async () => {
    const outputs = emptyOutputs();
    for (let link = 0; link < 10; link++) outputs.requests.push(new Request(`http://127.0.0.1:51234/page/${(page * 7 + link * 13) % 20000}?a=1`));
    page++;
    const batch = {leases: [], requests: [], failed: [], local: []};
    scheduler.prepare(outputs, batch);
    scheduler.committed(batch, await frontier.commit(batch));
    await scheduler.next(1);
  };
  const pages = 10000;
  for (let warm = 0; warm < pages; warm++) await onePage();
  const samples = [];
  for (let round = 0; round < 5; round++) {
    const start = process.cpuUsage();
    for (let index = 0; index < pages; index++) await onePage();
    const used = process.cpuUsage(start);
    samples.push((used.user + used.system) / pages);
  }
  return median(samples);
}

function pages(folder, count) {
  if (!existsSync(folder)) throw new Error(`${folder} is missing: apt-get install -y python3-doc postgresql-doc-15`);
  return readdirSync(folder).filter((name) => name.endsWith('.html')).sort().slice(0, count).map((name) => readFileSync(folder + name, 'utf8'));
}

async function perPage(dir, folder, count, fn) {
  const m = await load(dir);
  const texts = pages(folder, count);
  return cpuPerUnit(() => {
    for (const text of texts) fn(m, text);
  }, texts.length, 5);
}

/** The first 60 Python library pages, parsed before timing: only the query is timed. */
async function perParsedPage(dir, fn) {
  const m = await load(dir);
  const selectors = pages(PYTHON_DOCS, 60).map((text) => m.Selector.fromHtml(text));
  return cpuPerUnit(() => {
    for (const selector of selectors) fn(selector);
  }, selectors.length);
}
