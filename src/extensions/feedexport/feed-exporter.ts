import {closeSync, existsSync, fstatSync, ftruncateSync, mkdirSync, openSync, readSync} from 'node:fs';
import {dirname} from 'node:path';
import {DraglineError} from '../../core/errors.js';
import {itemToObject} from '../../core/item.js';
import {FEED_FORMATS, type FeedFormat} from './feed-formats.js';
import {fsReason} from '../../utils/fs-reason.js';
import {writeFully} from '../../persistence/record-file.js';

export interface FeedOptions {
  format: string;
  overwrite?: boolean;
  fields?: string[];
}

/**
 * One feed (`-o items.jsonl`): a file, or stdout for `-`/`stdout:`. Writes are synchronous so a
 * job's commit knows the byte length before and after, and can roll a torn commit back.
 */
export class FeedExporter {
  private fd?: number;
  private size = 0;
  private count = 0;
  /** The file held items from an earlier batch when it was opened (JSON then needs a comma first). */
  private hasItemsBefore = false;
  private fields: string[];
  private readonly format: FeedFormat;
  private readonly toStdout: boolean;

  constructor(
    /** The FEEDS key (`-o` value), which names the feed in a job's commits. */
    readonly uri: string,
    private readonly options: FeedOptions,
    /** The file: the URI with its placeholders filled. */
    readonly path: string = uri,
  ) {
    const format = FEED_FORMATS[options.format];
    if (format === undefined) {
      throw new DraglineError('BAD_OUTPUT', `Unrecognized output format '${options.format}' for ${uri}. Use one of: ${Object.keys(FEED_FORMATS).join(', ')}`);
    }
    this.format = format;
    this.fields = [...(options.fields ?? [])];
    this.toStdout = path === '-' || path === 'stdout:';
  }

  /** Whether this feed can be truncated back to a length (files can, stdout cannot). */
  get rewindable(): boolean {
    return !this.toStdout;
  }

  get length(): number {
    return this.size;
  }

  /**
   * Opens the feed. `overwrite` empties it; otherwise new items are appended (after removing the
   * closing text a previous batch wrote). `truncateTo` first rolls the file back to that length.
   */
  open(options: {overwrite: boolean; truncateTo?: number}): void {
    if (this.toStdout) {
      this.fd = 1;
      return;
    }
    try {
      mkdirSync(dirname(this.path), {recursive: true});
      const existed = existsSync(this.path);
      this.fd = openSync(this.path, options.overwrite || !existed ? 'w+' : 'r+');
    } catch (error) {
      throw new DraglineError('BAD_OUTPUT', `Cannot open the feed ${this.path}: ${fsReason(error)}`, {cause: error});
    }
    this.size = fstatSync(this.fd).size;
    if (options.truncateTo !== undefined && options.truncateTo < this.size) this.truncate(options.truncateTo);
    this.stripClosing();
    if (this.size > 0) this.adoptExisting();
  }

  write(items: unknown[]): void {
    if (items.length === 0) return;
    if (this.fd === undefined) throw new Error(`Feed ${this.path} is not open`);
    let text = '';
    for (const raw of items) {
      const item = itemToObject(raw);
      if (this.fields.length === 0) this.fields = Object.keys(item);
      if (this.count === 0 && this.size === 0) text += this.format.opening(this.fields);
      text += this.format.item(item, this.count === 0 && !this.hasItemsBefore, this.fields);
      this.count += 1;
    }
    this.writeRaw(text);
  }

  close(): void {
    if (this.fd === undefined) return;
    if (this.size === 0 && this.count === 0) {
      const opening = this.format.opening(this.fields);
      if (this.format.closing(true) !== '') this.writeRaw(opening);
    }
    this.writeRaw(this.format.closing(this.count === 0 && !this.hasItemsBefore));
    if (!this.toStdout) closeSync(this.fd);
    this.fd = undefined;
  }

  private writeRaw(text: string): void {
    if (text === '' || this.fd === undefined) return;
    const bytes = Buffer.from(text, 'utf8');
    try {
      // A full disk takes part of a write before it refuses the rest: writeFully goes on until all is written or a write fails.
      writeFully(this.fd, bytes, this.toStdout ? null : this.size);
    } catch (error) {
      if (!this.toStdout) this.cutPartialWrite();
      throw new DraglineError('WRITE_FAILED', `Cannot write the feed ${this.path}: ${fsReason(error)}`, {cause: error});
    }
    this.size += bytes.length;
  }

  /**
   * A failed write may have left part of its text: cut it off, so the file ends with whole items
   * and `length` is what the file holds (a job's next commit records it, and a resumed crawl
   * appends there). Shrinking a file needs no space, so this works on a full disk.
   */
  private cutPartialWrite(): void {
    try {
      ftruncateSync(this.fd!, this.size);
    } catch {
      this.size = fstatSync(this.fd!).size;
    }
  }

  private truncate(length: number): void {
    ftruncateSync(this.fd!, length);
    this.size = length;
  }

  /** Removes what close() wrote last time (JSON's closing bracket), so appending keeps the file valid. */
  private stripClosing(): void {
    for (const closing of [this.format.closing(false), this.format.closing(true)]) {
      if (closing === '' || this.size < closing.length) continue;
      if (this.readTail(closing.length) === closing) {
        this.truncate(this.size - closing.length);
        return;
      }
    }
  }

  /** Learns from a file written by an earlier batch: that it has items, and (CSV) its columns. */
  private adoptExisting(): void {
    // Anything past the opening (JSON's '[', XML's prolog and <items>) is an item.
    const opening = this.format.opening(this.fields.length > 0 ? this.fields : ['x']);
    this.hasItemsBefore = this.size > (this.options.format === 'csv' ? 0 : opening.length);
    if (this.options.format === 'csv' && this.fields.length === 0) {
      const head = this.readHead(Math.min(this.size, 64 * 1024));
      const line = head.split(/\r?\n/, 1)[0] ?? '';
      this.fields = line === '' ? [] : line.split(',').map((cell) => cell.replace(/^"|"$/g, '').replaceAll('""', '"'));
    }
  }

  private readTail(length: number): string {
    const buffer = Buffer.alloc(length);
    readSync(this.fd!, buffer, 0, length, this.size - length);
    return buffer.toString('utf8');
  }

  private readHead(length: number): string {
    const buffer = Buffer.alloc(length);
    readSync(this.fd!, buffer, 0, length, 0);
    return buffer.toString('utf8');
  }
}
