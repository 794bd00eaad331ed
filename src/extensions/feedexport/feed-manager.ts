import type {Settings} from '../../settings/settings.js';
import type {Logger} from '../../core/logger.js';
import type {JobOpenReport} from '../../persistence/types.js';
import {FeedExporter, type FeedOptions} from './feed-exporter.js';

/**
 * Every feed of the crawl (FEEDS, `-o`, `-O`). With a job, `-O` empties a feed only when the job
 * starts; a resumed batch appends, and a commit torn by a crash is cut off the feed again.
 */
export class FeedManager {
  readonly feeds: FeedExporter[];

  /** `paths` gives the file of each FEEDS key whose URI has placeholders (see feed-uri.ts). */
  constructor(settings: Settings, private readonly logger: Logger, paths: Record<string, string> = {}) {
    const fields = settings.getList<string>('FEED_EXPORT_FIELDS');
    this.feeds = Object.entries(settings.getDict<FeedOptions>('FEEDS')).map(
      ([uri, options]) => new FeedExporter(uri, {...options, fields: options.fields ?? (fields.length > 0 ? fields : undefined)}, paths[uri] ?? uri),
    );
  }

  open(report: JobOpenReport | undefined, overwriteOf: (uri: string) => boolean): void {
    for (const feed of this.feeds) {
      const resuming = report !== undefined && !report.fresh;
      const truncateTo = resuming && report.rolledBack ? report.feedOffsets[feed.uri] : undefined;
      feed.open({overwrite: overwriteOf(feed.uri) && !resuming, truncateTo});
      if (resuming && overwriteOf(feed.uri)) this.logger.info(`Appending to ${feed.path}: the job is being resumed, so -O does not empty it`);
    }
  }

  /** Byte lengths of the rewindable feeds, recorded at the start of each commit. */
  offsets(): Record<string, number> {
    const offsets: Record<string, number> = {};
    for (const feed of this.feeds) if (feed.rewindable) offsets[feed.uri] = feed.length;
    return offsets;
  }

  write(items: unknown[]): void {
    if (items.length === 0) return;
    for (const feed of this.feeds) feed.write(items);
  }

  close(): void {
    for (const feed of this.feeds) {
      feed.close();
      this.logger.info(`Stored ${feed.path} feed`);
    }
  }
}
