import {closeSync, existsSync, fsyncSync, mkdirSync, openSync, rmSync, statSync, truncateSync} from 'node:fs';
import {join, relative, resolve} from 'node:path';
import {DraglineError} from '../../core/errors.js';
import {syncDirectory, writeFileAtomic} from '../atomic-file.js';
import {DEFAULT_SEGMENT_LIMITS, segmentIsFull, type SegmentLimits} from './disk-queue.js';
import {findDamage, type Damage} from './job-damage.js';
import {checkJobDirectory, checkJobEntries, jobFsError} from './job-entries.js';
import {JOB_FILE, readJobFile} from './job-file.js';
import {acquireJobLock} from './job-lock.js';
import {FAILED_NAME, JOURNAL_NAME, QUEUE_DIR, SEEN_NAME} from './job.js';
import {frameJournalRecord} from './journal-codec.js';
import {replayJournal, type CheckpointRecord, type JournalState} from './journal.js';
import {laneDirName, laneSegments, listLanes, listSegments, liveLifoRecords, rollbackQueue, segmentFileName} from './queue-layout.js';
import {frameRecord, readWholeFile, salvageRecords, writeFully, type RecordView} from '../record-file.js';
import {FINGERPRINT_BYTES} from '../seen-set.js';

const SEGMENTS_PER_EPOCH = 2 ** 24;

/** What `dragline job repair` found and did. */
export interface RepairReport {
  dir: string;
  /** The damage that made opening refuse the job (empty: it was not damaged). */
  damage: Damage[];
  /** What could not be kept, one sentence each. */
  lost: string[];
  /** Files rewritten with their intact records only. */
  rewritten: string[];
}

/** For tests: the segment limits of rebuilt lanes, and a hook called after each durable step (throwing in it is a crash there). */
export interface RepairOptions {
  segmentLimits?: SegmentLimits;
  afterStep?: (step: RepairStep) => void;
}

/** The durable steps of rebuilding lanes, in order. */
export type RepairStep = 'interim-checkpoint' | 'segment-written' | 'checkpoint' | 'old-segments-deleted';

/**
 * Salvages a damaged job directory (`dragline job repair`; never run implicitly): keeps every
 * intact record, drops what cannot be read, and writes a fresh journal that describes what is
 * left, so the next crawl resumes from it. Holds the job's lock while it works.
 */
export async function repairJob(dir: string, options: RepairOptions = {}): Promise<RepairReport> {
  try {
    return await repairJobDirectory(dir, options);
  } catch (error) {
    throw jobFsError(dir, error);
  }
}

async function repairJobDirectory(dir: string, options: RepairOptions): Promise<RepairReport> {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory() || !existsSync(join(root, JOB_FILE))) {
    throw new DraglineError('JOBDIR_NOT_FOUND', `${dir} is not a dragline job directory (it has no ${JOB_FILE}); give the JOBDIR of a crawl`);
  }
  checkJobDirectory(dir, root);
  readJobFile(root);
  const lock = await acquireJobLock(root, (error) => process.emitWarning(`dragline lost the lock of ${root}: ${error.message}`));
  try {
    checkJobEntries(dir, root);
    return new Salvage(root, options).run();
  } finally {
    await lock.release();
  }
}

interface LaneScan {
  damaged: boolean;
  lostRequests: number;
  lostBytes: number;
  kept: number;
}

class Salvage {
  private readonly queueDir: string;
  private readonly journalPath: string;
  private readonly report: RepairReport;

  constructor(private readonly root: string, private readonly options: RepairOptions) {
    this.queueDir = join(root, QUEUE_DIR);
    this.journalPath = join(this.queueDir, JOURNAL_NAME);
    this.report = {dir: root, damage: [], lost: [], rewritten: []};
  }

