import {closeSync, unlinkSync} from 'node:fs';
import {join} from 'node:path';
import type {DraglineError} from '../../core/errors.js';
import type {Lease} from '../types.js';
import type {CheckpointRecord, FifoCursor, Journal, LifoMark} from './journal.js';
import {segmentFileName} from './queue-layout.js';
import {writeFully} from '../record-file.js';
import type {FsyncBatcher} from '../fsync-batcher.js';

/** Each record's payload starts with its id (a double). */
export const ID_BYTES = 8;

/** What a lane uses of the queue that owns it. */
export interface LaneHost {
  readonly journal: Journal;
  readonly fsync: FsyncBatcher;
  /** The id the next pushed record will get. */
  nextRecordId(): number;
  /** Journals the lease (with the next flush) and keeps it until it is acked. */
  lease(id: number, payload: Buffer, priority: number, cursor?: FifoCursor, mark?: LifoMark): Lease;
  /** Deletes the lane's directory and forgets the lane; the caller flushed the journal first. */
  removeLane(lane: DiskLane): void;
  damaged(lane: DiskLane, segment: number, problem: string): DraglineError;
}

/** A lane as opening (or a first push) finds it. */
export interface LaneInit {
  priority: number;
  dir: string;
  segments: number[];
  sealed: Map<number, number>;
  count: number;
  tailFd: number;
  tailLength: number;
  /** Offsets of the tail's records. */
  tailOffsets: number[];
  /** FIFO: where reading resumes (the first segment's start when absent). */
  cursor?: FifoCursor;
  /** LIFO: the lane's last pop, from the journal. */
  mark?: LifoMark;
}

/**
 * One priority's segments in requests.queue/: pushes append to the tail segment; how pops take
 * records back is the order's (LifoLane, FifoLane). The queue seals full tails and starts new ones.
 */
export abstract class DiskLane {
  readonly priority: number;
  readonly dir: string;
  /** Segment numbers, ascending: the last is the tail. */
  readonly segments: number[];
  /** Record counts of the segments before the tail. */
  readonly sealed: Map<number, number>;
  /** Records still queued in the lane. */
  count: number;
  tailFd: number;
  tailLength: number;
  tailCount: number;

  constructor(protected readonly host: LaneHost, init: LaneInit) {
    this.priority = init.priority;
    this.dir = init.dir;
    this.segments = init.segments;
    this.sealed = init.sealed;
    this.count = init.count;
    this.tailFd = init.tailFd;
    this.tailLength = init.tailLength;
    this.tailCount = init.tailOffsets.length;
  }

  get tailSegment(): number {
    return this.segments[this.segments.length - 1];
  }

  /** Writes a framed record (id `id`, payload `payload`) at the tail's end. */
  append(record: Buffer, id: number, payload: Buffer): void {
    const offset = this.tailLength;
    writeFully(this.tailFd, record, offset);
    this.host.fsync.touch(this.tailFd);
    this.tailLength += record.length;
    this.tailCount += 1;
    this.count += 1;
    this.appended(offset, id, payload);
  }

  /** The next record in the lane's order, leased; undefined when the lane ran dry (it is then removed). */
  abstract pop(): Lease | undefined;

  /** The lane's read position, for the journal's checkpoint. */
  abstract checkpointInto(cursors: CheckpointRecord['cursors'], marks: CheckpointRecord['marks']): void;

  /** Called before the tail is sealed: the tail's file must hold exactly its records by then. */
  cutStaleTail(): void {}

  /** The sealed tail's file is no longer written to: close it unless the lane still reads it. */
  abstract releaseSealedTail(segment: number): void;

  /** A new, empty tail segment. */
  startTail(segment: number, fd: number): void {
    this.tailFd = fd;
    this.segments.push(segment);
    this.tailLength = 0;
    this.tailCount = 0;
  }

  /** Flushes and closes the lane's files (the queue is closing). */
  abstract close(): void;

  protected appended(_offset: number, _id: number, _payload: Buffer): void {}

  protected deleteSegmentFile(fd: number, segment: number): void {
    this.host.journal.flush();
    this.host.fsync.forget(fd);
    closeSync(fd);
    unlinkSync(join(this.dir, segmentFileName(segment)));
  }
}
