import {existsSync, readdirSync, rmSync, statSync, truncateSync, unlinkSync} from 'node:fs';
import {join} from 'node:path';
import type {FifoCursor, JournalState, LaneSpan, LifoMark, QueueTop} from './journal.js';
import {readWholeFile, scanRecords} from '../record-file.js';

/**
 * How requests.queue/ is laid out, and what opening it finds, without changing anything (so
 * `job status` can use it too). One folder per priority (`p0`, `p-1`), each a run of numbered
 * segment files; within a segment a record is `[frame][f64 record id][request bytes]`.
 */
export const SEGMENT_SUFFIX = '.seg';

export function laneDirName(priority: number): string {
  return `p${priority}`;
}

export function segmentFileName(segment: number): string {
  return `${String(segment).padStart(16, '0')}${SEGMENT_SUFFIX}`;
}

/** The priority folders present, as [priority, path]. */
export function listLanes(queueDir: string): Array<[number, string]> {
  if (!existsSync(queueDir)) return [];
  const lanes: Array<[number, string]> = [];
  for (const entry of readdirSync(queueDir, {withFileTypes: true})) {
    if (!entry.isDirectory() || !entry.name.startsWith('p')) continue;
    const priority = Number(entry.name.slice(1));
    if (entry.name.length > 1 && Number.isFinite(priority)) lanes.push([priority, join(queueDir, entry.name)]);
  }
  return lanes;
}

export function listSegments(laneDir: string): number[] {
  return readdirSync(laneDir)
    .filter((name) => /^\d+\.seg$/.test(name))
    .map((name) => Number(name.slice(0, -SEGMENT_SUFFIX.length)))
    .sort((a, b) => a - b);
}

/**
 * A lane's segments, and the leftovers of an interrupted `job repair` beside them: segments outside
 * the span its checkpoint gives the lane (the old ones it replaced, or new ones it did not finish).
 */
export function laneSegments(laneDir: string, span: LaneSpan | undefined): {segments: number[]; leftovers: number[]} {
  const all = listSegments(laneDir);
  if (span === undefined) return {segments: all, leftovers: []};
  const inSpan = (segment: number) => segment >= span.first && segment <= span.last;
  return {segments: all.filter(inSpan), leftovers: all.filter((segment) => !inSpan(segment))};
}

/** The newest segment of a lane, scanned: where pushes go, and for LIFO where pops come from. */
export interface TailScan {
  segment: number;
  /** Offsets of the intact records, in order. */
  offsets: number[];
  /** Their record ids. */
  ids: number[];
  /** Byte length once the torn tail is cut. */
  length: number;
}

export interface LanePlan {
  priority: number;
  dir: string;
  /** Segments that remain, ascending; empty when the lane is to be removed. */
  segments: number[];
  tail?: TailScan;
  /** Record counts of the segments before the tail. */
  sealed: Map<number, number>;
  count: number;
  /** FIFO: where reading resumes. */
  cursor?: FifoCursor;
  /** Repairs opening must make: truncate torn tails, delete consumed or empty segments. */
  truncate: Array<[path: string, length: number]>;
  unlink: string[];
  removeLane: boolean;
  bytesRead: number;
}

function scanTail(laneDir: string, segment: number): {scan: TailScan; fileLength: number} {
  const buffer = readWholeFile(join(laneDir, segmentFileName(segment)));
  const offsets: number[] = [];
  const ids: number[] = [];
  const length = scanRecords(buffer, 0, ({offset, payload}) => {
    if (payload.length < 8) return;
    offsets.push(offset);
    ids.push(payload.readDoubleLE(0));
  });
  return {scan: {segment, offsets, ids, length}, fileLength: buffer.length};
}

/**
 * LIFO: how many of a tail segment's records (their offsets and ids, in order) are still queued.
 * Pops do not truncate: the lane's last mark says where the last pop was; at and after it only
 * records pushed since (ids ≥ watermark, increasing) are live. A record that is still leased (not
 * acked) and lies at the end will be served again from its lease, so the copy must go.
 */
export function liveLifoRecords(offsets: number[], ids: number[], segment: number, mark: LifoMark | undefined, leases: Map<number, unknown>): number {
  let keep = ids.length;
  if (mark && mark.segment === segment) {
    const first = offsets.findIndex((offset) => offset >= mark.offset);
    if (first >= 0) {
      keep = first;
      let previous = -Infinity;
      while (keep < ids.length && ids[keep] >= mark.watermark && ids[keep] > previous) previous = ids[keep++];
    }
  }
  while (keep > 0 && leases.has(ids[keep - 1])) keep -= 1;
  return keep;
}

/** Works out what opening a lane must do; reads only the tail segment (and segments no seal record counted). */
export function planLane(priority: number, laneDir: string, order: 'lifo' | 'fifo', journal: JournalState): LanePlan {
  return order === 'lifo' ? planLifoLane(priority, laneDir, journal) : planFifoLane(priority, laneDir, journal);
}

/** LIFO: pops come from the tail, so the tail is cut back to its live records (emptied segments go). */
function planLifoLane(priority: number, laneDir: string, journal: JournalState): LanePlan {
  const plan = startPlan(priority, laneDir, journal);
  let tail: TailScan | undefined;
  while (plan.segments.length > 0) {
    const segment = plan.segments[plan.segments.length - 1];
    const scan = scanTailInto(plan, segment);
    const keep = liveLifoRecords(scan.offsets, scan.ids, segment, journal.marks.get(priority), journal.leases);
    if (keep < scan.ids.length) {
      scan.length = scan.offsets[keep];
      scan.offsets.length = keep;
      scan.ids.length = keep;
      plan.truncate.push([segmentPath(plan, segment), scan.length]);
    }
    if (scan.ids.length > 0) {
      tail = scan;
      break;
    }
    plan.unlink.push(segmentPath(plan, segment));
    plan.segments.pop();
  }
  if (tail) {
    countSealed(plan, journal, plan.segments.slice(0, -1));
    plan.count += tail.offsets.length;
  }
  return finishPlan(plan, tail);
}