  run(): RepairReport {
    this.report.damage = this.damageFound();
    const state = this.salvageJournal();
    // A commit torn by a crash is undone first, as opening would; its feed lengths go into the new journal.
    const torn = state.openBegin;
    if (torn) rollbackQueue(this.queueDir, torn.tops);
    const feedRollback = torn ? {...torn.feedOffsets} : state.feedRollback;
    this.salvageSeen(state, torn?.seenLength);
    this.salvageFailed(torn?.failedLength);
    this.removeLeftovers(state);
    const damagedLanes = listLanes(this.queueDir).filter(([priority, laneDir]) => this.scanLane(state, priority, laneDir, listSegments(laneDir)).damaged);
    // Until the rebuilt lanes are complete, the journal must say that segments past the old ones are not part of the job.
    if (damagedLanes.length > 0) {
      const lanes = damagedLanes.map(([priority, laneDir]): [number, number, number] => [priority, 0, Math.max(...listSegments(laneDir))]);
      this.writeCheckpoint({...this.checkpointOf(state, feedRollback), lanes});
      this.step('interim-checkpoint');
    }
    const rebuilt = damagedLanes.map(([priority, laneDir]) => {
      const old = listSegments(laneDir);
      return {priority, laneDir, old, first: this.rebuildLane(state, priority, laneDir, old)};
    });
    for (const [priority, counts] of state.sealed) {
      for (const [segment, count] of counts) {
        if (existsSync(join(this.queueDir, laneDirName(priority), segmentFileName(segment)))) continue;
        const path = join(this.queueDir, laneDirName(priority), segmentFileName(segment));
        if (this.isDamaged(path)) this.lose(`${this.name(path)}: ${count} queued requests (the file is missing)`);
        counts.delete(segment);
      }
    }

    for (const [priority, segment, length] of state.known?.tops ?? []) {
      const path = join(this.queueDir, laneDirName(priority), segmentFileName(segment));
      if (!existsSync(path) && this.isDamaged(path)) this.lose(`${this.name(path)}: ${length} bytes of queued requests (the file is missing)`);
    }
    // The rebuilt segments are the lanes from here on; the old ones, deleted last, are leftovers if this stops before.
    const lanes = rebuilt.map(({priority, laneDir, first}): [number, number, number] => [priority, first, Math.max(...listSegments(laneDir))]);
    this.writeCheckpoint({...this.checkpointOf(state, feedRollback), ...(lanes.length > 0 ? {lanes} : {})});
    this.step('checkpoint');
    for (const {laneDir, old} of rebuilt) {
      for (const segment of old) rmSync(join(laneDir, segmentFileName(segment)), {force: true});
      syncDirectory(laneDir);
    }
    if (rebuilt.length > 0) this.step('old-segments-deleted');
    return this.report;
  }

  /** The new journal holds no file lengths: they are recorded again by the next open. */
  private checkpointOf(state: JournalState, feedRollback: Record<string, number> | undefined): CheckpointRecord {
    return {
      t: 'checkpoint',
      epoch: Math.max(state.epoch, this.newestEpoch()),
      order: state.order ?? 'lifo',
      cursors: [...state.cursors].map(([priority, cursor]) => [priority, cursor.segment, cursor.offset, cursor.index]),
      marks: [...state.marks].map(([priority, mark]) => [priority, mark.segment, mark.offset, mark.watermark]),
      sealed: [...state.sealed].flatMap(([priority, counts]) => [...counts].map(([segment, count]) => [priority, segment, count] as [number, number, number])),
      leases: [...state.leases.values()],
      feedRollback,
      state: state.committedState,
    };
  }

  private writeCheckpoint(checkpoint: CheckpointRecord): void {
    mkdirSync(this.queueDir, {recursive: true});
    writeFileAtomic(this.journalPath, frameJournalRecord(checkpoint), {syncDirectory: true});
  }

  private step(step: RepairStep): void {
    this.options.afterStep?.(step);
  }

  /** What an interrupted repair left outside the lanes its checkpoint describes: not part of the job. */
  private removeLeftovers(state: JournalState): void {
    for (const [priority, laneDir] of listLanes(this.queueDir)) {
      const {leftovers} = laneSegments(laneDir, state.lanes?.get(priority));
      for (const segment of leftovers) rmSync(join(laneDir, segmentFileName(segment)), {force: true});
    }
  }

  private damageFound(): Damage[] {
    try {
      return findDamage(this.root, replayJournal(this.journalPath), true, {readSealed: true});
    } catch (error) {
      return [{file: this.name(this.journalPath), problem: `holds a record that cannot be read (${(error as Error).message})`}];
    }
  }

