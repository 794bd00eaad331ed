import {closeSync, fstatSync, ftruncateSync, openSync} from 'node:fs';
import {join} from 'node:path';
import type {Lease} from '../types.js';
import type {CheckpointRecord, LifoMark} from './journal.js';
import {segmentFileName} from './queue-layout.js';
import {readAt, scanRecords, unframe} from '../record-file.js';
import {DiskLane, ID_BYTES, type LaneHost, type LaneInit} from './disk-lane.js';

/** How many bytes of recently pushed records a lane keeps in memory (about 40% of the pops of a 20k-page crawl hit them). */
const RECENT_BYTES = 256 * 1024;

/** A record kept in memory: the caller's own payload buffer (a slice of the framed record would pin its pool). */
interface RecentRecord {
  id: number;
  payload: Buffer;
}

/**
 * Last in, first out (Scrapy's default, depth-first): pops take the tail's last record. A pop does
 * not truncate the file; its lease's mark tells opening what was popped, and the stale bytes past
 * the tail's end are cut before the tail is sealed or the lane closed.
 */
export class LifoLane extends DiskLane {
  /** Offsets of the tail's records, so the last one can be read and cut. */
  private offsets: number[];
  /** The file may run past tailLength (records popped but not truncated away). */
  private physicalLength: number;
  private mark?: LifoMark;
  /** The last records pushed to the tail, by offset, so a pop can take one back without a read. */
  private readonly recent = new Map<number, RecentRecord>();
  private recentBytes = 0;

  constructor(host: LaneHost, init: LaneInit) {
    super(host, init);
    this.offsets = init.tailOffsets;
    this.physicalLength = init.tailLength;
    this.mark = init.mark;
  }

  pop(): Lease | undefined {
    const offset = this.offsets[this.offsets.length - 1];
    let recent = this.recent.get(offset);
    if (recent) {
      this.recent.delete(offset);
      this.recentBytes -= recent.payload.length;
    } else {
      const record = unframe(readAt(this.tailFd, offset, this.tailLength - offset));
      if (record && record.length >= ID_BYTES) recent = {id: record.readDoubleLE(0), payload: record.subarray(ID_BYTES)};
    }
    let lease: Lease | undefined;
    if (recent) {
      // No truncate (a costly system call per pop): the lease's mark tells opening what was popped.
      const mark: LifoMark = {segment: this.tailSegment, offset, watermark: this.host.nextRecordId()};
      lease = this.host.lease(recent.id, recent.payload, this.priority, undefined, mark);
      this.mark = mark;
    }
    if (!lease) throw this.host.damaged(this, this.tailSegment, `its record at byte ${offset} no longer reads back`);
    this.offsets.pop();
    this.tailLength = offset;
    this.tailCount -= 1;
    this.count -= 1;
    if (this.offsets.length === 0) this.retireTail();
    return lease;
  }

  checkpointInto(_cursors: CheckpointRecord['cursors'], marks: CheckpointRecord['marks']): void {
    if (this.mark) marks.push([this.priority, this.mark.segment, this.mark.offset, this.mark.watermark]);
  }

  /** Drops what pops left past the tail's end (before it is sealed, and at close). */
  override cutStaleTail(): void {
    if (this.physicalLength <= this.tailLength) return;
    this.host.journal.flush();
    ftruncateSync(this.tailFd, this.tailLength);
    this.physicalLength = this.tailLength;
    this.host.fsync.touch(this.tailFd);
  }

  releaseSealedTail(): void {
    closeSync(this.tailFd);
  }

  override startTail(segment: number, fd: number): void {
    super.startTail(segment, fd);
    this.physicalLength = 0;
    this.offsets = [];
    this.recent.clear();
    this.recentBytes = 0;
  }

  close(): void {
    this.cutStaleTail();
    this.host.fsync.flushOne(this.tailFd);
    closeSync(this.tailFd);
  }

  protected override appended(offset: number, id: number, payload: Buffer): void {
    this.offsets.push(offset);
    if (this.tailLength > this.physicalLength) this.physicalLength = this.tailLength;
    this.recent.set(offset, {id, payload});
    this.recentBytes += payload.length;
    for (const [old, record] of this.recent) {
      if (this.recentBytes <= RECENT_BYTES) break;
      this.recent.delete(old);
      this.recentBytes -= record.payload.length;
    }
  }

  /** The tail is empty; delete it and continue with the segment below. */
  private retireTail(): void {
    const below = this.segments[this.segments.length - 2];
    let belowFd: number | undefined;
    const offsets: number[] = [];
    let length = 0;
    if (below !== undefined) {
      // Read (and check) the segment below before anything changes: damage there must stop the crawl, not shorten the queue.
      belowFd = openSync(join(this.dir, segmentFileName(below)), 'r+');
      const buffer = readAt(belowFd, 0, fstatSync(belowFd).size);
      length = scanRecords(buffer, 0, ({offset}) => offsets.push(offset));
      const expected = this.sealed.get(below) ?? offsets.length;
      if (length < buffer.length || offsets.length !== expected) {
        closeSync(belowFd);
        throw this.host.damaged(this, below, length < buffer.length ? `has a damaged record at byte ${length}` : `holds ${offsets.length} requests, the journal counts ${expected}`);
      }
    }
    this.deleteSegmentFile(this.tailFd, this.segments.pop() as number);
    if (below === undefined || belowFd === undefined) {
      this.host.journal.flush();
      this.host.removeLane(this);
      return;
    }
    this.tailFd = belowFd;
    this.sealed.delete(below);
    this.offsets = offsets;
    this.recent.clear();
    this.recentBytes = 0;
    this.tailLength = length;
    this.physicalLength = length;
    this.tailCount = offsets.length;
    if (offsets.length === 0) this.retireTail();
  }
}
