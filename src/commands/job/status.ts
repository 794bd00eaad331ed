import {Args} from '@oclif/core';
import {OneLineErrorCommand} from '../../cli/base-command.js';
import {jobStatus, type JobStatus} from '../../persistence/jobdir/job-status.js';
import {isRedisAddress} from '../../persistence/redis/redis-address.js';
import type {RedisJobStatus} from '../../persistence/redis/redis-job.js';
import {describeRedisStatus} from '../../cli/redis-status-lines.js';
import {importRedisJob} from '../../cli/redis-job-module.js';

export default class JobStatusCommand extends OneLineErrorCommand {
  static description = 'Show what a job directory (JOBDIR) holds: pending and in-flight requests, seen requests, spider state, last stats and who holds the lock; or, for a Redis job (redis://host:6379/0#jobkey), its state, workers, leases, items and Redis memory. Reads only; does not lock the job or run the spider.';

  static examples = [
    '<%= config.bin %> job status crawls/quotes-1',
    '<%= config.bin %> job status crawls/quotes-1 --json',
    '<%= config.bin %> job status redis://10.0.0.5:6379/0#quotes-1',
  ];

  static args = {
    dir: Args.string({description: 'the job directory or Redis address (the JOBDIR of a crawl)', required: true}),
  };

  static enableJsonFlag = true;

  async run(): Promise<JobStatus | RedisJobStatus> {
    const {args} = await this.parse(JobStatusCommand);
    if (isRedisAddress(args.dir)) {
      const {redisJobStatus} = await importRedisJob();
      const status = await redisJobStatus(args.dir);
      for (const line of describeRedisStatus(status)) this.log(line);
      return status;
    }
    const status = await jobStatus(args.dir);
    for (const line of describeStatus(status)) this.log(line);
    return status;
  }
}

function describeStatus(status: JobStatus): string[] {
  const lines = [
    `Job ${status.dir}`,
    `  spider       ${status.spider} (format ${status.format}, dragline ${status.draglineVersion})`,
    `  created      ${status.createdAt}, updated ${status.updatedAt}`,
  ];
  const priorities = Object.entries(status.pendingByPriority).sort(([a], [b]) => Number(b) - Number(a));
  const byPriority = priorities.length > 0 ? ` (${priorities.map(([priority, count]) => `priority ${priority}: ${count}`).join(', ')})` : '';
  lines.push(`  pending      ${status.pending}${byPriority}`);
  if (status.inFlight > 0) lines.push(`  in flight    ${status.inFlight} (were being fetched when the last run stopped; fetched again first)`);
  for (const damage of status.damage) lines.push(`  DAMAGED      ${damage.file} ${damage.problem}`);
  if (status.damage.length > 0) lines.push(`               a crawl refuses this job (JOBDIR_CORRUPT); \`dragline job repair ${status.dir}\` keeps every intact record and says what was lost`);
  if (status.tornCommit) lines.push('  torn commit  the last run stopped while saving a page; that page will be redone');
  lines.push(`  seen         ${status.seen}`);
  if (status.failed > 0) lines.push(`  failed       ${status.failed} (crawl again with --retry-failed to retry them)`);
  if (status.state && 'keys' in status.state) lines.push(`  state keys   ${status.state.keys.length > 0 ? status.state.keys.join(', ') : '(empty)'}`);
  else if (status.state) lines.push(`  state        unreadable: ${status.state.error}`);
  if (status.fingerprinter !== 'default') lines.push(`  fingerprints REQUEST_FINGERPRINTER_CLASS ${status.fingerprinter} (a run must use the same)`);
  for (const [template, file] of Object.entries(status.feeds ?? {})) lines.push(`  feed         ${template} → ${file}`);
  if (status.lastRun) {
    const run = status.lastRun;
    const ended = run.endedAt ? `ended ${run.endedAt} (${run.reason})` : 'did not close cleanly';
    lines.push(`  last run     pid ${run.pid} on ${run.host}, started ${run.startedAt}, ${ended}${run.unclean ? ', after an unclean stop' : ''}`);
  }
  if (status.lock) {
    const alive = status.lock.alive === null ? 'cannot tell if it is alive (other host)' : status.lock.alive ? 'running' : 'no longer running: the next run takes the lock over';
    lines.push(`  locked by    pid ${status.lock.pid} on ${status.lock.host} since ${status.lock.since} (${alive})`);
  }
  if (status.stats) {
    // stats.json holds {batches, previous, cumulative}: show the job's cumulative figures, one a line.
    const cumulative = status.stats.cumulative;
    const shown = typeof cumulative === 'object' && cumulative !== null ? (cumulative as Record<string, unknown>) : status.stats;
    lines.push(`  stats (all ${String(status.stats.batches ?? '?')} batches)`);
    for (const [key, value] of Object.entries(shown).sort(([a], [b]) => a.localeCompare(b))) lines.push(`    ${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  return lines;
}
