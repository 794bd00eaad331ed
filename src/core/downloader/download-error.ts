/**
 * A download that failed below HTTP (TLS, TCP, DNS, timeout), said in one line a user can act on.
 * `code` stays Node's (ECONNREFUSED, CERT_HAS_EXPIRED…: what RETRY_EXCEPTIONS and errbacks test);
 * `exceptionType` is the class Scrapy's downloader raises for the same failure, which the stats
 * count under (`downloader/exception_type_count/twisted.internet.error.ConnectionRefusedError`).
 */
export class DownloadError extends Error {
  readonly code: string;
  readonly exceptionType: string;

  constructor(message: string, code: string, exceptionType: string, cause: unknown) {
    super(message, {cause});
    this.name = 'DownloadError';
    this.code = code;
    this.exceptionType = exceptionType;
  }
}

// Scrapy 2.8's classes for these failures (seen with its http11 handler against local servers).
const NEVER_RECEIVED = 'twisted.web._newclient.ResponseNeverReceived';
const RESPONSE_FAILED = 'twisted.web._newclient.ResponseFailed';
const REFUSED = 'twisted.internet.error.ConnectionRefusedError';
const DNS = 'twisted.internet.error.DNSLookupError';
const TIMEOUT = 'twisted.internet.error.TimeoutError';
const NO_ROUTE = 'twisted.internet.error.NoRouteError';
const CONNECT = 'twisted.internet.error.ConnectError';

/** Node's codes for a certificate that could not be verified, and what each means. */
const CERTIFICATE_PROBLEMS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its TLS certificate is signed by a self-signed authority this machine does not trust',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate is signed by an authority this machine does not know',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its TLS certificate is signed by an authority this machine does not know',
  UNABLE_TO_GET_ISSUER_CERT: 'its TLS certificate is signed by an authority this machine does not know',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  CERT_NOT_YET_VALID: 'its TLS certificate is not valid yet (or this machine\'s clock is wrong)',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate is for another host name',
  CERT_REVOKED: 'its TLS certificate was revoked',
};

const TRUST_HINT = 'dragline checks certificates (Scrapy does not): to trust it, run with NODE_EXTRA_CA_CERTS=FILE (its certificate or authority, PEM), or NODE_TLS_REJECT_UNAUTHORIZED=0 to skip the check';

/**
 * The DownloadError for a failed download of `url`, or the error unchanged when it is not a network
 * failure (a body over DOWNLOAD_MAXSIZE, say). `answered`: whether the response had begun to arrive.
 */
export function explainDownloadError(error: Error & {code?: unknown}, url: string, answered: boolean, timeoutMs: number): Error {
  const code = typeof error.code === 'string' ? error.code : '';
  const where = hostAndPort(url);
  const details = error.message.split('\n')[0];
  const explain = (message: string, type: string): DownloadError => new DownloadError(message, code, type, error);

  if (CERTIFICATE_PROBLEMS[code] !== undefined) return explain(`${where}: ${CERTIFICATE_PROBLEMS[code]} (${code}); ${TRUST_HINT}`, NEVER_RECEIVED);
  if (/wrong version number/i.test(error.message) || code === 'ERR_SSL_WRONG_VERSION_NUMBER') {
    return explain(`${where} does not speak TLS (OpenSSL: wrong version number): it is probably a plain-HTTP server, so use http:// URLs for it (${plainOrigin(url)})`, NEVER_RECEIVED);
  }
  if (code === 'EPROTO' || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) {
    return explain(`${where}: the TLS handshake failed (${tlsReason(error.message)})`, NEVER_RECEIVED);
  }
  switch (code) {
    case 'ECONNREFUSED':
      return explain(`${where} refused the connection: nothing is listening there (is the server running, on that port?)`, REFUSED);
    case 'ENOTFOUND':
      return explain(`DNS lookup failed: the host name ${new URL(url).hostname} does not exist`, DNS);
    case 'EAI_AGAIN':
      return explain(`DNS lookup failed for ${new URL(url).hostname}: no answer from the DNS server (is the network up?)`, DNS);
    case 'ETIMEDOUT':
      return explain(timeoutMs > 0 ? `no complete response within ${timeoutMs / 1000} seconds (DOWNLOAD_TIMEOUT, or meta.download_timeout)` : `${where}: the connection timed out`, TIMEOUT);
    case 'ENETUNREACH':
      return explain(`${where} cannot be reached: no route to its network (is the network up?)`, NO_ROUTE);
    case 'EHOSTUNREACH':
      return explain(`${where} cannot be reached: no route to the host`, CONNECT);
    case 'ECONNRESET':
    case 'ECONNABORTED':
    case 'EPIPE':
    case 'ERR_STREAM_PREMATURE_CLOSE':
      return answered
        ? explain(`${where} closed the connection while the response was arriving (${code}): the response is incomplete`, RESPONSE_FAILED)
        : explain(`${where} closed the connection without answering (${code})`, NEVER_RECEIVED);
    default:
      return code === '' || code === 'ERR_BODY_TOO_LARGE' ? error : explain(`${where}: ${details}`, answered ? RESPONSE_FAILED : NEVER_RECEIVED);
  }
}

function hostAndPort(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || (parsed.protocol === 'https:' ? '443' : '80')}`;
  } catch {
    return url;
  }
}

function plainOrigin(url: string): string {
  const parsed = new URL(url);
  return `http://${parsed.host}/`;
}

/** OpenSSL's reason ("sslv3 alert handshake failure") out of Node's long error string. */
function tlsReason(message: string): string {
  return /:SSL routines:[^:]*:([^:]+):/.exec(message)?.[1] ?? message.split('\n')[0];
}
