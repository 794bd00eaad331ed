import {deserialize, serialize} from 'node:v8';
import {DraglineError} from './errors.js';
import {JsonRequest, Request, type Callback, type Errback, type RequestOptions} from '../http/request.js';
import {FormRequest} from '../http/form-request.js';
import {PageMethod, revivePageMethods} from '../http/page-method.js';

/**
 * A request on disk: a plain record through v8.serialize, with callbacks stored as the names of
 * spider methods (as Scrapy's Request.to_dict stores method names; v8 stands in for pickle).
 * Fields that hold their default are left out: a smaller record is faster both ways, and every
 * page's requests pass through here twice.
 */
type RequestRecord = {
  v: 1;
  url: string;
  cls?: RequestClassName;
  callback?: string | null;
  errback?: string | null;
} & {-readonly [Field in StoredField]?: Request[Field]};

/** The Request fields a record carries as they are (callbacks are stored by name, the class by its name). */
type StoredField = 'method' | 'headers' | 'body' | 'cookies' | 'meta' | 'cbKwargs' | 'priority' | 'dontFilter' | 'flags' | 'encoding';

type RequestClassName = 'Request' | 'FormRequest' | 'JsonRequest';
const REQUEST_CLASSES: Record<RequestClassName, new (url: string, options?: RequestOptions) => Request> = {Request, FormRequest, JsonRequest};
const NO_BODY = Buffer.alloc(0);

export function encodeRequest(request: Request, spider: object): Buffer {
  const record: RequestRecord = {v: 1, url: request.url};
  const cls = classNameOf(request);
  if (cls !== 'Request') record.cls = cls;
  if (request.method !== 'GET') record.method = request.method;
  if (request.body.length > 0) record.body = request.body;
  if (request.encoding !== 'utf-8') record.encoding = request.encoding;
  if (request.priority !== 0) record.priority = request.priority;
  if (request.dontFilter) record.dontFilter = true;
  if (request.flags.length > 0) record.flags = request.flags;
  for (const field of ['meta', 'cbKwargs', 'headers', 'cookies'] as const) {
    const value = request[field];
    if (isEmptyObject(value)) continue;
    const problem = findLossyValue(value, field, new Set());
    if (problem) throw unserializable(request, problem);
    record[field] = value as never;
  }
  const callback = methodName(spider, request.callback, request);
  if (callback !== null) record.callback = callback;
  const errback = methodName(spider, request.errback, request);
  if (errback !== null) record.errback = errback;
  try {
    return serialize(record);
  } catch (error) {
    throw unserializable(request, (error as Error).message);
  }
}

export function decodeRequest(payload: Buffer, spider: object): Request {
  let record: RequestRecord;
  try {
    record = deserialize(payload) as RequestRecord;
  } catch (error) {
    throw new DraglineError('JOBDIR_CORRUPT', `A queued request cannot be read (${(error as Error).message}); the job directory is damaged`, {cause: error});
  }
  const cls = record?.cls ?? 'Request';
  if (record?.v !== 1 || !(cls in REQUEST_CLASSES) || typeof record.url !== 'string') {
    throw new DraglineError('JOBDIR_VERSION', `A queued request has an unknown format (v=${String(record?.v)}, class=${String(cls)}); it was written by another version of dragline`);
  }
  const Kind = REQUEST_CLASSES[cls];
  const request = new Kind(record.url, {method: record.method, body: record.body ?? NO_BODY, encoding: record.encoding});
  if (record.headers) request.headers = record.headers;
  if (record.cookies) request.cookies = record.cookies;
  if (record.meta) request.meta = revivePageMethods(record.meta);
  if (record.cbKwargs) request.cbKwargs = record.cbKwargs;
  if (record.priority !== undefined) request.priority = record.priority;
  if (record.dontFilter) request.dontFilter = true;
  if (record.flags) request.flags = record.flags;
  request.callback = lookUpMethod(spider, record.callback ?? null, record.url) as Callback | undefined;
  request.errback = lookUpMethod(spider, record.errback ?? null, record.url) as Errback | undefined;
  return request;
}

function isEmptyObject(value: object): boolean {
  for (const key in value) if (Object.hasOwn(value, key)) return false;
  return Object.getOwnPropertySymbols(value).length === 0;
}

