import {existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import type {Headers} from '../../http/request.js';

/** What is kept of a response: enough to build it again for the same request. */
export interface CachedResponse {
  url: string;
  status: number;
  headers: Headers;
  body: Buffer;
  /** When it was stored (ms since the epoch). */
  storedAt: number;
}

interface MetaFile {
  format: 1;
  url: string;
  method: string;
  status: number;
  responseUrl: string;
  timestamp: number;
}

/**
 * Scrapy's FilesystemCacheStorage: one folder per request fingerprint,
 * `<dir>/<spider>/<first two hex digits>/<fingerprint>/`, holding `meta.json`, the response
 * headers as JSON and the body as is (readable with any tool). A folder is written under a
 * temporary name and renamed, so a crash never leaves half an entry that would be served.
 */
export class FilesystemCacheStorage {
  constructor(
    private readonly dir: string,
    /** Entries older than this are not served (0: never expire). */
    private readonly expirationSeconds: number,
  ) {}

  retrieve(spiderName: string, fingerprintHex: string): CachedResponse | undefined {
    const folder = this.folderOf(spiderName, fingerprintHex);
    const metaPath = join(folder, 'meta.json');
    if (!existsSync(metaPath)) return undefined;
    if (this.expirationSeconds > 0 && Date.now() - statSync(metaPath).mtimeMs > this.expirationSeconds * 1000) return undefined;
    try {
      const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as MetaFile;
      const headers = JSON.parse(readFileSync(join(folder, 'response_headers.json'), 'utf8')) as Headers;
      const body = readFileSync(join(folder, 'response_body'));
      return {url: meta.responseUrl, status: meta.status, headers, body, storedAt: meta.timestamp};
    } catch {
      // A damaged entry is a miss: the page is fetched and the entry written again.
      return undefined;
    }
  }

  store(spiderName: string, fingerprintHex: string, request: {url: string; method: string}, response: Omit<CachedResponse, 'storedAt'>): void {
    const folder = this.folderOf(spiderName, fingerprintHex);
    const temporary = `${folder}.tmp-${process.pid}`;
    rmSync(temporary, {recursive: true, force: true});
    mkdirSync(temporary, {recursive: true});
    const meta: MetaFile = {format: 1, url: request.url, method: request.method, status: response.status, responseUrl: response.url, timestamp: Date.now()};
    writeFileSync(join(temporary, 'response_headers.json'), JSON.stringify(response.headers, null, 1));
    writeFileSync(join(temporary, 'response_body'), response.body);
    writeFileSync(join(temporary, 'meta.json'), JSON.stringify(meta, null, 1));
    rmSync(folder, {recursive: true, force: true});
    renameSync(temporary, folder);
  }

  private folderOf(spiderName: string, fingerprintHex: string): string {
    return join(this.dir, spiderName, fingerprintHex.slice(0, 2), fingerprintHex);
  }
}
