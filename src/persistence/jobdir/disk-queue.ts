import {closeSync, fstatSync, ftruncateSync, mkdirSync, openSync, rmSync, unlinkSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {DraglineError} from '../../core/errors.js';
import {crc32} from 'node:zlib';
import type {Lease, PendingQueue} from '../types.js';
import type {CheckpointRecord, FifoCursor, Journal, JournalState, LeaseEntry, LifoMark, QueueTop} from './journal.js';
import {applyLanePlan, laneDirName, listLanes, planLane, segmentFileName, type TailScan} from './queue-layout.js';
import {RECORD_HEADER_BYTES, readAt, scanRecords, unframe, writeFully} from '../record-file.js';
import type {FsyncBatcher} from '../fsync-batcher.js';

export interface SegmentLimits {
  /** A segment is sealed once it holds this many records... */
  maxRecords: number;
  /** ...or this many bytes, so opening reads at most one bounded segment per priority. */
  maxBytes: number;
}

export const DEFAULT_SEGMENT_LIMITS: SegmentLimits = {maxRecords: 10_000, maxBytes: 4 * 1024 * 1024};

/** Whether a segment of `count` records and `length` bytes is full: the next record goes to a new one. */
export function segmentIsFull(limits: SegmentLimits, count: number, length: number): boolean {
  return count >= limits.maxRecords || length >= limits.maxBytes;
}

const ID_BYTES = 8;
/** Record ids and segment numbers start with the run's epoch, so they never repeat across runs. */
const IDS_PER_EPOCH = 2 ** 32;
const SEGMENTS_PER_EPOCH = 2 ** 24;
const READ_AHEAD_BYTES = 64 * 1024;
/** LIFO: how many bytes of recently pushed records a lane keeps in memory (about 40% of the pops of a 20k-page crawl hit them). */
const RECENT_BYTES = 256 * 1024;

/** One priority's segments: pushes append to the tail; LIFO pops from the tail, FIFO from the head. */
interface Lane {
  priority: number;
  dir: string;
  segments: number[];
  sealed: Map<number, number>;
  count: number;
  tailFd: number;
  tailLength: number;
  tailCount: number;
  /** LIFO: offsets of the tail's records, so the last one can be read and cut. */
  offsets: number[];
  /** FIFO: the read position, and the open head segment when it is not the tail. */
  cursor: FifoCursor;
  headFd: number;
  headSize: number;
  readBuffer?: Buffer;
  readBufferStart: number;
  /** LIFO: the file may run past tailLength (records popped but not truncated away). */
  physicalLength: number;
  mark?: LifoMark;
  /** LIFO: the last records pushed to the tail, by offset, so a pop can take one back without a read. */
  recent: Map<number, RecentRecord>;
  recentBytes: number;
}

/** A record kept in memory: the caller's own payload buffer (a slice of the framed record would pin its pool). */
interface RecentRecord {
  id: number;
  payload: Buffer;
}

/**
 * The durable pending queue of a job (requests.queue/). Every write is synchronous, so after
 * kill -9 the files hold exactly what the program wrote, in order; a lease is journaled before
 * its record can be overwritten or deleted (types.ts, rule 1).
 */
export class DiskQueue implements PendingQueue {
  private readonly lanes = new Map<number, Lane>();
  /** Priorities with lanes, highest first. */
  private priorities: number[] = [];
  private pendingInLanes = 0;
  /** Leases of the previous batch that were never acked: served first. */
  private readonly recovered: LeaseEntry[];
  /** Every lease not yet acked (recovered ones included), for the journal's checkpoints. */
  readonly leases: Map<number, LeaseEntry>;
  private nextRecord = 0;
  private nextSegment = 0;
  /** Set by the job between begin() and ack(): popping then would break the rollback rule. */
  commitOpen = false;
  /** Bytes read from segment files while opening (opening must not read the whole queue). */
  readonly openBytesRead: number;

  private constructor(
    private readonly queueDir: string,
    private readonly order: 'lifo' | 'fifo',
    private readonly journal: Journal,
    private readonly fsync: FsyncBatcher,
    private readonly limits: SegmentLimits,
    private readonly epoch: number,
    state: JournalState,
  ) {
    this.leases = new Map(state.leases);
    this.recovered = [...state.leases.values()];
    let bytesRead = 0;
    for (const [priority, laneDir] of listLanes(queueDir)) {
      const plan = planLane(priority, laneDir, order, state);
      bytesRead += plan.bytesRead;
      applyLanePlan(plan);
      if (plan.removeLane || !plan.tail) continue;
      this.addLane(this.openLane(priority, laneDir, plan.segments, plan.sealed, plan.count, plan.tail, plan.cursor, state.marks));
    }
    this.openBytesRead = bytesRead;
  }

  /** Opens requests.queue/ after the journal was replayed (and any torn commit rolled back). */
  static open(queueDir: string, options: {
    order: 'lifo' | 'fifo'; journal: Journal; fsync: FsyncBatcher; limits?: SegmentLimits; epoch: number; state: JournalState;
  }): DiskQueue {
    mkdirSync(queueDir, {recursive: true});
    return new DiskQueue(queueDir, options.order, options.journal, options.fsync, options.limits ?? DEFAULT_SEGMENT_LIMITS, options.epoch, options.state);
  }

  /** Within a priority: 'lifo' or 'fifo'. */
  get queueOrder(): 'lifo' | 'fifo' {
    return this.order;
  }

  get size(): number {
    return this.pendingInLanes + this.recovered.length;
  }

  /** How many leases of the previous batch will be served again. */
  get requeued(): number {
    return this.recovered.length;
  }

  sizes(): Record<number, number> {
    const out: Record<number, number> = {};
    for (const lane of this.lanes.values()) out[lane.priority] = lane.count;
    for (const lease of this.recovered) out[lease.priority] = (out[lease.priority] ?? 0) + 1;
    return out;
  }

  push(payload: Buffer, priority: number): void {
    if (!Number.isFinite(priority)) throw new TypeError(`request priority must be a finite number, got ${priority}`);
    // A push may overwrite a popped LIFO record: its lease must be on disk first.
    this.journal.flush();
    const lane = this.lanes.get(priority) ?? this.createLane(priority);
    if (segmentIsFull(this.limits, lane.tailCount, lane.tailLength)) this.seal(lane);
    const id = this.epoch * IDS_PER_EPOCH + this.nextRecord++;
    const record = Buffer.allocUnsafe(RECORD_HEADER_BYTES + ID_BYTES + payload.length);
    record.writeDoubleLE(id, RECORD_HEADER_BYTES);
    payload.copy(record, RECORD_HEADER_BYTES + ID_BYTES);
    const body = record.subarray(RECORD_HEADER_BYTES);
    record.writeUInt32LE(body.length, 0);
    record.writeUInt32LE(crc32(body), 4);
    writeFully(lane.tailFd, record, lane.tailLength);
    this.fsync.touch(lane.tailFd);
    if (this.order === 'lifo') {
      lane.offsets.push(lane.tailLength);
      lane.recent.set(lane.tailLength, {id, payload});
      lane.recentBytes += payload.length;
      for (const [offset, old] of lane.recent) {
        if (lane.recentBytes <= RECENT_BYTES) break;
        lane.recent.delete(offset);
        lane.recentBytes -= old.payload.length;
      }
    }
    lane.tailLength += record.length;
    if (lane.tailLength > lane.physicalLength) lane.physicalLength = lane.tailLength;
    lane.tailCount += 1;
    lane.count += 1;
    this.pendingInLanes += 1;
  }

  pop(): Lease | undefined {
    if (this.commitOpen) throw new Error('pop() inside a commit (between begin() and ack()) would make it impossible to roll back');
    const again = this.recovered.shift();
    if (again) return {id: again.id, priority: again.priority, payload: again.payload};
    while (this.priorities.length > 0) {
      const lane = this.lanes.get(this.priorities[0]) as Lane;
      const lease = this.order === 'lifo' ? this.popLast(lane) : this.popFirst(lane);
      if (lease) return lease;
    }
    return undefined;
  }

  /** Forgets acked leases. */
  release(ids: number[]): void {
    for (const id of ids) this.leases.delete(id);
  }

  /** Where each lane's tail ends: what a commit would be rolled back to. */
  tops(): QueueTop[] {
    return [...this.lanes.values()].map((lane) => [lane.priority, lane.segments[lane.segments.length - 1], lane.tailLength]);
  }

  checkpoint(): CheckpointRecord {
    const cursors: CheckpointRecord['cursors'] = [];
    const sealed: CheckpointRecord['sealed'] = [];
    const marks: CheckpointRecord['marks'] = [];
    for (const lane of this.lanes.values()) {
      if (lane.mark) marks.push([lane.priority, lane.mark.segment, lane.mark.offset, lane.mark.watermark]);
      if (this.order === 'fifo') cursors.push([lane.priority, lane.cursor.segment, lane.cursor.offset, lane.cursor.index]);
      for (const [segment, count] of lane.sealed) sealed.push([lane.priority, segment, count]);
    }
    return {t: 'checkpoint', epoch: this.epoch, order: this.order, cursors, marks, sealed, leases: [...this.leases.values()], tops: this.tops()};
  }

  close(): void {
    for (const lane of this.lanes.values()) {
      if (this.order === 'lifo') this.cutStaleTail(lane);
      this.closeLaneFiles(lane);
    }
    this.lanes.clear();
    this.priorities = [];
  }

  private popLast(lane: Lane): Lease | undefined {
    const offset = lane.offsets[lane.offsets.length - 1];
    let recent = lane.recent.get(offset);
    if (recent) {
      lane.recent.delete(offset);
      lane.recentBytes -= recent.payload.length;
    } else {
      const record = unframe(readAt(lane.tailFd, offset, lane.tailLength - offset));
      if (record && record.length >= ID_BYTES) recent = {id: record.readDoubleLE(0), payload: record.subarray(ID_BYTES)};
    }
    let lease: Lease | undefined;
    if (recent) {
      // No truncate (a costly system call per pop): the lease's mark tells opening what was popped.
      const mark: LifoMark = {segment: lane.segments[lane.segments.length - 1], offset, watermark: this.epoch * IDS_PER_EPOCH + this.nextRecord};
      lease = this.lease(recent.id, recent.payload, lane.priority, undefined, mark);
      lane.mark = mark;
    }
    if (!lease) throw this.damaged(lane, lane.segments[lane.segments.length - 1], `its record at byte ${offset} no longer reads back`);
    lane.offsets.pop();
    lane.tailLength = offset;
    lane.tailCount -= 1;
    lane.count -= 1;
    this.pendingInLanes -= 1;
    if (lane.offsets.length === 0) this.retireLifoTail(lane);
    return lease;
  }

  private popFirst(lane: Lane): Lease | undefined {
    const tail = lane.segments[lane.segments.length - 1];
    const readingTail = lane.cursor.segment === tail;
    const fd = readingTail ? lane.tailFd : lane.headFd;
    const end = readingTail ? lane.tailLength : lane.headSize;
    const record = lane.cursor.offset < end ? this.readAhead(lane, fd, lane.cursor.offset, end) : undefined;
    if (!record || record.length < ID_BYTES) {
      const expected = lane.sealed.get(lane.cursor.segment);
      if (lane.cursor.offset < end || (expected !== undefined && lane.cursor.index < expected)) {
        throw this.damaged(lane, lane.cursor.segment, `it ends at request ${lane.cursor.index + 1} (byte ${lane.cursor.offset})${expected === undefined ? '' : ` of the ${expected} the journal counts`}`);
      }
      if (readingTail) this.dropLane(lane);
      else this.advanceFifoHead(lane);
      return undefined;
    }
    const next: FifoCursor = {segment: lane.cursor.segment, offset: lane.cursor.offset + RECORD_HEADER_BYTES + record.length, index: lane.cursor.index + 1};
    const lease = this.lease(record.readDoubleLE(0), record.subarray(ID_BYTES), lane.priority, next);
    lane.cursor = next;
    lane.count -= 1;
    this.pendingInLanes -= 1;
    if (lane.count <= 0) this.dropLane(lane);
    else if (!readingTail && next.offset >= lane.headSize) this.advanceFifoHead(lane);
    return lease;
  }

  /** FIFO reads records in order: one read of a chunk serves many pops. Bytes before `end` never change. */
  private readAhead(lane: Lane, fd: number, offset: number, end: number): Buffer | undefined {
    let chunk = lane.readBuffer;
    let at = offset - lane.readBufferStart;
    if (!chunk || at < 0 || at + RECORD_HEADER_BYTES > chunk.length || at + RECORD_HEADER_BYTES + chunk.readUInt32LE(at) > chunk.length) {
      const header = readAt(fd, offset, RECORD_HEADER_BYTES);
      if (header.length < RECORD_HEADER_BYTES) return undefined;
      const wanted = Math.min(Math.max(READ_AHEAD_BYTES, RECORD_HEADER_BYTES + header.readUInt32LE(0)), end - offset);
      chunk = readAt(fd, offset, wanted);
      lane.readBuffer = chunk;
      lane.readBufferStart = offset;
      at = 0;
    }
    const length = chunk.readUInt32LE(at);
    if (at + RECORD_HEADER_BYTES + length > chunk.length) return undefined;
    const payload = chunk.subarray(at + RECORD_HEADER_BYTES, at + RECORD_HEADER_BYTES + length);
    if (crc32(payload) !== chunk.readUInt32LE(at + 4)) return undefined;
    // A copy, so a lease does not pin the whole chunk.
    return Buffer.from(payload);
  }

  private lease(id: number, payload: Buffer, priority: number, cursor?: FifoCursor, mark?: LifoMark): Lease {
    this.journal.appendLater({
      t: 'lease', id, priority, payload,
      cursor: cursor && [cursor.segment, cursor.offset, cursor.index],
      mark: mark && [mark.segment, mark.offset, mark.watermark],
    });
    this.leases.set(id, {id, priority, payload});
    return {id, priority, payload};
  }

  private createLane(priority: number): Lane {
    const dir = join(this.queueDir, laneDirName(priority));
    mkdirSync(dir, {recursive: true});
    const segment = this.newSegmentNumber();
    const fd = openSync(join(dir, segmentFileName(segment)), 'w+');
    const lane: Lane = {
      priority, dir, segments: [segment], sealed: new Map(), count: 0, tailFd: fd, tailLength: 0, tailCount: 0,
      offsets: [], cursor: {segment, offset: 0, index: 0}, headFd: fd, headSize: 0, readBufferStart: 0, physicalLength: 0, recent: new Map(), recentBytes: 0,
    };
    this.addLane(lane);
    return lane;
  }

  private openLane(priority: number, dir: string, segments: number[], sealed: Map<number, number>, count: number, tail: TailScan, cursor?: FifoCursor, marks?: Map<number, LifoMark>): Lane {
    const tailFd = openSync(join(dir, segmentFileName(tail.segment)), 'r+');
    const lane: Lane = {
      priority, dir, segments, sealed, count, tailFd, tailLength: tail.length, tailCount: tail.offsets.length,
      offsets: this.order === 'lifo' ? tail.offsets : [], cursor: cursor ?? {segment: segments[0], offset: 0, index: 0}, headFd: tailFd, headSize: 0, readBufferStart: 0, physicalLength: tail.length, mark: this.order === 'lifo' ? marks?.get(priority) : undefined, recent: new Map(), recentBytes: 0,
    };
    if (this.order === 'fifo' && lane.cursor.segment !== tail.segment) this.openFifoHead(lane);
    return lane;
  }

  private addLane(lane: Lane): void {
    this.lanes.set(lane.priority, lane);
    this.pendingInLanes += lane.count;
    this.priorities.push(lane.priority);
    this.priorities.sort((a, b) => b - a);
  }

  private newSegmentNumber(): number {
    return this.epoch * SEGMENTS_PER_EPOCH + this.nextSegment++;
  }

  /** The tail is full: its count goes to the journal (so opening need not scan it) and a new tail starts. */
  private seal(lane: Lane): void {
    const old = lane.segments[lane.segments.length - 1];
    // Trim first: a seal journaled before the trim would, after a kill between the two, count popped records as live.
    this.cutStaleTail(lane);
    this.journal.append({t: 'seal', priority: lane.priority, segment: old, count: lane.tailCount});
    lane.sealed.set(old, lane.tailCount);
    this.fsync.flushOne(lane.tailFd);
    if (this.order === 'fifo' && lane.cursor.segment === old) {
      lane.headFd = lane.tailFd;
      lane.headSize = lane.tailLength;
    } else {
      closeSync(lane.tailFd);
    }
    const segment = this.newSegmentNumber();
    lane.tailFd = openSync(join(lane.dir, segmentFileName(segment)), 'w+');
    lane.segments.push(segment);
    lane.tailLength = 0;
    lane.physicalLength = 0;
    lane.tailCount = 0;
    lane.offsets = [];
    lane.recent.clear();
    lane.recentBytes = 0;
  }

  /** LIFO: drops what pops left past the tail's end (before it is sealed, and at close). */
  private cutStaleTail(lane: Lane): void {
    if (lane.physicalLength <= lane.tailLength) return;
    this.journal.flush();
    ftruncateSync(lane.tailFd, lane.tailLength);
    lane.physicalLength = lane.tailLength;
    this.fsync.touch(lane.tailFd);
  }

  /** LIFO: the tail is empty; delete it and continue with the segment below. */
  private retireLifoTail(lane: Lane): void {
    const below = lane.segments[lane.segments.length - 2];
    let belowFd: number | undefined;
    let offsets: number[] = [];
    let length = 0;
    if (below !== undefined) {
      // Read (and check) the segment below before anything changes: damage there must stop the crawl, not shorten the queue.
      belowFd = openSync(join(lane.dir, segmentFileName(below)), 'r+');
      const buffer = readAt(belowFd, 0, fstatSync(belowFd).size);
      length = scanRecords(buffer, 0, ({offset}) => offsets.push(offset));
      const expected = lane.sealed.get(below) ?? offsets.length;
      if (length < buffer.length || offsets.length !== expected) {
        closeSync(belowFd);
        throw this.damaged(lane, below, length < buffer.length ? `has a damaged record at byte ${length}` : `holds ${offsets.length} requests, the journal counts ${expected}`);
      }
    }
    this.deleteSegmentFile(lane, lane.tailFd, lane.segments.pop() as number);
    if (below === undefined || belowFd === undefined) {
      this.removeLane(lane);
      return;
    }
    lane.tailFd = belowFd;
    lane.sealed.delete(below);
    lane.offsets = offsets;
    lane.recent.clear();
    lane.recentBytes = 0;
    lane.tailLength = length;
    lane.physicalLength = length;
    lane.tailCount = offsets.length;
    if (offsets.length === 0) this.retireLifoTail(lane);
  }

  /** FIFO: the head segment is consumed; delete it and read the next one. */
  private advanceFifoHead(lane: Lane): void {
    const head = lane.segments.shift() as number;
    const expected = (lane.sealed.get(head) ?? lane.cursor.index) - lane.cursor.index;
    lane.count -= expected;
    this.pendingInLanes -= expected;
    lane.sealed.delete(head);
    this.deleteSegmentFile(lane, lane.headFd, head);
    lane.cursor = {segment: lane.segments[0], offset: 0, index: 0};
    lane.readBuffer = undefined;
    if (lane.cursor.segment === lane.segments[lane.segments.length - 1]) {
      lane.headFd = lane.tailFd;
      lane.headSize = 0;
    } else {
      this.openFifoHead(lane);
    }
  }

  private openFifoHead(lane: Lane): void {
    lane.headFd = openSync(join(lane.dir, segmentFileName(lane.cursor.segment)), 'r');
    lane.headSize = fstatSync(lane.headFd).size;
  }

  private deleteSegmentFile(lane: Lane, fd: number, segment: number): void {
    this.journal.flush();
    this.fsync.forget(fd);
    closeSync(fd);
    unlinkSync(join(lane.dir, segmentFileName(segment)));
  }

  /** A FIFO lane ran dry (or its tail ended early): delete it whole. */
  private dropLane(lane: Lane): void {
    this.journal.flush();
    this.pendingInLanes -= lane.count;
    lane.count = 0;
    this.closeLaneFiles(lane);
    rmSync(lane.dir, {recursive: true, force: true});
    this.removeLaneEntry(lane);
  }

  private removeLane(lane: Lane): void {
    this.journal.flush();
    rmSync(lane.dir, {recursive: true, force: true});
    this.removeLaneEntry(lane);
  }

  private removeLaneEntry(lane: Lane): void {
    this.lanes.delete(lane.priority);
    this.priorities = this.priorities.filter((priority) => priority !== lane.priority);
  }

  /** Damage found while crawling: stop with JOBDIR_CORRUPT and leave the segment as it is for `job repair`. */
  private damaged(lane: Lane, segment: number, problem: string): DraglineError {
    const path = join(lane.dir, segmentFileName(segment));
    const jobDir = dirname(this.queueDir);
    return new DraglineError('JOBDIR_CORRUPT', `The queue segment ${path} is damaged: ${problem}. Run \`dragline job repair ${jobDir}\` to keep every intact request and see what was lost, then run the crawl again`, {
      suggestions: [`dragline job repair ${jobDir}`],
    });
  }

  private closeLaneFiles(lane: Lane): void {
    this.fsync.flushOne(lane.tailFd);
    closeSync(lane.tailFd);
    // Only FIFO reads through headFd; in LIFO it is left over from the lane's first tail and may be closed already.
    if (this.order === 'fifo' && lane.headFd !== lane.tailFd) closeSync(lane.headFd);
  }
}
