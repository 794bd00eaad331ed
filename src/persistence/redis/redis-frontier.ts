import {hostname} from 'node:os';
import {deserialize} from 'node:v8';
import {DraglineError} from '../../core/errors.js';
import type {CommitBatch, CommitReply, Frontier, FrontierOpenReport, FrontierStatus, Lease, LocalWrite} from '../frontier.js';
import {FingerprintSet} from '../seen-set.js';
import type {JobCloseOptions} from '../types.js';
import type {RedisAddress} from './redis-address.js';
import {RedisConnection, type RedisReply} from './redis-connection.js';
import {RedisKeys, seenSlot} from './redis-keys.js';
import {SCRIPTS, fixedKeys} from './redis-scripts.js';
import {WorkerDir, type FeedWatermark} from './worker-dir.js';

export interface RedisFrontierOptions {
  spiderName: string;
  fingerprinter: string;
  queueOrder: 'lifo' | 'fifo';
  seenBuckets: number;
  /** A lease lasts this long unless renewed by the worker's heartbeat (SCHEDULER_LEASE_SECONDS). */
  leaseMs: number;
  /** Never finish: wait for requests pushed by other programs (REDIS_KEEP_ALIVE). */
  keepAlive: boolean;
  /** Names this worker: the same name after a restart finds its feeds' watermark and its items again. */
  workerName: string;
  /**
   * The name is this process's own (no feeds and no REDIS_WORKER_NAME: named after its pid), so no
   * later run finds it again: a clean exit removes its sequence mark and spider.state from the job.
   */
  ephemeralName?: boolean;
  /** This worker's local folder (lock, feed watermark, stats.json). */
  workerDir: string;
  /** Leases taken per round trip beyond what the engine asked for: the extra wait here, renewed by the heartbeat. */
  prefetch: number;
  draglineVersion: string;
  warn: (message: string) => void;
  info: (message: string) => void;
  /** The job asks this worker to stop (dragline job pause). */
  onStop: (reason: string) => void;
  onLockCompromised: (error: Error) => void;
  /** This worker's stats at close: their counters are added to the job's (job status). */
  stats?: () => Record<string, unknown>;
}

/** Stats that are not counters (a maximum, a time): summing them over workers means nothing. */
const NOT_A_COUNTER = /max|min|time|startup|elapsed|reason/;

/** Commits sent in one COMMIT call at most; each stays its own unit inside it. */
const MAX_GROUP = 64;
/** The feeds' watermark is saved at most this often (a restart replays the commits after it from Redis). */
const WATERMARK_INTERVAL_MS = 1000;

interface QueuedCommit {
  seq: number;
  batch: CommitBatch;
  resolve: (reply: CommitReply) => void;
  reject: (error: unknown) => void;
}

/**
 * The frontier of a job in Redis, shared by every worker that names the same address: pending
 * requests, the seen set, leases, failed requests and the items live in Redis; each worker keeps
 * only its feeds and small files in a local worker directory.
 *
 * Throughput without giving up a guarantee: leases come in batches (the extra ones wait here and
 * are renewed with the rest), and commits that arrive while one COMMIT call is out go together in
 * the next call, each still checked and applied as its own unit. Feed lines are written after
 * Redis applied their commit, so a refused commit writes nothing; a crash between the two is
 * repaired at the next open from the items Redis kept (the watermark says from where).
 */
export class RedisFrontier implements Frontier {
  readonly durable = true;
  readonly shared = true;
  readonly pipelined = true;
  private readonly keys: RedisKeys;
  private readonly connection: RedisConnection;
  private worker?: WorkerDir;
  private owner = '';
  private fixed: string[] = [];
  private order: 'lifo' | 'fifo';
  private buckets: number;
  private seq = 0;
  /** Leases taken and not handed to the engine yet. */
  private readonly buffered: Lease[] = [];
  /** Every lease this worker holds (buffered or in flight): token → request id. */
  private readonly held = new Map<number, string>();
  /** Leases of commits queued or on the wire: release() leaves them to their commit. */
  private readonly committing = new Set<number>();
  private readonly knownSeenSet = FingerprintSet.inMemory();
  private remotePending = 0;
  private readonly queue: QueuedCommit[] = [];
  /** Set while flush() runs, cleared in the same turn as its last look at the queue. */
  private flushing = false;
  private flushed: Promise<void> = Promise.resolve();
  private heartbeat?: NodeJS.Timeout;
  private replay: unknown[][] = [];
  private lastLocal?: LocalWrite;
  private appliedSeq = 0;
  private watermarkSavedAt = 0;
  private watermarkStarted = false;
  private stopAsked = false;
  /** Set once a script found the job gone from Redis: every later call fails with JOB_LOST. */
  private lost?: DraglineError;
  private takenOver = false;
  /**
   * Set when a commit's feed lines could not be written after Redis applied it (a full disk): the
   * watermark stays where it was from then on, so the next start writes that commit's items again.
   */
  private feedsFailed = false;
  private warnedItems = false;

