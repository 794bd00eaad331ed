/**
 * "Refused, nothing changed" holds for every file (issue 11, section 5): whatever is wrong with a
 * job directory, opening it ends in one line with a code that names the file and what to do, and
 * every file and folder of the directory is as it was before.
 */
import {afterAll, describe, expect, test} from '@jest/globals';
import {createHash} from 'node:crypto';
import {mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {cmdlineSettings} from '../../../src/cli/cmdline-settings.js';
import {repairJob} from '../../../src/persistence/jobdir/job-repair.js';
import {drain, open, useTempDirs} from '../helpers.js';
import {codeOf} from '../../helpers/errors.js';
import {REPO_ROOT, runCli} from '../../helpers/cli.js';
import {mountTmpfs, remount, testMounting, unmount} from '../../helpers/mount.js';

const {newDir} = useTempDirs();

/** Every entry under `dir`: a file's SHA-1, or 'folder'. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, {withFileTypes: true, recursive: true})) {
    const path = join(entry.parentPath, entry.name);
    out[path] = entry.isDirectory() ? 'folder' : createHash('sha1').update(readFileSync(path)).digest('hex');
  }
  return out;
}

/** A job that ran and stopped: a queue, seen fingerprints, spider.state and two documents. */
async function stoppedJob(): Promise<string> {
  const dir = newDir();
  const job = await open(dir);
  job.begin([], {});
  job.seen.add(createHash('sha1').update('a').digest());
  job.queue.push(Buffer.from('request-a'), 0);
  job.ack([]);
  job.saveState({pages: 1});
  job.saveJson('stats', {batches: 1});
  job.saveJson('cookies', {cookies: []});
  await job.close('shutdown');
  return dir;
}

function replaceWithFolder(path: string): void {
  rmSync(path, {recursive: true});
  mkdirSync(path);
}

function replaceWithFile(path: string): void {
  rmSync(path, {recursive: true});
  writeFileSync(path, 'not a folder');
}

interface RefusalCase {
  name: string;
  /** Makes the damage; returns the JOBDIR to open (the job's folder unless the case is about the path). */
  damage(dir: string): string;
  code: string;
  /** What the one line must name. */
  names: RegExp;
}

const CASES: RefusalCase[] = [
  {name: 'a damaged stats.json', damage: (dir) => (writeFileSync(join(dir, 'stats.json'), '{"batches": '), dir), code: 'JOBDIR_CORRUPT', names: /stats\.json.*cannot be parsed/},
  {name: 'a damaged cookies.json', damage: (dir) => (writeFileSync(join(dir, 'cookies.json'), '[{'), dir), code: 'JOBDIR_CORRUPT', names: /cookies\.json.*cannot be parsed/},
  {name: 'a damaged spider.state', damage: (dir) => (writeFileSync(join(dir, 'spider.state'), Buffer.from([0xff, 0x0f, 0x6f, 0x22])), dir), code: 'JOBDIR_CORRUPT', names: /spider\.state cannot be read/},
  {name: 'requests.seen replaced by a folder', damage: (dir) => (replaceWithFolder(join(dir, 'requests.seen')), dir), code: 'JOBDIR_CORRUPT', names: /requests\.seen .* is a folder where dragline keeps a file/},
  {name: 'the journal replaced by a folder', damage: (dir) => (replaceWithFolder(join(dir, 'requests.queue', 'journal')), dir), code: 'JOBDIR_CORRUPT', names: /journal .* is a folder/},
  {name: 'requests.queue replaced by a file', damage: (dir) => (replaceWithFile(join(dir, 'requests.queue')), dir), code: 'JOBDIR_CORRUPT', names: /requests\.queue .* is a file where dragline keeps a folder/},
  {name: 'a priority folder replaced by a file', damage: (dir) => (replaceWithFile(join(dir, 'requests.queue', 'p0')), dir), code: 'JOBDIR_CORRUPT', names: /p0 .* is a file/},
  {
    name: 'a queue segment replaced by a folder',
    damage: (dir) => {
      const lane = join(dir, 'requests.queue', 'p0');
      replaceWithFolder(join(lane, readdirSync(lane)[0]));
      return dir;
    },
    code: 'JOBDIR_CORRUPT',
    names: /\.seg .* is a folder/,
  },
  {name: 'stats.json replaced by a folder', damage: (dir) => (replaceWithFolder(join(dir, 'stats.json')), dir), code: 'JOBDIR_CORRUPT', names: /stats\.json .* is a folder.*starts stats\.json afresh/},
  {name: 'job.json replaced by a folder', damage: (dir) => (replaceWithFolder(join(dir, 'job.json')), dir), code: 'JOBDIR_CORRUPT', names: /job\.json .* is a folder.*new JOBDIR/},
  {name: 'a JOBDIR that is a file', damage: (dir) => join(dir, 'job.json'), code: 'BAD_SETTING', names: /job\.json is a file, not a folder/},
  {name: 'a JOBDIR under a file', damage: (dir) => join(dir, 'job.json', 'job'), code: 'BAD_SETTING', names: /a folder on its path is a file/},
  {name: 'a JOBDIR name too long for the file system', damage: (dir) => join(dir, 'x'.repeat(300)), code: 'BAD_SETTING', names: /too long/},
];

describe('opening a job that cannot be used changes nothing and says why in one coded line', () => {
  test.each(CASES)('$name', async ({damage, code, names}) => {
    const dir = await stoppedJob();
    const jobdir = damage(dir);
    const before = snapshot(dir);
    let error: {code?: string; message: string} | undefined;
    try {
      const job = await open(jobdir);
      await job.close('shutdown');
    } catch (thrown) {
      error = thrown as {code?: string; message: string};
    }
    expect(error?.code).toBe(code);
    expect(error?.message).toMatch(names);
    expect(error?.message).not.toContain('\n');
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('a read-only job directory', () => {
  const mountPoint = mkdtempSync(join(tmpdir(), 'dragline-readonly-'));
  let mounted = false;
  afterAll(() => {
    if (mounted) unmount(mountPoint);
    rmSync(mountPoint, {recursive: true, force: true});
  });

  const READ_ONLY_CASES: Array<{name: string; before?: (dir: string) => void; run: (dir: string) => Promise<unknown>}> = [
    {name: 'opening it', run: async (dir) => (await open(dir)).close('shutdown')},
    // A job of an earlier release has no owner.lock, and it cannot be made now: the lock helper must not be the one to say so.
    {name: 'opening a job an earlier release made (no owner.lock)', before: (dir) => rmSync(join(dir, 'owner.lock')), run: async (dir) => (await open(dir)).close('shutdown')},
    {name: 'job repair', run: (dir) => repairJob(dir)},
  ];

  for (const {name, before: prepare, run} of READ_ONLY_CASES) {
    testMounting(`${name}: refused with WRITE_FAILED naming it, and left as it was`, async () => {
      if (!mounted) mountTmpfs(mountPoint, '1m');
      mounted = true;
      const dir = join(mountPoint, name.replace(/\W+/g, '-'));
      const job = await open(dir);
      job.queue.push(Buffer.from('request-a'), 0);
      await job.close('shutdown');
      prepare?.(dir);
      // Root ignores file modes: only a read-only file system makes a folder read-only for it.
      remount(mountPoint, 'ro');
      try {
        const before = snapshot(dir);
        let error: {code?: string; message: string} | undefined;
        try {
          await run(dir);
        } catch (thrown) {
          error = thrown as {code?: string; message: string};
        }
        expect(error?.code).toBe('WRITE_FAILED');
        expect(error?.message).toContain(dir);
        expect(error?.message).toMatch(/read-only/);
        expect(error?.message).not.toContain('\n');
        expect(snapshot(dir)).toEqual(before);
      } finally {
        remount(mountPoint, 'rw');
      }
    });
  }
});

describe('a JOBDIR that names no folder', () => {
  test.each([[''], ['   '], ['\t']])('-s JOBDIR=%j is refused instead of crawling without a job directory', (value) => {
    expect(codeOf(() => cmdlineSettings({set: [`JOBDIR=${value}`]}))).toBe('BAD_SETTING');
  });

  test('a JOBDIR with a name is taken as it is', () => {
    expect(cmdlineSettings({set: ['JOBDIR=crawls/a b']})).toEqual({JOBDIR: 'crawls/a b'});
  });
});

describe('the CLI (spawned)', () => {
  const mountPoint = mkdtempSync(join(tmpdir(), 'dragline-full-'));
  let mounted = false;
  afterAll(() => {
    if (mounted) unmount(mountPoint);
    rmSync(mountPoint, {recursive: true, force: true});
  });
  const spider = join(REPO_ROOT, 'test', 'fixtures', 'jobs', 'site-spider.ts');
  const crawl = (jobdir: string) => ['runspider', spider, '-s', `JOBDIR=${jobdir}`, '-a', 'startUrl=http://127.0.0.1:1/', '-s', 'LOG_LEVEL=WARNING'];

  testMounting('a disk that stays full while the start requests are committed ends in one WRITE_FAILED line; -s JOBDIR= in a BAD_SETTING line', async () => {
    // Three pages: job.json and the journal take two, the first request's fingerprint the last.
    mountTmpfs(mountPoint, '12k');
    mounted = true;
    const full = await runCli(crawl(join(mountPoint, 'job')));
    expect(full.code).toBe(1);
    expect(full.stderr).toMatch(/Error: Cannot write the job directory \S+: no space left on the device; fix that and rerun the same command/);
    expect(full.stderr).toContain('WRITE_FAILED');
    expect(full.stderr).not.toMatch(/Error while obtaining start requests|unexpected error/);
    expect(full.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

    const empty = await runCli(crawl(''));
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('JOBDIR is empty');
    expect(empty.stderr).toContain('BAD_SETTING');
  });
});

describe('files in the job directory that dragline did not write', () => {
  test("a user's feed in the JOBDIR, cut short by kill -9, is neither read nor judged", async () => {
    const dir = await stoppedJob();
    const feed = join(dir, 'items.json');
    writeFileSync(feed, '[\n{"title": "a"},\n{"title": "b"');
    const job = await open(dir);
    expect(drain(job)).toEqual(['request-a']);
    await job.close('shutdown');
    expect(readFileSync(feed, 'utf8')).toBe('[\n{"title": "a"},\n{"title": "b"');
  });

  test('a second run of a job in use is refused as locked before anything a running crawl writes is read', async () => {
    const dir = await stoppedJob();
    const running = await open(dir);
    try {
      // What a reader could see mid-write (were it not replaced by rename): only the lock holder may judge it.
      writeFileSync(join(dir, 'stats.json'), '{"batches": ');
      writeFileSync(join(dir, 'items.json'), '[\n{"title": "a"},');
      let error: {code?: string; message: string} | undefined;
      try {
        await open(dir);
      } catch (thrown) {
        error = thrown as {code?: string; message: string};
      }
      expect(error?.code).toBe('JOBDIR_LOCKED');
      expect(error?.message).not.toContain('rm ');
    } finally {
      await running.close('shutdown');
    }
  });
});
