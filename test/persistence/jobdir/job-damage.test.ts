/**
 * Damage is not a torn write (issue 11, section 4): only what follows the last commit the journal
 * knows of may be cut as torn. Damage before it, or a file shorter than the journal says, is
 * refused with JOBDIR_CORRUPT and the directory left byte for byte as it was; `job repair` then
 * keeps every intact record and says what was lost.
 */
import {describe, expect, test} from '@jest/globals';
import {createHash} from 'node:crypto';
import {cpSync, existsSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {jobStatus} from '../../../src/persistence/jobdir/job-status.js';
import {repairJob} from '../../../src/persistence/jobdir/job-repair.js';
import type {Job} from '../../../src/persistence/types.js';
import {drain, open, payload, useTempDirs} from '../helpers.js';

const {newDir} = useTempDirs();
const fp = (text: string) => createHash('sha1').update(text).digest();
/** Four records a segment, so a job of 30 requests has sealed segments and a tail. */
const small = {segmentLimits: {maxRecords: 4, maxBytes: 1 << 20}};
const REQUESTS = 30;

function files(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true, recursive: true})
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** Every file of the directory and its SHA-1: what "nothing changed" is checked against. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(files(dir).map((file) => [file, createHash('sha1').update(readFileSync(file)).digest('hex')]));
}

function segments(dir: string): string[] {
  return files(join(dir, 'requests.queue')).filter((file) => file.endsWith('.seg'));
}

/** A stopped job: REQUESTS queued (each seen), in one commit per request, closed cleanly. */
async function stoppedJob(order: 'lifo' | 'fifo'): Promise<string> {
  const dir = newDir();
  const job = await open(dir, {queueOrder: order}, small);
  for (let i = 0; i < REQUESTS; i++) commitRequest(job, `r${i}`);
  await job.close('shutdown');
  return dir;
}

function commitRequest(job: Job, name: string): void {
  job.begin([], {});
  job.seen.add(fp(name));
  job.queue.push(payload(name), 0);
  job.ack([]);
}

function flipByte(path: string, at: number): void {
  const bytes = readFileSync(path);
  bytes[at] ^= 0x5a;
  writeFileSync(path, bytes);
}

async function refusal(dir: string, order: 'lifo' | 'fifo'): Promise<{code?: string; message: string}> {
  try {
    const job = await open(dir, {queueOrder: order}, small);
    await job.close('shutdown');
  } catch (error) {
    return error as {code?: string; message: string};
  }
  throw new Error('the damaged job was opened');
}

interface DamageCase {
  name: string;
  damage(dir: string): void;
  /** Named in the refusal. */
  file: RegExp;
  /** What repair must report as lost. */
  lost: RegExp;
  /** Requests still queued after repair; undefined: not checked exactly. */
  pendingAfter?: number;
  seenAfter?: number;
}

const CASES: DamageCase[] = [
  {
    name: 'a byte flipped in the middle of the tail segment',
    damage: (dir) => {
      const tail = segments(dir).at(-1)!;
      flipByte(tail, Math.floor(statSync(tail).size / 2));
    },
    file: /\.seg/,
    lost: /unreadable bytes of queued requests/,
  },
  {
    name: 'a tail segment cut short',
    damage: (dir) => {
      const tail = segments(dir).at(-1)!;
      truncateSync(tail, statSync(tail).size - 5);
    },
    file: /\.seg/,
    lost: /queued requests/,
  },
  {
    name: 'a sealed segment deleted',
    damage: (dir) => rmSync(segments(dir)[1]),
    file: /\.seg/,
    lost: /4 queued requests/,
    pendingAfter: REQUESTS - 4,
  },
  {
    name: 'requests.seen cut short',
    damage: (dir) => truncateSync(join(dir, 'requests.seen'), 10 * 20),
    file: /requests\.seen/,
    lost: /20 fingerprints/,
    pendingAfter: REQUESTS,
    seenAfter: 10,
  },
  {
    name: 'requests.seen deleted',
    damage: (dir) => rmSync(join(dir, 'requests.seen')),
    file: /requests\.seen/,
    lost: /30 fingerprints/,
    pendingAfter: REQUESTS,
    seenAfter: 0,
  },
  {
    name: 'the lane folder deleted',
    damage: (dir) => rmSync(join(dir, 'requests.queue', 'p0'), {recursive: true}),
    file: /p0/,
    lost: /queued requests/,
    pendingAfter: 0,
  },
  {
    name: 'the whole queue folder deleted',
    damage: (dir) => rmSync(join(dir, 'requests.queue'), {recursive: true}),
    file: /journal/,
    lost: /the whole queue .*every queued request/,
    pendingAfter: 0,
  },
];