/** FIFO: pops come from the head at the journaled cursor; segments wholly before it were consumed. */
function planFifoLane(priority: number, laneDir: string, journal: JournalState): LanePlan {
  const plan = startPlan(priority, laneDir, journal);
  if (plan.segments.length === 0) return finishPlan(plan, undefined);
  const tail = scanTailInto(plan, plan.segments[plan.segments.length - 1]);
  const sealedCounts = journal.sealed.get(priority);
  let cursor = journal.cursors.get(priority);
  // Segments before the cursor's were consumed; a crash came before they were deleted.
  while (plan.segments.length > 1 && cursor && plan.segments[0] < cursor.segment) {
    plan.unlink.push(segmentPath(plan, plan.segments.shift() as number));
  }
  if (!cursor || cursor.segment !== plan.segments[0]) cursor = {segment: plan.segments[0], offset: 0, index: 0};
  for (;;) {
    const head = cursor.segment;
    if (head === tail.segment) {
      const from = cursor.offset;
      plan.count = tail.offsets.filter((offset) => offset >= from).length;
      break;
    }
    if (cursor.offset < statSync(segmentPath(plan, head)).size) {
      const known = sealedCounts?.get(head);
      const headCount = known !== undefined ? known - cursor.index : countRecords(plan, head, cursor.offset);
      plan.sealed.set(head, known ?? headCount + cursor.index);
      plan.count = Math.max(0, headCount);
      countSealed(plan, journal, plan.segments.slice(1, -1));
      plan.count += tail.offsets.length;
      break;
    }
    plan.unlink.push(segmentPath(plan, plan.segments.shift() as number));
    cursor = {segment: plan.segments[0], offset: 0, index: 0};
  }
  plan.cursor = cursor;
  return finishPlan(plan, tail);
}

/** The lane's segments per the journal's span; leftovers of an interrupted repair are to be deleted. */
function startPlan(priority: number, laneDir: string, journal: JournalState): LanePlan {
  const {segments, leftovers} = laneSegments(laneDir, journal.lanes?.get(priority));
  const plan: LanePlan = {
    priority, dir: laneDir, segments, sealed: new Map(), count: 0,
    truncate: [], unlink: [], removeLane: false, bytesRead: 0,
  };
  plan.unlink.push(...leftovers.map((segment) => segmentPath(plan, segment)));
  return plan;
}

function segmentPath(plan: LanePlan, segment: number): string {
  return join(plan.dir, segmentFileName(segment));
}

/** Scans a tail segment; a torn last record is to be cut. */
function scanTailInto(plan: LanePlan, segment: number): TailScan {
  const {scan, fileLength} = scanTail(plan.dir, segment);
  plan.bytesRead += fileLength;
  if (scan.length < fileLength) plan.truncate.push([segmentPath(plan, segment), scan.length]);
  return scan;
}

/** Adds whole sealed segments to the plan's count, from their seal records where the journal has them. */
function countSealed(plan: LanePlan, journal: JournalState, segments: number[]): void {
  const sealedCounts = journal.sealed.get(plan.priority);
  for (const segment of segments) {
    const count = sealedCounts?.get(segment) ?? countRecords(plan, segment, 0);
    plan.sealed.set(segment, count);
    plan.count += count;
  }
}

function countRecords(plan: LanePlan, segment: number, fromOffset: number): number {
  let count = 0;
  const buffer = readWholeFile(segmentPath(plan, segment));
  plan.bytesRead += buffer.length;
  scanRecords(buffer, 0, ({offset}) => {
    if (offset >= fromOffset) count += 1;
  });
  return count;
}

function finishPlan(plan: LanePlan, tail: TailScan | undefined): LanePlan {
  if (plan.count === 0) {
    plan.removeLane = true;
    plan.segments = [];
    tail = undefined;
  }
  plan.tail = tail;
  return plan;
}

export function applyLanePlan(plan: LanePlan): void {
  if (plan.removeLane) {
    rmSync(plan.dir, {recursive: true, force: true});
    return;
  }
  for (const [path, length] of plan.truncate) {
    if (existsSync(path)) truncateSync(path, Math.min(length, statSync(path).size));
  }
  for (const path of plan.unlink) rmSync(path, {force: true});
}

/**
 * Undoes a torn commit: every lane back to the newest segment and length begin() recorded;
 * segments and lanes created after it are deleted. Nothing is popped inside a commit, so nothing
 * else can have changed.
 */
export function rollbackQueue(queueDir: string, tops: QueueTop[]): void {
  const byPriority = new Map(tops.map(([priority, segment, length]) => [priority, {segment, length}]));
  for (const [priority, laneDir] of listLanes(queueDir)) {
    const top = byPriority.get(priority);
    if (!top) {
      rmSync(laneDir, {recursive: true, force: true});
      continue;
    }
    for (const segment of listSegments(laneDir)) {
      const path = join(laneDir, segmentFileName(segment));
      if (segment > top.segment) unlinkSync(path);
      else if (segment === top.segment && statSync(path).size > top.length) truncateSync(path, top.length);
    }
  }
}
