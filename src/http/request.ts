import type {Response} from './response.js';
import {checkEncodingLabel, encodeText} from '../utils/encode-text.js';
import {pythonJsonDumps} from '../utils/python-json.js';
import {safeUrlString} from '../utils/safe-url-string.js';
import {parseCurl} from './curl.js';
import {setDefaultHeader} from '../downloadermiddlewares/headers.js';

/** What a callback may produce: items, requests, or any (async) collection of them. */
export type CallbackOutput = unknown;
/** The keyword arguments a callback receives: its second parameter, the request's `cbKwargs`. */
export type CallbackKwargs = Record<string, any>;
/**
 * A callback: the response, and the request's `cbKwargs` as a second argument. Written as a method
 * type so that a callback naming the kwargs it takes (`parseBook(response, {title}: {title: string})`)
 * fits, while one whose first parameter is not a Response does not.
 */
export type Callback<Kwargs extends CallbackKwargs = CallbackKwargs> = {method(response: Response<any>, kwargs: Kwargs): CallbackOutput}['method'];
export type Errback = {method(failure: Failure): CallbackOutput}['method'];
/** The request metadata: Scrapy's `meta`, shared with middlewares (`depth`, `download_timeout`, `proxy`...). */
export type RequestMeta = Record<string, unknown>;

/** A download that failed for good, as handed to an errback. */
export interface Failure {
  error: Error & {code?: string};
  request: Request;
  /** Set when the failure is an HTTP status the HttpError middleware refused. */
  response?: Response;
}

export type HeaderValue = string | string[];
export type Headers = Record<string, HeaderValue>;

/**
 * What a Request is made with. `Kwargs` is what the callback takes as its second parameter:
 * `cbKwargs` must fit it (it is read from the callback, not from `cbKwargs`, so a missing or
 * misspelt keyword is an error).
 */
export interface RequestOptions<Kwargs extends CallbackKwargs = CallbackKwargs, Meta extends CallbackKwargs = RequestMeta> {
  callback?: Callback<Kwargs>;
  errback?: Errback;
  method?: string;
  headers?: Headers;
  body?: string | Buffer;
  cookies?: Record<string, string>;
  meta?: Meta;
  cbKwargs?: NoInfer<Kwargs>;
  priority?: number;
  dontFilter?: boolean;
  flags?: string[];
  /**
   * The encoding of the page the URL comes from, as Scrapy's: the URL's query (and fragment) and a
   * string body are encoded in it. Any label iconv-lite knows ('utf-8', 'windows-1252',
   * 'shift_jis', 'latin1'…); default 'utf-8'.
   */
  encoding?: string;
}

/** A request; `Kwargs` and `Meta` type its `cbKwargs` and `meta` (inferred from the options it is made with). */
/** `cbKwargs` is required when the callback takes keyword arguments it needs (a required second parameter). */
export type KwargsGiven<Kwargs> = {} extends Kwargs ? unknown : {cbKwargs: NoInfer<Kwargs>};
/** Request options as a constructor or `follow()` checks them: `cbKwargs` against the callback. */
export type CheckedRequestOptions<Kwargs extends CallbackKwargs = CallbackKwargs, Meta extends CallbackKwargs = RequestMeta> = RequestOptions<Kwargs, Meta> & KwargsGiven<Kwargs>;

export class Request<Kwargs extends CallbackKwargs = CallbackKwargs, Meta extends CallbackKwargs = RequestMeta> {
  readonly url: string;
  readonly method: string;
  headers: Headers;
  readonly body: Buffer;
  cookies: Record<string, string>;
  /** Known keys typed as given, any other key open to middlewares. */
  meta: Meta & RequestMeta;
  cbKwargs: Kwargs;
  priority: number;
  dontFilter: boolean;
  flags: string[];
  callback?: Callback<Kwargs>;
  errback?: Errback;
  readonly encoding: string;
  /** Kept by fingerprint() (src/utils/fingerprint.ts): private, so copies and comparisons of requests do not see it. */
  #defaultFingerprint: string | undefined = undefined;

  /** @internal The fingerprint with default options, once fingerprint() has computed it. */
  static defaultFingerprintOf(request: Request): string | undefined {
    return #defaultFingerprint in request ? request.#defaultFingerprint : undefined;
  }

