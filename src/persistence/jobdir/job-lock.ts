import * as fs from 'node:fs';
import {closeSync, existsSync, fstatSync, openSync, readFileSync, rmSync, statSync} from 'node:fs';
import {hostname} from 'node:os';
import {join} from 'node:path';
import lockfile from 'proper-lockfile';
import {DraglineError} from '../../core/errors.js';
import {writeFileAtomic} from '../atomic-file.js';
import {isKernelLocked, tryKernelLock, type KernelLock} from './lock-helper.js';

/** The file the kernel lock is taken on; it stays in the directory for good. */
export const LOCK_FILE = 'owner.lock';
/** proper-lockfile's lock directory: written by earlier releases, and by the fallback where no lock helper is installed. */
export const LEGACY_LOCK_NAME = 'job.lock';
export const OWNER_NAME = 'owner.json';
/**
 * proper-lockfile's stale time (earlier releases and the fallback): a lock whose mtime is older
 * belongs to no live process. DRAGLINE_LOCK_STALE_MS shortens it for tests (at least 2000).
 */
function legacyStaleMs(): number {
  const fromEnv = Number(process.env.DRAGLINE_LOCK_STALE_MS);
  return fromEnv > 0 ? fromEnv : 60_000;
}
/** A `job status` probe holds a shared lock for a few milliseconds: a crawl starting in that instant tries again. */
const BUSY_RETRIES = 5;
const BUSY_RETRY_MS = 50;

export interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
  /** The run's epoch (the journal's checkpoint counter), absent in owner files of earlier releases. */
  epoch?: number;
}

export interface HeldLock {
  /** The run that held the job before and never released it (killed, crashed), if any. */
  tookOverFrom?: LockOwner;
  /**
   * Writes owner.json for this run, before the run changes anything: pid, host, start and epoch.
   * It is this run's claim: a run that finds its claim replaced stops writing (check()).
   */
  claim(epoch: number): void;
  /** Throws JOBDIR_TAKEN_OVER if another run has claimed the job since claim(). One fstat, ~1 µs. */
  check(): void;
  release(): Promise<void>;
}

export function readOwner(dir: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(join(dir, OWNER_NAME), 'utf8')) as LockOwner;
    return typeof owner?.pid === 'number' && typeof owner.host === 'string' ? owner : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a process id on this host exists (EPERM: it does, but is someone else's). A zombie or a recycled pid counts: only a hint. */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Who holds the job, for `job status`, without taking its lock. `alive` is the kernel's answer
 * (null when it cannot be asked); owner.json only names the process. A leftover owner.json of a
 * run that died is shown with `alive: false`.
 */
export function lockHolder(dir: string): (LockOwner & {alive: boolean | undefined}) | undefined {
  const owner = readOwner(dir);
  const lockPath = join(dir, LOCK_FILE);
  let alive = existsSync(lockPath) ? isKernelLocked(lockPath) : false;
  if (alive !== true && legacyLockIsLive(dir, owner)) alive = true;
  if (owner === undefined && !alive) return undefined;
  return {...(owner ?? {pid: 0, host: 'unknown', startedAt: ''}), alive};
}

/**
 * Locks the job directory for the whole run with a kernel lock (lock-helper.ts): refused while
 * another process holding it lives, however long that process is stopped; free the moment it
 * dies. Where no helper program exists, falls back to proper-lockfile (time-based: a holder
 * stopped past its stale time loses the job; the epoch check is then the only guard).
 */
export async function acquireJobLock(dir: string, onCompromised: (error: Error) => void): Promise<HeldLock> {
  const lockPath = join(dir, LOCK_FILE);
  const lost = (reason: string) => onCompromised(new DraglineError('LOCK_COMPROMISED', `Lost the lock on the job directory ${dir}: ${reason}; stopping without writing anything more`));
  for (let attempt = 0; ; attempt += 1) {
    const result = await tryKernelLock(lockPath, lost);
    if (result.status === 'locked') return afterKernelLock(dir, result.lock);
    if (result.status === 'unavailable') return acquireLegacyLock(dir, onCompromised);
    if (attempt >= BUSY_RETRIES) throw lockedError(dir, readOwner(dir));
    await new Promise((resolve) => setTimeout(resolve, BUSY_RETRY_MS));
  }
}

async function afterKernelLock(dir: string, lock: KernelLock): Promise<HeldLock> {
  const previous = readOwner(dir);
  try {
    // A lock directory left by an earlier release: its crash leftovers are ours to remove, a run of it still going is not.
    if (existsSync(join(dir, LEGACY_LOCK_NAME))) {
      if (legacyLockIsLive(dir, previous)) throw lockedError(dir, previous);
      rmSync(join(dir, LEGACY_LOCK_NAME), {recursive: true, force: true});
    }
  } catch (error) {
    await lock.release();
    throw error;
  }
  // A clean release removes owner.json: one still there belongs to a run that never finished.
  return new ClaimedLock(dir, previous, () => lock.release());
}

/**
 * An earlier release's (or the fallback's) lock counts while proper-lockfile keeps refreshing it
 * (mtime younger than the stale time) and owner.json names another existing process of this host.
 */
function legacyLockIsLive(dir: string, owner: LockOwner | undefined): boolean {
  let mtimeMs: number;
  try {
    mtimeMs = statSync(join(dir, LEGACY_LOCK_NAME)).mtimeMs;
  } catch {
    return false;
  }
  if (Date.now() - mtimeMs > legacyStaleMs()) return false;
  return owner !== undefined && owner.host === hostname() && owner.pid !== process.pid && processExists(owner.pid);
}

/** proper-lockfile on the directory, for platforms without flock(1) or perl. */
async function acquireLegacyLock(dir: string, onCompromised: (error: Error) => void): Promise<HeldLock> {
  const stale = legacyStaleMs();
  process.emitWarning(`Neither flock nor perl is available: ${dir} is locked with a time-based lock, which a crawl stopped for ${stale / 1000}s or more loses to another run (that crawl then stops without writing)`);
  // proper-lockfile removes its lock directories when the process exits; once another run has
  // taken the job over, that directory is the other run's.
  let disowned = false;
  const lockFs = {...fs, rmdirSync: (path: fs.PathLike) => (disowned ? undefined : fs.rmdirSync(path))};
  const options = {
    lockfilePath: join(dir, LEGACY_LOCK_NAME), realpath: false, stale, retries: 0, fs: lockFs,
    onCompromised: (error: Error) => onCompromised(new DraglineError('LOCK_COMPROMISED', `Lost the lock on the job directory ${dir} (${error.message}); stopping without writing anything more`, {cause: error})),
  };
  const previous = readOwner(dir);
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dir, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    // Our own pid: a restarted container's pid 1, not a live holder.
    if (previous && previous.host === hostname() && previous.pid !== process.pid && processExists(previous.pid)) throw lockedError(dir, previous);
    rmSync(join(dir, LEGACY_LOCK_NAME), {recursive: true, force: true});
    try {
      release = await lockfile.lock(dir, options);
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code === 'ELOCKED') throw lockedError(dir, readOwner(dir));
      throw again;
    }
  }
  return new ClaimedLock(dir, previous, release, () => {
    disowned = true;
  });
}

