import {existsSync, readFileSync, statSync} from 'node:fs';
import {join, resolve} from 'node:path';
import {deserialize} from 'node:v8';
import {DraglineError} from '../../core/errors.js';
import type {LastRun} from '../types.js';
import {countFailed} from './failed-log.js';
import {lockHolder} from './job-lock.js';
import {JOB_FILE, readJobFile} from './job-file.js';
import {FAILED_NAME, JOURNAL_NAME, QUEUE_DIR, SEEN_NAME, STATE_NAME} from './job.js';
import {replayJournal, type JournalState} from './journal.js';
import {listLanes, planLane} from './queue-layout.js';
import {findDamage, type Damage} from './job-damage.js';
import {FINGERPRINT_BYTES} from '../seen-set.js';

/** What `dragline job status` shows: a job directory seen from outside, without running the spider. */
export interface JobStatus {
  dir: string;
  spider: string;
  format: number;
  draglineVersion: string;
  createdAt: string;
  updatedAt: string;
  /** Requests that the next run will fetch: queued ones plus those in flight when the last run stopped. */
  pending: number;
  pendingByPriority: Record<string, number>;
  /** Requests in flight when the last run stopped (never acknowledged); fetched again first. */
  inFlight: number;
  /** The last run stopped in the middle of writing a page's results; the next run undoes that page. */
  tornCommit: boolean;
  seen: number;
  failed: number;
  state?: {keys: string[]} | {error: string};
  /** REQUEST_FINGERPRINTER_CLASS the job was crawled with (`default` unless set). */
  fingerprinter: string;
  /** Files of feed URIs with placeholders, as the first batch chose them (feeds.json). */
  feeds?: Record<string, string>;
  stats?: Record<string, unknown>;
  lock?: {pid: number; host: string; since: string; alive: boolean | null};
  lastRun?: LastRun;
  /** Files damaged beyond what a crash leaves: a crawl refuses the job until `dragline job repair` salvages it. */
  damage: Damage[];
}

/** Reads a job directory without locking it or changing a byte. */
export async function jobStatus(dir: string): Promise<JobStatus> {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new DraglineError('JOBDIR_NOT_FOUND', `${dir} does not exist; give the JOBDIR of a crawl`);
  }
  if (!existsSync(join(root, JOB_FILE))) {
    throw new DraglineError('JOBDIR_NOT_FOUND', `${dir} is not a dragline job directory (it has no ${JOB_FILE})`);
  }
  const job = readJobFile(root) as NonNullable<ReturnType<typeof readJobFile>>;

  const queueDir = join(root, QUEUE_DIR);
  let journal: JournalState;
  try {
    journal = replayJournal(join(queueDir, JOURNAL_NAME));
  } catch (error) {
    throw new DraglineError('JOBDIR_CORRUPT', `The journal of ${dir} cannot be read (${(error as Error).message}); run \`dragline job repair ${dir}\` to keep every intact record`, {suggestions: [`dragline job repair ${dir}`], cause: error});
  }
  const order = journal.order ?? 'lifo';
  const pendingByPriority: Record<string, number> = {};
  let pending = 0;
  for (const [priority, laneDir] of listLanes(queueDir)) {
    const plan = planLane(priority, laneDir, order, journal);
    if (plan.count > 0) pendingByPriority[priority] = plan.count;
    pending += plan.count;
  }
  for (const lease of journal.leases.values()) {
    pendingByPriority[lease.priority] = (pendingByPriority[lease.priority] ?? 0) + 1;
    pending += 1;
  }

  const seenPath = join(root, SEEN_NAME);
  const holder = lockHolder(root);
  return {
    dir: root,
    spider: job.spider,
    format: job.format,
    draglineVersion: job.draglineVersion,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    pending,
    pendingByPriority,
    inFlight: journal.leases.size,
    tornCommit: journal.openBegin !== undefined,
    seen: existsSync(seenPath) ? Math.floor(statSync(seenPath).size / FINGERPRINT_BYTES) : 0,
    failed: countFailed(join(root, FAILED_NAME)),
    // The state journaled with the last acked page is newer than the file, which is saved every few seconds.
    state: readStateKeys(journal.committedState ?? join(root, STATE_NAME)),
    fingerprinter: job.fingerprinter ?? 'default',
    feeds: readJson(join(root, 'feeds.json')) as Record<string, string> | undefined,
    stats: readJson(join(root, 'stats.json')),
    lock: holder && {pid: holder.pid, host: holder.host, since: holder.startedAt, alive: holder.alive ?? null},
    lastRun: job.lastRun,
    damage: findDamage(root, journal, true, {readSealed: true}),
  };
}

function readStateKeys(source: Buffer | string): JobStatus['state'] {
  if (typeof source === 'string' && !existsSync(source)) return undefined;
  try {
    const state = deserialize(typeof source === 'string' ? readFileSync(source) : source) as Record<string, unknown>;
    return {keys: Object.keys(state ?? {})};
  } catch (error) {
    return {error: (error as Error).message};
  }
}

function readJson(path: string): Record<string, unknown> | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
