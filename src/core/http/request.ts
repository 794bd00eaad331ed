import type {Response} from './response.js';
import {parseCurl} from './curl.js';

/** What a callback may produce: items, requests, or any (async) collection of them. */
export type CallbackOutput = unknown;
export type Callback = (response: Response, kwargs?: Record<string, unknown>) => CallbackOutput;
export type Errback = (failure: Failure) => CallbackOutput;

/** A download that failed for good, as handed to an errback. */
export interface Failure {
  error: Error & {code?: string};
  request: Request;
  /** Set when the failure is an HTTP status the HttpError middleware refused. */
  response?: Response;
}

export type HeaderValue = string | string[];
export type Headers = Record<string, HeaderValue>;

export interface RequestOptions {
  callback?: Callback;
  errback?: Errback;
  method?: string;
  headers?: Headers;
  body?: string | Buffer;
  cookies?: Record<string, string>;
  meta?: Record<string, unknown>;
  cbKwargs?: Record<string, unknown>;
  priority?: number;
  dontFilter?: boolean;
  flags?: string[];
  encoding?: BufferEncoding;
}

export class Request {
  readonly url: string;
  readonly method: string;
  headers: Headers;
  readonly body: Buffer;
  cookies: Record<string, string>;
  meta: Record<string, unknown>;
  cbKwargs: Record<string, unknown>;
  priority: number;
  dontFilter: boolean;
  flags: string[];
  callback?: Callback;
  errback?: Errback;
  encoding: BufferEncoding;

  constructor(url: string, options: RequestOptions = {}) {
    if (typeof url !== 'string' || !/^[a-z][a-z0-9+.-]*:/i.test(url)) {
      throw new TypeError(`Missing scheme in request url: ${String(url)}`);
    }
    this.url = url;
    this.method = (options.method ?? 'GET').toUpperCase();
    this.headers = {...options.headers};
    this.encoding = options.encoding ?? 'utf8';
    const body = options.body ?? Buffer.alloc(0);
    this.body = typeof body === 'string' ? Buffer.from(body, this.encoding) : body;
    this.cookies = {...options.cookies};
    this.meta = {...options.meta};
    this.cbKwargs = {...options.cbKwargs};
    this.priority = options.priority ?? 0;
    this.dontFilter = options.dontFilter ?? false;
    this.flags = [...(options.flags ?? [])];
    this.callback = options.callback;
    this.errback = options.errback;
  }

  /**
   * A request from a curl command, as Scrapy's Request.from_curl: paste what a browser's "Copy as
   * cURL" gives; `options` (a callback, meta…) are added, and its headers win over the command's.
   */
  static fromCurl(command: string, options: RequestOptions = {}): Request {
    const parsed = parseCurl(command);
    // Header names are case-insensitive: an option's User-Agent replaces the command's user-agent.
    const given = new Set(Object.keys(options.headers ?? {}).map((name) => name.toLowerCase()));
    const kept = Object.fromEntries(Object.entries(parsed.options.headers ?? {}).filter(([name]) => !given.has(name.toLowerCase())));
    return new Request(parsed.url, {...parsed.options, ...options, headers: {...kept, ...options.headers}, cookies: {...parsed.options.cookies, ...options.cookies}});
  }

  /** A copy with some attributes replaced, as Scrapy's Request.replace(). */
  replace(changes: RequestOptions & {url?: string} = {}): Request {
    const {url, ...rest} = changes;
    const Kind = this.constructor as new (url: string, options: RequestOptions) => Request;
    return new Kind(url ?? this.url, {
      callback: this.callback,
      errback: this.errback,
      method: this.method,
      headers: this.headers,
      body: this.body,
      cookies: this.cookies,
      meta: this.meta,
      cbKwargs: this.cbKwargs,
      priority: this.priority,
      dontFilter: this.dontFilter,
      flags: this.flags,
      encoding: this.encoding,
      ...rest,
    });
  }

  /** The value of a header, whatever the case of its name. */
  header(name: string): string | undefined {
    return headerValue(this.headers, name);
  }

  toString(): string {
    return `<${this.method} ${this.url}>`;
  }

  /** How console.log, the shell and util.inspect show it: Scrapy's short form, not every field. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

export function headerValue(headers: Headers, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

/** A request whose body is JSON, as Scrapy's JsonRequest. */
export class JsonRequest extends Request {
  constructor(url: string, options: RequestOptions & {data?: unknown} = {}) {
    const {data, ...rest} = options;
    const hasData = data !== undefined;
    super(url, {
      ...rest,
      method: rest.method ?? (hasData ? 'POST' : 'GET'),
      body: hasData ? JSON.stringify(data) : rest.body,
      headers: {'Content-Type': 'application/json', Accept: 'application/json, text/javascript, */*; q=0.01', ...rest.headers},
    });
  }
}
