import {closeSync, fstatSync, openSync} from 'node:fs';
import {join} from 'node:path';
import {crc32} from 'node:zlib';
import type {Lease} from '../types.js';
import type {CheckpointRecord, FifoCursor} from './journal.js';
import {segmentFileName} from './queue-layout.js';
import {RECORD_HEADER_BYTES, readAt} from '../record-file.js';
import {DiskLane, ID_BYTES, type LaneHost, type LaneInit} from './disk-lane.js';

const READ_AHEAD_BYTES = 64 * 1024;

/**
 * First in, first out: pops read the head segment at the cursor, which each lease journals; a
 * consumed head segment is deleted and reading goes on in the next one.
 */
export class FifoLane extends DiskLane {
  private cursor: FifoCursor;
  /** The open head segment when it is not the tail (else the tail's fd). */
  private headFd: number;
  private headSize = 0;
  private readBuffer?: Buffer;
  private readBufferStart = 0;

  constructor(host: LaneHost, init: LaneInit) {
    super(host, init);
    this.cursor = init.cursor ?? {segment: init.segments[0], offset: 0, index: 0};
    this.headFd = init.tailFd;
    if (this.cursor.segment !== this.tailSegment) this.openHead();
  }

  pop(): Lease | undefined {
    const readingTail = this.cursor.segment === this.tailSegment;
    const fd = readingTail ? this.tailFd : this.headFd;
    const end = readingTail ? this.tailLength : this.headSize;
    const record = this.cursor.offset < end ? this.readAhead(fd, this.cursor.offset, end) : undefined;
    if (!record || record.length < ID_BYTES) {
      const expected = this.sealed.get(this.cursor.segment);
      if (this.cursor.offset < end || (expected !== undefined && this.cursor.index < expected)) {
        throw this.host.damaged(this, this.cursor.segment, `it ends at request ${this.cursor.index + 1} (byte ${this.cursor.offset})${expected === undefined ? '' : ` of the ${expected} the journal counts`}`);
      }
      if (readingTail) this.drop();
      else this.advanceHead();
      return undefined;
    }
    const next: FifoCursor = {segment: this.cursor.segment, offset: this.cursor.offset + RECORD_HEADER_BYTES + record.length, index: this.cursor.index + 1};
    const lease = this.host.lease(record.readDoubleLE(0), record.subarray(ID_BYTES), this.priority, next);
    this.cursor = next;
    this.count -= 1;
    if (this.count <= 0) this.drop();
    else if (!readingTail && next.offset >= this.headSize) this.advanceHead();
    return lease;
  }

  checkpointInto(cursors: CheckpointRecord['cursors']): void {
    cursors.push([this.priority, this.cursor.segment, this.cursor.offset, this.cursor.index]);
  }

  /** The head may still be reading the sealed tail: it then keeps its fd. */
  releaseSealedTail(segment: number): void {
    if (this.cursor.segment === segment) {
      this.headFd = this.tailFd;
      this.headSize = this.tailLength;
    } else {
      closeSync(this.tailFd);
    }
  }

  close(): void {
    this.host.fsync.flushOne(this.tailFd);
    closeSync(this.tailFd);
    if (this.headFd !== this.tailFd) closeSync(this.headFd);
  }

  /** Records are read in order: one read of a chunk serves many pops. Bytes before `end` never change. */
  private readAhead(fd: number, offset: number, end: number): Buffer | undefined {
    let chunk = this.readBuffer;
    let at = offset - this.readBufferStart;
    if (!chunk || at < 0 || at + RECORD_HEADER_BYTES > chunk.length || at + RECORD_HEADER_BYTES + chunk.readUInt32LE(at) > chunk.length) {
      const header = readAt(fd, offset, RECORD_HEADER_BYTES);
      if (header.length < RECORD_HEADER_BYTES) return undefined;
      const wanted = Math.min(Math.max(READ_AHEAD_BYTES, RECORD_HEADER_BYTES + header.readUInt32LE(0)), end - offset);
      chunk = readAt(fd, offset, wanted);
      this.readBuffer = chunk;
      this.readBufferStart = offset;
      at = 0;
    }
    const length = chunk.readUInt32LE(at);
    if (at + RECORD_HEADER_BYTES + length > chunk.length) return undefined;
    const payload = chunk.subarray(at + RECORD_HEADER_BYTES, at + RECORD_HEADER_BYTES + length);
    if (crc32(payload) !== chunk.readUInt32LE(at + 4)) return undefined;
    // A copy, so a lease does not pin the whole chunk.
    return Buffer.from(payload);
  }

  /** The head segment is consumed; delete it and read the next one. */
  private advanceHead(): void {
    const head = this.segments.shift() as number;
    const expected = (this.sealed.get(head) ?? this.cursor.index) - this.cursor.index;
    this.count -= expected;
    this.sealed.delete(head);
    this.deleteSegmentFile(this.headFd, head);
    this.cursor = {segment: this.segments[0], offset: 0, index: 0};
    this.readBuffer = undefined;
    if (this.cursor.segment === this.tailSegment) {
      this.headFd = this.tailFd;
      this.headSize = 0;
    } else {
      this.openHead();
    }
  }

  private openHead(): void {
    this.headFd = openSync(join(this.dir, segmentFileName(this.cursor.segment)), 'r');
    this.headSize = fstatSync(this.headFd).size;
  }

  /** The lane ran dry (or its tail ended early): delete it whole. */
  private drop(): void {
    this.host.journal.flush();
    this.count = 0;
    this.close();
    this.host.removeLane(this);
  }
}
