import {DownloadError} from '../download-error.js';

// Scrapy's classes for the same failures, as DownloadError records them for the stats.
const TIMEOUT = 'twisted.internet.error.TimeoutError';
const REFUSED = 'twisted.internet.error.ConnectionRefusedError';
const DNS = 'twisted.internet.error.DNSLookupError';
const RESPONSE_FAILED = 'twisted.web._newclient.ResponseFailed';

/** Chromium's network errors (net::ERR_…) as the Node codes RETRY_EXCEPTIONS lists. */
const NET_ERRORS: Array<[RegExp, string, string]> = [
  [/net::ERR_CONNECTION_REFUSED/, 'ECONNREFUSED', REFUSED],
  [/net::ERR_NAME_NOT_RESOLVED|net::ERR_NAME_RESOLUTION_FAILED/, 'ENOTFOUND', DNS],
  [/net::ERR_CONNECTION_RESET|net::ERR_CONNECTION_CLOSED|net::ERR_EMPTY_RESPONSE/, 'ECONNRESET', RESPONSE_FAILED],
  [/net::ERR_CONNECTION_ABORTED/, 'ECONNABORTED', RESPONSE_FAILED],
  [/net::ERR_TIMED_OUT|net::ERR_CONNECTION_TIMED_OUT/, 'ETIMEDOUT', TIMEOUT],
  [/net::ERR_ADDRESS_UNREACHABLE/, 'EHOSTUNREACH', 'twisted.internet.error.NoRouteError'],
];

/**
 * A failed browser download as a DownloadError the retry middleware understands: a navigation
 * timeout is ETIMEDOUT, Chromium's net::ERR_… their Node codes, and a crashed page or browser
 * ECONNRESET (the browser is relaunched, so a retry can succeed).
 */
export function browserDownloadError(error: unknown, url: string, crashed: 'page' | 'browser' | undefined): Error {
  const message = firstLine(error);
  if (crashed !== undefined) {
    return new DownloadError(`The ${crashed} crashed while rendering ${url}: ${message}`, 'ECONNRESET', RESPONSE_FAILED, error);
  }
  if ((error as Error | undefined)?.name === 'TimeoutError') {
    return new DownloadError(`Rendering ${url} took too long: ${message}`, 'ETIMEDOUT', TIMEOUT, error);
  }
  for (const [pattern, code, exceptionType] of NET_ERRORS) {
    if (pattern.test(message)) return new DownloadError(`Could not render ${url}: ${message}`, code, exceptionType, error);
  }
  if (/Target (page, context or browser )?(has been )?closed|Browser has been closed|browser has disconnected/i.test(message)) {
    return new DownloadError(`The browser closed while rendering ${url}: ${message}`, 'ECONNRESET', RESPONSE_FAILED, error);
  }
  return error instanceof Error ? error : new Error(message);
}

/** Playwright's messages carry a call log after the first line; the first line says what failed. */
function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]!.trim();
}