  constructor(private readonly address: RedisAddress, private readonly options: RedisFrontierOptions) {
    this.keys = new RedisKeys(address.jobKey);
    this.connection = new RedisConnection(address, {warn: options.warn, info: options.info});
    this.order = options.queueOrder;
    this.buckets = options.seenBuckets;
  }

  get jobDir(): WorkerDir | undefined {
    return this.worker;
  }

  get pending(): number {
    return this.remotePending + this.buffered.length;
  }

  knownSeen(fingerprint: Buffer): boolean {
    return this.knownSeenSet.has(fingerprint);
  }

  async open(): Promise<FrontierOpenReport> {
    const {options} = this;
    this.worker = await WorkerDir.open(options.workerDir, options.onLockCompromised);
    try {
      await this.connection.open();
      this.fixed = fixedKeys(this.keys, options.workerName);
      const info = JSON.stringify({name: options.workerName, host: hostname(), pid: process.pid, started: new Date().toISOString(), leaseMs: options.leaseMs, dir: this.worker.id});
      const reply = await this.connection.run(SCRIPTS.open, this.fixed, [
        options.spiderName, options.fingerprinter, options.queueOrder, String(options.seenBuckets), options.workerName, info, options.draglineVersion, this.worker.id,
        options.keepAlive ? '1' : '0',
      ]) as Buffer[];
      const status = reply[0].toString();
      if (status === 'taken') throw this.nameTaken(reply[2].toString(), Number(reply[3]));
      if (status === 'foreign') {
        const what = reply[1].toString();
        const theirs = reply[2].toString();
        const ours = what === 'spider' ? options.spiderName : options.fingerprinter;
        throw new DraglineError('JOBDIR_FOREIGN', `The Redis job ${this.address.shown} belongs to ${what} '${theirs}', not '${ours}': use another #jobkey for this crawl`);
      }
      this.owner = reply[1].toString();
      const fresh = Number(reply[2]) === 1;
      const previous = reply[3].toString();
      this.order = reply[4].toString() === 'fifo' ? 'fifo' : 'lifo';
      this.buckets = Number(reply[5].toString());
      this.seq = Number(reply[6].toString());
      const requeued = Number(reply[7]);
      if (previous === 'paused') options.info(`Resuming the paused job ${this.address.shown}`);
      if (previous === 'finished') options.warn(`${this.address.shown} holds a finished job: pages it has seen are not fetched again, so this run only fetches what is new. Use a new #jobkey to crawl again from scratch.`);
      const watermark = this.worker.watermark;
      this.appliedSeq = watermark?.seq ?? 0;
      this.replay = await this.itemsAfter(watermark?.seq ?? 0);
      if (this.replay.length > 0) options.info(`Writing ${this.replay.length} commits' items again to this worker's feeds: Redis holds them, the feeds did not when the worker stopped`);
      this.appliedSeq = this.seq;
      const committedState = (await this.connection.command(['HGET', this.keys.state, options.workerName])) as Buffer | null;
      if (committedState !== null) this.worker.committedState = deserialize(committedState) as Record<string, unknown>;
      const {pending, seen} = await this.status();
      this.remotePending = pending;
      this.heartbeat = setInterval(() => void this.beat(), Math.max(50, this.options.leaseMs / 3));
      this.heartbeat.unref();
      return {fresh, pending, seen, requeued, rolledBack: false};
    } catch (error) {
      await this.connection.close();
      await this.worker.close();
      throw error;
    }
  }

