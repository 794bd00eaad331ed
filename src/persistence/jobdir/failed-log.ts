import {closeSync, existsSync, fstatSync, ftruncateSync, openSync} from 'node:fs';
import {deserialize, serialize} from 'node:v8';
import {frameRecord, readAt, scanRecords, writeFully} from '../record-file.js';
import type {FsyncBatcher} from '../fsync-batcher.js';

/** requests.failed: requests that failed for good, kept for `crawl --retry-failed`. */
export class FailedLog {
  private readonly fd: number;
  private lengthBytes: number;

  /** Opens the log, cutting a torn tail and (for a rolled-back commit) what the commit added. */
  constructor(path: string, private readonly fsync: FsyncBatcher, rollbackLength?: number) {
    this.fd = openSync(path, existsSync(path) ? 'r+' : 'w+');
    const size = fstatSync(this.fd).size;
    let length = scanRecords(readAt(this.fd, 0, size), 0, () => {});
    if (rollbackLength !== undefined) length = Math.min(length, rollbackLength);
    if (length !== size) ftruncateSync(this.fd, length);
    this.lengthBytes = length;
  }

  get length(): number {
    return this.lengthBytes;
  }

  append(payload: Buffer, reason: string): void {
    const framed = frameRecord(serialize({payload, reason, at: new Date().toISOString()}));
    writeFully(this.fd, framed, this.lengthBytes);
    this.lengthBytes += framed.length;
    this.fsync.touch(this.fd);
  }

  readAll(): Buffer[] {
    const payloads: Buffer[] = [];
    scanRecords(readAt(this.fd, 0, this.lengthBytes), 0, ({payload}) => {
      payloads.push((deserialize(payload) as {payload: Buffer}).payload);
    });
    return payloads;
  }

  clear(): void {
    ftruncateSync(this.fd, 0);
    this.lengthBytes = 0;
    this.fsync.touch(this.fd);
  }

  close(): void {
    this.fsync.flushOne(this.fd);
    closeSync(this.fd);
  }
}

/** Counts the records of a failed log without opening it for writing (job status). */
export function countFailed(path: string): number {
  if (!existsSync(path)) return 0;
  const fd = openSync(path, 'r');
  try {
    let count = 0;
    scanRecords(readAt(fd, 0, fstatSync(fd).size), 0, () => {
      count += 1;
    });
    return count;
  } finally {
    closeSync(fd);
  }
}
