/**
 * The journal on a disk that fills up in the middle of a write of several records: the records the
 * disk took whole must not end up behind a later, shorter record (which reads as damage, not as a
 * torn end). The disk is a tmpfs of one page.
 */
import {afterAll, beforeAll, describe, expect} from '@jest/globals';
import {mkdtempSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {FsyncBatcher} from '../../../src/persistence/fsync-batcher.js';
import {frameJournalRecord} from '../../../src/persistence/jobdir/journal-codec.js';
import {Journal, replayJournal, type LeaseRecord} from '../../../src/persistence/jobdir/journal.js';
import {cannotMount, mountTmpfs, testMounting, unmount} from '../../helpers/mount.js';

const PAGE = 4096;
const disk = mkdtempSync(join(tmpdir(), 'dragline-journal-disk-'));
let mounted = false;

beforeAll(() => {
  if (cannotMount !== undefined) return;
  mountTmpfs(disk, String(PAGE));
  mounted = true;
});

afterAll(() => {
  if (mounted) unmount(disk);
  rmSync(disk, {recursive: true, force: true});
});

const lease = (id: number, bytes: number): LeaseRecord => ({t: 'lease', id, priority: 0, payload: Buffer.alloc(bytes, 'r'), mark: [1, 0, 0]});

describe('a journal write the disk took only part of', () => {
  testMounting('leaves no intact record behind a later one: no more appends until a compaction replaces the file', () => {
    const fsync = new FsyncBatcher(false, 0);
    const path = join(disk, 'journal');
    const journal = new Journal(path, fsync);
    // Fill the page but for two leases and a little: the begin written with them runs off the disk.
    const leaseBytes = frameJournalRecord(lease(2, 300)).length;
    const emptyLease = frameJournalRecord(lease(1, 0)).length;
    const room = PAGE - 2 * leaseBytes - 20;
    let id = 10;
    while (room - journal.length >= 2 * emptyLease) journal.append(lease(id++, 0));
    journal.append(lease(id++, room - journal.length - emptyLease));
    expect(journal.length).toBe(room);
    const intactUpTo = journal.length;
    journal.appendLater(lease(2, 300));
    journal.appendLater(lease(3, 300));
    expect(() => journal.append({t: 'begin', leases: [2, 3], seenLength: 0, failedLength: 0, feedOffsets: {}, tops: [[0, 1, 5000]], pending: 7})).toThrow(/ENOSPC|no space/);
    // The disk took the two leases whole, and part of the begin.
    expect(statSync(path).size).toBeGreaterThan(intactUpTo + 2 * leaseBytes);

    // Another page's commit comes next: it must not be written over the leases.
    expect(() => journal.append({t: 'ack', leases: []})).toThrow(/ENOSPC|no space/);
    journal.close();
    const state = replayJournal(path);
    expect(state.damagedAt).toBeUndefined();
    expect(state.validLength).toBe(intactUpTo + 2 * leaseBytes);
  });
});
