import {existsSync, readFileSync, rmSync} from 'node:fs';
import {hostname} from 'node:os';
import {join} from 'node:path';
import lockfile from 'proper-lockfile';
import {DraglineError} from '../core/errors.js';
import {writeFileAtomic} from './atomic-file.js';

export const LOCK_NAME = 'job.lock';
export const OWNER_NAME = 'owner.json';
/** Long enough that a busy event loop (loading a big seen file) does not lose the lock. */
const STALE_MS = 60_000;

export interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
}

export interface HeldLock {
  release(): Promise<void>;
  /** The dead process whose lock was taken over, if any. */
  tookOverFrom?: LockOwner;
}

export function readOwner(dir: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(join(dir, OWNER_NAME), 'utf8')) as LockOwner;
    return typeof owner?.pid === 'number' && typeof owner.host === 'string' ? owner : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a process id on this host is alive (EPERM: alive, but someone else's). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the lock directory exists and its owner may still be running. */
export function lockHolder(dir: string): (LockOwner & {alive: boolean | undefined}) | undefined {
  if (!existsSync(join(dir, LOCK_NAME))) return undefined;
  const owner = readOwner(dir) ?? {pid: 0, host: 'unknown', startedAt: ''};
  const alive = owner.host === hostname() && owner.pid > 0 ? isProcessAlive(owner.pid) : undefined;
  return {...owner, alive};
}

/**
 * Locks the job directory for the whole run (proper-lockfile keeps the lock's mtime fresh). A lock
 * left by a process of this host that no longer exists (kill -9, crash) is taken over at once, so
 * rerunning after a crash needs no manual cleanup.
 */
export async function acquireJobLock(dir: string, onCompromised: (error: Error) => void): Promise<HeldLock> {
  const options = {lockfilePath: join(dir, LOCK_NAME), realpath: false, stale: STALE_MS, retries: 0, onCompromised};
  let tookOverFrom: LockOwner | undefined;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dir, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    const owner = readOwner(dir);
    if (!owner || owner.host !== hostname() || isProcessAlive(owner.pid)) throw lockedError(dir, owner);
    rmSync(join(dir, LOCK_NAME), {recursive: true, force: true});
    try {
      release = await lockfile.lock(dir, options);
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code === 'ELOCKED') throw lockedError(dir, readOwner(dir));
      throw again;
    }
    tookOverFrom = owner;
  }
  const me: LockOwner = {pid: process.pid, host: hostname(), startedAt: new Date().toISOString()};
  writeFileAtomic(join(dir, OWNER_NAME), JSON.stringify(me, null, 2) + '\n');
  return {
    tookOverFrom,
    async release() {
      rmSync(join(dir, OWNER_NAME), {force: true});
      await release();
    },
  };
}

function lockedError(dir: string, owner: LockOwner | undefined): DraglineError {
  if (!owner) {
    return new DraglineError('JOBDIR_LOCKED', `Job directory ${dir} is locked by another dragline process (owner unknown); if none is running, wait a minute for the lock to go stale`, {
      suggestions: ['Stop the other crawl, or use another JOBDIR'],
    });
  }
  const since = Date.parse(owner.startedAt);
  const held = Number.isFinite(since) ? ` since ${owner.startedAt} (${formatDuration(Date.now() - since)})` : '';
  return new DraglineError('JOBDIR_LOCKED', `Job directory ${dir} is in use by process ${owner.pid} on ${owner.host}${held}; stop that crawl first or use another JOBDIR`, {
    suggestions: [`Stop process ${owner.pid} on ${owner.host} (Ctrl-C pauses it), then rerun the same command`],
  });
}

export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  const hours = Math.floor(minutes / 60);
  return `${hours}h ${minutes % 60}m`;
}
