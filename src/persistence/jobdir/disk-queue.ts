import {mkdirSync, openSync, rmSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {DraglineError} from '../../core/errors.js';
import {crc32} from 'node:zlib';
import type {Lease, PendingQueue} from '../types.js';
import type {CheckpointRecord, FifoCursor, Journal, JournalState, LeaseEntry, LifoMark, QueueTop} from './journal.js';
import {applyLanePlan, laneDirName, listLanes, planLane, segmentFileName} from './queue-layout.js';
import {RECORD_HEADER_BYTES} from '../record-file.js';
import type {FsyncBatcher} from '../fsync-batcher.js';
import {ID_BYTES, type DiskLane, type LaneHost, type LaneInit} from './disk-lane.js';
import {FifoLane} from './fifo-lane.js';
import {LifoLane} from './lifo-lane.js';

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

/** Record ids and segment numbers start with the run's epoch, so they never repeat across runs. */
const IDS_PER_EPOCH = 2 ** 32;
const SEGMENTS_PER_EPOCH = 2 ** 24;

/**
 * The durable pending queue of a job (requests.queue/). Every write is synchronous, so after
 * kill -9 the files hold exactly what the program wrote, in order; a lease is journaled before
 * its record can be overwritten or deleted (types.ts, rule 1). Each priority is a lane of the job's
 * order (LifoLane, FifoLane); the queue pops from the highest, journals leases and seals full tails.
 */
export class DiskQueue implements PendingQueue {
  private readonly lanes = new Map<number, DiskLane>();
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
  private readonly host: LaneHost;
  private readonly newLane: (init: LaneInit) => DiskLane;

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
    this.host = {
      journal, fsync,
      nextRecordId: () => this.epoch * IDS_PER_EPOCH + this.nextRecord,
      lease: (id, payload, priority, cursor, mark) => this.lease(id, payload, priority, cursor, mark),
      removeLane: (lane) => this.removeLane(lane),
      damaged: (lane, segment, problem) => this.damaged(lane, segment, problem),
    };
    this.newLane = order === 'fifo' ? (init) => new FifoLane(this.host, init) : (init) => new LifoLane(this.host, init);
    let bytesRead = 0;
    for (const [priority, laneDir] of listLanes(queueDir)) {
      const plan = planLane(priority, laneDir, order, state);
      bytesRead += plan.bytesRead;
      applyLanePlan(plan);
      if (plan.removeLane || !plan.tail) continue;
      const tail = plan.tail;
      this.addLane(this.newLane({
        priority, dir: laneDir, segments: plan.segments, sealed: plan.sealed, count: plan.count,
        tailFd: openSync(join(laneDir, segmentFileName(tail.segment)), 'r+'), tailLength: tail.length, tailOffsets: tail.offsets,
        cursor: plan.cursor, mark: state.marks.get(priority),
      }));
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
    lane.append(record, id, payload);
    this.pendingInLanes += 1;
  }

  pop(): Lease | undefined {
    if (this.commitOpen) throw new Error('pop() inside a commit (between begin() and ack()) would make it impossible to roll back');
    const again = this.recovered.shift();
    if (again) return {id: again.id, priority: again.priority, payload: again.payload};
    while (this.priorities.length > 0) {
      const lane = this.lanes.get(this.priorities[0]) as DiskLane;
      const before = lane.count;
      let lease: Lease | undefined;
      try {
        lease = lane.pop();
      } finally {
        // A pop takes one record, or a lane's remainder when it turns out to end early.
        this.pendingInLanes -= before - lane.count;
      }
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
    return [...this.lanes.values()].map((lane) => [lane.priority, lane.tailSegment, lane.tailLength]);
  }

  checkpoint(): CheckpointRecord {
    const cursors: CheckpointRecord['cursors'] = [];
    const sealed: CheckpointRecord['sealed'] = [];
    const marks: CheckpointRecord['marks'] = [];
    for (const lane of this.lanes.values()) {
      lane.checkpointInto(cursors, marks);
      for (const [segment, count] of lane.sealed) sealed.push([lane.priority, segment, count]);
    }
    return {t: 'checkpoint', epoch: this.epoch, order: this.order, cursors, marks, sealed, leases: [...this.leases.values()], tops: this.tops()};
  }

  close(): void {
    for (const lane of this.lanes.values()) lane.close();
    this.lanes.clear();
    this.priorities = [];
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

  private createLane(priority: number): DiskLane {
    const dir = join(this.queueDir, laneDirName(priority));
    mkdirSync(dir, {recursive: true});
    const segment = this.newSegmentNumber();
    const tailFd = openSync(join(dir, segmentFileName(segment)), 'w+');
    const lane = this.newLane({priority, dir, segments: [segment], sealed: new Map(), count: 0, tailFd, tailLength: 0, tailOffsets: []});
    this.addLane(lane);
    return lane;
  }

  private addLane(lane: DiskLane): void {
    this.lanes.set(lane.priority, lane);
    this.pendingInLanes += lane.count;
    this.priorities.push(lane.priority);
    this.priorities.sort((a, b) => b - a);
  }

  private newSegmentNumber(): number {
    return this.epoch * SEGMENTS_PER_EPOCH + this.nextSegment++;
  }

  /** The tail is full: its count goes to the journal (so opening need not scan it) and a new tail starts. */
  private seal(lane: DiskLane): void {
    const old = lane.tailSegment;
    // Trim first: a seal journaled before the trim would, after a kill between the two, count popped records as live.
    lane.cutStaleTail();
    this.journal.append({t: 'seal', priority: lane.priority, segment: old, count: lane.tailCount});
    lane.sealed.set(old, lane.tailCount);
    this.fsync.flushOne(lane.tailFd);
    lane.releaseSealedTail(old);
    const segment = this.newSegmentNumber();
    lane.startTail(segment, openSync(join(lane.dir, segmentFileName(segment)), 'w+'));
  }

  private removeLane(lane: DiskLane): void {
    rmSync(lane.dir, {recursive: true, force: true});
    this.lanes.delete(lane.priority);
    this.priorities = this.priorities.filter((priority) => priority !== lane.priority);
  }

  /** Damage found while crawling: stop with JOBDIR_CORRUPT and leave the segment as it is for `job repair`. */
  private damaged(lane: DiskLane, segment: number, problem: string): DraglineError {
    const path = join(lane.dir, segmentFileName(segment));
    const jobDir = dirname(this.queueDir);
    return new DraglineError('JOBDIR_CORRUPT', `The queue segment ${path} is damaged: ${problem}. Run \`dragline job repair ${jobDir}\` to keep every intact request and see what was lost, then run the crawl again`, {
      suggestions: [`dragline job repair ${jobDir}`],
    });
  }
}
