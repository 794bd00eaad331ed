import {afterEach} from '@jest/globals';
import {spawn, type ChildProcess} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {openJob, type JobTuning} from '../../src/persistence/jobdir/job.js';
import type {Job, JobOptions} from '../../src/persistence/types.js';

export const ROOT = resolve(process.cwd());
export const CHILD = join(ROOT, 'test/persistence/fixtures/job-child.ts');

export function tempDir(): {dir: string; cleanup(): void} {
  const base = mkdtempSync(join(tmpdir(), 'dragline-job-'));
  return {dir: join(base, 'job'), cleanup: () => rmSync(base, {recursive: true, force: true})};
}

/**
 * Temporary job directories for one test file, removed after each test. Call at module level;
 * `later` registers more clean-up (such as killing a child) to run first.
 */
export function useTempDirs(): {newDir(): string; later(cleanup: () => void | Promise<void>): void} {
  let cleanups: Array<() => void | Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups) await cleanup();
    cleanups = [];
  });
  return {
    newDir() {
      const {dir, cleanup} = tempDir();
      cleanups.push(cleanup);
      return dir;
    },
    later(cleanup) {
      cleanups.unshift(cleanup);
    },
  };
}

export function jobOptions(overrides: Partial<JobOptions> = {}): JobOptions {
  return {spiderName: 'quotes', queueOrder: 'lifo', fsync: false, fsyncIntervalMs: 1000, draglineVersion: '0.1.0-test', ...overrides};
}

export function open(dir: string, overrides: Partial<JobOptions> = {}, tuning?: JobTuning): Promise<Job> {
  return openJob(dir, jobOptions(overrides), tuning);
}

export function payload(text: string): Buffer {
  return Buffer.from(text);
}

/** Pops everything (bounded), returning the payloads as strings. */
export function drain(job: Job, limit = 1_000_000): string[] {
  const out: string[] = [];
  for (let i = 0; i < limit; i++) {
    const lease = job.queue.pop();
    if (!lease) break;
    out.push(lease.payload.toString());
  }
  return out;
}

/**
 * Runs the child fixture (a scenario against a job directory) and resolves once it printed its
 * result line, leaving it running (holding the lock) until the caller kills it.
 */
export function runChild(scenario: Record<string, unknown>): Promise<{child: ChildProcess; result: Record<string, unknown>}> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(scenario)], {cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe']});
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child timed out: ${err}`));
    }, 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((candidate) => candidate.startsWith('RESULT '));
      if (line) {
        clearTimeout(timer);
        resolvePromise({child, result: JSON.parse(line.slice(7)) as Record<string, unknown>});
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (!out.includes('RESULT ')) reject(new Error(`child exited with ${code}: ${err}`));
    });
  });
}

/** SIGKILL, like kill -9: nothing of the child's shutdown code runs. */
export function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolvePromise) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolvePromise();
      return;
    }
    child.once('exit', () => resolvePromise());
    child.kill('SIGKILL');
  });
}
