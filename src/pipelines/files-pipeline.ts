import {createHash} from 'node:crypto';
import {existsSync, mkdirSync, readFileSync, statSync} from 'node:fs';
import {dirname, extname, isAbsolute, join, resolve} from 'node:path';
import {writeFileAtomic} from '../persistence/atomic-file.js';
import type {Crawler} from '../core/crawler.js';
import {Request} from '../http/request.js';
import type {Response} from '../http/response.js';
import type {Logger} from '../core/logger.js';
import {NotConfigured, type ItemPipeline} from '../core/middleware.js';
import type {StatsCollector} from '../core/stats.js';

/** One stored file, as Scrapy's FilesPipeline writes it into the item's `files` field. */
export interface StoredFile {
  url: string;
  /** Relative to FILES_STORE: `full/<SHA-1 of the URL>.<extension>`. */
  path: string;
  /** MD5 of the content, hex. */
  checksum: string;
  /** `downloaded` now, or `uptodate`: stored by an earlier download less than FILES_EXPIRES days old. */
  status: 'downloaded' | 'uptodate';
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Scrapy's FilesPipeline: downloads the URLs in each item's `file_urls` (FILES_URLS_FIELD) through
 * the downloader middlewares, stores them under FILES_STORE as `full/<SHA-1 of the URL>.<ext>`, and
 * sets the item's `files` (FILES_RESULT_FIELD) to what was stored. A file stored less than
 * FILES_EXPIRES days ago is not downloaded again; a failed download is logged and left out.
 * Enable with `ITEM_PIPELINES: {FilesPipeline: 1}` and `FILES_STORE`.
 */
export class FilesPipeline implements ItemPipeline {
  private readonly store: string;
  private readonly urlsField: string;
  private readonly resultField: string;
  private readonly expiresMs: number;
  private readonly stats: StatsCollector;
  private readonly logger: Logger;
  /** Each URL is fetched once per crawl, however many items name it. */
  private readonly results = new Map<string, Promise<StoredFile | undefined>>();

  constructor(private readonly crawler: Crawler) {
    const settings = crawler.settings;
    const store = settings.getString('FILES_STORE');
    if (store === '') throw new NotConfigured('FILES_STORE is not set');
    this.store = isAbsolute(store) ? store : resolve(store);
    this.urlsField = settings.getString('FILES_URLS_FIELD', 'file_urls');
    this.resultField = settings.getString('FILES_RESULT_FIELD', 'files');
    this.expiresMs = settings.getFloat('FILES_EXPIRES') * DAY_MS;
    this.stats = crawler.stats;
    this.logger = crawler.logger.child('dragline.pipelines.files');
  }

  async processItem(item: unknown): Promise<unknown> {
    const fields = item as Record<string, unknown>;
    const urls = fields[this.urlsField];
    if (!Array.isArray(urls) || urls.length === 0) return item;
    const stored = await Promise.all(urls.map((url) => this.fileFor(String(url))));
    fields[this.resultField] = stored.filter((entry): entry is StoredFile => entry !== undefined);
    return item;
  }

  /** The path a request's URL is stored at, relative to FILES_STORE (Scrapy's file_path). */
  filePath(url: string): string {
    const extension = extname(new URL(url).pathname);
    const kept = /^\.[A-Za-z0-9]{1,8}$/.test(extension) ? extension.toLowerCase() : '';
    return `full/${createHash('sha1').update(url).digest('hex')}${kept}`;
  }

  private fileFor(url: string): Promise<StoredFile | undefined> {
    let result = this.results.get(url);
    if (result === undefined) {
      result = this.fetchAndStore(url);
      this.results.set(url, result);
    }
    return result;
  }

  private async fetchAndStore(url: string): Promise<StoredFile | undefined> {
    let request: Request;
    try {
      if (!URL.canParse(url)) throw new Error('it is not an absolute URL (use response.urljoin(href))');
      request = new Request(url);
    } catch (error) {
      this.logger.warning(`File (invalid-url): Cannot download ${JSON.stringify(url)}: ${(error as Error)?.message ?? String(error)}`);
      return undefined;
    }
    // Named by the request's URL, as Scrapy hashes request.url.
    const path = this.filePath(request.url);
    const absolute = join(this.store, path);
    const fresh = this.freshCopy(absolute);
    if (fresh !== undefined) return this.counted({url, path, checksum: md5(fresh), status: 'uptodate'});
    let response: Response;
    try {
      const engine = this.crawler.engine;
      if (engine === undefined) throw new Error('the crawl is not running');
      response = await engine.download(request);
    } catch (error) {
      this.logger.warning(`File (unknown-error): Error downloading file from ${request}: ${(error as Error)?.message ?? String(error)}`);
      return undefined;
    }
    if (response.status !== 200) {
      this.logger.warning(`File (code: ${response.status}): Error downloading file from ${request}`);
      return undefined;
    }
    mkdirSync(dirname(absolute), {recursive: true});
    writeFileAtomic(absolute, response.body);
    return this.counted({url, path, checksum: md5(response.body), status: 'downloaded'});
  }

  /** The stored content if it is younger than FILES_EXPIRES. */
  private freshCopy(absolute: string): Buffer | undefined {
    if (!existsSync(absolute)) return undefined;
    if (Date.now() - statSync(absolute).mtimeMs > this.expiresMs) return undefined;
    return readFileSync(absolute);
  }

  private counted(stored: StoredFile): StoredFile {
    this.stats.inc('file_count');
    this.stats.inc(`file_status_count/${stored.status}`);
    return stored;
  }
}

function md5(content: Buffer): string {
  return createHash('md5').update(content).digest('hex');
}
