import http from 'node:http';
import https from 'node:https';
import type {Got} from 'got';
import {got} from './got-client.js';
import {Request} from '../../http/request.js';
import {Response} from '../../http/response.js';
import type {Settings} from '../../settings/settings.js';
import {ForwardProxyAgent} from './forward-proxy-agent.js';
import {Slot} from './slot.js';
import {urlWithoutFragment} from '../../utils/url-without-fragment.js';
import {explainDownloadError} from './download-error.js';
import {lookupRefusingInvalid} from './dns-lookup.js';
import type {Logger} from '../logger.js';
import type {StatsCollector} from '../stats.js';
import {DownloadHandlers} from './download-handlers.js';
import {hostOf} from '../../utils/url-host.js';

/**
 * Fetches requests with got, one slot per domain. got's own retries, redirects, cookies and HTTP
 * error throwing are off: the downloader middlewares do those, so that every redirect goes back
 * through the scheduler and the duplicates filter, as in Scrapy.
 */
export class Downloader {
  private readonly slots = new Map<string, Slot>();
  private readonly client: Got;
  private readonly agents = {
    http: new http.Agent({keepAlive: true, maxSockets: 256}),
    https: new https.Agent({keepAlive: true, maxSockets: 256}),
  };
  /** http/https agents per proxy URL (meta.proxy), made on first use. */
  private readonly proxyAgents = new Map<string, {http: http.Agent; https: https.Agent}>();
  private readonly perDomain: number;
  /** The delay a new slot starts with: DOWNLOAD_DELAY, or AUTOTHROTTLE_START_DELAY. */
  newSlotDelayMs: number;
  /** Called with every response the downloader gets back, before the middlewares see it. */
  onDownloaded?: (response: Response, slot: Slot) => void;
  private readonly randomizeDelay: boolean;
  private readonly timeoutMs: number;
  private readonly maxSize: number;
  private readonly warnSize: number;
  /** DOWNLOAD_HANDLERS: which handler downloads each URL scheme (this class's own HTTP download by default). */
  private readonly handlers: DownloadHandlers;
  active = 0;

  constructor(
    settings: Settings,
    /** Where size warnings go (DOWNLOAD_WARNSIZE). */
    private readonly logger?: Logger,
    stats?: StatsCollector,
  ) {
    this.perDomain = Math.max(1, settings.getInt('CONCURRENT_REQUESTS_PER_DOMAIN'));
    this.newSlotDelayMs = settings.getFloat('DOWNLOAD_DELAY') * 1000;
    this.randomizeDelay = settings.getBool('RANDOMIZE_DOWNLOAD_DELAY');
    this.timeoutMs = settings.getFloat('DOWNLOAD_TIMEOUT') * 1000;
    this.maxSize = settings.getInt('DOWNLOAD_MAXSIZE');
    this.warnSize = settings.getInt('DOWNLOAD_WARNSIZE');
    this.client = got.extend({
      agent: this.agents,
      retry: {limit: 0},
      followRedirect: false,
      throwHttpErrors: false,
      decompress: true,
      responseType: 'buffer',
      http2: false,
      dnsLookup: lookupRefusingInvalid,
    });
    this.handlers = new DownloadHandlers({settings, stats, logger, httpDownload: (request) => this.download(request)});
  }

  /** Downloads a request in its domain's slot; rejects on network errors and timeouts (with got's error codes). */
  async fetch(request: Request): Promise<Response> {
    const slot = this.slotFor(request);
    const retryDelay = Number(request.meta.retry_delay_ms ?? 0);
    if (retryDelay > 0) await new Promise((resolve) => setTimeout(resolve, retryDelay));
    await slot.acquire();
    this.active += 1;
    try {
      const started = performance.now();
      const response = await this.handlers.download(request);
      // Scrapy's download_latency: seconds from sending the request to getting its response.
      request.meta.download_latency = (performance.now() - started) / 1000;
      this.onDownloaded?.(response, slot);
      return response;
    } finally {
      this.active -= 1;
      slot.release();
    }
  }

