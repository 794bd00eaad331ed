import {fsyncSync} from 'node:fs';

/**
 * With JOBDIR_FSYNC, the files written since the last flush are fsynced together every interval
 * and at close, so a power cut loses at most one interval of work while a page costs no fsync.
 */
export class FsyncBatcher {
  private readonly dirty = new Set<number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly enabled: boolean, intervalMs: number) {
    if (enabled && intervalMs > 0) {
      this.timer = setInterval(() => this.flush(), intervalMs);
      this.timer.unref();
    }
  }

  /** Notes that `fd` has unsynced writes. */
  touch(fd: number): void {
    if (this.enabled) this.dirty.add(fd);
  }

  /** Syncs `fd` now if it has unsynced writes (before it is closed). */
  flushOne(fd: number): void {
    if (!this.dirty.delete(fd)) return;
    fsyncSync(fd);
  }

  /** Forgets `fd` without syncing it (its file is being deleted). */
  forget(fd: number): void {
    this.dirty.delete(fd);
  }

  flush(): void {
    for (const fd of this.dirty) {
      try {
        fsyncSync(fd);
      } catch {
        // A closed or deleted file needs no sync.
      }
    }
    this.dirty.clear();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.flush();
  }
}
