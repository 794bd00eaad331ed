import {closeSync, existsSync, fstatSync, openSync, renameSync} from 'node:fs';
import {RECORD_HEADER_BYTES, nextIntactRecord, readWholeFile, salvageRecords, scanRecords, writeAllFully, writeFully, type DamagedRange} from '../record-file.js';
import {decodeJournalRecord, frameJournalRecord} from './journal-codec.js';
import type {FsyncBatcher} from '../fsync-batcher.js';
import {syncDirectory} from '../atomic-file.js';
import {dirname} from 'node:path';

/** Where a FIFO priority reads next: segment number, byte offset, records consumed in that segment. */
export interface FifoCursor {
  segment: number;
  offset: number;
  index: number;
}

/**
 * LIFO pops do not truncate the segment: the lease records where the popped record started and the
 * next record id at that moment. Records before `offset` are live; at and after it, only records
 * pushed since (ids ≥ watermark, increasing) are; the rest is what pops left behind.
 */
export interface LifoMark {
  segment: number;
  offset: number;
  watermark: number;
}

/** A request handed out by pop() and not yet acknowledged. */
export interface LeaseEntry {
  id: number;
  priority: number;
  payload: Buffer;
}

/** The newest segment of a priority and its byte length: what a torn commit is rolled back to. */
export type QueueTop = [priority: number, segment: number, length: number];

export interface CheckpointRecord {
  t: 'checkpoint';
  epoch: number;
  /** The queue's order: a job keeps the order its pending requests were queued in. */
  order: 'lifo' | 'fifo';
  cursors: Array<[priority: number, segment: number, offset: number, index: number]>;
  /** LIFO: each lane's last pop (see LifoMark). */
  marks: Array<[priority: number, segment: number, offset: number, watermark: number]>;
  /** Record counts of segments that are no longer written to, so opening need not scan them. */
  sealed: Array<[priority: number, segment: number, count: number]>;
  leases: LeaseEntry[];
  /**
   * Feed lengths a torn commit must still be cut back to. Kept across compactions until the engine
   * has truncated its feeds (Job.feedsRestored), so a run that stops during start-up cannot lose it.
   */
  feedRollback?: Record<string, number>;
  /** spider.state (v8-serialized) as of the last acked commit, when the job journals it. */
  state?: Buffer;
  /** Where the files ended when the checkpoint was written (absent in journals from before they were recorded). */
  tops?: QueueTop[];
  seenLength?: number;
  failedLength?: number;
  /**
   * Written by `job repair` while it rebuilds lanes: each listed lane is its segments numbered
   * first..last; any other segment of it is a leftover of the interrupted rebuild, to be deleted.
   */
  lanes?: Array<[priority: number, first: number, last: number]>;
}

export interface LeaseRecord {
  t: 'lease';
  id: number;
  priority: number;
  payload: Buffer;
  /** FIFO: the read cursor after this record. */
  cursor?: [segment: number, offset: number, index: number];
  /** LIFO: where the record was, and the first record id allocated after it was popped. */
  mark?: [segment: number, offset: number, watermark: number];
}

export interface BeginRecord {
  t: 'begin';
  leases: number[];
  seenLength: number;
  failedLength: number;
  feedOffsets: Record<string, number>;
  tops: QueueTop[];
  pending: number;
}

export interface AckRecord {
  t: 'ack';
  leases: number[];
}

/** spider.state after a commit's outputs, written just before its ack: it counts only if the ack follows. */
export interface StateRecord {
  t: 'state';
  bytes: Buffer;
}

export interface SealRecord {
  t: 'seal';
  priority: number;
  segment: number;
  count: number;
}

export type JournalRecord = CheckpointRecord | LeaseRecord | BeginRecord | AckRecord | SealRecord | StateRecord;

