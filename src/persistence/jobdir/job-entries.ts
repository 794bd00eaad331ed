import {existsSync, lstatSync, readFileSync, readdirSync, statSync} from 'node:fs';
import {join, relative, resolve, sep} from 'node:path';
import {deserialize} from 'node:v8';
import {DraglineError} from '../../core/errors.js';
import {fsReason, isFsError} from '../../utils/fs-reason.js';
import {JOB_FILE} from './job-file.js';
import {FAILED_NAME, JOURNAL_NAME, QUEUE_DIR, SEEN_NAME, STATE_NAME} from './job.js';
import {SEGMENT_SUFFIX} from './queue-layout.js';

/**
 * The JSON documents dragline keeps in a job directory beside job.json (saveJson's names: the
 * job's stats, the cookie jar, the feeds' resolved paths). Only these are read at open: any other
 * file there (a feed the user writes into the JOBDIR, say) is not dragline's to judge.
 */
export const JOB_DOCUMENTS = ['stats.json', 'cookies.json', 'feeds.json'];

/**
 * What can be checked before the lock is taken, because a running crawl never has it half-written:
 * JOBDIR is a folder (or does not exist yet) and its job.json a file (written by atomic rename).
 */
export function checkJobDirectory(dir: string, root: string): void {
  if (!existsSync(root)) return;
  if (!statSync(root).isDirectory()) {
    throw new DraglineError('BAD_SETTING', `JOBDIR ${dir} is a file, not a folder; give the folder of a job (or a new one)`, {
      suggestions: [`-s JOBDIR=${dir}.d`],
    });
  }
  expectKind(dir, root, join(root, JOB_FILE), 'file');
}

/**
 * Checks, under the job's lock and before anything is changed, what the run will read, so that a
 * refusal leaves the directory as it was: every file dragline keeps is a file and every folder a
 * folder, and its JSON documents and spider.state read back.
 */
export function checkJobEntries(dir: string, root: string): void {
  checkJobDirectory(dir, root);
  if (!existsSync(root)) return;
  // The lock's own files are the lock's business (job-lock.ts).
  const files = [SEEN_NAME, FAILED_NAME, STATE_NAME, join(QUEUE_DIR, JOURNAL_NAME)];
  for (const name of files) expectKind(dir, root, join(root, name), 'file');
  expectKind(dir, root, join(root, QUEUE_DIR), 'folder');
  const queueDir = join(root, QUEUE_DIR);
  if (existsSync(queueDir) && statSync(queueDir).isDirectory()) {
    for (const entry of readdirSync(queueDir)) {
      if (!/^p-?\d+$/.test(entry)) continue;
      const lane = join(queueDir, entry);
      expectKind(dir, root, lane, 'folder');
      if (!statSync(lane).isDirectory()) continue;
      for (const segment of readdirSync(lane)) if (segment.endsWith(SEGMENT_SUFFIX)) expectKind(dir, root, join(lane, segment), 'file');
    }
  }
  for (const name of JOB_DOCUMENTS) {
    const path = join(root, name);
    if (!existsSync(path)) continue;
    expectKind(dir, root, path, 'file');
    try {
      JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw damagedDocument(path, (error as Error).message);
    }
  }
  const state = join(root, STATE_NAME);
  if (existsSync(state)) {
    try {
      deserialize(readFileSync(state));
    } catch (error) {
      throw new DraglineError('JOBDIR_CORRUPT', `${state} cannot be read (${(error as Error).message}); nothing was changed. Delete it to start with an empty spider.state (the state journaled with each page, if any, is kept)`, {
        suggestions: [`rm ${state}`],
      });
    }
  }
}

function damagedDocument(path: string, reason: string): DraglineError {
  return new DraglineError('JOBDIR_CORRUPT', `${path} cannot be parsed (${reason}); nothing was changed. Delete it to start it afresh`, {
    suggestions: [`rm ${path}`],
  });
}

function expectKind(dir: string, root: string, path: string, kind: 'file' | 'folder'): void {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return;
  }
  if (kind === 'file' ? stat.isFile() : stat.isDirectory()) return;
  const found = stat.isDirectory() ? 'a folder' : stat.isFile() ? 'a file' : 'neither a file nor a folder';
  const name = relative(root, path);
  // What is lost without it decides what to do: a document is started afresh, the job's own records are salvaged by repair.
  const remedy = name === JOB_FILE
    ? 'without its job.json the job cannot be resumed: start again with a new JOBDIR'
    : name.endsWith('.json') || name === STATE_NAME
      ? `move it out of the job directory; dragline then starts ${name} afresh`
      : `move it out of the job directory, then run \`dragline job repair ${dir}\``;
  throw new DraglineError('JOBDIR_CORRUPT', `${name} in the job directory ${dir} is ${found} where dragline keeps a ${kind}; nothing was changed. To go on, ${remedy}`, {
    suggestions: [`mv ${path} ${path}.moved`],
  });
}

/**
 * A file system error met while opening or closing a job, as a one-line coded error that names
 * the file and what to do. Errors that are not the file system's pass through.
 */
export function jobFsError(dir: string, error: unknown): unknown {
  if (!isFsError(error)) return error;
  const root = resolve(dir);
  const path = resolve((error as {path?: string}).path ?? dir);
  const inside = path.startsWith(`${root}${sep}`);
  const where = inside ? `${path} (job directory ${dir})` : `the job directory ${dir}`;
  switch (error.code) {
    case 'ENAMETOOLONG':
      return new DraglineError('BAD_SETTING', `JOBDIR ${dir} cannot be used: ${fsReason(error)}; use a shorter JOBDIR`, {cause: error});
    case 'ENOTDIR':
    case 'EISDIR':
    case 'EEXIST':
    case 'ELOOP':
      return new DraglineError(inside ? 'JOBDIR_CORRUPT' : 'BAD_SETTING', `Cannot use ${where}: ${fsReason(error)}; ${inside ? `move it out of the way, then run \`dragline job repair ${dir}\`` : 'give JOBDIR a folder (a new one starts a new job)'}`, {cause: error});
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new DraglineError('WRITE_FAILED', `Cannot write ${where}: ${fsReason(error)}; make it writable, or copy the job to a writable place and use that as JOBDIR`, {cause: error});
    default:
      return new DraglineError('WRITE_FAILED', `Cannot use ${where}: ${fsReason(error)}; fix that and rerun the same command: the job resumes from its last complete page`, {cause: error});
  }
}
