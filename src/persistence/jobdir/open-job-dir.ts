import {mkdirSync} from 'node:fs';
import {resolve} from 'node:path';
import {acquireJobLock} from './job-lock.js';
import {checkJobEntries, jobFsError} from './job-entries.js';
import {readJobFile, startRunInJobFile, writeJobFile, type JobFile} from './job-file.js';
import type {JobDir, LastRun} from '../types.js';
import {JobDocuments} from './job-documents.js';

export interface LocalJobDirOptions {
  spiderName: string;
  draglineVersion: string;
  fingerprinter?: string;
  /** fsync the directory after each document is replaced. */
  fsync?: boolean;
  onLockCompromised?: (error: Error) => void;
}

/** A JobDir opened on its own: the part of a job one process keeps on its own disk. */
export interface LocalJobDir extends JobDir {
  /** Writes job.json's lastRun and releases the lock. */
  close(reason: string): Promise<void>;
}

/**
 * Opens the per-process part of a job without a queue, a journal or a seen set: the lock, job.json
 * (refusing another spider's directory, recording this run), spider.state's file and the JSON
 * documents. This is what a worker of a shared frontier (Redis) keeps locally; the jobdir frontier
 * opens all of it together with its queue (persistence/job.ts). The feed rollback is the shared
 * frontier's to record with its commits, so `report.feedOffsets` starts empty here.
 */
export async function openJobDir(dir: string, options: LocalJobDirOptions): Promise<LocalJobDir> {
  try {
    const root = resolve(dir);
    checkJobEntries(dir, root);
    const previous = readJobFile(root, options.spiderName);
    mkdirSync(root, {recursive: true});
    let lost: Error | undefined;
    const lock = await acquireJobLock(root, (error) => {
      lost ??= error;
      if (options.onLockCompromised) options.onLockCompromised(error);
      else process.emitWarning(error.message);
    });
    const ensureOwned = (): void => {
      if (lost === undefined) {
        try {
          lock.check();
        } catch (error) {
          lost = error as Error;
        }
      }
      if (lost !== undefined) throw lost;
    };
    lock.claim(1);
    const {jobFile, previousRun: lastRun} = startRunInJobFile(root, previous, {...options, tookOver: lock.tookOverFrom !== undefined, syncDirectory: options.fsync ?? false});
    const documents = new JobDocuments(root, ensureOwned, () => options.fsync ?? false);
    let closed = false;
    return {
      dir: root,
      report: {fresh: previous === undefined, pending: 0, seen: 0, requeued: 0, rolledBack: false, feedOffsets: {}, lastRun},
      feedsRestored: () => undefined,
      loadState: () => documents.readStateFile(),
      saveState: (state) => documents.saveState(state),
      loadJson: (name) => documents.loadJson(name),
      saveJson: (name, value) => documents.saveJson(name, value),
      async close(reason: string) {
        if (closed) return;
        closed = true;
        try {
          ensureOwned();
          const ended = new Date().toISOString();
          writeJobFile(root, {...jobFile, updatedAt: ended, lastRun: {...(jobFile.lastRun as LastRun), reason, endedAt: ended}}, options.fsync ?? false);
        } finally {
          await lock.release();
        }
      },
    };
  } catch (error) {
    throw jobFsError(dir, error);
  }
}