  /** @internal Keeps the fingerprint with default options on the request (fingerprint()'s cache). */
  static keepDefaultFingerprint(request: Request, hex: string): void {
    if (#defaultFingerprint in request) request.#defaultFingerprint = hex;
  }

  constructor(url: string, options: CheckedRequestOptions<Kwargs, Meta> = {} as CheckedRequestOptions<Kwargs, Meta>) {
    if (typeof url !== 'string') throw new TypeError(`Request url must be a string, got ${typeof url}`);
    this.encoding = options.encoding ?? 'utf-8';
    checkEncodingLabel(this.encoding);
    // As Scrapy's Request: the URL made safe (w3lib's safe_url_string), then checked for a scheme.
    // Scrapy 2.8 also rewrote `#!` fragments to `?_escaped_fragment_=` (Google's retired AJAX
    // crawling scheme); later Scrapy dropped that, and so does dragline.
    this.url = safeUrlString(url, this.encoding);
    if (!this.url.includes('://') && !this.url.startsWith('about:') && !this.url.startsWith('data:')) {
      throw new TypeError(`Missing scheme in request url: ${this.url}`);
    }
    this.method = (options.method ?? 'GET').toUpperCase();
    this.headers = {...options.headers};
    const body = options.body ?? Buffer.alloc(0);
    this.body = typeof body === 'string' ? encodeText(body, this.encoding) : body;
    this.cookies = {...options.cookies};
    this.meta = {...options.meta} as Meta & RequestMeta;
    this.cbKwargs = {...options.cbKwargs} as Kwargs;
    this.priority = options.priority ?? 0;
    // Scrapy refuses a priority that is not an integer; NaN (\`depth * undefined\`) or Infinity cannot be ordered or stored.
    if (typeof this.priority !== 'number' || !Number.isFinite(this.priority)) throw new TypeError(`Request priority must be a finite number, got ${String(this.priority)}`);
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

export interface JsonRequestOptions<Kwargs extends CallbackKwargs = CallbackKwargs, Meta extends CallbackKwargs = RequestMeta> extends RequestOptions<Kwargs, Meta> {
  /** What to send, written as Scrapy's `json.dumps(data, sort_keys=True)` writes it; ignored when a body is given. */
  data?: unknown;
  /** Scrapy's dumps_kwargs; only sort_keys has a meaning here (default true). */
  dumpsKwargs?: {sortKeys?: boolean};
}

/**
 * A request whose body is JSON, as Scrapy's JsonRequest: with `data`, a POST (unless a method is
 * given) whose body is byte for byte Scrapy's, so fingerprints agree; Content-Type and Accept
 * headers added unless given (whatever their case).
 */
export class JsonRequest<Kwargs extends CallbackKwargs = CallbackKwargs, Meta extends CallbackKwargs = RequestMeta> extends Request<Kwargs, Meta> {
  readonly dumpsKwargs: {sortKeys: boolean};

  /** `cbKwargs` is checked against the callback, as for a Request. */
  constructor(url: string, options: JsonRequestOptions<Kwargs, Meta> & KwargsGiven<Kwargs> = {} as JsonRequestOptions<Kwargs, Meta> & KwargsGiven<Kwargs>) {
    const {data, dumpsKwargs, ...given} = options;
    // Checked above, against the callback; the options a Request is made with are the same.
    const rest = given as CheckedRequestOptions<Kwargs, Meta>;
    const sortKeys = dumpsKwargs?.sortKeys ?? true;
    const bodyGiven = rest.body !== undefined && rest.body !== null;
    const dataGiven = data !== undefined && data !== null;
    super(url, !bodyGiven && dataGiven ? {...rest, body: pythonJsonDumps(data, {sortKeys}), method: rest.method ?? 'POST'} : rest);
    this.dumpsKwargs = {sortKeys};
    setDefaultHeader(this.headers, 'Content-Type', 'application/json');
    setDefaultHeader(this.headers, 'Accept', 'application/json, text/javascript, */*; q=0.01');
  }

  /** As Scrapy's: `data` given here is dumped into the new body (unless a body is given too). */
  override replace(changes: JsonRequestOptions & {url?: string} = {}): Request {
    const {data, dumpsKwargs, ...rest} = changes;
    const sortKeys = dumpsKwargs?.sortKeys ?? this.dumpsKwargs.sortKeys;
    const bodyGiven = rest.body !== undefined && rest.body !== null;
    if (!bodyGiven && data !== undefined && data !== null) rest.body = pythonJsonDumps(data, {sortKeys});
    return super.replace({...rest, dumpsKwargs: {sortKeys}} as RequestOptions);
  }
}
