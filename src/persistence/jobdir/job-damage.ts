import {existsSync, statSync} from 'node:fs';
import {join, relative} from 'node:path';
import {DraglineError} from '../../core/errors.js';
import {FAILED_NAME, JOURNAL_NAME, QUEUE_DIR, SEEN_NAME} from './job.js';
import {emptiedKey, type JournalState} from './journal.js';
import {laneDirName, segmentFileName} from './queue-layout.js';
import {readWholeFile, scanRecords} from '../record-file.js';
import {FINGERPRINT_BYTES} from '../seen-set.js';

/** One damaged file of a job: what a crash cannot explain. */
export interface Damage {
  /** The file or folder, relative to the job directory. */
  file: string;
  problem: string;
}

/**
 * What in a job directory is damaged rather than torn (read only; the lock must be held, or the
 * job stopped). A crash can only leave a torn end after the last commit the journal holds; the
 * journal knows how long every file was then, so bytes before that which do not read back, or a
 * file shorter than that, are damage: a bad disk, a bad copy, a hand edit, a deleted file.
 *
 * Segments sealed before that commit are read only with `readSealed` (`job status`, `job repair`):
 * opening must not read the whole queue, so a crawl finds a damaged byte inside one when it gets
 * there, and stops with JOBDIR_CORRUPT without dropping anything.
 */
export function findDamage(root: string, state: JournalState, isJob: boolean, options: {readSealed?: boolean} = {}): Damage[] {
  const damage: Damage[] = [];
  const queueDir = join(root, QUEUE_DIR);
  const journalPath = join(queueDir, JOURNAL_NAME);
  const report = (path: string, problem: string) => damage.push({file: relative(root, path), problem});
  // Opening writes the journal before job.json, so a job without one lost it.
  if (isJob && !existsSync(journalPath)) report(journalPath, existsSync(queueDir) ? 'is missing' : 'is missing (the whole requests.queue folder is)');
  if (state.damagedAt !== undefined) report(journalPath, `has a damaged record at byte ${state.damagedAt}, followed by intact ones`);
  const known = state.known;
  if (known === undefined) return damage;

  const seenPath = join(root, SEEN_NAME);
  const seenSize = sizeOf(seenPath);
  if (seenSize < known.seenLength) {
    const fingerprints = Math.floor(known.seenLength / FINGERPRINT_BYTES);
    report(seenPath, seenSize < 0 ? `is missing (it held ${fingerprints} fingerprints)` : `holds ${Math.floor(seenSize / FINGERPRINT_BYTES)} fingerprints, the journal counted ${fingerprints}`);
  }

  const failedPath = join(root, FAILED_NAME);
  const failedProblem = recordsProblem(failedPath, known.failedLength);
  if (failedProblem !== undefined) report(failedPath, failedProblem);

  for (const [priority, segment, length] of known.tops) {
    const path = join(queueDir, laneDirName(priority), segmentFileName(segment));
    if (!existsSync(path)) {
      if (length > 0 && !consumed(state, priority, segment, {length})) report(path, `is missing (the journal counts ${length} bytes of requests in it)`);
      continue;
    }
    // LIFO pops after that commit move the tail's end back to the lane's mark, and a push outside a commit overwrites from there: only the bytes before the mark must still be records.
    const mark = state.order === 'fifo' ? undefined : state.marks.get(priority);
    const intact = mark !== undefined && mark.segment === segment ? Math.min(length, mark.offset) : length;
    const problem = recordsProblem(path, intact);
    if (problem !== undefined) report(path, problem);
  }
  for (const [priority, counts] of state.sealed) {
    for (const [segment, count] of counts) {
      const path = join(queueDir, laneDirName(priority), segmentFileName(segment));
      if (!existsSync(path)) {
        if (count > 0 && !consumed(state, priority, segment, {count})) report(path, `is missing (${count} requests)`);
        continue;
      }
      if (!options.readSealed) continue;
      const buffer = readWholeFile(path);
      let records = 0;
      const end = scanRecords(buffer, 0, () => (records += 1));
      if (end < buffer.length) report(path, `has a damaged record at byte ${end}`);
      else if (records !== count) report(path, `holds ${records} requests, the journal counts ${count}`);
    }
  }
  return damage;
}

/** Whether the journal says every request of a segment was taken, so it was deleted on purpose. */
function consumed(state: JournalState, priority: number, segment: number, size: {count?: number; length?: number}): boolean {
  if (state.order === 'fifo') {
    const cursor = state.cursors.get(priority);
    if (cursor === undefined || cursor.segment < segment) return false;
    return cursor.segment > segment || cursor.index >= (size.count ?? Infinity) || cursor.offset >= (size.length ?? Infinity);
  }
  // LIFO pops a segment down to its first record before deleting it (a lane can be removed and made again, so marks alone do not tell).
  return state.emptied.has(emptiedKey(priority, segment));
}

/** Why the first `length` bytes of a record file are not intact records, or undefined if they are. */
function recordsProblem(path: string, length: number): string | undefined {
  if (length <= 0) return undefined;
  const size = sizeOf(path);
  if (size < 0) return `is missing (the journal counts ${length} bytes in it)`;
  if (size < length) return `is ${size} bytes long, the journal counts ${length}`;
  const buffer = readWholeFile(path).subarray(0, length);
  const end = scanRecords(buffer, 0, () => {});
  return end < length ? `has a damaged record at byte ${end}` : undefined;
}

function sizeOf(path: string): number {
  return existsSync(path) ? statSync(path).size : -1;
}

/** The one-line refusal of a damaged job; nothing in it has been changed. */
export function damagedJobError(dir: string, damage: Damage[]): DraglineError {
  const [first] = damage;
  const more = damage.length > 1 ? ` (and ${damage.length - 1} more problem${damage.length > 2 ? 's' : ''})` : '';
  return new DraglineError('JOBDIR_CORRUPT', `The job directory ${dir} is damaged: ${first.file} ${first.problem}${more}. Nothing was changed; run \`dragline job repair ${dir}\` to keep every intact record and see what was lost, then run the crawl again`, {
    suggestions: [`dragline job repair ${dir}`, '`dragline job status` lists every damaged file'],
  });
}
