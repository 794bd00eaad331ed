import {expect, test} from '@jest/globals';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {openJobDir} from '../../../src/persistence/jobdir/open-job-dir.js';
import {openJob} from '../../../src/persistence/jobdir/job.js';
import {jobOptions, useTempDirs} from '../helpers.js';

const dirs = useTempDirs();
const options = {spiderName: 'quotes', draglineVersion: '0.1.0-test'};

test("a JobDir opened on its own keeps a worker's documents, holds the lock and records how the run ended", async () => {
  const dir = dirs.newDir();
  const local = await openJobDir(dir, options);
  expect(local.report.fresh).toBe(true);
  local.saveJson('stats', {batches: 1});
  local.saveState({pages: 3});
  // A second run on the same directory is refused while the first holds it.
  await expect(openJobDir(dir, options)).rejects.toMatchObject({code: 'JOBDIR_LOCKED'});
  await local.close('shutdown');

  const again = await openJobDir(dir, options);
  expect(again.report.fresh).toBe(false);
  expect(again.report.lastRun).toMatchObject({reason: 'shutdown', pid: process.pid});
  expect(again.loadJson('stats')).toEqual({batches: 1});
  expect(again.loadState()).toEqual({pages: 3});
  expect(() => again.saveJson('job', {})).toThrow(/not a name for a job document/);
  await again.close('finished');
  expect((JSON.parse(readFileSync(join(dir, 'job.json'), 'utf8')) as {lastRun: {reason: string}}).lastRun.reason).toBe('finished');
});

test("another spider's directory is refused, as the full job refuses it", async () => {
  const dir = dirs.newDir();
  const job = await openJob(dir, jobOptions({spiderName: 'books'}));
  await job.close('finished');
  await expect(openJobDir(dir, options)).rejects.toMatchObject({code: 'JOBDIR_FOREIGN'});
});
