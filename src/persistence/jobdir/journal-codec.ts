import {deserialize, serialize} from 'node:v8';
import {crc32} from 'node:zlib';
import type {BeginRecord, JournalRecord, QueueTop} from './journal.js';
import {RECORD_HEADER_BYTES} from '../record-file.js';

/**
 * Journal records, framed. Leases, begins, acks and states (one of each per page) get a binary layout,
 * written with one allocation; the rare ones (checkpoint, seal) go through v8.serialize.
 */
const TAG_V8 = 1;
const TAG_LEASE = 2;
const TAG_ACK = 3;
const TAG_BEGIN = 4;
const TAG_STATE = 5;
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
  } else if (record.t === 'begin') {
    out = frameBegin(record);
  } else if (record.t === 'state') {
    out = Buffer.allocUnsafe(RECORD_HEADER_BYTES + 1 + record.bytes.length);
    out[RECORD_HEADER_BYTES] = TAG_STATE;
    record.bytes.copy(out, RECORD_HEADER_BYTES + 1);
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
    case TAG_BEGIN:
      return decodeBegin(content);
    case TAG_STATE:
      return {t: 'state', bytes: Buffer.from(content.subarray(1))};
    case TAG_V8:
      return deserialize(content.subarray(1)) as JournalRecord;
    default:
      throw new Error(`unknown journal record tag ${content[0]}`);
  }
}

/**
 * [tag][u32 leases][f64 id]* [f64 seenLength][f64 failedLength][f64 pending]
 * [u32 tops][f64 priority, f64 segment, f64 length]* [u32 feeds][u32 key bytes][key utf8][f64 offset]*
 */
function frameBegin(record: BeginRecord): Buffer {
  const feeds = Object.entries(record.feedOffsets).map(([key, offset]) => [Buffer.from(key, 'utf8'), offset] as const);
  let size = RECORD_HEADER_BYTES + 1 + 4 + 8 * record.leases.length + 24 + 4 + 24 * record.tops.length + 4;
  for (const [key] of feeds) size += 4 + key.length + 8;
  const out = Buffer.allocUnsafe(size);
  let at = RECORD_HEADER_BYTES;
  out[at++] = TAG_BEGIN;
  at = out.writeUInt32LE(record.leases.length, at);
  for (const id of record.leases) at = out.writeDoubleLE(id, at);
  at = out.writeDoubleLE(record.seenLength, at);
  at = out.writeDoubleLE(record.failedLength, at);
  at = out.writeDoubleLE(record.pending, at);
  at = out.writeUInt32LE(record.tops.length, at);
  for (const [priority, segment, length] of record.tops) {
    at = out.writeDoubleLE(priority, at);
    at = out.writeDoubleLE(segment, at);
    at = out.writeDoubleLE(length, at);
  }
  at = out.writeUInt32LE(feeds.length, at);
  for (const [key, offset] of feeds) {
    at = out.writeUInt32LE(key.length, at);
    at += key.copy(out, at);
    at = out.writeDoubleLE(offset, at);
  }
  return out;
}

function decodeBegin(content: Buffer): BeginRecord {
  const read = new FieldReader(content, 1);
  const leases = read.list(() => read.f64());
  const seenLength = read.f64();
  const failedLength = read.f64();
  const pending = read.f64();
  const tops = read.list((): QueueTop => [read.f64(), read.f64(), read.f64()]);
  const feedOffsets = Object.fromEntries(read.list(() => [read.utf8(), read.f64()] as const));
  if (read.at !== content.length) throw new Error(`begin record of ${content.length} bytes holds ${read.at}`);
  return {t: 'begin', leases, seenLength, failedLength, feedOffsets, tops, pending};
}

class FieldReader {
  constructor(private readonly buffer: Buffer, public at: number) {}

  f64(): number {
    const value = this.buffer.readDoubleLE(this.at);
    this.at += 8;
    return value;
  }

  u32(): number {
    const value = this.buffer.readUInt32LE(this.at);
    this.at += 4;
    return value;
  }

  utf8(): string {
    const length = this.u32();
    const value = this.buffer.toString('utf8', this.at, this.at + length);
    this.at += length;
    return value;
  }

  list<T>(readOne: () => T): T[] {
    const out: T[] = [];
    for (let count = this.u32(); count > 0; count--) out.push(readOne());
    return out;
  }
}
