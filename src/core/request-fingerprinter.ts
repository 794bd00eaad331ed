import {createHash} from 'node:crypto';
import type {Crawler} from './crawler.js';
import {DraglineError} from './errors.js';
import {fingerprint} from './fingerprint.js';
import type {Request} from './http/request.js';
import type {ComponentClass} from './middleware.js';

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
  if (setting === undefined || setting === null || setting === '') return choose(new DefaultRequestFingerprinter(), DEFAULT_FINGERPRINTER_NAME);
  let cls: unknown = setting;
  let name = typeof setting === 'function' ? setting.name : String(setting);
  if (typeof setting === 'string') {
    if (resolve === undefined) throw new DraglineError('PROJECT_FILE_INVALID', `Cannot load REQUEST_FINGERPRINTER_CLASS '${setting}': components can be named by path only inside a project`);
    cls = await resolve(setting);
    name = setting;
  }
  if (typeof cls !== 'function') throw new DraglineError('PROJECT_FILE_INVALID', `REQUEST_FINGERPRINTER_CLASS '${name}' is not a class`);
  const component = cls as ComponentClass<RequestFingerprinter>;
  const fingerprinter = typeof component.fromCrawler === 'function' ? component.fromCrawler(crawler) : new component(crawler);
  if (typeof fingerprinter?.fingerprint !== 'function') {
    throw new DraglineError('PROJECT_FILE_INVALID', `REQUEST_FINGERPRINTER_CLASS '${name}' has no fingerprint(request) method`);
  }
  return choose(fingerprinter, name);
}

function choose(fingerprinter: RequestFingerprinter, name: string): ChosenFingerprinter {
  if (fingerprinter instanceof DefaultRequestFingerprinter) return {fingerprinter, name, fingerprint: (request) => fingerprint(request)};
  return {fingerprinter, name, fingerprint: (request) => toFingerprintBytes(fingerprinter.fingerprint(request))};
}

/** 20 bytes as they are; anything else through SHA-1, so every fingerprint fits the seen set. */
export function toFingerprintBytes(value: Buffer | string): Buffer {
  if (Buffer.isBuffer(value) && value.length === 20) return value;
  return createHash('sha1').update(value).digest();
}
