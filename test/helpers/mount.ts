import {test} from '@jest/globals';
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

/**
 * Tests that mount a tmpfs (a disk that fills up, a file system gone read-only) need root with
 * mount allowed. CI runs as root: there they always run, and fail with a clear message if mount is
 * impossible. A developer outside CI who cannot mount sees them skipped, with the reason in the title.
 * (A user+mount namespace, `unshare -rm`, would let a non-root user mount, but a jest worker cannot
 * enter one.)
 */
export const cannotMount: string | undefined = process.env.CI ? undefined : probeMount();

function probeMount(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root to mount a tmpfs; CI runs it';
  const dir = mkdtempSync(join(tmpdir(), 'dragline-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4k', 'tmpfs', dir], {stdio: 'pipe'});
    execFileSync('umount', [dir], {stdio: 'pipe'});
    return undefined;
  } catch (error) {
    return `mount -t tmpfs is not allowed here (${(error as Error).message.split('\n')[0]}); CI runs it`;
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}

/** `test` for a test that mounts: skipped, saying why, where this user cannot mount (outside CI). */
export function testMounting(title: string, fn: () => Promise<unknown> | void, timeout?: number): void {
  if (cannotMount === undefined) test(title, fn, timeout);
  else test.skip(`${title} [skipped: ${cannotMount}]`, fn, timeout);
}

/** Mounts a tmpfs of `size` (e.g. '8k') on `dir`, or throws saying what the test needs. */
export function mountTmpfs(dir: string, size: string): void {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], {stdio: 'pipe'});
  } catch (error) {
    throw new Error(`This test mounts a tmpfs and must run as root where mount is allowed (mount -t tmpfs): ${(error as Error).message}`);
  }
}

/** Changes a mounted tmpfs's options (`ro`, `rw`, `size=4m`). */
export function remount(dir: string, options: string): void {
  execFileSync('mount', ['-o', `remount,${options}`, dir], {stdio: 'pipe'});
}

export function unmount(dir: string): void {
  execFileSync('umount', [dir], {stdio: 'pipe'});
}
