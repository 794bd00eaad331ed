/**
 * `job repair` stopped between its steps (kill -9, a full disk, a power cut) leaves a job that a
 * second repair, or a crawl, takes up without reporting lost what was kept, and with every request
 * still served once. Rebuilt lanes are sealed segments of bounded size, like the queue's own.
 */
import {describe, expect, test} from '@jest/globals';
import {createHash} from 'node:crypto';
import {cpSync, readFileSync, readdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {repairJob, type RepairStep} from '../../../src/persistence/jobdir/job-repair.js';
import {scanRecords} from '../../../src/persistence/record-file.js';
import type {Job} from '../../../src/persistence/types.js';
import {drain, open, payload, useTempDirs} from '../helpers.js';

const {newDir} = useTempDirs();
const fp = (text: string) => createHash('sha1').update(text).digest();
const small = {segmentLimits: {maxRecords: 4, maxBytes: 1 << 20}};
const REQUESTS = 30;
/** Served (and acked) before the damage: the lane's LIFO mark or FIFO cursor is past them. */
const SERVED = 5;

function segmentFiles(dir: string): string[] {
  const lane = join(dir, 'requests.queue', 'p0');
  return readdirSync(lane).filter((name) => name.endsWith('.seg')).sort().map((name) => join(lane, name));
}

function recordCount(path: string): number {
  let count = 0;
  scanRecords(readFileSync(path), 0, () => (count += 1));
  return count;
}

/** REQUESTS queued in one commit each, SERVED of them fetched, stopped; then a byte flipped inside its first sealed segment. */
async function damagedJob(order: 'lifo' | 'fifo', requests = REQUESTS, tuning = small): Promise<{dir: string; served: string[]}> {
  const dir = newDir();
  const job: Job = await open(dir, {queueOrder: order}, tuning);
  for (let i = 0; i < requests; i++) {
    job.begin([], {});
    job.seen.add(fp(`r${i}`));
    job.queue.push(payload(`r${i}`), 0);
    job.ack([]);
  }
  const served: string[] = [];
  for (let i = 0; i < SERVED; i++) {
    const lease = job.queue.pop()!;
    job.begin([lease.id], {});
    job.ack([lease.id]);
    served.push(lease.payload.toString());
  }
  await job.close('shutdown');
  // The oldest segment left: for FIFO, SERVED took the first whole and one of this one; its last record is still queued.
  const target = segmentFiles(dir)[0];
  const bytes = readFileSync(target);
  bytes[bytes.length - 3] ^= 0x5a;
  writeFileSync(target, bytes);
  return {dir, served};
}

function stopAt(step: RepairStep): (reached: RepairStep) => void {
  let stopped = false;
  return (reached) => {
    if (reached === step && !stopped) {
      stopped = true;
      throw new Error(`killed after ${step}`);
    }
  };
}

const STEPS: RepairStep[] = ['interim-checkpoint', 'segment-written', 'checkpoint', 'old-segments-deleted'];

describe.each(['lifo', 'fifo'] as const)('%s: job repair stopped after a step', (order) => {
  test.each(STEPS)('after %s, a second repair reports only what the first would have, and every kept request is served once', async (step) => {
    const {dir, served} = await damagedJob(order);
    // What one uninterrupted repair keeps and reports, on a copy.
    const reference = newDir();
    cpSync(dir, reference, {recursive: true});
    const whole = await repairJob(reference, small);
    const referenceJob = await open(reference, {queueOrder: order}, small);
    const expected = drain(referenceJob).sort();
    await referenceJob.close('finished');
    expect(whole.lost).toHaveLength(1);
    expect(expected).toHaveLength(REQUESTS - SERVED - 1);

    await expect(repairJob(dir, {...small, afterStep: stopAt(step)})).rejects.toThrow(`killed after ${step}`);
    const again = await repairJob(dir, small);
    // Once the new checkpoint is written, the damaged records are gone for good and nothing more is lost.
    expect(again.lost).toEqual(step === 'checkpoint' || step === 'old-segments-deleted' ? [] : whole.lost);
    const job = await open(dir, {queueOrder: order}, small);
    const got = drain(job).sort();
    await job.close('finished');
    expect(got).toEqual(expected);
    for (const name of served) expect(got).not.toContain(name);
  });

  test('stopped after its checkpoint, the crawl itself resumes: old segments removed, every kept request served once', async () => {
    const {dir} = await damagedJob(order);
    await expect(repairJob(dir, {...small, afterStep: stopAt('checkpoint')})).rejects.toThrow('killed');
    const job = await open(dir, {queueOrder: order}, small);
    const got = drain(job);
    await job.close('finished');
    expect(new Set(got).size).toBe(REQUESTS - SERVED - 1);
    expect(got).toHaveLength(REQUESTS - SERVED - 1);
  });
});

test.each(['lifo', 'fifo'] as const)('%s: a rebuilt lane is sealed segments of at most the queue limits, not one unbounded file', async (order) => {
  const {dir} = await damagedJob(order, 25_000, {segmentLimits: {maxRecords: 10_000, maxBytes: 4 * 1024 * 1024}});
  const report = await repairJob(dir);
  expect(report.rewritten.length).toBeGreaterThanOrEqual(3);
  const counts = segmentFiles(dir).map(recordCount);
  expect(counts.length).toBeGreaterThanOrEqual(3);
  for (const count of counts) expect(count).toBeLessThanOrEqual(10_000);
  expect(counts.reduce((sum, count) => sum + count, 0)).toBe(25_000 - SERVED - 1);
  const job = await open(dir, {queueOrder: order});
  const got = drain(job);
  await job.close('finished');
  expect(new Set(got).size).toBe(25_000 - SERVED - 1);
});
