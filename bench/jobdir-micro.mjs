#!/usr/bin/env node
// Micro-benchmarks of the job directory (src/persistence, from dist/: `npm run build` first).
// Run by hand, never by npm test; every loop is bounded by a count.
//
//   node bench/jobdir-micro.mjs                       everything (resume up to 1M pending: ~1-2 min, ~400 MB of disk in /tmp)
//   node bench/jobdir-micro.mjs --quick               smaller counts, resume up to 100k
//   node bench/jobdir-micro.mjs --only codec,queue,seen,resume,fsync
import {spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {mkdtempSync, rmSync, statSync, readdirSync, writeFileSync, mkdirSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {Request} from '../dist/http/request.js';
import {decodeRequest, encodeRequest} from '../dist/core/request-codec.js';
import {openJob} from '../dist/persistence/jobdir/job.js';
import {FingerprintSet} from '../dist/persistence/seen-set.js';

const SELF = fileURLToPath(import.meta.url);
const {values: options} = parseArgs({
  options: {
    quick: {type: 'boolean', default: false},
    only: {type: 'string'},
    'resume-child': {type: 'string'},
    'resume-sizes': {type: 'string'},
  },
});

/** The spider whose method names the codec stores. */
class BenchSpider {
  parse() {}
}
const spider = new BenchSpider();
const jobOptions = (fsync = false, fsyncIntervalMs = 1000) => ({spiderName: 'bench', queueOrder: 'lifo', fsync, fsyncIntervalMs, draglineVersion: 'bench'});

/** A request as the demo spider makes them: a followed link with a Referer and a depth. */
function sampleRequest(n) {
  const request = new Request(`http://127.0.0.1:40000/page/${n}?a=1&b=2`, {callback: spider.parse});
  request.headers = {Referer: [`http://127.0.0.1:40000/page/${n >> 1}?a=1&b=2`]};
  request.meta = {depth: 7};
  return request;
}

function rate(count, millis) {
  return Math.round((count / millis) * 1000);
}

function fmt(n) {
  return n.toLocaleString('en-US');
}

if (options['resume-child']) {
  await resumeChild(options['resume-child']);
  process.exit(0);
}

const only = options.only ? new Set(options.only.split(',')) : undefined;
const run = (name) => only === undefined || only.has(name);
const results = {};
const scratch = mkdtempSync(join(tmpdir(), 'dragline-jobdir-micro-'));
try {
  if (run('codec')) results.codec = codec(options.quick ? 20_000 : 100_000);
  if (run('queue')) results.queue = await queue(options.quick ? 20_000 : 100_000);
  if (run('seen')) results.seen = seen(options.quick ? 200_000 : 1_000_000);
  if (run('fsync')) results.fsync = await fsyncCost(options.quick ? 10_000 : 30_000);
  if (run('resume')) {
    const sizes = options['resume-sizes'] ? options['resume-sizes'].split(',').map(Number) : options.quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];
    results.resume = await resume(sizes);
  }
} finally {
  rmSync(scratch, {recursive: true, force: true});
}
const outDir = join(fileURLToPath(new URL('.', import.meta.url)), 'results');
mkdirSync(outDir, {recursive: true});
writeFileSync(join(outDir, `jobdir-micro-${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}.json`), JSON.stringify(results, null, 2));

function codec(count) {
  const requests = Array.from({length: 1000}, (_, i) => sampleRequest(i));
  const payloads = requests.map((request) => encodeRequest(request, spider));
  let started = performance.now();
  for (let i = 0; i < count; i++) encodeRequest(requests[i % 1000], spider);
  const encodeMs = performance.now() - started;
  started = performance.now();
  for (let i = 0; i < count; i++) decodeRequest(payloads[i % 1000], spider);
  const decodeMs = performance.now() - started;
  const out = {recordBytes: payloads[0].length, encodePerSecond: rate(count, encodeMs), decodePerSecond: rate(count, decodeMs), encodeMicros: (1000 * encodeMs) / count, decodeMicros: (1000 * decodeMs) / count};
  console.log(`codec: a request record is ${out.recordBytes} bytes (v8); encode ${fmt(out.encodePerSecond)}/s (${out.encodeMicros.toFixed(1)} µs), decode ${fmt(out.decodePerSecond)}/s (${out.decodeMicros.toFixed(1)} µs)`);
  return out;
}

/** push N, then the engine's cycle N times: pop, begin, ack (and the decode a real run does). */
async function queue(count) {
  const out = {};
  for (const order of ['lifo', 'fifo']) {
    const dir = join(scratch, `queue-${order}`);
    const job = await openJob(dir, {...jobOptions(), queueOrder: order});
    const payloads = Array.from({length: 1000}, (_, i) => encodeRequest(sampleRequest(i), spider));
    let started = performance.now();
    for (let i = 0; i < count; i++) job.queue.push(payloads[i % 1000], 0);
    const pushMs = performance.now() - started;
    started = performance.now();
    let popped = 0;
    for (let i = 0; i < count; i++) {
      const lease = job.queue.pop();
      if (lease === undefined) break;
      job.begin([lease.id], {});
      job.ack([lease.id]);
      popped += 1;
    }
    const cycleMs = performance.now() - started;
    await job.close('finished');
    out[order] = {pushPerSecond: rate(count, pushMs), popBeginAckPerSecond: rate(popped, cycleMs), popped};
    console.log(`queue (${order}): push ${fmt(out[order].pushPerSecond)} requests/s; pop + begin + ack ${fmt(out[order].popBeginAckPerSecond)} requests/s (${fmt(popped)} of ${fmt(count)})`);
  }
  return out;
}

function seen(count) {
  const digests = randomBytes(20 * count);
  const absent = randomBytes(20 * count);
  global.gc?.();
  const heapBefore = process.memoryUsage();
  const set = FingerprintSet.inMemory();
  let started = performance.now();
  for (let i = 0; i < count; i++) set.add(digests.subarray(20 * i, 20 * i + 20));
  const addMs = performance.now() - started;
  global.gc?.();
  const heapAfter = process.memoryUsage();
  started = performance.now();
  let hits = 0;
  for (let i = 0; i < count; i++) if (set.has(digests.subarray(20 * i, 20 * i + 20))) hits += 1;
  for (let i = 0; i < count; i++) if (set.has(absent.subarray(20 * i, 20 * i + 20))) hits += 1;
  const lookupMs = performance.now() - started;
  const measured = heapAfter.arrayBuffers - heapBefore.arrayBuffers + heapAfter.heapUsed - heapBefore.heapUsed;
  const out = {
    fingerprints: count,
    tableBytesPerFingerprint: set.memoryBytes / set.size,
    measuredBytesPerFingerprint: measured / count,
    addPerSecond: rate(count, addMs),
    lookupsPerSecond: rate(2 * count, lookupMs),
    falseHits: hits - count,
  };
  // For scale: the same fingerprints as hex strings in a Set (what a naive port, or Scrapy's Python set, keeps).
  const hexCount = Math.min(count, 200_000);
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  const hex = new Set();
  for (let i = 0; i < hexCount; i++) hex.add(digests.toString('hex', 20 * i, 20 * i + 20));
  global.gc?.();
  out.hexSetBytesPerFingerprint = (process.memoryUsage().heapUsed - before) / hex.size;
  console.log(`seen set: ${fmt(count)} fingerprints, table ${out.tableBytesPerFingerprint.toFixed(1)} bytes each (measured ${out.measuredBytesPerFingerprint.toFixed(1)}; a Set of hex strings: ${out.hexSetBytesPerFingerprint.toFixed(0)}), add ${fmt(out.addPerSecond)}/s, lookups ${fmt(out.lookupsPerSecond)}/s (half absent, ${out.falseHits} false hits)`);
  return out;
}

/**
 * The engine's per-page write pattern (pop, begin, one new request pushed and its fingerprint added,
 * ack), yielding to the event loop every 50 pages so the fsync timer runs, with JOBDIR_FSYNC off and on.
 */
async function fsyncCost(count) {
  const out = {};
  const payload = encodeRequest(sampleRequest(1), spider);
  for (const [label, fsync] of [['off', false], ['on (1 s interval)', true]]) {
    const dir = join(scratch, `fsync-${fsync}`);
    const job = await openJob(dir, jobOptions(fsync, 1000));
    for (let i = 0; i < 100; i++) job.queue.push(payload, 0);
    const fingerprints = randomBytes(20 * count);
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      const lease = job.queue.pop();
      job.begin([lease.id], {});
      job.queue.push(payload, 0);
      job.seen.add(fingerprints.subarray(20 * i, 20 * i + 20));
      job.ack([lease.id]);
      if (i % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
    }
    const elapsed = performance.now() - started;
    const closeStarted = performance.now();
    await job.close('finished');
    out[fsync ? 'on' : 'off'] = {pagesPerSecond: rate(count, elapsed), closeMs: performance.now() - closeStarted};
    console.log(`fsync ${label}: ${fmt(out[fsync ? 'on' : 'off'].pagesPerSecond)} page commits/s (pop, begin, push, seen, ack); close ${out[fsync ? 'on' : 'off'].closeMs.toFixed(0)} ms`);
  }
  out.cost = 1 - out.on.pagesPerSecond / out.off.pagesPerSecond;
  console.log(`fsync cost on commits: ${(100 * out.cost).toFixed(0)}%`);
  return out;
}

/** Builds jobs with N pending requests (and N seen fingerprints), then opens each in a fresh process. */
async function resume(sizes) {
  const out = [];
  const payloads = Array.from({length: 1000}, (_, i) => encodeRequest(sampleRequest(i), spider));
  for (const size of sizes) {
    const dir = join(scratch, `resume-${size}`);
    const started = performance.now();
    const job = await openJob(dir, jobOptions());
    const fingerprint = randomBytes(20);
    job.begin([], {});
    for (let i = 0; i < size; i++) {
      job.queue.push(payloads[i % 1000], 0);
      // Distinct digests with well-spread first words, without holding N random digests.
      fingerprint.writeUInt32LE(Math.imul(i, 2654435761) >>> 0, 0);
      fingerprint.writeUInt32LE(i, 4);
      job.seen.add(fingerprint);
    }
    job.ack([]);
    await job.close('shutdown');
    const buildMs = performance.now() - started;
    const child = spawnSync(process.execPath, [SELF, '--resume-child', dir], {encoding: 'utf8', timeout: 120_000});
    if (child.status !== 0) throw new Error(`resume child failed: ${child.stderr}`);
    const measured = JSON.parse(child.stdout.trim().split('\n').pop());
    const row = {pending: size, diskBytes: duBytes(dir), buildSeconds: buildMs / 1000, ...measured};
    out.push(row);
    console.log(`resume with ${fmt(size)} pending (${(row.diskBytes / 2 ** 20).toFixed(0)} MB on disk, ${fmt(row.seen)} seen): open ${row.openMs.toFixed(0)} ms, first request popped and decoded ${row.firstRequestMs.toFixed(1)} ms later (${row.totalMs.toFixed(0)} ms in all); RSS ${(row.rssBytes / 2 ** 20).toFixed(0)} MB after (a bare node process: ${(row.baselineRssBytes / 2 ** 20).toFixed(0)} MB), peak ${(row.peakRssBytes / 2 ** 20).toFixed(0)} MB`);
    rmSync(dir, {recursive: true, force: true});
  }
  return out;
}

async function resumeChild(dir) {
  const baselineRssBytes = process.memoryUsage.rss();
  const started = performance.now();
  const job = await openJob(dir, jobOptions());
  const openMs = performance.now() - started;
  const lease = job.queue.pop();
  const request = decodeRequest(lease.payload, spider);
  const totalMs = performance.now() - started;
  const result = {
    openMs, firstRequestMs: totalMs - openMs, totalMs, pendingReported: job.report.pending, seen: job.seen.size, firstUrl: request.url,
    baselineRssBytes, rssBytes: process.memoryUsage.rss(), peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
  await job.close('shutdown');
  console.log(JSON.stringify(result));
}

function duBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, {withFileTypes: true, recursive: true})) {
    if (entry.isFile()) total += statSync(join(entry.parentPath ?? entry.path, entry.name)).size;
  }
  return total;
}
