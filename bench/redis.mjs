#!/usr/bin/env node
// Distributed crawls on Redis against one process with a JOBDIR: the same site crawled, interleaved,
// by one JOBDIR process, then by 1, 2 and 4 Redis workers sharing one job. Run by hand (`npm run
// build` first; needs redis-server and /usr/bin/time); every loop is bounded.
//
//   node bench/redis.mjs                          20,000 pages, 1 round
//   node bench/redis.mjs --pages 5000 --rounds 3  medians of 3 interleaved rounds
//   node bench/redis.mjs --seen 1000000           also: bytes per seen fingerprint at 1M (dragline's buckets vs scrapy-redis's SET)
//
// Reports total pages/s (pages fetched / wall time of the slowest worker), CPU ms per page of all
// workers together and of redis-server, per-worker peak RSS, and the site's duplicate fetches.
import {spawn, spawnSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {parseArgs} from 'node:util';
import {createClient} from '@redis/client';
import {REPO_DIR} from './lib/crawlers.mjs';
import {countJsonLines, haveTimeBinary, loadAverage, runMeasured} from './lib/measure.mjs';
import {startSiteServer} from './lib/site-client.mjs';
import {seenSlot} from '../dist/persistence/redis/redis-keys.js';
import {START_PATH} from '../dist/demo/site.js';

const {values} = parseArgs({
  options: {
    pages: {type: 'string', default: '20000'},
    rounds: {type: 'string', default: '1'},
    workers: {type: 'string', default: '1,2,4'},
    concurrency: {type: 'string', default: '16'},
    latency: {type: 'string', default: '0'},
    seen: {type: 'string', default: '0'},
  },
});
const pages = Number(values.pages);
const rounds = Number(values.rounds);
const concurrency = Number(values.concurrency);
const latencyMs = Number(values.latency);
const workerCounts = values.workers.split(',').map(Number);
const TICKS = Number(spawnSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).stdout.trim() || 100);

if (!haveTimeBinary()) throw new Error('/usr/bin/time is needed: apt-get install -y time');
if (spawnSync('redis-server', ['--version']).error) throw new Error('redis-server is needed: apt-get install -y redis-server');

const base = mkdtempSync(join(tmpdir(), 'dragline-bench-redis-'));
const socket = join(base, 'redis.sock');
const redis = spawn('redis-server', ['--port', '0', '--unixsocket', socket, '--save', '', '--appendonly', 'no', '--dir', base], {stdio: 'ignore'});
for (let i = 0; i < 200 && !existsSync(socket); i += 1) await new Promise((resolve) => setTimeout(resolve, 25));
const client = createClient({socket: {path: socket}});
await client.connect();

/** CPU seconds a process has used so far (utime + stime from /proc). */
function cpuSecondsOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

function crawlArgv(url, jobdir) {
  return [
    process.execPath, join(REPO_DIR, 'bin', 'run.js'),
    'runspider', join(REPO_DIR, 'bench', 'spiders', 'dragline-spider.mjs'),
    '-a', `startUrl=${url}${START_PATH}`,
    '-o', 'items.jsonl', '-L', 'INFO',
    '-s', `CONCURRENT_REQUESTS=${concurrency}`, '-s', `CONCURRENT_REQUESTS_PER_DOMAIN=${concurrency}`,
    '-s', 'LOGSTATS_INTERVAL=10', '-s', `JOBDIR=${jobdir}`,
  ];
}

async function crawl(site, url, label, workers, round) {
  await site.reset();
  const dirs = Array.from({length: workers}, () => mkdtempSync(join(base, 'w-')));
  const jobdir = label === 'jobdir' ? 'job' : `redis+unix://${socket}#bench-${round}-${workers}`;
  const cpuBefore = cpuSecondsOf(redis.pid);
  // The site server shares the machine's cores with the workers: its CPU says how much is left for them.
  const siteCpuBefore = cpuSecondsOf(site.pid);
  const runs = await Promise.all(dirs.map((cwd) => runMeasured({argv: crawlArgv(url, jobdir), cwd, logPath: join(cwd, 'crawl.log'), timeoutMs: 20 * 60_000})));
  const redisCpu = label === 'jobdir' ? 0 : cpuSecondsOf(redis.pid) - cpuBefore;
  const siteCpu = cpuSecondsOf(site.pid) - siteCpuBefore;
  const report = await site.report();
  let items = 0;
  const distinct = new Set();
  for (const cwd of dirs) {
    const counted = countJsonLines(join(cwd, 'items.jsonl'));
    items += counted.items;
    for (const line of readFileSync(join(cwd, 'items.jsonl'), 'utf8').split('\n')) if (line) distinct.add(JSON.parse(line).page);
  }
  const wall = Math.max(...runs.map((run) => run.wallSeconds));
  const workerCpu = runs.reduce((sum, run) => sum + run.cpuSeconds, 0);
  let seenBytes;
  if (label !== 'jobdir') {
    const key = `bench-${round}-${workers}`;
    let bytes = 0;
    for await (const keys of client.scanIterator({MATCH: `dragline:{${key}}:seen:*`, COUNT: 1000})) {
      for (const name of keys) bytes += Number(await client.memoryUsage(name, {SAMPLES: 0}));
    }
    seenBytes = bytes / Number(await client.hGet(`dragline:{${key}}:meta`, 'seen'));
  }
  for (const cwd of dirs) rmSync(cwd, {recursive: true, force: true});
  return {
    label: label === 'jobdir' ? 'JOBDIR, 1 process' : `Redis, ${workers} worker${workers > 1 ? 's' : ''}`,
    pagesPerSecond: report.fetched / wall,
    wall,
    workerCpuMsPerPage: (workerCpu * 1000) / report.fetched,
    redisCpuMsPerPage: (redisCpu * 1000) / report.fetched,
    siteCpuMsPerPage: (siteCpu * 1000) / report.fetched,
    coresBusy: (workerCpu + redisCpu + siteCpu) / wall,
    rssMb: runs.map((run) => Math.round(run.peakRssBytes / 2 ** 20)),
    fetched: report.fetched,
    extra: report.extraFetches,
    items,
    distinctItems: distinct.size,
    seenBytes,
    codes: runs.map((run) => run.code),
    load: loadAverage(),
  };
}