  private nameTaken(theirInfo: string, msSinceBeat: number): DraglineError {
    let where = 'another process';
    try {
      const info = JSON.parse(theirInfo) as {host?: string; pid?: number};
      where = `process ${info.pid} on ${info.host}`;
    } catch {
      // An unreadable record still names a live worker.
    }
    const name = this.options.workerName;
    return new DraglineError('WORKER_NAME_TAKEN', `The worker name '${name}' of ${this.address.shown} is in use by ${where} (last heartbeat ${(msSinceBeat / 1000).toFixed(1)}s ago, from another worker folder): give each worker its own name (REDIS_WORKER_NAME, or its own -o file)`, {
      suggestions: ['If that process is dead, its name is free once its heartbeat is older than its SCHEDULER_LEASE_SECONDS'],
    });
  }

  /** Items this worker committed that its feeds may not hold: for the feeds to write again at open. */
  takeReplayedItems(): unknown[][] {
    const replay = this.replay;
    this.replay = [];
    return replay;
  }

  async next(n: number): Promise<Lease[]> {
    if (this.lost !== undefined) throw this.lost;
    if (this.stopAsked || this.takenOver) return [];
    if (this.buffered.length < n) {
      const want = n - this.buffered.length + this.options.prefetch;
      const reply = await this.connection.run(SCRIPTS.lease, this.fixed, [this.owner, String(want), String(this.options.leaseMs)], this.reclaimUnknown) as RedisReply[];
      const state = (reply[0] as Buffer).toString();
      if (state === 'gone') throw this.jobLost();
      if (state === 'taken') {
        this.replaced();
        return [];
      }
      this.remotePending = Number(reply[1]);
      if (state === 'paused') {
        this.askStop();
      }
      let reissued = false;
      for (let i = 2; i < reply.length; i += 4) {
        const id = (reply[i] as Buffer).toString();
        const token = Number(reply[i + 1]);
        // Lease numbers only grow: one this worker holds again means Redis went back in time.
        if (this.held.has(token)) {
          reissued = true;
          continue;
        }
        this.held.set(token, id);
        this.buffered.push({id: token, priority: Number(reply[i + 2]), payload: reply[i + 3] as Buffer});
      }
      if (reissued) throw this.writesLost();
    }
    return this.buffered.splice(0, n);
  }

  /** Before a LEASE is sent again: leases a first run took whose reply was lost go back to the queue. */
  private readonly reclaimUnknown = async (): Promise<void> => {
    await this.connection.run(SCRIPTS.reclaim, this.fixed, [this.owner, ...[...this.held.keys()].map(String)]);
  };

  commit(batch: CommitBatch): Promise<CommitReply> {
    return new Promise((resolve, reject) => {
      this.seq += 1;
      for (const token of batch.leases) this.committing.add(token);
      this.queue.push({seq: this.seq, batch, resolve, reject});
      if (!this.flushing) {
        this.flushing = true;
        this.flushed = this.flush();
      }
    });
  }

  /** Sends queued commits until none is left; every error is handed to the commits it concerns, none escapes. */
  private async flush(): Promise<void> {
    for (;;) {
      // Cleared in the very turn that finds the queue empty: a commit() arriving after it starts a new flush.
      if (this.queue.length === 0) {
        this.flushing = false;
        return;
      }
      const group = this.queue.splice(0, MAX_GROUP);
      const settled = (): void => {
        for (const queued of group) for (const token of queued.batch.leases) this.committing.delete(token);
      };
      let replies: Buffer[][];
      try {
        if (this.lost !== undefined) throw this.lost;
        const {keys, args} = this.encode(group);
        const reply = await this.connection.run(SCRIPTS.commit, keys, args);
        if (Buffer.isBuffer(reply) && reply.toString() === 'gone') throw this.jobLost();
        if (Buffer.isBuffer(reply) && reply.toString() === 'taken') {
          // Nothing of these commits was written; the process that replaced this one owns the name now.
          this.replaced();
          settled();
          for (const queued of group) queued.resolve({added: queued.batch.requests.map(() => false), refused: true});
          continue;
        }
        replies = reply as Buffer[][];
      } catch (error) {
        settled();
        for (const queued of group) queued.reject(error);
        continue;
      }
      settled();
      for (let i = 0; i < group.length; i += 1) {
        const queued = group[i];
        try {
          queued.resolve(this.landed(queued, replies[i][0].toString(), replies[i][1]));
        } catch (error) {
          queued.reject(error);
        }
      }
    }
  }