  /** Over all slots: downloads started, those that waited for DOWNLOAD_DELAY first, and requests queued now. */
  slotTotals(): {started: number; startedLate: number; queued: number} {
    const totals = {started: 0, startedLate: 0, queued: 0};
    for (const slot of this.slots.values()) {
      totals.started += slot.started;
      totals.startedLate += slot.startedLate;
      totals.queued += slot.queued;
    }
    return totals;
  }

  /** Closes the slots and agents at once; the promise settles when the download handlers (a browser) are closed too. */
  close(): Promise<void> {
    for (const slot of this.slots.values()) slot.close();
    this.agents.http.destroy();
    this.agents.https.destroy();
    for (const agents of this.proxyAgents.values()) {
      agents.http.destroy();
      agents.https.destroy();
    }
    return this.handlers.close();
  }

  /**
   * One request through got's stream interface, which costs about a third less CPU a request than
   * its promise interface, and lets a body larger than DOWNLOAD_MAXSIZE be cut off as it arrives.
   */
  private async download(request: Request): Promise<Response> {
    const meta = request.meta;
    const timeoutMs = meta.download_timeout === undefined ? this.timeoutMs : Number(meta.download_timeout) * 1000;
    const maxSize = meta.download_maxsize === undefined ? this.maxSize : Number(meta.download_maxsize);
    const warnSize = meta.download_warnsize === undefined ? this.warnSize : Number(meta.download_warnsize);
    const proxy = typeof meta.proxy === 'string' ? meta.proxy : undefined;
    const agent = proxy === undefined ? undefined : await this.proxyAgent(proxy);
    const hasBody = request.body.length > 0;
    return new Promise((resolve, reject) => {
      const stream = this.client.stream(request.url, {
        ...(agent === undefined ? {} : {agent}),
        method: request.method as 'GET',
        headers: flattenHeaders(request.headers),
        body: hasBody ? request.body : undefined,
        timeout: {request: timeoutMs > 0 ? timeoutMs : undefined},
        allowGetBody: hasBody,
      });
      // got's stream waits for a body to be written to it, except for GET and HEAD.
      if (!hasBody && request.method !== 'GET' && request.method !== 'HEAD') stream.end();
      let body: BodyBuffer | undefined;
      let received = 0;
      let warned = false;
      let reply: {statusCode: number; headers: Record<string, string | string[] | undefined>; ip?: string} | undefined;
      const fail = (error: Error): void => {
        stream.destroy();
        reject(error);
      };
      stream.on('response', (response: typeof reply & object) => {
        reply = response;
        const expected = isBodiless(request, response.statusCode) ? NaN : Number(response.headers['content-length'] ?? NaN);
        // A compressed body's length is not the Content-Length; and a length is taken on trust only up to the limit.
        const trusted = response.headers['content-encoding'] === undefined && expected <= (maxSize > 0 ? maxSize : PREALLOCATE_UNLIMITED_BYTES);
        body = new BodyBuffer(trusted ? expected : NaN);
        if (maxSize > 0 && expected > maxSize) {
          fail(tooLarge(`Cancelling download of ${request.url}: expected response size (${expected}) larger than download max size (${maxSize})`));
        } else if (warnSize > 0 && expected > warnSize) {
          warned = true;
          this.logger?.warning(`Expected response size (${expected}) larger than download warn size (${warnSize}) in request ${request}.`);
        }
      });
      stream.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (maxSize > 0 && received > maxSize) {
          fail(tooLarge(`Cancelling download of ${request.url}: received (${received}) bytes larger than download max size (${maxSize})`));
          return;
        }
        if (!warned && warnSize > 0 && received > warnSize) {
          warned = true;
          this.logger?.warning(`Received more bytes than download warn size (${warnSize}) in request ${request}.`);
        }
        (body ??= new BodyBuffer(NaN)).add(chunk);
      });
      stream.on('end', () => {
        if (reply === undefined) return reject(new Error(`No response for ${request.url}`));
        resolve(new Response({
          url: urlWithoutFragment(request.url),
          status: reply.statusCode,
          headers: reply.headers as Record<string, string | string[]>,
          body: body?.take() ?? Buffer.alloc(0),
          request,
          ip: reply.ip,
        }));
      });
      stream.on('error', (error: Error) => reject(explainDownloadError(error, request.url, reply !== undefined, timeoutMs)));
    });
  }

  /**
   * Keep-alive agents for a proxy: https sites through a CONNECT tunnel (hpagent, loaded only when a
   * proxy is used), http sites by absolute-form requests to an http proxy (ForwardProxyAgent).
   */
  private async proxyAgent(proxy: string): Promise<{http: http.Agent; https: https.Agent}> {
    let agents = this.proxyAgents.get(proxy);
    if (agents === undefined) {
      const {HttpProxyAgent, HttpsProxyAgent} = await import('hpagent');
      const options = {proxy, keepAlive: true, maxSockets: 256};
      agents = {
        http: proxy.startsWith('http:') ? new ForwardProxyAgent(proxy, {keepAlive: true, maxSockets: 256}) : new HttpProxyAgent(options),
        https: new HttpsProxyAgent(options),
      };
      this.proxyAgents.set(proxy, agents);
    }
    return agents;
  }

  private slotFor(request: Request): Slot {
    const key = typeof request.meta.download_slot === 'string' ? request.meta.download_slot : hostOf(request.url);
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = new Slot(key, this.perDomain, this.newSlotDelayMs, this.randomizeDelay);
      this.slots.set(key, slot);
    }
    return slot;
  }
}

