import type {RedisJobStatus} from '../persistence/redis/redis-job.js';

/** `job status` of a Redis job, one fact a line. */
export function describeRedisStatus(status: RedisJobStatus): string[] {
  const lines = [
    `Job ${status.address}`,
    `  spider       ${status.spider} (dragline ${status.draglineVersion}, created ${status.createdAt})`,
    `  state        ${status.state}`,
  ];
  const priorities = Object.entries(status.pendingByPriority).sort(([a], [b]) => Number(b) - Number(a));
  const byPriority = priorities.length > 0 ? ` (${priorities.map(([priority, count]) => `priority ${priority}: ${count}`).join(', ')})` : '';
  lines.push(`  pending      ${status.pending}${byPriority}`);
  lines.push(`  leased       ${status.leased}${status.expiredLeases > 0 ? ` (${status.expiredLeases} expired, given back at the next lease)` : ''}`);
  lines.push(`  seen         ${status.seen}`);
  lines.push(`  items        ${status.items} (dragline job export ${status.address} -o FILE writes them all)`);
  if (status.failed > 0) lines.push(`  failed       ${status.failed} (crawl again with --retry-failed to retry them)`);
  if (status.fingerprinter !== 'default') lines.push(`  fingerprints REQUEST_FINGERPRINTER_CLASS ${status.fingerprinter} (a worker must use the same)`);
  const live = status.workers.filter((worker) => worker.alive).length;
  lines.push(`  workers      ${live} live, ${status.workers.length - live} dead`);
  for (const worker of status.workers) {
    const leases = worker.leases > 0 ? `, ${worker.leases} leases (oldest ${worker.oldestLeaseSeconds}s)` : ', no leases';
    lines.push(`    ${worker.owner} pid ${worker.pid} on ${worker.host}: ${worker.alive ? 'live' : 'dead'}, last heartbeat ${worker.lastBeatSecondsAgo}s ago${leases}`);
  }
  lines.push('  counters');
  for (const [name, value] of Object.entries(status.counters).sort(([a], [b]) => a.localeCompare(b))) lines.push(`    ${name}: ${value}`);
  if (Object.keys(status.stats).length > 0) {
    lines.push('  stats (summed over the workers that closed)');
    for (const [name, value] of Object.entries(status.stats)) lines.push(`    ${name}: ${value}`);
  }
  const max = status.redis.maxMemory > 0 ? ` of maxmemory ${formatBytes(status.redis.maxMemory)}` : ' (no maxmemory)';
  lines.push(`  redis        ${status.redis.version}, ${formatBytes(status.redis.usedMemory)} used${max}, AOF ${status.redis.aof ? 'on' : 'off'}`);
  for (const warning of status.warnings) lines.push(`  WARNING      ${warning}`);
  return lines;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024).toFixed(0)} KiB`;
}
