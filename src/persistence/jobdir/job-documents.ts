import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {deserialize, serialize} from 'node:v8';
import {DraglineError} from '../../core/errors.js';
import {writeFileAtomic} from '../atomic-file.js';

export const STATE_NAME = 'spider.state';
const RESERVED_JSON = new Set(['job.json', 'owner.json']);

/**
 * The documents one process keeps in its job directory: spider.state's file (v8) and small JSON
 * documents (stats.json, cookies.json, feeds.json), each replaced atomically. Every write first
 * asks `ensureOwned()`, so a run that lost the job writes nothing.
 */
export class JobDocuments {
  constructor(readonly dir: string, private readonly ensureOwned: () => void, private readonly syncDirectory: () => boolean) {}

  readStateFile(): Record<string, unknown> | undefined {
    const path = join(this.dir, STATE_NAME);
    if (!existsSync(path)) return undefined;
    try {
      return deserialize(readFileSync(path)) as Record<string, unknown>;
    } catch (error) {
      throw new DraglineError('JOBDIR_CORRUPT', `${path} cannot be read (${(error as Error).message}); delete it to start with an empty spider.state`, {cause: error});
    }
  }

  saveState(state: Record<string, unknown>): void {
    let bytes: Buffer;
    try {
      bytes = serialize(state);
    } catch (error) {
      throw new Error(`spider.state cannot be saved: ${(error as Error).message}; keep only v8-serializable values (no functions, symbols or class instances with them)`, {cause: error});
    }
    this.writeStateFile(bytes);
  }

  writeStateFile(bytes: Buffer): void {
    this.ensureOwned();
    writeFileAtomic(join(this.dir, STATE_NAME), bytes, {syncDirectory: this.syncDirectory()});
  }

  loadJson<T = unknown>(name: string): T | undefined {
    const path = join(this.dir, jsonFileName(name));
    if (!existsSync(path)) return undefined;
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as T;
    } catch (error) {
      throw new DraglineError('JOBDIR_CORRUPT', `${path} cannot be parsed (${(error as Error).message}); delete it to start it afresh`, {cause: error});
    }
  }

  saveJson(name: string, value: unknown): void {
    this.ensureOwned();
    writeFileAtomic(join(this.dir, jsonFileName(name)), JSON.stringify(value, null, 2) + '\n', {syncDirectory: this.syncDirectory()});
  }
}

function jsonFileName(name: string): string {
  const file = name.endsWith('.json') ? name : `${name}.json`;
  if (!/^[A-Za-z0-9_-]+\.json$/.test(file) || RESERVED_JSON.has(file)) {
    throw new Error(`'${name}' is not a name for a job document (letters, digits, '-' and '_'; not job or owner)`);
  }
  return file;
}
