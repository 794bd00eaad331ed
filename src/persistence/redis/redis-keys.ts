/**
 * Every key of one job, all under one hash tag (`{jobkey}`) so that the job's scripts touch a
 * single slot and run on Redis Cluster too. Scripts receive these as KEYS, never build them.
 */
export class RedisKeys {
  readonly prefix: string;

  constructor(readonly jobKey: string) {
    this.prefix = `dragline:{${jobKey}}:`;
  }

  /** HASH: spider, fingerprinter, order, buckets, state (running|paused|finished), seen count, created. */
  get meta(): string { return this.prefix + 'meta'; }
  /** STRING counter: request ids and lease tokens. */
  get seq(): string { return this.prefix + 'seq'; }
  /** ZSET request id → score (priority, then LIFO/FIFO order). */
  get pending(): string { return this.prefix + 'pending'; }
  /** HASH request id → encoded request. */
  get requests(): string { return this.prefix + 'req'; }
  /** HASH priority → pending count (for status). */
  get sizes(): string { return this.prefix + 'sizes'; }
  /** ZSET request id → lease deadline (server ms). */
  get leaseDeadlines(): string { return this.prefix + 'leases'; }
  /** HASH request id → "owner|token|leasedAt|score". */
  get leaseOwners(): string { return this.prefix + 'lease'; }
  /** HASH owner → highest commit sequence applied (idempotent retries). */
  get applied(): string { return this.prefix + 'applied'; }
  /** SET of commit ids refused (lease lost): a retried refused commit stays refused. */
  get refused(): string { return this.prefix + 'refused'; }
  /** HASH owner → JSON {host, pid, name, started}. */
  get workers(): string { return this.prefix + 'workers'; }
  /** ZSET owner → last heartbeat (server ms). */
  get alive(): string { return this.prefix + 'alive'; }
  /** SET of owners with REDIS_KEEP_ALIVE: while one lives, the job is never marked finished. */
  get keepers(): string { return this.prefix + 'keepers'; }
  /** SET of owners still reading spider.start(). */
  get starting(): string { return this.prefix + 'starting'; }
  /** LIST of failed requests: "reason\n" + payload. */
  get failed(): string { return this.prefix + 'failed'; }
  /** HASH counter → value (pages, items, requests, refused, expired…). */
  get counters(): string { return this.prefix + 'counters'; }
  /** HASH stat → sum over the workers that closed (Scrapy's counters: response_received_count, item_scraped_count…). */
  get stats(): string { return this.prefix + 'stats'; }
  /** HASH worker name → spider.state bytes. */
  get state(): string { return this.prefix + 'state'; }
  /** SET of worker names that wrote items. */
  get itemWriters(): string { return this.prefix + 'writers'; }
  /** LIST of one worker's items, one entry per commit: "<seq>\n<JSON array>". */
  items(worker: string): string { return `${this.prefix}items:${worker}`; }
  /** HASH bucket of the seen set: field = 10 bytes of the fingerprint. */
  seenBucket(bucket: number): string { return `${this.prefix}seen:${bucket}`; }
  /** Every key with this job's prefix, for SCAN (glob characters in the job key escaped). */
  get pattern(): string { return `${this.prefix.replace(/[*?[\]\\]/g, '\\$&')}*`; }
}

/** Which bucket a fingerprint falls in, and the field it takes there. */
export function seenSlot(fingerprint: Buffer, buckets: number): {bucket: number; field: Buffer} {
  const bucket = fingerprint.readUInt32BE(0) % buckets;
  return {bucket, field: fingerprint.subarray(4, 14)};
}
