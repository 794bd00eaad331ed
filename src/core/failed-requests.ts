import type {Request} from '../http/request.js';
import type {StatsCollector} from './stats.js';
import type {CommitParticipant, CrawlOutputs} from './commit.js';
import type {CommitBatch} from '../persistence/frontier.js';

export interface FailedRequestsOptions {
  stats: StatsCollector;
  /** RETRY_HTTP_CODES: a response with one of these that reaches the HttpError filter failed for good. */
  retryHttpCodes: Set<number>;
  /** Encodes a request for the frontier's failed log; undefined when it is not kept (no durable frontier, or a request that cannot be stored). */
  encode: (request: Request) => Buffer | undefined;
}

/**
 * The failed-request log's part of each commit: requests that failed for good (a download error,
 * or a status the retry middleware gave up on) are counted in `failed_request_count` and recorded
 * with the commit, for `crawl --retry-failed`.
 */
export class FailedRequestsParticipant implements CommitParticipant {
  constructor(private readonly options: FailedRequestsOptions) {}

  prepare(outputs: CrawlOutputs, batch: CommitBatch): void {
    const {stats, retryHttpCodes, encode} = this.options;
    for (const {request, error, response} of outputs.failed) {
      if (response !== undefined && !retryHttpCodes.has(response.status)) continue;
      stats.inc('failed_request_count');
      const payload = encode(request);
      if (payload !== undefined) batch.failed.push({payload, reason: `${error?.code ?? error?.name ?? 'Error'}: ${error?.message ?? ''}`});
    }
  }
}
