import {closeSync, fsyncSync, openSync, renameSync, rmSync} from 'node:fs';
import {dirname} from 'node:path';
import {writeFully} from './record-file.js';

/**
 * Replaces `path` with `content` so that a reader (or a crash) sees the old file or the new one,
 * never a mix: write a temp file beside it, fsync it, rename it over.
 */
export function writeFileAtomic(path: string, content: Buffer | string, options: {syncDirectory?: boolean} = {}): void {
  const temp = `${path}.tmp-${process.pid}`;
  const fd = openSync(temp, 'w');
  try {
    writeFully(fd, typeof content === 'string' ? Buffer.from(content) : content);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, {force: true});
    throw error;
  }
  closeSync(fd);
  renameSync(temp, path);
  if (options.syncDirectory) syncDirectory(dirname(path));
}

/** Makes a rename or an unlink in `dir` durable (power loss), where the platform allows it. */
export function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms cannot fsync a directory; the data files themselves are still synced.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
