import {closeSync, existsSync, fstatSync, ftruncateSync, openSync} from 'node:fs';
import type {SeenSet} from './types.js';
import {FingerprintTable} from './fingerprint-table.js';
import {readAt, writeFully} from './record-file.js';
import type {FsyncBatcher} from './fsync-batcher.js';

export const FINGERPRINT_BYTES = 20;
const LOAD_CHUNK_FINGERPRINTS = 64 * 1024;

/**
 * The duplicates filter's memory: fingerprints in a compact table, and (with a job directory)
 * appended to `requests.seen` as raw 20-byte digests, one write per new fingerprint.
 */
export class FingerprintSet implements SeenSet {
  private readonly table: FingerprintTable;
  private fileLengthBytes = 0;

  private constructor(private readonly fd: number | undefined, private readonly fsync: FsyncBatcher | undefined, expected: number) {
    this.table = new FingerprintTable(expected);
  }

  /** A set that lives in memory only (runs without JOBDIR). */
  static inMemory(): FingerprintSet {
    return new FingerprintSet(undefined, undefined, 0);
  }

  /**
   * Opens `requests.seen`, dropping a torn last digest, truncating to `rollbackLength` when a torn
   * commit is undone, and loading every digest.
   */
  static open(path: string, fsync: FsyncBatcher, rollbackLength?: number): FingerprintSet {
    const fd = openSync(path, existsSync(path) ? 'r+' : 'w+');
    let length = fstatSync(fd).size;
    let intact = length - (length % FINGERPRINT_BYTES);
    if (rollbackLength !== undefined && rollbackLength < intact) intact = rollbackLength - (rollbackLength % FINGERPRINT_BYTES);
    if (intact !== length) {
      ftruncateSync(fd, intact);
      length = intact;
    }
    const set = new FingerprintSet(fd, fsync, length / FINGERPRINT_BYTES);
    for (let position = 0; position < length; position += LOAD_CHUNK_FINGERPRINTS * FINGERPRINT_BYTES) {
      const chunk = readAt(fd, position, Math.min(LOAD_CHUNK_FINGERPRINTS * FINGERPRINT_BYTES, length - position));
      for (let offset = 0; offset + FINGERPRINT_BYTES <= chunk.length; offset += FINGERPRINT_BYTES) set.table.add(chunk, offset);
    }
    set.fileLengthBytes = length;
    return set;
  }

  get size(): number {
    return this.table.size;
  }

  /** Byte length of requests.seen: what begin() records so a torn commit can be undone. */
  get fileLength(): number {
    return this.fileLengthBytes;
  }

  /** Bytes of memory the fingerprints take. */
  get memoryBytes(): number {
    return this.table.byteLength;
  }

  has(fingerprint: Buffer): boolean {
    checkFingerprint(fingerprint);
    return this.table.has(fingerprint);
  }

  add(fingerprint: Buffer): boolean {
    checkFingerprint(fingerprint);
    if (!this.table.add(fingerprint)) return false;
    if (this.fd !== undefined) {
      writeFully(this.fd, fingerprint.length === FINGERPRINT_BYTES ? fingerprint : fingerprint.subarray(0, FINGERPRINT_BYTES), this.fileLengthBytes);
      this.fileLengthBytes += FINGERPRINT_BYTES;
      this.fsync?.touch(this.fd);
    }
    return true;
  }

  close(): void {
    if (this.fd === undefined) return;
    this.fsync?.flushOne(this.fd);
    closeSync(this.fd);
  }
}

function checkFingerprint(fingerprint: Buffer): void {
  if (fingerprint.length !== FINGERPRINT_BYTES) {
    throw new TypeError(`a fingerprint is a 20-byte SHA-1 digest, got ${fingerprint.length} bytes`);
  }
}
