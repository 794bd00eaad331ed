import type {CommitParticipant, CrawlOutputs} from '../../core/commit.js';
import type {CommitBatch} from '../../persistence/frontier.js';
import type {FeedManager} from './feed-manager.js';

/**
 * The feeds' part of each commit (Scrapy's feed exporter, made exactly-once): a response's items
 * are written inside the commit, after the frontier recorded each feed's length, so a crash
 * mid-commit cuts the files back to those lengths when the job resumes.
 */
export class FeedCommitParticipant implements CommitParticipant {
  constructor(private readonly feeds: FeedManager) {}

  prepare(outputs: CrawlOutputs, batch: CommitBatch): void {
    const {feeds} = this;
    const items = outputs.items;
    batch.local.push({offsets: () => feeds.offsets(), apply: () => feeds.write(items)});
    if (items.length > 0) (batch.items ??= []).push(...items);
  }
}