/** What replaying a journal found. */
export interface JournalState {
  epoch: number;
  order?: 'lifo' | 'fifo';
  cursors: Map<number, FifoCursor>;
  marks: Map<number, LifoMark>;
  sealed: Map<number, Map<number, number>>;
  leases: Map<number, LeaseEntry>;
  /** The last begin without an ack: a commit torn by a crash. */
  openBegin?: BeginRecord;
  /** Feed lengths from a torn commit whose feeds were not cut back yet. */
  feedRollback?: Record<string, number>;
  /** spider.state as of the last acked commit (undefined: the job does not journal it; see spider.state). */
  committedState?: Buffer;
  /** A state record not acked yet. */
  stateCandidate?: Buffer;
  /**
   * Where the files ended at the last commit (or checkpoint) the journal holds: bytes before these
   * lengths were written before it, so they cannot be a torn write; only what follows can.
   */
  known?: KnownLengths;
  /** Bytes of intact records; anything after is a torn write, unless `damagedAt` is set. */
  validLength: number;
  fileLength: number;
  /**
   * LIFO: segments popped down to their first record (`priority:segment`), since the last
   * checkpoint or in its marks. A LIFO segment is deleted only after that, so one missing from
   * this set was not deleted by dragline.
   */
  emptied: Set<string>;
  /** A damaged record followed by intact ones: not a torn write but damage, at this offset. */
  damagedAt?: number;
  /** replayJournal(path, {salvage: true}): the byte ranges skipped. */
  skipped?: DamagedRange[];
  /** The checkpoint's `lanes` (job repair): the segments each listed lane is made of. */
  lanes?: Map<number, LaneSpan>;
}

export interface LaneSpan {
  first: number;
  last: number;
}

export interface KnownLengths {
  tops: QueueTop[];
  seenLength: number;
  failedLength: number;
}

export function emptyJournalState(): JournalState {
  return {epoch: 0, cursors: new Map(), marks: new Map(), sealed: new Map(), leases: new Map(), emptied: new Set(), validLength: 0, fileLength: 0};
}

/**
 * Replays the journal file (read only). Throws a plain Error if an intact record makes no sense.
 * `salvage` (job repair) goes on past damaged records with the next intact one.
 */
export function replayJournal(path: string, options: {salvage?: boolean} = {}): JournalState {
  const state = emptyJournalState();
  if (!existsSync(path)) return state;
  const buffer = readWholeFile(path);
  state.fileLength = buffer.length;
  const apply = ({payload}: {payload: Buffer}) => applyRecord(state, decodeJournalRecord(payload));
  if (options.salvage) {
    const undecodable: DamagedRange[] = [];
    state.skipped = salvageRecords(buffer, (record) => {
      try {
        apply(record);
      } catch {
        undecodable.push([record.offset, record.offset + RECORD_HEADER_BYTES + record.payload.length]);
      }
    });
    state.skipped.push(...undecodable);
    state.validLength = buffer.length;
    return state;
  }
  state.validLength = scanRecords(buffer, 0, apply);
  if (state.validLength < buffer.length && nextIntactRecord(buffer, state.validLength) >= 0) state.damagedAt = state.validLength;
  return state;
}

function applyRecord(state: JournalState, record: JournalRecord): void {
  switch (record.t) {
    case 'checkpoint': {
      state.epoch = record.epoch;
      state.order = record.order;
      state.cursors = new Map(record.cursors.map(([priority, segment, offset, index]) => [priority, {segment, offset, index}]));
      state.marks = new Map((record.marks ?? []).map(([priority, segment, offset, watermark]) => [priority, {segment, offset, watermark}]));
      state.emptied = new Set((record.marks ?? []).filter(([, , offset]) => offset === 0).map(([priority, segment]) => emptiedKey(priority, segment)));
      state.sealed = new Map();
      for (const [priority, segment, count] of record.sealed) sealedOf(state, priority).set(segment, count);
      state.leases = new Map(record.leases.map((lease) => [lease.id, lease]));
      state.openBegin = undefined;
      state.feedRollback = record.feedRollback;
      state.committedState = record.state === undefined ? undefined : Buffer.from(record.state);
      state.stateCandidate = undefined;
      state.known = record.tops === undefined ? undefined : {tops: record.tops, seenLength: record.seenLength ?? 0, failedLength: record.failedLength ?? 0};
      state.lanes = record.lanes === undefined ? undefined : new Map(record.lanes.map(([priority, first, last]) => [priority, {first, last}]));
      return;
    }
    case 'lease': {
      state.leases.set(record.id, {id: record.id, priority: record.priority, payload: record.payload});
      if (record.cursor) {
        const [segment, offset, index] = record.cursor;
        state.cursors.set(record.priority, {segment, offset, index});
      }
      if (record.mark) {
        const [segment, offset, watermark] = record.mark;
        state.marks.set(record.priority, {segment, offset, watermark});
        if (offset === 0) state.emptied.add(emptiedKey(record.priority, segment));
      }
      return;
    }
    case 'begin':
      state.openBegin = record;
      state.known = {tops: record.tops, seenLength: record.seenLength, failedLength: record.failedLength};
      state.stateCandidate = undefined;
      return;
    case 'state':
      state.stateCandidate = record.bytes;
      return;
    case 'ack':
      for (const id of record.leases) state.leases.delete(id);
      state.openBegin = undefined;
      if (state.stateCandidate !== undefined) state.committedState = state.stateCandidate;
      state.stateCandidate = undefined;
      return;
    case 'seal':
      sealedOf(state, record.priority).set(record.segment, record.count);
      return;
    default:
      throw new Error(`unknown journal record ${JSON.stringify((record as {t?: unknown}).t)}`);
  }
}

