import {closeSync, fstatSync, openSync, readSync, writeSync, writevSync} from 'node:fs';
import {crc32} from 'node:zlib';

/**
 * The framing every append-only file of a job uses: `[u32 length][u32 crc32][payload]`, little
 * endian. A record whose length runs past the end of the file or whose checksum does not match is
 * a torn write (the process died mid-append); everything from there on is ignored and truncated.
 */
export const RECORD_HEADER_BYTES = 8;

/**
 * Larger than any record dragline writes; a bigger length can only be garbage. No record is empty
 * either: eight zero bytes (a zeroed block after a power cut) would otherwise pass as one, since
 * the CRC-32 of nothing is 0.
 */
const MAX_PAYLOAD_BYTES = 1024 * 1024 * 1024;

export function frameRecord(payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(RECORD_HEADER_BYTES + payload.length);
  out.writeUInt32LE(payload.length, 0);
  out.writeUInt32LE(crc32(payload), 4);
  payload.copy(out, RECORD_HEADER_BYTES);
  return out;
}

export interface RecordView {
  /** Offset of the record's header in the file. */
  offset: number;
  payload: Buffer;
}

/**
 * Walks the records of `buffer` (which starts at file offset `base`) and returns the offset just
 * past the last intact one: the length the file should have.
 */
export function scanRecords(buffer: Buffer, base: number, onRecord: (record: RecordView) => void): number {
  let position = 0;
  while (position + RECORD_HEADER_BYTES <= buffer.length) {
    const length = buffer.readUInt32LE(position);
    const checksum = buffer.readUInt32LE(position + 4);
    const end = position + RECORD_HEADER_BYTES + length;
    if (length === 0 || length > MAX_PAYLOAD_BYTES || end > buffer.length) break;
    const payload = buffer.subarray(position + RECORD_HEADER_BYTES, end);
    if (crc32(payload) !== checksum) break;
    onRecord({offset: base + position, payload});
    position = end;
  }
  return base + position;
}

/** Whether an intact record starts at `position` of `buffer`. */
function intactAt(buffer: Buffer, position: number): boolean {
  if (position + RECORD_HEADER_BYTES > buffer.length) return false;
  const length = buffer.readUInt32LE(position);
  const end = position + RECORD_HEADER_BYTES + length;
  return length > 0 && length <= MAX_PAYLOAD_BYTES && end <= buffer.length && crc32(buffer.subarray(position + RECORD_HEADER_BYTES, end)) === buffer.readUInt32LE(position + 4);
}

/**
 * Where the next intact record starts after the damaged one at `from`, or -1. A torn write is the
 * last thing in a file, so an intact record after a bad one means the file was damaged, not torn.
 * (A random run of bytes passes the CRC-32 once in 2³² tries.)
 */
export function nextIntactRecord(buffer: Buffer, from: number): number {
  for (let position = from + 1; position + RECORD_HEADER_BYTES <= buffer.length; position += 1) {
    if (intactAt(buffer, position)) return position;
  }
  return -1;
}

/** What salvageRecords() could not read: [start, end) byte ranges. */
export type DamagedRange = [start: number, end: number];

/**
 * Walks every intact record of `buffer`, skipping damaged bytes to the next intact record (for
 * `job repair`). Returns the damaged ranges; a damaged end of the buffer is the last range.
 */
export function salvageRecords(buffer: Buffer, onRecord: (record: RecordView) => void): DamagedRange[] {
  const damaged: DamagedRange[] = [];
  let position = 0;
  while (position < buffer.length) {
    position = scanRecords(buffer.subarray(position), position, onRecord);
    if (position >= buffer.length) break;
    const next = nextIntactRecord(buffer, position);
    damaged.push([position, next < 0 ? buffer.length : next]);
    if (next < 0) break;
    position = next;
  }
  return damaged;
}

/** Reads `length` bytes at `position`; fewer if the file is shorter. */
export function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const got = readSync(fd, buffer, filled, length - filled, position + filled);
    if (got === 0) break;
    filled += got;
  }
  return filled === length ? buffer : buffer.subarray(0, filled);
}

/** Reads a whole (bounded) file: queue segments and the journal, never the seen file. */
export function readWholeFile(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    return readAt(fd, 0, fstatSync(fd).size);
  } finally {
    closeSync(fd);
  }
}

/** Reads one record at `offset`, or undefined if it is torn. */
export function readRecordAt(fd: number, offset: number): Buffer | undefined {
  const header = readAt(fd, offset, RECORD_HEADER_BYTES);
  if (header.length < RECORD_HEADER_BYTES) return undefined;
  const length = header.readUInt32LE(0);
  if (length > MAX_PAYLOAD_BYTES) return undefined;
  const payload = readAt(fd, offset + RECORD_HEADER_BYTES, length);
  if (payload.length < length || crc32(payload) !== header.readUInt32LE(4)) return undefined;
  return payload;
}

/** Writes all of `buffer` synchronously, so its order on disk is program order even after kill -9. */
export function writeFully(fd: number, buffer: Buffer, position: number | null = null): void {
  let written = 0;
  // A write may take fewer bytes than asked (a disk filling up, a signal): go on from there until the next write fails.
  while (written < buffer.length) {
    const count = writeSync(fd, buffer, written, buffer.length - written, position === null ? null : position + written);
    if (count === 0) throw Object.assign(new Error(`write took no bytes (${written} of ${buffer.length} written)`), {code: 'EIO', syscall: 'write'});
    written += count;
  }
}

/** Writes `buffers` back to back at `position` with one system call (when the kernel takes them all at once). */
export function writeAllFully(fd: number, buffers: Buffer[], position: number): void {
  const total = buffers.reduce((sum, buffer) => sum + buffer.length, 0);
  const written = writevSync(fd, buffers, position);
  if (written < total) writeFully(fd, Buffer.concat(buffers).subarray(written), position + written);
}

/** The payload of a buffer holding exactly one framed record, or undefined if it is damaged. */
export function unframe(buffer: Buffer): Buffer | undefined {
  if (buffer.length < RECORD_HEADER_BYTES) return undefined;
  const length = buffer.readUInt32LE(0);
  if (length !== buffer.length - RECORD_HEADER_BYTES) return undefined;
  const payload = buffer.subarray(RECORD_HEADER_BYTES);
  return crc32(payload) === buffer.readUInt32LE(4) ? payload : undefined;
}