function classNameOf(request: Request): RequestClassName {
  const ctor = request.constructor;
  if (ctor === Request) return 'Request';
  if (ctor === FormRequest) return 'FormRequest';
  if (ctor === JsonRequest) return 'JsonRequest';
  throw unserializable(request, `its class ${ctor.name || 'anonymous class'} is not Request, FormRequest or JsonRequest`);
}

/** fn → the property name holding that very function, per spider (rebuilt on a miss: spiders may add methods). */
const methodNames = new WeakMap<object, Map<Function, string>>();

/** The name under which the spider (own properties or prototype chain) holds exactly `fn`. */
function methodName(spider: object, fn: Function | undefined, request: Request): string | null {
  if (fn === undefined || fn === null) return null;
  let names = methodNames.get(spider);
  if (!names?.has(fn)) {
    names = collectMethods(spider);
    methodNames.set(spider, names);
  }
  const name = names.get(fn);
  if (name === undefined) {
    const label = fn.name ? fn.name : 'anonymous function';
    throw unserializable(request, `callback is not a method of the spider: ${label}`);
  }
  return name;
}

function collectMethods(spider: object): Map<Function, string> {
  const names = new Map<Function, string>();
  for (let target: object | null = spider; target && target !== Object.prototype; target = Object.getPrototypeOf(target)) {
    for (const key of Object.getOwnPropertyNames(target)) {
      if (key === 'constructor') continue;
      const descriptor = Object.getOwnPropertyDescriptor(target, key);
      // The nearest definition wins, as a property lookup would find it.
      if (typeof descriptor?.value === 'function' && !names.has(descriptor.value)) names.set(descriptor.value, key);
    }
  }
  return names;
}

function lookUpMethod(spider: object, name: string | null, url: string): Function | undefined {
  if (name === null || name === undefined) return undefined;
  const fn = (spider as Record<string, unknown>)[name];
  if (typeof fn !== 'function') {
    const spiderName = (spider as {name?: unknown}).name;
    throw new DraglineError('CALLBACK_NOT_FOUND', `Spider ${typeof spiderName === 'string' ? spiderName : spider.constructor.name} has no method '${name}', which the queued request ${url} names as its callback; restore the method (or an alias of that name) to resume this job`);
  }
  return fn;
}

/**
 * v8 clones a class instance as a plain object (its methods and prototype are lost) and drops
 * symbol keys; refusing such values keeps a resumed request identical to the one queued.
 */
function findLossyValue(value: unknown, path: string, visiting: Set<object>): string | undefined {
  if (typeof value === 'function') return `${path} is a function, which v8 cannot clone`;
  if (typeof value === 'symbol') return `${path} is a symbol, which v8 cannot clone`;
  if (value === null || typeof value !== 'object' || visiting.has(value)) return undefined;
  if (ArrayBuffer.isView(value) || value instanceof Date || value instanceof RegExp || value instanceof ArrayBuffer) return undefined;
  visiting.add(value);
  try {
    if (value instanceof Map) {
      for (const [key, item] of value) {
        const problem = findLossyValue(key, `${path} key`, visiting) ?? findLossyValue(item, `${path}.get(${String(key)})`, visiting);
        if (problem) return problem;
      }
      return undefined;
    }
    if (value instanceof Set) {
      for (const item of value) {
        const problem = findLossyValue(item, `${path} item`, visiting);
        if (problem) return problem;
      }
      return undefined;
    }
    const proto = Object.getPrototypeOf(value);
    // A PageMethod is data: its fields are checked like any object's, and decoding makes it a PageMethod again.
    if (proto !== Object.prototype && proto !== null && proto !== Array.prototype && !(value instanceof Error) && proto !== PageMethod.prototype) {
      return `${path} is an instance of ${value.constructor?.name || 'a class'}, which v8 would turn into a plain object`;
    }
    if (Object.getOwnPropertySymbols(value).length > 0) return `${path} has symbol keys, which v8 drops`;
    for (const key of Object.keys(value)) {
      const problem = findLossyValue((value as Record<string, unknown>)[key], `${path}.${key}`, visiting);
      if (problem) return problem;
    }
    return undefined;
  } finally {
    visiting.delete(value);
  }
}

function unserializable(request: Request, reason: string): DraglineError {
  return new DraglineError('UNSERIALIZABLE_REQUEST', `Request ${request.toString()} cannot be stored in the job directory: ${reason}`);
}