  private salvageJournal(): JournalState {
    if (!existsSync(this.journalPath)) {
      if (!existsSync(this.queueDir)) this.lose(`${this.name(this.queueDir)}: the whole queue (the folder was missing): every queued request; pages already seen are not fetched again`);
      else this.lose(`${this.name(this.journalPath)}: the whole journal (it was missing): requests that were being fetched, and spider.state as journaled with each page; the queued requests are kept`);
      return replayJournal(this.journalPath);
    }
    const state = replayJournal(this.journalPath, {salvage: true});
    // A bad end with nothing intact after it is a torn write, not damage.
    const damaged = (state.skipped ?? []).filter(([, end]) => end < state.fileLength);
    const bytes = damaged.reduce((sum, [start, end]) => sum + end - start, 0);
    if (bytes > 0) {
      this.lose(`${this.name(this.journalPath)}: ${bytes} unreadable bytes skipped; a request being fetched when they were written may be fetched again, or lost if its lease was among them`);
    }
    return state;
  }

  private salvageSeen(state: JournalState, rollbackLength: number | undefined): void {
    const path = join(this.root, SEEN_NAME);
    const size = existsSync(path) ? statSync(path).size : -1;
    const known = state.known?.seenLength ?? 0;
    if (size < known) {
      const lost = Math.floor((known - Math.max(size, 0)) / FINGERPRINT_BYTES);
      this.lose(`${this.name(path)}: ${lost} fingerprints${size < 0 ? ' (the file was missing)' : ''}: pages seen before may be fetched again, and their items written again`);
    }
    if (size < 0) {
      closeSync(openSync(path, 'w'));
      return;
    }
    let length = size - (size % FINGERPRINT_BYTES);
    if (rollbackLength !== undefined) length = Math.min(length, rollbackLength - (rollbackLength % FINGERPRINT_BYTES));
    if (length < size) truncateSync(path, length);
  }

  private salvageFailed(rollbackLength: number | undefined): void {
    const path = join(this.root, FAILED_NAME);
    if (!existsSync(path)) return;
    if (rollbackLength !== undefined && statSync(path).size > rollbackLength) truncateSync(path, rollbackLength);
    const records: Buffer[] = [];
    const damaged = salvageRecords(readWholeFile(path), ({payload}) => records.push(payload));
    if (damaged.length === 0) return;
    writeFileAtomic(path, Buffer.concat(records.map((payload) => frameRecord(payload))));
    this.report.rewritten.push(this.name(path));
    this.lose(`${this.name(path)}: ${damaged.reduce((sum, [start, end]) => sum + end - start, 0)} unreadable bytes: some requests that had failed are no longer kept for --retry-failed`);
  }

  /**
   * Reads a lane's live records in queue order (LIFO marks and FIFO cursor applied), one segment at
   * a time, and finds whether it holds damage before the point a crash could have torn it.
   */
  private scanLane(state: JournalState, priority: number, laneDir: string, segments: number[], onRecords: (payloads: Buffer[]) => void = () => {}): LaneScan {
    const scan: LaneScan = {damaged: false, lostRequests: 0, lostBytes: 0, kept: 0};
    if (segments.length === 0) return scan;
    const order = state.order ?? 'lifo';
    const tail = segments[segments.length - 1];
    const knownTail = state.known?.tops.find(([p, segment]) => p === priority && segment === tail)?.[2];
    const sealed = state.sealed.get(priority) ?? new Map<number, number>();
    const cursor = order === 'fifo' ? state.cursors.get(priority) : undefined;
    for (const segment of segments) {
      if (cursor && segment < cursor.segment) continue;
      const records: RecordView[] = [];
      const buffer = readWholeFile(join(laneDir, segmentFileName(segment)));
      let ranges = salvageRecords(buffer, (record) => records.push(record));
      let live: RecordView[];
      if (segment === tail) {
        // Past the length the journal knows, a tail may end torn (and LIFO pops leave stale bytes there): it ends at the first bad record.
        // A sealed segment is never torn: its newest segment went missing, so all of it must read back.
        const intactUpTo = knownTail ?? (sealed.has(segment) ? buffer.length : 0);
        const tornAt = Math.min(Infinity, ...ranges.filter(([start]) => start >= intactUpTo).map(([start]) => start));
        ranges = ranges.filter(([start]) => start < intactUpTo);
        live = records.filter(({offset}) => offset < tornAt);
        if (order === 'lifo') {
          const ids = live.map(({payload}) => payload.readDoubleLE(0));
          live = live.slice(0, liveLifoRecords(live.map(({offset}) => offset), ids, segment, state.marks.get(priority), state.leases));
        }
        if (cursor && cursor.segment === segment) live = live.filter(({offset}) => offset >= cursor.offset);
      } else {
        live = records;
        const expected = sealed.get(segment);
        if (cursor && cursor.segment === segment) live = records.filter(({offset}) => offset >= cursor.offset);
        const wanted = expected === undefined ? undefined : expected - (cursor && cursor.segment === segment ? cursor.index : 0);
        if (wanted !== undefined && live.length < wanted) {
          scan.damaged = true;
          scan.lostRequests += wanted - live.length;
        }
      }
      if (ranges.length > 0) {
        scan.damaged = true;
        scan.lostBytes += ranges.reduce((sum, [start, end]) => sum + end - start, 0);
      }
      scan.kept += live.length;
      onRecords(live.map(({payload}) => payload));
    }
    return scan;
  }

