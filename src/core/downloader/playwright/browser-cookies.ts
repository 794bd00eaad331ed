import type {BrowserContext} from 'playwright-core';
import {headerValue, type Headers} from '../../../http/request.js';

/**
 * The cookies middleware's jar and the browser context agree in both directions:
 * - in: the Cookie header the middleware set from its jar is put into the context before the page
 *   is opened, so the browser sends what a plain request would;
 * - out: after rendering, the context's cookies for the page (those its responses and its scripts
 *   set) are added to the response as Set-Cookie lines, which the middleware stores in its jar.
 */
export async function cookiesIntoContext(context: BrowserContext, url: string, headers: Headers): Promise<void> {
  const header = headerValue(headers, 'Cookie');
  if (header === undefined || header === '') return;
  const known = new Set((await context.cookies(url)).map((cookie) => `${cookie.name}=${cookie.value}`));
  const host = new URL(url).hostname;
  const cookies = [];
  for (const pair of header.split(';')) {
    const equals = pair.indexOf('=');
    if (equals <= 0) continue;
    const name = pair.slice(0, equals).trim();
    const value = pair.slice(equals + 1).trim();
    // The browser has it already (it set it, or got it before): a second copy would be sent twice.
    if (known.has(`${name}=${value}`)) continue;
    // The header says neither path nor domain: the jar sent it for this URL, so the host's root holds it.
    cookies.push({name, value, domain: host, path: '/'});
  }
  if (cookies.length > 0) await context.addCookies(cookies);
}

/** The context's cookies for `url` as Set-Cookie header lines. */
export async function cookiesOutOfContext(context: BrowserContext, url: string): Promise<string[]> {
  const host = new URL(url).hostname;
  const lines: string[] = [];
  for (const cookie of await context.cookies(url)) {
    const parts = [`${cookie.name}=${cookie.value}`, `Path=${cookie.path}`];
    // A leading dot marks a domain cookie; without it the cookie is the host's own (host-only).
    if (cookie.domain.startsWith('.')) parts.push(`Domain=${cookie.domain}`);
    else if (cookie.domain !== host) continue;
    if (cookie.expires > 0) parts.push(`Expires=${new Date(cookie.expires * 1000).toUTCString()}`);
    if (cookie.secure) parts.push('Secure');
    if (cookie.httpOnly) parts.push('HttpOnly');
    if (cookie.sameSite) parts.push(`SameSite=${cookie.sameSite}`);
    lines.push(parts.join('; '));
  }
  return lines;
}
