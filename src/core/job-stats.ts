/**
 * Stats across the batches of one job. Scrapy starts every batch at zero; a job directory keeps
 * the sum, so "items scraped" means the job's, not the last batch's.
 */
export interface JobStatsFile {
  batches: number;
  /** The job so far, not counting the batch that is running. */
  previous: Record<string, unknown>;
  /** The job so far, including the running batch as of the last save. */
  cumulative: Record<string, unknown>;
}

const NOT_SUMMED = new Set(['start_time', 'finish_time', 'finish_reason']);

/** Adds a batch's stats to the job's: counters add up, maxima stay maxima, anything else is the batch's. */
export function mergeStats(previous: Record<string, unknown>, batch: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = {...previous};
  for (const [key, value] of Object.entries(batch)) {
    const before = previous[key];
    if (typeof value === 'number' && typeof before === 'number' && !NOT_SUMMED.has(key)) {
      merged[key] = /(\/|_)max$/.test(key) ? Math.max(before, value) : /(\/|_)min$/.test(key) ? Math.min(before, value) : before + value;
    } else {
      merged[key] = value;
    }
  }
  if (previous.start_time !== undefined) merged.start_time = previous.start_time;
  return merged;
}
