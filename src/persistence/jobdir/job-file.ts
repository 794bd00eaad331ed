import {existsSync, readFileSync, readdirSync} from 'node:fs';
import {hostname} from 'node:os';
import {join} from 'node:path';
import {DraglineError} from '../../core/errors.js';
import type {LastRun} from '../types.js';
import {writeFileAtomic} from '../atomic-file.js';
import {LEGACY_LOCK_NAME, LOCK_FILE, OWNER_NAME} from './job-lock.js';

export const JOB_FILE = 'job.json';
export const JOB_FORMAT = 1;

/** job.json: what makes a directory a dragline job, and whose it is. */
export interface JobFile {
  format: number;
  spider: string;
  draglineVersion: string;
  /** REQUEST_FINGERPRINTER_CLASS of the job (absent in jobs from before it was recorded: the default). */
  fingerprinter?: string;
  createdAt: string;
  updatedAt: string;
  lastRun?: LastRun;
}

/** Files a crash can leave before job.json exists: such a directory is still ours to start. */
const STARTUP_LEFTOVERS = new Set([LOCK_FILE, LEGACY_LOCK_NAME, OWNER_NAME]);

/**
 * Reads and checks job.json. Undefined means a fresh directory (missing or empty). Anything that is
 * not clearly this spider's job, in a format we know, is refused without touching the directory.
 */
export function readJobFile(dir: string, spiderName?: string): JobFile | undefined {
  const path = join(dir, JOB_FILE);
  if (!existsSync(path)) {
    const entries = existsSync(dir) ? readdirSync(dir).filter((name) => !STARTUP_LEFTOVERS.has(name) && !name.startsWith(`${JOB_FILE}.tmp-`) && !name.startsWith(`${OWNER_NAME}.tmp-`)) : [];
    if (entries.length > 0) {
      throw new DraglineError('JOBDIR_FOREIGN', `${dir} is not empty and has no job.json, so it is not a dragline job directory (found ${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}); use a new or empty JOBDIR`, {
        suggestions: ['Pick a new directory for JOBDIR, e.g. crawls/<spider>-1'],
      });
    }
    return undefined;
  }
  let job: JobFile;
  try {
    job = JSON.parse(readFileSync(path, 'utf8')) as JobFile;
  } catch (error) {
    throw new DraglineError('JOBDIR_CORRUPT', `${path} cannot be parsed (${(error as Error).message}); the job directory is damaged`, {
      suggestions: ['Start the crawl again with a new JOBDIR'], cause: error,
    });
  }
  if (typeof job !== 'object' || job === null || typeof job.format !== 'number') {
    throw new DraglineError('JOBDIR_CORRUPT', `${path} has no format number; the job directory is damaged`, {suggestions: ['Start the crawl again with a new JOBDIR']});
  }
  if (job.format !== JOB_FORMAT) {
    throw new DraglineError('JOBDIR_VERSION', `${dir} is a job of format ${job.format}${job.draglineVersion ? ` (dragline ${job.draglineVersion})` : ''}; this dragline reads format ${JOB_FORMAT} only`, {
      suggestions: ['Resume it with the dragline version that started it, or start again with a new JOBDIR'],
    });
  }
  if (typeof job.spider !== 'string') {
    throw new DraglineError('JOBDIR_CORRUPT', `${path} names no spider; the job directory is damaged`, {suggestions: ['Start the crawl again with a new JOBDIR']});
  }
  if (spiderName !== undefined && job.spider !== spiderName) {
    throw new DraglineError('JOBDIR_FOREIGN', `${dir} is the job of spider '${job.spider}', not '${spiderName}'; a job directory belongs to one spider, so use another JOBDIR for '${spiderName}' (e.g. crawls/${spiderName}-1)`, {
      suggestions: [`-s JOBDIR=crawls/${spiderName}-1`],
    });
  }
  return job;
}

/** A job's seen set was filled by one fingerprinter: another would neither find its pages nor keep its duplicates out. */
export function checkFingerprinter(dir: string, job: JobFile, fingerprinter: string): void {
  const recorded = job.fingerprinter ?? 'default';
  if (recorded === fingerprinter) return;
  throw new DraglineError('JOBDIR_FOREIGN', `${dir} was crawled with REQUEST_FINGERPRINTER_CLASS ${recorded === 'default' ? "unset (Scrapy's default)" : `'${recorded}'`}, and this run uses ${fingerprinter === 'default' ? "the default" : `'${fingerprinter}'`}; the pages it has seen would not be recognised. Use the same REQUEST_FINGERPRINTER_CLASS, or a new JOBDIR`, {
    suggestions: ['-s JOBDIR=crawls/<spider>-2'],
  });
}

export function writeJobFile(dir: string, job: JobFile, syncDirectory: boolean): void {
  writeFileAtomic(join(dir, JOB_FILE), JSON.stringify(job, null, 2) + '\n', {syncDirectory});
}

/**
 * Writes job.json as a run starts (lastRun: running, here) and returns the previous run, marked
 * unclean when it never ended or its lock had to be taken over.
 */
export function startRunInJobFile(
  dir: string,
  previous: JobFile | undefined,
  options: {spiderName: string; draglineVersion: string; fingerprinter?: string; tookOver: boolean; syncDirectory: boolean},
): {jobFile: JobFile; previousRun: LastRun | undefined} {
  const now = new Date().toISOString();
  let previousRun = previous?.lastRun;
  if (previousRun && (previousRun.endedAt === undefined || options.tookOver)) previousRun = {...previousRun, unclean: true};
  const jobFile: JobFile = {
    format: JOB_FORMAT,
    spider: options.spiderName,
    draglineVersion: options.draglineVersion,
    fingerprinter: options.fingerprinter ?? 'default',
    createdAt: previous?.createdAt ?? now,
    updatedAt: now,
    lastRun: {reason: 'running', pid: process.pid, host: hostname(), startedAt: now},
  };
  writeJobFile(dir, jobFile, options.syncDirectory);
  return {jobFile, previousRun};
}
