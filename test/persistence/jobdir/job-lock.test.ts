/**
 * The job lock (docs/jobs.md "Locking"): a kernel lock that a live holder never loses, however long
 * it is stopped or blocked, freed the moment the holder dies (even as an unreaped zombie); and the
 * run's claim in owner.json, which makes a run whose job was taken over stop writing.
 */
import {afterEach, describe, expect, test} from '@jest/globals';
import {spawn, type ChildProcess} from 'node:child_process';
import {mkdirSync, readdirSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync} from 'node:fs';
import {hostname} from 'node:os';
import {join} from 'node:path';
import {jobStatus} from '../../../src/persistence/jobdir/job-status.js';
import {CHILD, killHard, open, payload, ROOT, runChild, useTempDirs} from '../helpers.js';

const {newDir, later} = useTempDirs();
function track(child: ChildProcess): ChildProcess {
  later(() => killHard(child));
  return child;
}

/** Environment the child fixtures inherit; restored after each test. */
const savedEnv = {...process.env};
afterEach(() => {
  for (const name of ['DRAGLINE_LOCK_STALE_MS', 'DRAGLINE_LOCK_HELPERS']) {
    if (savedEnv[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnv[name];
  }
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function openError(dir: string): Promise<{code: string; message: string} | undefined> {
  return open(dir).then(
    async (job) => {
      await job.close('shutdown');
      return undefined;
    },
    (caught: unknown) => caught as {code: string; message: string},
  );
}

/** Every file of the directory with its bytes, to show that nothing was written. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (at: string, prefix: string) => {
    for (const entry of readdirSync(at, {withFileTypes: true})) {
      if (entry.isDirectory()) walk(join(at, entry.name), `${prefix}${entry.name}/`);
      else files[`${prefix}${entry.name}`] = readFileSync(join(at, entry.name)).toString('base64');
    }
  };
  walk(dir, '');
  return files;
}

function processState(pid: number): string | undefined {
  try {
    // Field 3 of /proc/<pid>/stat, after the parenthesised command name.
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[0];
  } catch {
    return undefined;
  }
}

describe('a live holder keeps the job', () => {
  // A time-based lock of 2 s would be stale after these pauses; the kernel lock has no stale time.
  test('stopped with SIGSTOP past the stale time, it is still refused to another run; kill -9 frees it at once', async () => {
    process.env.DRAGLINE_LOCK_STALE_MS = '2000';
    const dir = newDir();
    const {child, result} = await runChild({dir, name: 'hold'});
    track(child);
    child.kill('SIGSTOP');
    later(() => {
      child.kill('SIGCONT');
    });
    await sleep(3000);
    const error = await openError(dir);
    expect(error?.code).toBe('JOBDIR_LOCKED');
    expect(error?.message).toContain(`process ${result.pid} on ${hostname()}`);
    const status = await jobStatus(dir);
    expect(status.lock).toMatchObject({pid: result.pid, alive: true});

    await killHard(child);
    const job = await open(dir);
    expect(job.report.lastRun?.unclean).toBe(true);
    await job.close('finished');
  }, 30_000);

  test('blocked in one long synchronous step, it is still refused to another run', async () => {
    process.env.DRAGLINE_LOCK_STALE_MS = '2000';
    const dir = newDir();
    const {child, result} = await runChild({dir, name: 'hold', blockMs: 8000});
    track(child);
    await sleep(3000);
    const error = await openError(dir);
    expect(error?.code).toBe('JOBDIR_LOCKED');
    expect(error?.message).toContain(`process ${result.pid}`);
  }, 30_000);

  test('with perl as the lock helper (macOS has no flock(1)), the same holds', async () => {
    process.env.DRAGLINE_LOCK_HELPERS = 'perl';
    const dir = newDir();
    const {child, result} = await runChild({dir, name: 'hold'});
    track(child);
    child.kill('SIGSTOP');
    later(() => {
      child.kill('SIGCONT');
    });
    expect((await openError(dir))?.code).toBe('JOBDIR_LOCKED');
    expect((await jobStatus(dir)).lock).toMatchObject({pid: result.pid, alive: true});
    await killHard(child);
    const job = await open(dir);
    await job.close('finished');
  }, 30_000);
});

describe('a dead holder never delays a rerun', () => {
  test('killed while its parent does not reap it (a zombie whose pid still answers kill 0), its job is taken at once', async () => {
    const dir = newDir();
    // The shell starts the holder in the background, then becomes `sleep`, which never waits for it.
    const scenario = JSON.stringify({dir, name: 'hold'});
    const parent = spawn('sh', ['-c', `"$0" --import tsx "$1" "$2" & echo "PID $!"; exec sleep 120`, process.execPath, CHILD, scenario], {cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit']});
    track(parent);
    let out = '';
    parent.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    for (let i = 0; i < 3000 && !out.includes('RESULT '); i++) await sleep(10);
    const pid = Number(/PID (\d+)/.exec(out)?.[1]);
    expect(out).toContain(`"pid":${pid}`);
    process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 500 && processState(pid) !== 'Z'; i++) await sleep(10);
    expect(processState(pid)).toBe('Z');
    // What the old lock judged by: the zombie still "exists".
    expect(() => process.kill(pid, 0)).not.toThrow();

    const job = await open(dir);
    expect(job.report.lastRun).toMatchObject({pid, unclean: true});
    await job.close('finished');
  }, 30_000);

  test('owner.json naming our own pid (a restarted container is pid 1 again) and an earlier release\'s fresh lock directory do not refuse', async () => {
    const dir = newDir();
    const first = await open(dir);
    await first.close('finished');
    writeFileSync(join(dir, 'owner.json'), JSON.stringify({pid: process.pid, host: hostname(), startedAt: new Date().toISOString()}));
    mkdirSync(join(dir, 'job.lock'));
    const job = await open(dir);
    expect(job.report.lastRun?.unclean).toBe(true);
    expect(readdirSync(dir)).not.toContain('job.lock');
    expect(JSON.parse(readFileSync(join(dir, 'owner.json'), 'utf8'))).toMatchObject({pid: process.pid, epoch: expect.any(Number)});
    await job.close('finished');
  });

  test('an earlier release\'s lock directory left by a crash is removed; one it still refreshes, for a live process, is respected', async () => {
    const dir = newDir();
    const first = await open(dir);
    await first.close('finished');
    // A live process of this host that is not us: the test's parent.
    const other = process.ppid;
    writeFileSync(join(dir, 'owner.json'), JSON.stringify({pid: other, host: hostname(), startedAt: new Date().toISOString()}));
    mkdirSync(join(dir, 'job.lock'));
    const error = await openError(dir);
    expect(error?.code).toBe('JOBDIR_LOCKED');
    expect(error?.message).toContain(`process ${other}`);

    const old = new Date(Date.now() - 5 * 60_000);
    utimesSync(join(dir, 'job.lock'), old, old);
    const job = await open(dir);
    expect(readdirSync(dir)).not.toContain('job.lock');
    await job.close('finished');
  });
});

describe('a run whose job was taken over', () => {
  /** What another run does first when it opens the job: replace owner.json with its claim. */
  function claimAsAnotherRun(dir: string): void {
    const temp = join(dir, 'owner.json.tmp-test');
    writeFileSync(temp, JSON.stringify({pid: 424242, host: 'other-host', startedAt: new Date().toISOString(), epoch: 99}));
    renameSync(temp, join(dir, 'owner.json'));
  }

  test('stops at its next commit and writes nothing more: no commit, no compaction, no job.json, no queue truncation', async () => {
    const dir = newDir();
    const lost: Error[] = [];
    const job = await open(dir, {onLockCompromised: (error) => lost.push(error)});
    job.begin([], {});
    for (let i = 0; i < 5; i++) job.queue.push(payload(`r${i}`), 0);
    job.ack([]);
    // A LIFO pop leaves its record in the file until close cuts it: close must not cut it now.
    const lease = job.queue.pop()!;
    claimAsAnotherRun(dir);
    const before = snapshot(dir);

    expect(() => job.begin([lease.id], {items: 0})).toThrow(expect.objectContaining({code: 'JOBDIR_TAKEN_OVER', message: expect.stringContaining('process 424242 on other-host (run 99)')}));
    expect(lost.map((error) => (error as {code?: string}).code)).toEqual(['JOBDIR_TAKEN_OVER']);
    expect(() => job.saveJson('stats', {})).toThrow(expect.objectContaining({code: 'JOBDIR_TAKEN_OVER'}));
    expect(() => job.saveState({pages: 1})).toThrow(expect.objectContaining({code: 'JOBDIR_TAKEN_OVER'}));
    await expect(job.close('finished')).rejects.toMatchObject({code: 'JOBDIR_TAKEN_OVER'});
    expect(snapshot(dir)).toEqual(before);
  });

  test('where the lock cannot hold (the time-based fallback), a run stopped past the stale time and taken over stops at its next commit without writing', async () => {
    process.env.DRAGLINE_LOCK_HELPERS = '';
    process.env.DRAGLINE_LOCK_STALE_MS = '2000';
    const dir = newDir();
    const {child} = await runChild({dir, name: 'hold', blockMs: 8000, commitAfterBlock: true});
    track(child);
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await sleep(3000);
    const job = await open(dir);
    const before = snapshot(dir);
    for (let i = 0; i < 3000 && !out.includes('AFTER '); i++) await sleep(10);
    expect(out).toContain('AFTER JOBDIR_TAKEN_OVER');
    expect(snapshot(dir)).toEqual(before);
    expect(job.queue.pop()).toBeUndefined();
    await job.close('finished');
  }, 30_000);

  test('a run whose lock helper was killed stops at its next commit, and the job can be opened again', async () => {
    const dir = newDir();
    const lost: Error[] = [];
    const job = await open(dir, {onLockCompromised: (error) => lost.push(error)});
    // The flock process holding this job's owner.lock.
    const helper = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number).find((pid) => {
      try {
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return argv[0] === 'flock' && argv.includes(join(dir, 'owner.lock'));
      } catch {
        return false;
      }
    });
    expect(helper).toBeDefined();
    process.kill(helper!, 'SIGKILL');
    for (let i = 0; i < 500 && lost.length === 0; i++) await sleep(10);
    expect(lost.map((error) => (error as {code?: string}).code)).toEqual(['LOCK_COMPROMISED']);
    expect(() => job.begin([], {})).toThrow(expect.objectContaining({code: 'LOCK_COMPROMISED'}));
    await expect(job.close('finished')).rejects.toMatchObject({code: 'LOCK_COMPROMISED'});
    const again = await open(dir);
    await again.close('finished');
  });
});

describe('a first run killed while it was claiming the job', () => {
  test('leaves a directory the rerun still takes as its own (owner.lock and a temp owner file are start-up leftovers)', async () => {
    const dir = newDir();
    mkdirSync(dir, {recursive: true});
    writeFileSync(join(dir, 'owner.lock'), '');
    writeFileSync(join(dir, 'owner.json.tmp-4242'), '{"pid":4242');
    const job = await open(dir);
    expect(job.report.fresh).toBe(true);
    await job.close('finished');
  });
});
