import {createClient, ErrorReply, RESP_TYPES} from '@redis/client';
import {DraglineError} from '../../core/errors.js';
import type {RedisAddress} from './redis-address.js';
import type {RedisScript} from './redis-scripts.js';

export type RedisReply = Buffer | number | null | RedisReply[];

/** Server replies that mean "not now" rather than "wrong": the call is retried after a pause. */
const TRANSIENT_REPLY = /^(OOM|LOADING|BUSY|MASTERDOWN|READONLY|TRYAGAIN|CLUSTERDOWN|NOREPLICAS)\b/;
/** How long the first connection may take before the crawl fails with REDIS_UNAVAILABLE. */
const CONNECT_GIVE_UP_MS = 2000;
const MAX_BACKOFF_MS = 2000;

export interface RedisConnectionOptions {
  /** Says when Redis went away or ran out of memory, and when it came back. */
  warn?: (message: string) => void;
  info?: (message: string) => void;
}

/**
 * One connection to the job's Redis. Once open, it never gives up: a lost connection is
 * re-established with backoff, and a call that failed because the server was unreachable, loading,
 * or out of memory is retried after a pause. Scripts are safe to run again (COMMIT answers
 * 'already' to a commit it applied, OPEN replaces the incarnation its first run made), except LEASE,
 * whose caller gives back what a first run leased before retrying it. It says so once per outage,
 * not once per call.
 */
export class RedisConnection {
  private readonly client;
  private opened = false;
  private closing = false;
  private outage?: string;
  private connectStarted = 0;

  constructor(readonly address: RedisAddress, private readonly options: RedisConnectionOptions = {}) {
    const socket = address.socketPath !== undefined
      ? {path: address.socketPath, reconnectStrategy: this.reconnectDelay}
      : {reconnectStrategy: this.reconnectDelay, connectTimeout: CONNECT_GIVE_UP_MS};
    this.client = createClient({url: address.url, socket, database: address.database}).withTypeMapping({[RESP_TYPES.BLOB_STRING]: Buffer});
    this.client.on('error', (error: Error) => {
      if (this.opened && !this.closing) this.reportOutage(`connection lost (${error.message})`);
    });
    this.client.on('ready', () => {
      if (this.outage !== undefined) this.options.info?.(`Redis at ${this.address.shown} is reachable again; going on`);
      this.outage = undefined;
    });
  }

  private readonly reconnectDelay = (retries: number, cause: Error): number | Error => {
    if (this.closing) return cause;
    if (!this.opened) return Date.now() - this.connectStarted > CONNECT_GIVE_UP_MS ? cause : 200;
    return Math.min(50 * 2 ** Math.min(retries, 10), MAX_BACKOFF_MS);
  };

  async open(): Promise<void> {
    this.connectStarted = Date.now();
    try {
      await this.client.connect();
    } catch (error) {
      // OpenSSL's messages span lines and name its source files: keep the reason between them.
      const message = (error as Error).message.replace(/\s+/g, ' ').trim();
      const why = /SSL routines:[^:]*:([^:]+):/.exec(message)?.[1] ?? message;
      throw new DraglineError('REDIS_UNAVAILABLE', `Cannot reach Redis at ${this.address.shown}: ${why}; ${connectHint(this.address, error as Error)}`, {cause: error});
    }
    this.opened = true;
  }

  /**
   * Runs a raw command, retrying transient failures until it succeeds or the connection is closed.
   * `beforeRetry` runs before each retry: a command that is not safe to run twice undoes there what
   * a first run may have done before its reply was lost.
   */
  async command(args: Array<string | Buffer>, beforeRetry?: () => Promise<void>): Promise<RedisReply> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const reply = await this.client.sendCommand(args) as RedisReply;
        if (this.outage !== undefined && attempt > 0) {
          this.options.info?.(`Redis at ${this.address.shown} answers again; going on`);
          this.outage = undefined;
        }
        return reply;
      } catch (error) {
        if (this.closing || !this.isTransient(error)) throw this.explain(error);
        this.reportOutage(this.describe(error));
        await sleep(Math.min(100 * 2 ** Math.min(attempt, 5), MAX_BACKOFF_MS));
        await beforeRetry?.();
      }
    }
  }

  /** Runs a script by its SHA, loading it first when the server does not know it (a restart, a flush); `beforeRetry` as for command(). */
  async run(script: RedisScript, keys: Array<string | Buffer>, args: Array<string | Buffer>, beforeRetry?: () => Promise<void>): Promise<RedisReply> {
    const call = ['EVALSHA', script.sha, String(keys.length), ...keys, ...args];
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.command(call, beforeRetry);
      } catch (error) {
        const reply = (error as Error).cause ?? error;
        if (!(reply instanceof ErrorReply) || !reply.message.startsWith('NOSCRIPT') || attempt > 2) throw error;
        await this.command(['SCRIPT', 'LOAD', script.source]);
      }
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    try {
      if (this.client.isOpen) await this.client.quit();
    } catch {
      this.client.destroy();
    }
  }

  private isTransient(error: unknown): boolean {
    if (error instanceof ErrorReply) return TRANSIENT_REPLY.test(error.message);
    return error instanceof Error;
  }

  private describe(error: unknown): string {
    const message = (error as Error).message;
    if (message.startsWith('OOM')) return 'it is out of memory (maxmemory reached); free memory or raise maxmemory';
    if (message.startsWith('LOADING')) return 'it is loading its data after a restart';
    return `it does not answer (${message})`;
  }

  private reportOutage(why: string): void {
    if (this.outage !== undefined) return;
    this.outage = why;
    this.options.warn?.(`Redis at ${this.address.shown} is unavailable: ${why}; leasing and commits wait and retry, nothing is dropped`);
  }

  private explain(error: unknown): unknown {
    // One connection to one node: a Redis Cluster's redirection means the address names the wrong node.
    const moved = error instanceof ErrorReply ? /^(?:MOVED|ASK) \d+ (\S+)/.exec(error.message) : null;
    if (moved !== null) {
      return new DraglineError('BAD_SETTING', `Redis at ${this.address.shown} is a Redis Cluster node that does not hold this job's keys (they are on ${moved[1]}): point the address at that node; dragline does not follow cluster redirections`, {cause: error});
    }
    if (error instanceof ErrorReply) return new Error(`Redis at ${this.address.shown} refused a command: ${error.message}`, {cause: error});
    return error;
  }
}

/** What to do about a first connection that failed: a TLS failure is not fixed by starting a server. */
function connectHint(address: RedisAddress, error: Error): string {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (address.tls && (/CERTIFICATE_REQUIRED/.test(code) || /certificate required/i.test(error.message))) {
    return 'the server asks clients for a certificate (tls-auth-clients yes, redis.conf\'s default), which dragline does not send: set tls-auth-clients no (or optional) on the server';
  }
  if (address.tls && (/CERT|SELF_SIGNED|UNABLE_TO/.test(code) || /certificate/i.test(error.message))) {
    return 'the server\'s TLS certificate is not trusted or does not name this host: give its CA to the workers with NODE_EXTRA_CA_CERTS=/path/ca.crt (docs/distributed.md)';
  }
  if (address.tls) return 'check that the port serves TLS (redis-server --tls-port) and accepts clients without a certificate, or use redis:// for a plain port';
  return 'start redis-server there (apt-get install -y redis-server) or fix the address';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
