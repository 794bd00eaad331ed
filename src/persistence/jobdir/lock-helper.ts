import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {closeSync, openSync} from 'node:fs';

/**
 * An exclusive flock(2) on a file, held for us by a small helper process (Node has no flock).
 *
 * The helper takes the lock, then copies its stdin, a pipe from us, to its stdout until the pipe
 * closes. Our end closes when we release, and when we die in any way (kill -9, a crash, an
 * unreaped zombie: the kernel closes a dead process's files before it becomes a zombie); the
 * helper then exits and the kernel drops its lock. Nothing depends on our event loop or timers,
 * so a stopped or blocked holder (SIGSTOP, Ctrl-Z, `docker pause`, a long synchronous step) keeps
 * the lock for as long as it lives. The helper runs in its own session, so the terminal's Ctrl-C
 * and SIGHUP, meant for the crawl, do not end it before the crawl has finished closing.
 *
 * Helpers, first found wins: util-linux's or BusyBox's `flock`, else `perl` (macOS has no
 * flock(1) but ships perl). The lock file is never deleted: deleting a locked file lets a third
 * process lock a new file of the same name while the second still waits on the old one.
 */
const ALL_HELPERS: Array<{command: string; hold: (path: string) => string[]; probe: (path: string) => string[]}> = [
  {command: 'flock', hold: (path) => ['-n', path, 'cat'], probe: (path) => ['-n', '-s', path, 'true']},
  {
    command: 'perl',
    hold: (path) => ['-e', 'use Fcntl ":flock"; open(my $f, ">>", $ARGV[0]) or die "cannot open $ARGV[0]: $!\\n"; flock($f, LOCK_EX | LOCK_NB) or exit 1; $| = 1; print while <STDIN>;', path],
    probe: (path) => ['-e', 'use Fcntl ":flock"; open(my $f, "<", $ARGV[0]) or exit 2; flock($f, LOCK_SH | LOCK_NB) or exit 1; exit 0;', path],
  },
];

/** DRAGLINE_LOCK_HELPERS (comma-separated, e.g. `perl`) narrows the choice; empty: none, i.e. the time-based fallback (tests use it). */
function helpers(): typeof ALL_HELPERS {
  const chosen = process.env.DRAGLINE_LOCK_HELPERS?.split(',').map((name) => name.trim());
  return chosen === undefined ? ALL_HELPERS : ALL_HELPERS.filter((helper) => chosen.includes(helper.command));
}

export interface KernelLock {
  /** Drops the lock and waits until the helper has exited (so the lock is free when this resolves). */
  release(): Promise<void>;
}

export type LockAttempt = {status: 'locked'; lock: KernelLock} | {status: 'busy'} | {status: 'unavailable'};

/**
 * Tries once to lock `path` without waiting. `busy`: another process holds it. `unavailable`: no
 * helper program is installed. `onLost` is called if the helper dies while we hold the lock
 * (someone killed it): the lock is gone from then on.
 */
export async function tryKernelLock(path: string, onLost: (reason: string) => void): Promise<LockAttempt> {
  if (helpers().length > 0) createLockFile(path);
  for (const helper of helpers()) {
    const attempt = await tryHelper(helper.command, helper.hold(path), path, onLost);
    if (attempt !== 'missing') return attempt;
  }
  return {status: 'unavailable'};
}

/**
 * The lock file is made here, not by the helper, so that a directory where it cannot be made
 * (read-only, not ours) fails with the errno error the caller turns into a coded line, rather than
 * with a helper's message. On a read-only file system an existing lock file can still be locked.
 */
function createLockFile(path: string): void {
  try {
    closeSync(openSync(path, 'a'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EROFS') throw error;
    try {
      closeSync(openSync(path, 'r'));
    } catch {
      throw error;
    }
  }
}

/** Whether some process holds the lock on `path` (undefined: cannot tell, no helper). Takes no lock that could make a starting crawl wait. */
export function isKernelLocked(path: string): boolean | undefined {
  for (const helper of helpers()) {
    // A shared lock for the time it takes to run `true`: a crawl starting in that instant retries (see job-lock.ts).
    const result = spawnSync(helper.command, helper.probe(path), {stdio: 'ignore'});
    if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') continue;
    if (result.status === 0) return false;
    if (result.status === 1) return true;
    return undefined;
  }
  return undefined;
}

function tryHelper(command: string, args: string[], path: string, onLost: (reason: string) => void): Promise<LockAttempt | 'missing'> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {detached: true, stdio: ['pipe', 'pipe', 'pipe']});
    let stderr = '';
    let settled = false;
    let releasing = false;
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // The helper may exit (busy) before it reads what we wrote: that EPIPE is expected.
    child.stdin!.on('error', () => {});
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      if (error.code === 'ENOENT') resolve('missing');
      else reject(error);
    });
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.once('exit', (code, signal) => {
      if (!settled) {
        settled = true;
        if (code === 1 && stderr.trim() === '') resolve({status: 'busy'});
        else reject(new Error(`${command} could not lock ${path}: ${stderr.trim() || `exit code ${code ?? signal}`}`));
        return;
      }
      if (!releasing) onLost(`the ${command} process (pid ${child.pid}) holding the lock ended (${signal ?? `exit code ${code}`})`);
    });
    // Echoed only once the helper holds the lock.
    child.stdout!.once('data', () => {
      if (settled) return;
      settled = true;
      detach(child);
      resolve({
        status: 'locked',
        lock: {
          async release() {
            if (releasing) return exited;
            releasing = true;
            // Keep the process alive until the helper is gone, so that "released" means free.
            child.ref();
            // Even when the helper itself was killed: the command it ran may still hold the lock, until this pipe closes.
            child.stdin!.end();
            await exited;
          },
        },
      });
    });
    child.stdin!.write('\n');
  });
}

/** The helper must not keep the process alive: it lives exactly as long as we do, not the other way round. */
function detach(child: ChildProcess): void {
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as {unref?: () => void})?.unref?.();
}
