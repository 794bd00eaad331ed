import {createHash} from 'node:crypto';
import type {Crawler} from '../core/crawler.js';
import {DraglineError} from '../core/errors.js';
import {fingerprint} from './fingerprint.js';
import type {Request} from '../http/request.js';
import type {ComponentClass} from '../core/middleware.js';

/**
 * Decides when two requests are the same page, as Scrapy's REQUEST_FINGERPRINTER_CLASS: the
 * duplicates filter, the job's seen set and the HTTP cache all go by it. Return 20 bytes (a SHA-1
 * digest); any other Buffer or string is hashed to 20 bytes with SHA-1.
 */
export interface RequestFingerprinter {
  fingerprint(request: Request): Buffer | string;
}

/** Scrapy's default: SHA-1 over the canonical URL, the method and the body (see fingerprint.ts). */
export class DefaultRequestFingerprinter implements RequestFingerprinter {
  fingerprint(request: Request): Buffer {
    return fingerprint(request);
  }
}

/** What job.json records for the default fingerprinter. */
export const DEFAULT_FINGERPRINTER_NAME = 'default';

export interface ChosenFingerprinter {
  fingerprinter: RequestFingerprinter;
  /** How the job remembers it: the setting's key, a class name, or `default`. */
  name: string;
  /** A request's 20-byte fingerprint by it. */
  fingerprint(request: Request): Buffer;
}

/**
 * Builds REQUEST_FINGERPRINTER_CLASS: empty for the default, a class (in a project file), or a
 * component key (`./fingerprinters.ts#IgnoreSessionId`) resolved as pipelines are.
 */
export async function buildRequestFingerprinter(
  crawler: Crawler,
  setting: unknown,
  resolve: ((key: string) => Promise<unknown>) | undefined,
): Promise<ChosenFingerprinter> {
  if (setting === undefined || setting === null || setting === '' || setting === DefaultRequestFingerprinter) return chooseDefault();
  const shown = typeof setting === 'function' ? setting.name : String(setting);
  let cls: unknown = setting;
  if (typeof setting === 'string') {
    if (resolve === undefined) throw new DraglineError('PROJECT_FILE_INVALID', `Cannot load REQUEST_FINGERPRINTER_CLASS '${setting}': components can be named by path only inside a project`);
    cls = await resolve(setting);
  }
  if (cls === DefaultRequestFingerprinter) return chooseDefault();
  if (typeof cls !== 'function') throw new DraglineError('PROJECT_FILE_INVALID', `REQUEST_FINGERPRINTER_CLASS '${shown}' is not a class`);
  // The job records the class's name, the same however the setting spells it.
  const name = cls.name;
  if (name === '' || name === DEFAULT_FINGERPRINTER_NAME) {
    throw new DraglineError('PROJECT_FILE_INVALID', `REQUEST_FINGERPRINTER_CLASS '${shown}' is an anonymous class: give it a name (export class MyFingerprinter …), which a job records`);
  }
  const component = cls as ComponentClass<RequestFingerprinter>;
  const fingerprinter = typeof component.fromCrawler === 'function' ? component.fromCrawler(crawler) : new component(crawler);
  if (typeof fingerprinter?.fingerprint !== 'function') {
    throw new DraglineError('PROJECT_FILE_INVALID', `REQUEST_FINGERPRINTER_CLASS '${shown}' has no fingerprint(request) method`);
  }
  return chooseCustom(fingerprinter, name);
}

function chooseDefault(): ChosenFingerprinter {
  return {fingerprinter: new DefaultRequestFingerprinter(), name: DEFAULT_FINGERPRINTER_NAME, fingerprint: (request) => fingerprint(request)};
}

/** A user's fingerprinter, checked and cached per request (the scheduler asks before a commit, and again in it). */
function chooseCustom(fingerprinter: RequestFingerprinter, name: string): ChosenFingerprinter {
  const cache = new WeakMap<Request, Buffer>();
  return {
    fingerprinter,
    name,
    fingerprint: (request) => {
      let digest = cache.get(request);
      if (digest === undefined) {
        let value: unknown;
        try {
          value = fingerprinter.fingerprint(request);
        } catch (error) {
          throw new DraglineError('FINGERPRINTER_FAILED', `REQUEST_FINGERPRINTER_CLASS ${name} failed on ${request}: ${(error as Error)?.message ?? String(error)}`, {cause: error});
        }
        if (typeof value !== 'string' && !(value instanceof Uint8Array)) {
          throw new DraglineError('FINGERPRINTER_FAILED', `REQUEST_FINGERPRINTER_CLASS ${name} returned ${value === null ? 'null' : typeof value} for ${request}; return a string or a Buffer`);
        }
        digest = toFingerprintBytes(typeof value === 'string' ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength));
        cache.set(request, digest);
      }
      return digest;
    },
  };
}

/** 20 bytes as they are; anything else through SHA-1, so every fingerprint fits the seen set. */
export function toFingerprintBytes(value: Buffer | string): Buffer {
  if (Buffer.isBuffer(value) && value.length === 20) return value;
  return createHash('sha1').update(value).digest();
}
