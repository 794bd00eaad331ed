import {describe, expect, test} from '@jest/globals';
import {serialize} from 'node:v8';
import {decodeJournalRecord, frameJournalRecord} from '../../../src/persistence/jobdir/journal-codec.js';
import type {JournalRecord} from '../../../src/persistence/jobdir/journal.js';
import {RECORD_HEADER_BYTES, unframe} from '../../../src/persistence/record-file.js';

function roundTrip(record: JournalRecord): JournalRecord {
  const payload = unframe(frameJournalRecord(record));
  if (payload === undefined) throw new Error('the framed record does not check out');
  return decodeJournalRecord(payload);
}

describe('journal records', () => {
  test('every kind round-trips through its framing', () => {
    const records: JournalRecord[] = [
      {t: 'lease', id: 2 ** 33 + 7, priority: -3, payload: Buffer.from('request bytes'), cursor: [5, 1024, 9], mark: undefined},
      {t: 'lease', id: 12, priority: 0, payload: Buffer.alloc(0), cursor: undefined, mark: [4, 96, 2 ** 32 + 1]},
      {t: 'ack', leases: [1, 2 ** 40, 3]},
      {t: 'seal', priority: 1, segment: 17, count: 10_000},
      {
        t: 'checkpoint', epoch: 3, order: 'fifo', cursors: [[0, 2, 64, 1]], marks: [], sealed: [[0, 1, 5]],
        leases: [{id: 9, priority: 0, payload: Buffer.from('x')}], feedRollback: {'items.jsonl': 10},
      },
    ];
    for (const record of records) expect(roundTrip(record)).toEqual(record);
  });

  test('a begin record keeps leases, lengths, tops and feed offsets, whatever the feed names', () => {
    const begin: JournalRecord = {
      t: 'begin', leases: [2 ** 32 + 1, 2 ** 32 + 2], seenLength: 20 * 12_345, failedLength: 77, pending: 4_321,
      tops: [[5, 2 ** 24 + 3, 8_192], [-1, 9, 0]],
      feedOffsets: {'items.jsonl': 123_456, 'file:///tmp/éléments ✓.csv': 0},
    };
    expect(roundTrip(begin)).toEqual(begin);
    const empty: JournalRecord = {t: 'begin', leases: [], seenLength: 0, failedLength: 0, pending: 0, tops: [], feedOffsets: {}};
    expect(roundTrip(empty)).toEqual(empty);
  });

  test('a begin record written by v8 (the earlier layout) still decodes', () => {
    const begin = {t: 'begin', leases: [4], seenLength: 40, failedLength: 0, feedOffsets: {'a.jsonl': 3}, tops: [[0, 1, 99]], pending: 2};
    const content = Buffer.concat([Buffer.from([1]), serialize(begin)]);
    expect(decodeJournalRecord(content)).toEqual(begin);
  });

  test('a begin record whose fields do not fill it exactly is refused', () => {
    const framed = frameJournalRecord({t: 'begin', leases: [1], seenLength: 0, failedLength: 0, pending: 0, tops: [], feedOffsets: {}});
    const content = Buffer.concat([framed.subarray(RECORD_HEADER_BYTES), Buffer.alloc(3)]);
    expect(() => decodeJournalRecord(content)).toThrow(/begin record/);
  });
});
