import {deserialize, serialize} from 'node:v8';
import {crc32} from 'node:zlib';
import type {JournalRecord} from './journal.js';
import {RECORD_HEADER_BYTES} from './record-file.js';

/**
 * Journal records, framed. Leases and acks (one of each per page) get a fixed binary layout,
 * written with one allocation; the rare ones (checkpoint, begin, seal) go through v8.serialize.
 */
const TAG_V8 = 1;
const TAG_LEASE = 2;
const TAG_ACK = 3;
const LEASE_FIXED_BYTES = 1 + 8 + 8 + 1 + 24;

export function frameJournalRecord(record: JournalRecord): Buffer {
  let out: Buffer;
  if (record.t === 'lease') {
    out = Buffer.allocUnsafe(RECORD_HEADER_BYTES + LEASE_FIXED_BYTES + record.payload.length);
    let at = RECORD_HEADER_BYTES;
    out[at++] = TAG_LEASE;
    out.writeDoubleLE(record.id, at);
    out.writeDoubleLE(record.priority, at + 8);
    at += 16;
    out[at++] = record.cursor ? 1 : record.mark ? 2 : 0;
    const [segment, offset, index] = record.cursor ?? record.mark ?? [0, 0, 0];
    out.writeDoubleLE(segment, at);
    out.writeDoubleLE(offset, at + 8);
    out.writeDoubleLE(index, at + 16);
    record.payload.copy(out, RECORD_HEADER_BYTES + LEASE_FIXED_BYTES);
  } else if (record.t === 'ack') {
    out = Buffer.allocUnsafe(RECORD_HEADER_BYTES + 1 + 4 + 8 * record.leases.length);
    out[RECORD_HEADER_BYTES] = TAG_ACK;
    out.writeUInt32LE(record.leases.length, RECORD_HEADER_BYTES + 1);
    record.leases.forEach((id, i) => out.writeDoubleLE(id, RECORD_HEADER_BYTES + 5 + 8 * i));
  } else {
    const body = serialize(record);
    out = Buffer.allocUnsafe(RECORD_HEADER_BYTES + 1 + body.length);
    out[RECORD_HEADER_BYTES] = TAG_V8;
    body.copy(out, RECORD_HEADER_BYTES + 1);
  }
  const content = out.subarray(RECORD_HEADER_BYTES);
  out.writeUInt32LE(content.length, 0);
  out.writeUInt32LE(crc32(content), 4);
  return out;
}

export function decodeJournalRecord(content: Buffer): JournalRecord {
  switch (content[0]) {
    case TAG_LEASE: {
      const id = content.readDoubleLE(1);
      const priority = content.readDoubleLE(9);
      const kind = content[17];
      const position: [number, number, number] = [content.readDoubleLE(18), content.readDoubleLE(26), content.readDoubleLE(34)];
      const cursor = kind === 1 ? position : undefined;
      const mark = kind === 2 ? position : undefined;
      return {t: 'lease', id, priority, payload: Buffer.from(content.subarray(LEASE_FIXED_BYTES)), cursor, mark};
    }
    case TAG_ACK: {
      const count = content.readUInt32LE(1);
      const leases: number[] = [];
      for (let i = 0; i < count; i++) leases.push(content.readDoubleLE(5 + 8 * i));
      return {t: 'ack', leases};
    }
    case TAG_V8:
      return deserialize(content.subarray(1)) as JournalRecord;
    default:
      throw new Error(`unknown journal record tag ${content[0]}`);
  }
}