const site = await startSiteServer(pages);
const url = await site.url(latencyMs);
const results = [];
try {
  for (let round = 0; round < rounds; round += 1) {
    for (const [label, workers] of [['jobdir', 1], ...workerCounts.map((n) => ['redis', n])]) {
      const result = await crawl(site, url, label, workers, round);
      results.push(result);
      console.error(`round ${round + 1}: ${result.label}: ${result.pagesPerSecond.toFixed(0)} pages/s, ${result.fetched} fetched, ${result.extra} twice, ${result.items} items (${result.distinctItems} distinct), exit ${result.codes.join(',')}`);
    }
  }
} finally {
  await site.close();
}

const median = (list) => {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
};
const labels = [...new Set(results.map((result) => result.label))];
const baseline = median(results.filter((result) => result.label === labels[1]).map((result) => result.pagesPerSecond));
console.log(`\n${pages} pages, ${concurrency} concurrent requests per process, site latency ${latencyMs} ms, ${rounds} interleaved round(s), medians; load ${loadAverage()}`);
console.log('| run | pages/s | × 1 Redis worker | worker CPU ms/page (all) | redis-server CPU ms/page | site server CPU ms/page | cores busy (all three) | peak RSS per worker (MiB) | fetched twice | items (distinct) | seen B/fingerprint |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const label of labels) {
  const rows = results.filter((result) => result.label === label);
  const pps = median(rows.map((row) => row.pagesPerSecond));
  const last = rows[rows.length - 1];
  console.log(`| ${label} | ${pps.toFixed(0)} | ${(pps / baseline).toFixed(2)} | ${median(rows.map((row) => row.workerCpuMsPerPage)).toFixed(2)} | ${median(rows.map((row) => row.redisCpuMsPerPage)).toFixed(3)} | ${median(rows.map((row) => row.siteCpuMsPerPage)).toFixed(2)} | ${median(rows.map((row) => row.coresBusy)).toFixed(2)} | ${last.rssMb.join(', ')} | ${last.extra} | ${last.items} (${last.distinctItems}) | ${last.seenBytes === undefined ? '' : last.seenBytes.toFixed(1)} |`);
}

if (Number(values.seen) > 0) await seenMemory(Number(values.seen));

/** Bytes per fingerprint in Redis: dragline's bucketed hashes (10-byte fields) against scrapy-redis's SET of 40-char hex. */
async function seenMemory(count) {
  const used = async () => Number(/used_memory:(\d+)/.exec(await client.info('memory'))[1]);
  const measure = async (fill) => {
    await client.flushDb();
    const before = await used();
    await fill();
    return (await used() - before) / count;
  };
  const fingerprints = function* () {
    for (let i = 0; i < count; i += 1) yield createHash('sha1').update(`fp-${i}`).digest();
  };
  const bucketed = await measure(async () => {
    let batch = [];
    for (const fp of fingerprints()) {
      const {bucket, field} = seenSlot(fp, 65536);
      batch.push(client.sendCommand(['HSETNX', `dragline:{seen}:seen:${bucket}`, field, '']));
      if (batch.length >= 5000) await Promise.all(batch.splice(0));
    }
    await Promise.all(batch);
  });
  const hexSet = await measure(async () => {
    let batch = [];
    for (const fp of fingerprints()) {
      batch.push(client.sAdd('spider:dupefilter', fp.toString('hex')));
      if (batch.length >= 5000) await Promise.all(batch.splice(0));
    }
    await Promise.all(batch);
  });
  console.log(`\nSeen set at ${count.toLocaleString('en-US')} fingerprints (used_memory delta / count):`);
  console.log('| layout | bytes per fingerprint |');
  console.log('|---|---|');
  console.log(`| dragline: 65,536 hash buckets, 10-byte binary fields | ${bucketed.toFixed(1)} |`);
  console.log(`| scrapy-redis: one SET of 40-char hex | ${hexSet.toFixed(1)} |`);
}

await client.quit();
redis.kill('SIGTERM');
rmSync(base, {recursive: true, force: true});