  /** What to do once Redis answered one commit: write its feed lines (unless refused), forget its leases. */
  private landed({seq, batch}: QueuedCommit, status: string, flags: Buffer): CommitReply {
    if (status === 'bad') {
      // Nothing of it was written: its leases are still this worker's, given back at close.
      throw new Error(`Redis refused a commit: ${flags.toString()}; nothing of it was written`);
    }
    for (const token of batch.leases) this.held.delete(token);
    if (status === 'refused') {
      this.options.warn(`A commit was refused: another worker took over its lease (this worker stalled longer than SCHEDULER_LEASE_SECONDS); what the page produced is dropped here, the other worker's copy counts`);
      return {added: batch.requests.map(() => false), refused: true};
    }
    const added = batch.requests.map((_, index) => flags[index] === 0x31);
    if (status === 'ok') {
      batch.requests.forEach((child, index) => {
        if (child.fingerprint !== undefined && child.record && (added[index] || child.filter)) this.knownSeenSet.add(child.fingerprint);
      });
    }
    for (const write of batch.local) {
      if (!this.watermarkStarted) {
        // Before this run's first line: a crash from now on cuts the feeds back to here and replays from Redis.
        this.saveWatermark({seq: seq - 1, offsets: write.offsets()});
        this.watermarkStarted = true;
      }
      try {
        write.apply();
      } catch (error) {
        this.feedsFailed = true;
        throw error;
      }
      this.lastLocal = write;
    }
    if (this.feedsFailed) return {added};
    this.appliedSeq = seq;
    if (this.lastLocal !== undefined && Date.now() - this.watermarkSavedAt >= WATERMARK_INTERVAL_MS) {
      this.saveWatermark({seq, offsets: this.lastLocal.offsets()});
    }
    return {added};
  }

  private saveWatermark(watermark: FeedWatermark): void {
    this.worker?.saveWatermark(watermark);
    this.watermarkSavedAt = Date.now();
  }

  private encode(group: QueuedCommit[]): {keys: string[]; args: Array<string | Buffer>} {
    const keys = [...this.fixed];
    const bucketIndex = new Map<number, number>();
    const args: Array<string | Buffer> = [this.owner, this.options.workerName, String(group.length)];
    for (const {seq, batch} of group) {
      args.push(String(seq), String(batch.leases.length));
      for (const token of batch.leases) args.push(this.held.get(token) ?? '0', String(token));
      args.push(batch.clearFailed ? '1' : '0', String(batch.failed.length));
      for (const {reason, payload} of batch.failed) args.push(reason, payload);
      const items = batch.items ?? [];
      args.push(String(items.length), items.length === 0 ? '' : this.itemsJson(items));
      const state = batch.state;
      if (state?.stopTracking) args.push('d', '');
      else if (state?.bytes !== undefined) args.push('s', state.bytes);
      else args.push('', '');
      args.push(String(batch.requests.length));
      for (const child of batch.requests) {
        let flags = (child.filter ? 'f' : '') + (child.record ? 'r' : '') + (child.payload !== undefined ? 'p' : '');
        let index = 0;
        let field: Buffer | string = '';
        if (child.fingerprint !== undefined) {
          const slot = seenSlot(child.fingerprint, this.buckets);
          index = bucketIndex.get(slot.bucket) ?? 0;
          if (index === 0) {
            keys.push(this.keys.seenBucket(slot.bucket));
            index = keys.length;
            bucketIndex.set(slot.bucket, index);
          }
          field = slot.field;
        } else {
          flags = flags.replace(/[fr]/g, '');
        }
        args.push(flags, String(child.priority), String(index), field, child.payload ?? '');
      }
    }
    return {keys, args};
  }