  /**
   * Rebuilds a damaged lane from its live records, in queue order, as new segments numbered after
   * its tail and sealed at the queue's own limits; each is fsynced before the journal names it.
   * The lane's mark and cursor now point at the first of them; the old segments stay until the
   * new checkpoint is written. Returns the first new segment.
   */
  private rebuildLane(state: JournalState, priority: number, laneDir: string, old: number[]): number {
    const limits = this.options.segmentLimits ?? DEFAULT_SEGMENT_LIMITS;
    const first = Math.max(...old) + 1;
    const written: Array<[segment: number, count: number]> = [];
    let segment = first;
    let fd = openSync(join(laneDir, segmentFileName(segment)), 'w');
    let count = 0;
    let length = 0;
    const finishSegment = () => {
      fsyncSync(fd);
      closeSync(fd);
      written.push([segment, count]);
      this.report.rewritten.push(this.name(join(laneDir, segmentFileName(segment))));
    };
    let scan: LaneScan;
    try {
      scan = this.scanLane(state, priority, laneDir, old, (payloads) => {
        for (const payload of payloads) {
          if (segmentIsFull(limits, count, length)) {
            finishSegment();
            this.step('segment-written');
            segment += 1;
            fd = openSync(join(laneDir, segmentFileName(segment)), 'w');
            count = 0;
            length = 0;
          }
          const record = frameRecord(payload);
          writeFully(fd, record);
          count += 1;
          length += record.length;
        }
      });
    } catch (error) {
      try {
        closeSync(fd);
      } catch {
        // Closed already, by finishSegment.
      }
      throw error;
    }
    finishSegment();
    syncDirectory(laneDir);
    // Every new segment but the tail is sealed, with its count, as the queue would have sealed it.
    state.sealed.set(priority, new Map(written.slice(0, -1)));
    state.marks.delete(priority);
    if ((state.order ?? 'lifo') === 'fifo') state.cursors.set(priority, {segment: first, offset: 0, index: 0});
    const what = [scan.lostRequests > 0 ? `${scan.lostRequests} queued requests` : '', scan.lostBytes > 0 ? `${scan.lostBytes} unreadable bytes of queued requests` : ''].filter(Boolean).join(' and ');
    this.lose(`${this.name(laneDir)} (priority ${priority}): ${what}; ${scan.kept} requests kept`);
    return first;
  }

  /** Segment numbers only grow: a journal rebuilt from nothing must start past the newest segment. */
  private newestEpoch(): number {
    let newest = 0;
    for (const [, laneDir] of listLanes(this.queueDir)) {
      for (const segment of listSegments(laneDir)) newest = Math.max(newest, Math.floor(segment / SEGMENTS_PER_EPOCH));
    }
    return newest;
  }

  private isDamaged(path: string): boolean {
    return this.report.damage.some((damage) => damage.file === this.name(path));
  }

  private lose(what: string): void {
    this.report.lost.push(what);
  }

  private name(path: string): string {
    return relative(this.root, path) || '.';
  }
}