/** Whether a response has no body whatever its Content-Length says (RFC 9110: HEAD, 1xx, 204, 304). */
function isBodiless(request: Request, status: number): boolean {
  return request.method === 'HEAD' || status < 200 || status === 204 || status === 304;
}

/** Without DOWNLOAD_MAXSIZE, how large an announced body may be to get its buffer before it arrives. */
const PREALLOCATE_UNLIMITED_BYTES = 64 * 1024 * 1024;

/**
 * At most this much is reserved when the headers arrive: a Content-Length is only a promise, and
 * 16 stalled responses announcing 64 MiB would otherwise hold 1 GiB before a byte came.
 */
const PREALLOCATE_MAX_BYTES = 1024 * 1024;

/**
 * A response body as it arrives. With a Content-Length (and no compression, which changes the
 * length) up to 1 MiB goes straight into one buffer of that size, so a small body costs its size
 * in memory once, not twice (chunks, then their concatenation); beyond that, and without a
 * length, the chunks are kept as they come and joined at the end.
 */
export class BodyBuffer {
  private whole?: Buffer;
  private chunks: Buffer[] = [];
  private length = 0;

  constructor(expected: number) {
    if (Number.isSafeInteger(expected) && expected > 0) this.whole = Buffer.allocUnsafe(Math.min(expected, PREALLOCATE_MAX_BYTES));
  }

  add(chunk: Buffer): void {
    if (this.whole !== undefined && this.length + chunk.length <= this.whole.length) {
      chunk.copy(this.whole, this.length);
    } else {
      // More than announced: go on in chunks.
      if (this.whole !== undefined) this.chunks.push(this.whole.subarray(0, this.length));
      this.whole = undefined;
      this.chunks.push(chunk);
    }
    this.length += chunk.length;
  }

  take(): Buffer {
    if (this.whole !== undefined) return this.length === this.whole.length ? this.whole : Buffer.from(this.whole.subarray(0, this.length));
    return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.length);
  }
}

function tooLarge(message: string): Error {
  const error = new Error(message) as Error & {code: string};
  error.code = 'ERR_BODY_TOO_LARGE';
  return error;
}

function flattenHeaders(headers: Request['headers']): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name] = value;
  return out;
}