export function emptiedKey(priority: number, segment: number): string {
  return `${priority}:${segment}`;
}

function sealedOf(state: JournalState, priority: number): Map<number, number> {
  let map = state.sealed.get(priority);
  if (!map) state.sealed.set(priority, (map = new Map()));
  return map;
}

/**
 * The append-only journal of a job's queue: leases, commits, acks, sealed segments.
 *
 * Leases are written lazily, with the next record (a commit's begin, one write for both): until
 * then a crash leaves the popped record where it was in its segment, so it is served again as if
 * never popped. The queue flushes them before anything could overwrite or delete such a record.
 */
export class Journal {
  private fd: number;
  length: number;
  /** Length right after the last compaction. */
  compactedLength = 0;
  private deferred: Buffer[] = [];
  /**
   * A write that failed (a full disk) may have left some of its records whole: writing over them
   * again could leave an intact record behind a shorter one, which reads as damage. So after a
   * failure the journal takes no more appends; only a compaction, which replaces the file, resets it.
   */
  private failure?: unknown;

  constructor(readonly path: string, private readonly fsync: FsyncBatcher) {
    this.fd = openSync(path, existsSync(path) ? 'r+' : 'w+');
    this.length = fstatSync(this.fd).size;
  }

  append(record: JournalRecord): void {
    const framed = frameJournalRecord(record);
    if (this.deferred.length === 0) {
      this.write(framed);
      return;
    }
    this.deferred.push(framed);
    this.flush();
  }

  /** Journals `record` with the next append() or flush(). */
  appendLater(record: JournalRecord): void {
    this.deferred.push(frameJournalRecord(record));
  }

  /** Writes what appendLater() held back. */
  flush(): void {
    if (this.deferred.length === 0) return;
    const buffers = this.deferred;
    this.deferred = [];
    if (buffers.length === 1) {
      this.write(buffers[0]);
      return;
    }
    const total = buffers.reduce((sum, buffer) => sum + buffer.length, 0);
    this.guarded(() => writeAllFully(this.fd, buffers, this.length));
    this.length += total;
    this.fsync.touch(this.fd);
  }

  private write(framed: Buffer): void {
    this.guarded(() => writeFully(this.fd, framed, this.length));
    this.length += framed.length;
    this.fsync.touch(this.fd);
  }

  private guarded(write: () => void): void {
    if (this.failure !== undefined) throw this.failure;
    try {
      write();
    } catch (error) {
      this.failure = error;
      throw error;
    }
  }

  /**
   * Replaces the journal by one checkpoint record (temp file, fsync, rename): it never grows without
   * bound. The checkpoint holds every lease, so leases held back are dropped, not written.
   */
  compact(checkpoint: CheckpointRecord): void {
    this.deferred = [];
    const temp = `${this.path}.compact`;
    const fd = openSync(temp, 'w+');
    const framed = frameJournalRecord(checkpoint);
    writeFully(fd, framed, 0);
    // With fsync on, the content is on disk before the rename is: a rename that outlives its content would lose the queue state.
    this.fsync.flushOne(this.fd);
    this.fsync.touch(fd);
    this.fsync.flushOne(fd);
    renameSync(temp, this.path);
    if (this.fsync.enabled) syncDirectory(dirname(this.path));
    this.fsync.forget(this.fd);
    closeSync(this.fd);
    this.fd = fd;
    this.length = framed.length;
    this.compactedLength = framed.length;
    this.failure = undefined;
  }

  close(): void {
    // After a failed write, leases held back stay unwritten: their requests are served again, as after a crash.
    if (this.failure === undefined) this.flush();
    this.fsync.flushOne(this.fd);
    closeSync(this.fd);
  }
}