describe('a damaged job is refused, unchanged, and job repair salvages it', () => {
  for (const order of ['lifo', 'fifo'] as const) {
    test.each(CASES)(`${order}: $name`, async (damageCase) => {
      const dir = await stoppedJob(order);
      damageCase.damage(dir);
      const before = snapshot(dir);

      const error = await refusal(dir, order);
      expect(error.code).toBe('JOBDIR_CORRUPT');
      expect(error.message).toMatch(damageCase.file);
      expect(error.message).toContain('job repair');
      expect(error.message).not.toContain('\n');
      expect(snapshot(dir)).toEqual(before);

      const status = await jobStatus(dir);
      expect(status.damage.length).toBeGreaterThan(0);
      expect(snapshot(dir)).toEqual(before);

      const report = await repairJob(dir);
      expect(report.damage.length).toBeGreaterThan(0);
      expect(report.lost.join('\n')).toMatch(damageCase.lost);

      const job = await open(dir, {queueOrder: order}, small);
      if (damageCase.pendingAfter !== undefined) expect(job.report.pending).toBe(damageCase.pendingAfter);
      if (damageCase.seenAfter !== undefined) expect(job.report.seen).toBe(damageCase.seenAfter);
      const got = drain(job);
      expect(got.length).toBe(job.report.pending);
      // Every request kept is one that was queued, once.
      expect(new Set(got).size).toBe(got.length);
      for (const name of got) expect(name).toMatch(/^r\d+$/);
      // A damaged tail loses at most the records in the damaged bytes, never the segments before it.
      expect(got.length).toBeGreaterThanOrEqual(damageCase.pendingAfter ?? REQUESTS - 4);
      await job.close('finished');
      expect((await jobStatus(dir)).damage).toEqual([]);
    });
  }

  test.each(['lifo', 'fifo'] as const)('%s: a byte flipped inside a sealed segment: status shows it, the crawl stops when it gets there, repair loses that one request', async (order) => {
    const dir = await stoppedJob(order);
    const sealed = segments(dir)[0];
    // Inside the second record's payload: its length still reads, its checksum does not.
    flipByte(sealed, statSync(sealed).size - 3);
    expect((await jobStatus(dir)).damage).toEqual([{file: expect.stringMatching(/p0\/\d+\.seg$/), problem: expect.stringMatching(/damaged record at byte \d+/)}]);

    const before = readFileSync(sealed);
    const job = await open(dir, {queueOrder: order}, small);
    let error: {code?: string; message?: string} | undefined;
    for (let i = 0; i <= REQUESTS && error === undefined; i++) {
      try {
        if (job.queue.pop() === undefined) break;
      } catch (thrown) {
        error = thrown as {code?: string};
      }
    }
    await job.close('error');
    expect(error?.code).toBe('JOBDIR_CORRUPT');
    expect(error?.message).toContain('job repair');
    expect(readFileSync(sealed)).toEqual(before);

    const report = await repairJob(dir);
    expect(report.lost.join('\n')).toMatch(/queued requests/);
    const reopened = await open(dir, {queueOrder: order}, small);
    const got = drain(reopened);
    expect(new Set(got).size).toBe(REQUESTS - 1);
    expect(got).toHaveLength(REQUESTS - 1);
    await reopened.close('finished');
  });

  test('a damaged record in the middle of the journal, with intact ones after it, is damage, not a torn end', async () => {
    const dir = newDir();
    const copy = newDir();
    const job = await open(dir, {}, small);
    for (let i = 0; i < REQUESTS; i++) commitRequest(job, `r${i}`);
    // A copy while the job runs is what kill -9 would leave: a journal of many records after its checkpoint.
    cpSync(dir, copy, {recursive: true});
    await job.close('shutdown');
    rmSync(join(copy, 'job.lock'), {recursive: true, force: true});
    rmSync(join(copy, 'owner.json'), {force: true});
    const journal = join(copy, 'requests.queue', 'journal');
    flipByte(journal, Math.floor(statSync(journal).size / 2));
    const before = snapshot(copy);

    const error = await refusal(copy, 'lifo');
    expect(error.code).toBe('JOBDIR_CORRUPT');
    expect(error.message).toMatch(/journal has a damaged record at byte \d+, followed by intact ones/);
    expect(snapshot(copy)).toEqual(before);

    const report = await repairJob(copy);
    expect(report.lost.join('\n')).toMatch(/journal: \d+ unreadable bytes skipped/);
    const reopened = await open(copy, {}, small);
    expect(drain(reopened).sort()).toEqual(Array.from({length: REQUESTS}, (_, i) => `r${i}`).sort());
    await reopened.close('finished');
  });

  test.each(['lifo', 'fifo'] as const)('%s: segments and lanes emptied by pops after the last commit, then kill -9: not damage', async (order) => {
    const dir = newDir();
    const killed = newDir();
    const job = await open(dir, {queueOrder: order}, small);
    for (let i = 0; i < REQUESTS; i++) commitRequest(job, `r${i}`);
    const popped = drain(job);
    expect(popped).toHaveLength(REQUESTS);
    expect(existsSync(join(dir, 'requests.queue', 'p0'))).toBe(false);
    cpSync(dir, killed, {recursive: true});
    await job.close('shutdown');
    rmSync(join(killed, 'job.lock'), {recursive: true, force: true});
    rmSync(join(killed, 'owner.json'), {force: true});

    const reopened = await open(killed, {queueOrder: order}, small);
    // The leases were journaled before their segments went: every request comes back, once.
    expect(drain(reopened).sort()).toEqual([...popped].sort());
    await reopened.close('finished');
  });

  test('lifo: a lane emptied, removed, made again and popped, then kill -9: its old sealed segments are not missed', async () => {
    const dir = newDir();
    const killed = newDir();
    const job = await open(dir, {}, small);
    for (let i = 0; i < 6; i++) commitRequest(job, `old${i}`);
    expect(drain(job)).toHaveLength(6);
    for (let i = 0; i < 3; i++) commitRequest(job, `new${i}`);
    const popped = job.queue.pop()!;
    // The next commit writes the lease; the journal now has the old lane's seal and a mark in the new lane.
    job.begin([popped.id], {});
    job.ack([popped.id]);
    cpSync(dir, killed, {recursive: true});
    await job.close('shutdown');
    rmSync(join(killed, 'job.lock'), {recursive: true, force: true});
    rmSync(join(killed, 'owner.json'), {force: true});

    const reopened = await open(killed, {}, small);
    // The old ones were popped and never acked, so they come back; the new one popped was acked.
    const expected = ['old0', 'old1', 'old2', 'old3', 'old4', 'old5', 'new0', 'new1', 'new2'].filter((name) => name !== popped.payload.toString());
    expect(drain(reopened).sort()).toEqual(expected.sort());
    await reopened.close('finished');
  });

  test('lifo: pops after the last commit, then a shorter push over them (outside a commit), then kill -9: not damage', async () => {
    const dir = newDir();
    const killed = newDir();
    const job = await open(dir, {}, small);
    for (let i = 0; i < 7; i++) commitRequest(job, `request-${i}`);
    const popped = [job.queue.pop()!, job.queue.pop()!];
    // The push writes the leases first, then overwrites the popped records with a shorter one: what follows it is no record.
    job.queue.push(payload('x'), 0);
    cpSync(dir, killed, {recursive: true});
    await job.close('shutdown');
    rmSync(join(killed, 'job.lock'), {recursive: true, force: true});
    rmSync(join(killed, 'owner.json'), {force: true});

    const reopened = await open(killed, {}, small);
    const expected = ['x', ...Array.from({length: 7}, (_, i) => `request-${i}`)];
    expect(drain(reopened).sort()).toEqual(expected.sort());
    expect(popped).toHaveLength(2);
    await reopened.close('finished');
  });

  test('a torn end after the last commit is still cut without a word: that is what a crash leaves', async () => {
    const dir = await stoppedJob('lifo');
    const tail = segments(dir).at(-1)!;
    // Half of a record header and payload: a push the crash cut off.
    writeFileSync(tail, Buffer.concat([readFileSync(tail), Buffer.from([40, 0, 0, 0, 1, 2, 3, 4, 5, 6])]));
    writeFileSync(join(dir, 'requests.seen'), Buffer.concat([readFileSync(join(dir, 'requests.seen')), Buffer.alloc(7, 1)]));
    const job = await open(dir, {}, small);
    expect(job.report.pending).toBe(REQUESTS);
    expect(job.report.seen).toBe(REQUESTS);
    expect(drain(job)).toHaveLength(REQUESTS);
    await job.close('finished');
  });

  test('a job without damage is left as it is by repair, apart from its journal', async () => {
    const dir = await stoppedJob('fifo');
    const report = await repairJob(dir);
    expect(report).toMatchObject({damage: [], lost: [], rewritten: []});
    const job = await open(dir, {queueOrder: 'fifo'}, small);
    expect(drain(job)).toEqual(Array.from({length: REQUESTS}, (_, i) => `r${i}`));
    await job.close('finished');
    expect(existsSync(join(dir, 'requests.queue'))).toBe(true);
  });
});