class ClaimedLock implements HeldLock {
  /** owner.json as this run wrote it: replaced or removed by anyone else, its link count drops to 0. */
  private ownerFd?: number;
  private epoch = 0;

  constructor(
    private readonly dir: string,
    readonly tookOverFrom: LockOwner | undefined,
    private readonly releaseLock: () => Promise<void>,
    /** For a lock that another run can take over (the fallback): called instead of releasing it then. A kernel lock is always ours to release. */
    private readonly disown?: () => void,
  ) {}

  claim(epoch: number): void {
    this.epoch = epoch;
    const path = join(this.dir, OWNER_NAME);
    const me: LockOwner = {pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), epoch};
    writeFileAtomic(path, JSON.stringify(me, null, 2) + '\n');
    this.ownerFd = openSync(path, 'r');
  }

  check(): void {
    if (this.ownerFd === undefined) return;
    let replaced: boolean;
    try {
      replaced = fstatSync(this.ownerFd).nlink === 0;
    } catch {
      replaced = true;
    }
    if (replaced) throw takenOverError(this.dir, this.epoch, readOwner(this.dir));
  }

  async release(): Promise<void> {
    let ours = true;
    if (this.ownerFd !== undefined) {
      // Only our own claim is ours to remove.
      ours = fstatSync(this.ownerFd).nlink > 0;
      closeSync(this.ownerFd);
      this.ownerFd = undefined;
      if (ours) rmSync(join(this.dir, OWNER_NAME), {force: true});
    }
    if (ours || this.disown === undefined) await this.releaseLock();
    else this.disown();
  }
}

function takenOverError(dir: string, epoch: number, owner: LockOwner | undefined): DraglineError {
  const by = owner ? `process ${owner.pid} on ${owner.host}${owner.epoch !== undefined ? ` (run ${owner.epoch})` : ''}` : 'another process';
  return new DraglineError('JOBDIR_TAKEN_OVER', `Job directory ${dir} was taken over by ${by} while this crawl (run ${epoch}) was not running; stopped without writing anything more, the other run owns the job now`, {
    suggestions: ['Let the other crawl finish, or stop it and rerun the same command'],
  });
}

function lockedError(dir: string, owner: LockOwner | undefined): DraglineError {
  if (!owner) {
    return new DraglineError('JOBDIR_LOCKED', `Job directory ${dir} is in use by another dragline process; stop that crawl first or use another JOBDIR`, {
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
