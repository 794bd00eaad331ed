import {describe, expect, test} from '@jest/globals';
import {createHash} from 'node:crypto';
import {appendFileSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {FingerprintTable} from '../../src/persistence/fingerprint-table.js';
import {FingerprintSet} from '../../src/persistence/seen-set.js';
import {open, useTempDirs} from './helpers.js';

const {newDir} = useTempDirs();
const fp = (text: string) => createHash('sha1').update(text).digest();

describe('seen set', () => {
  test('has/add in memory, through growth', () => {
    const seen = FingerprintSet.inMemory();
    expect(seen.add(fp('a'))).toBe(true);
    expect(seen.add(fp('a'))).toBe(false);
    expect(seen.has(fp('a'))).toBe(true);
    expect(seen.has(fp('b'))).toBe(false);
    for (let i = 0; i < 50_000; i++) seen.add(fp(`url-${i}`));
    expect(seen.size).toBe(50_001);
    for (let i = 0; i < 50_000; i += 997) expect(seen.has(fp(`url-${i}`))).toBe(true);
    expect(seen.has(fp('url-50000'))).toBe(false);
  });

  test('a digest whose first 12 bytes are zero is still a member', () => {
    const table = new FingerprintTable();
    const zero = Buffer.alloc(20);
    expect(table.has(zero)).toBe(false);
    expect(table.add(zero)).toBe(true);
    expect(table.add(zero)).toBe(false);
    expect(table.has(zero)).toBe(true);
    expect(table.size).toBe(1);
  });

  test('at most 32 bytes of memory per fingerprint at any load after growth', () => {
    const table = new FingerprintTable();
    const digest = Buffer.alloc(20);
    let worst = 0;
    for (let i = 0; i < 300_000; i++) {
      createHash('sha1').update(String(i)).digest().copy(digest);
      table.add(digest);
      if (table.size > 2048) worst = Math.max(worst, table.byteLength / table.size);
    }
    expect(table.size).toBe(300_000);
    expect(worst).toBeGreaterThan(0);
    expect(worst).toBeLessThanOrEqual(32);
  });

  test('requests.seen keeps raw digests across reopen; a torn digest is dropped', async () => {
    const dir = newDir();
    let job = await open(dir);
    for (let i = 0; i < 3000; i++) job.seen.add(fp(`page-${i}`));
    expect(job.seen.add(fp('page-1'))).toBe(false);
    await job.close('shutdown');
    const file = join(dir, 'requests.seen');
    expect(statSync(file).size).toBe(3000 * 20);
    appendFileSync(file, Buffer.from([1, 2, 3, 4, 5, 6, 7]));

    job = await open(dir);
    expect(job.report.seen).toBe(3000);
    expect(job.seen.has(fp('page-2999'))).toBe(true);
    expect(job.seen.has(fp('page-3000'))).toBe(false);
    expect(statSync(file).size).toBe(3000 * 20);
    expect(job.seen.add(fp('page-3000'))).toBe(true);
    await job.close('finished');
    expect(statSync(file).size).toBe(3001 * 20);
  });

  test('rejects a fingerprint that is not a 20-byte digest', () => {
    expect(() => FingerprintSet.inMemory().add(Buffer.from('abc'))).toThrow(/20-byte/);
  });
});