  private itemsJson(items: unknown[]): string {
    try {
      return JSON.stringify(items);
    } catch (error) {
      if (!this.warnedItems) this.options.warn(`An item cannot be stored in Redis as JSON (${(error as Error).message}): the local feeds have it, \`dragline job export\` will not`);
      this.warnedItems = true;
      return '[]';
    }
  }

  async release(leases: number[]): Promise<void> {
    const pairs: string[] = [];
    for (const token of leases) {
      const id = this.held.get(token);
      // A commit already sent for it completes it; giving it back first would get that commit refused.
      if (id === undefined || this.committing.has(token)) continue;
      pairs.push(id, String(token));
      this.held.delete(token);
    }
    if (pairs.length > 0) await this.connection.run(SCRIPTS.release, this.fixed, [this.owner, ...pairs]);
  }

  async isFinished(): Promise<boolean> {
    if (this.lost !== undefined) throw this.lost;
    if (this.takenOver || this.buffered.length > 0 || this.held.size > 0 || this.queue.length > 0) return false;
    const state = (await this.connection.run(SCRIPTS.finish, this.fixed, [this.owner, String(this.options.leaseMs), this.options.keepAlive ? '1' : '0']) as Buffer).toString();
    if (state === 'gone') throw this.jobLost();
    if (state === 'taken') this.replaced();
    if (state === 'paused') this.askStop();
    return state === 'finished';
  }

  /**
   * The job's keys vanished from Redis: carrying on would crawl into an empty job and report it
   * finished. The worker stops with an error; its feeds keep what it committed.
   */
  private jobLost(): DraglineError {
    this.lost ??= new DraglineError('JOB_LOST', `The job ${this.address.shown} is gone from Redis (restarted without AOF, flushed, or its keys evicted): this worker stops; its feeds keep what it committed. Run Redis with appendonly yes and maxmemory-policy noeviction, and start the crawl again under a new #jobkey`);
    return this.lost;
  }

  /**
   * Redis lost writes it had acknowledged (a power loss with appendfsync everysec, a failover to a
   * replica that lagged) and handed out a lease number again: the two leases cannot be told apart,
   * and committing one for the other would drop a page. The worker stops.
   */
  private writesLost(): DraglineError {
    this.lost ??= new DraglineError('JOB_LOST', `Redis at ${this.address.shown} handed out a lease number this worker already holds: it lost writes it had acknowledged (a power loss with appendfsync everysec, or a failover to a replica that lagged). This worker stops; start it again to go on from what Redis kept (its feed may then hold some items twice; appendfsync always prevents this)`);
    return this.lost;
  }

  /**
   * A later run of this worker's name (started elsewhere while this process stalled past its lease)
   * replaced this one and took its leases back: stop at once, writing nothing more.
   */
  private replaced(): void {
    if (this.takenOver) return;
    this.takenOver = true;
    this.held.clear();
    this.buffered.length = 0;
    this.options.onLockCompromised(new DraglineError('JOBDIR_TAKEN_OVER', `The worker name '${this.options.workerName}' of ${this.address.shown} was taken over by a later run while this one was not answering; stopped without writing anything more, the other run owns it now`));
  }

  private askStop(): void {
    if (this.stopAsked) return;
    this.stopAsked = true;
    this.options.info(`The job ${this.address.shown} is paused (dragline job pause): finishing the pages in flight, then stopping`);
    this.options.onStop('shutdown');
  }

  private async beat(): Promise<void> {
    const pairs: string[] = [];
    for (const [token, id] of this.held) pairs.push(id, String(token));
    try {
      const reply = await this.connection.run(SCRIPTS.beat, this.fixed, [this.owner, String(this.options.leaseMs), ...pairs]) as RedisReply[];
      const state = (reply[0] as Buffer).toString();
      // A lost job is reported by the engine's next lease, commit or finish check.
      if (state === 'gone') this.jobLost();
      if (state === 'taken') this.replaced();
      if (state === 'paused') this.askStop();
    } catch {
      // The connection reports outages; the next beat tries again.
    }
  }

