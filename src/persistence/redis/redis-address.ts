import {DraglineError} from '../../core/errors.js';

/**
 * Where a Redis job lives: `redis://[user:pass@]host[:port][/db]#jobkey`, `rediss://` for TLS,
 * `redis+unix:///path/to/redis.sock?db=0#jobkey` or `unix:///path#jobkey` for a local socket.
 * The fragment names the job; every key of the job carries it as one hash tag.
 */
export interface RedisAddress {
  /** The URL given to the client, without the fragment (and for a socket, without the scheme). */
  url?: string;
  socketPath?: string;
  database: number;
  tls: boolean;
  jobKey: string;
  /** The address as the user wrote it, with any password masked: for messages. */
  shown: string;
}

const SCHEMES = ['redis://', 'rediss://', 'redis+unix://', 'unix://'];

export function isRedisAddress(value: string): boolean {
  const lower = value.trim().toLowerCase();
  return SCHEMES.some((scheme) => lower.startsWith(scheme));
}

export function parseRedisAddress(value: string): RedisAddress {
  const text = value.trim();
  const hash = text.indexOf('#');
  const base = hash < 0 ? text : text.slice(0, hash);
  const jobKey = hash < 0 ? '' : decodeURIComponent(text.slice(hash + 1));
  const shown = text.replace(/\/\/([^/@]*):([^/@]*)@/, '//$1:***@');
  if (jobKey === '') {
    throw new DraglineError('BAD_SETTING', `The Redis address ${shown} names no job: end it with #jobkey (e.g. redis://127.0.0.1:6379/0#quotes-1)`);
  }
  if (/[{}\s]/.test(jobKey)) throw new DraglineError('BAD_SETTING', `The job key '${jobKey}' in ${shown} must not contain braces or spaces`);
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new DraglineError('BAD_SETTING', `${shown} is not a Redis address (redis://host:port/db#jobkey, rediss://… for TLS, unix:///path/redis.sock#jobkey)`);
  }
  const scheme = url.protocol;
  if (scheme === 'redis+unix:' || scheme === 'unix:') {
    const database = parseDatabase(url.searchParams.get('db') ?? '0', shown);
    if (url.pathname === '' || url.pathname === '/') throw new DraglineError('BAD_SETTING', `${shown} names no socket path`);
    return {socketPath: decodeURIComponent(url.pathname), database, tls: false, jobKey, shown};
  }
  const database = parseDatabase(url.pathname.replace(/^\//, '') || '0', shown);
  if (url.hostname === '') throw new DraglineError('BAD_SETTING', `${shown} names no host`);
  return {url: base, database, tls: scheme === 'rediss:', jobKey, shown};
}

function parseDatabase(text: string, shown: string): number {
  if (!/^\d+$/.test(text)) throw new DraglineError('BAD_SETTING', `The database in ${shown} must be a number (redis://host:port/0#jobkey), not '${text}'`);
  return Number(text);
}