  async status(): Promise<FrontierStatus> {
    const [pending, leased, seen, sizes] = await Promise.all([
      this.connection.command(['ZCARD', this.keys.pending]),
      this.connection.command(['ZCARD', this.keys.leaseDeadlines]),
      this.connection.command(['HGET', this.keys.meta, 'seen']),
      this.connection.command(['HGETALL', this.keys.sizes]),
    ]) as [number, number, Buffer | null, RedisReply];
    const bySize: Record<number, number> = {};
    for (const [priority, count] of Object.entries(hashEntries(sizes))) if (Number(count) > 0) bySize[Number(priority)] = Number(count);
    return {pending, leased, seen: Number(seen?.toString() ?? 0), sizes: bySize};
  }

  async readFailed(): Promise<Buffer[]> {
    const records = await this.connection.command(['LRANGE', this.keys.failed, '0', '-1']) as Buffer[];
    return records.map(failedPayload);
  }

  /** Entries of this worker's item list after commit `seq`, oldest first. */
  private async itemsAfter(seq: number): Promise<unknown[][]> {
    const key = this.keys.items(this.options.workerName);
    const found: unknown[][] = [];
    const chunk = 500;
    for (let end = -1; ; end -= chunk) {
      const entries = await this.connection.command(['LRANGE', key, String(end - chunk + 1), String(end)]) as Buffer[];
      let done = entries.length < chunk;
      for (let i = entries.length - 1; i >= 0; i -= 1) {
        const entry = entries[i];
        const newline = entry.indexOf(0x0a);
        if (Number(entry.subarray(0, newline).toString()) <= seq) {
          done = true;
          break;
        }
        found.push(JSON.parse(entry.subarray(newline + 1).toString()) as unknown[]);
      }
      if (done) break;
    }
    return found.reverse();
  }

  private async addStats(): Promise<void> {
    const counters = Object.entries(this.options.stats?.() ?? {}).filter(([name, value]) => Number.isInteger(value) && !NOT_A_COUNTER.test(name));
    await Promise.all(counters.map(([name, value]) => this.connection.command(['HINCRBY', this.keys.stats, name, String(value)])));
  }

  async close(_reason: string, options: JobCloseOptions = {}): Promise<void> {
    if (this.heartbeat !== undefined) clearInterval(this.heartbeat);
    try {
      while (this.flushing) await this.flushed;
      await this.release([...this.held.keys()]);
      this.buffered.length = 0;
      // A job gone from Redis, or a name another run took over, gets nothing more from this process.
      const ours = this.lost === undefined && !this.takenOver;
      if (ours && !this.options.ephemeralName && options.stateComplete && options.finalState !== undefined) {
        await this.connection.command(['HSET', this.keys.state, this.options.workerName, options.finalState]);
      }
      if (this.lastLocal !== undefined && !this.feedsFailed) this.saveWatermark({seq: this.appliedSeq, offsets: this.lastLocal.offsets()});
      if (ours) await this.addStats();
      if (this.owner !== '') await this.connection.run(SCRIPTS.leave, this.fixed, [this.owner, this.options.workerName, ours && this.options.ephemeralName ? '1' : '0']);
    } finally {
      await this.connection.close();
      await this.worker?.close();
    }
  }
}

/**
 * The request of a failed-list record "reasonBytes\nreason payload". Records written before the
 * length was stored are "reason\npayload" (their first line is not a number).
 */
export function failedPayload(record: Buffer): Buffer {
  const newline = record.indexOf(0x0a);
  const head = record.subarray(0, newline).toString('latin1');
  if (newline > 0 && /^\d+$/.test(head) && newline + 1 + Number(head) <= record.length) return record.subarray(newline + 1 + Number(head));
  return record.subarray(newline + 1);
}

/** A HGETALL or ZRANGE … WITHSCORES reply as field → value strings (the client may hand it over flat, as pairs or as an object). */
export function hashEntries(reply: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(reply) && reply.every((entry) => Array.isArray(entry))) {
    for (const [field, value] of reply as unknown[][]) out[String(field)] = String(value);
  } else if (Array.isArray(reply)) {
    for (let i = 0; i + 1 < reply.length; i += 2) out[String(reply[i])] = String(reply[i + 1]);
  } else if (reply instanceof Map) {
    for (const [field, value] of reply) out[String(field)] = String(value);
  } else if (reply !== null && typeof reply === 'object') {
    for (const [field, value] of Object.entries(reply)) out[field] = String(value);
  }
  return out;
}
