import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {delimiter, join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {bodyDeclaredEncoding, bomEncoding, contentTypeEncoding} from '../http/encoding.js';
import type {Response} from '../http/response.js';

/**
 * Writes a response to a temporary .html file as dragline got it — its own bytes, so a page in
 * another charset stays readable — with a `<base href>` so its relative links, styles and images
 * still point at the site (Scrapy's open_in_browser), and starts a browser on it: the first entry
 * of $BROWSER (a command line, `%s` for the file's URL, as Python's webbrowser reads it), or
 * xdg-open / open. Returns the file's URL, to print.
 */
export function openInBrowser(response: Response): {fileUrl: string; openedWith?: string} {
  const file = join(mkdtempSync(join(tmpdir(), 'dragline-view-')), 'response.html');
  // latin1 maps each byte to one character and back, so only the inserted tags change the bytes.
  writeFileSync(file, Buffer.from(withBase(response.body.toString('latin1'), response.url, charsetOnlyInHeader(response)), 'latin1'));
  const fileUrl = pathToFileURL(file).href;
  const browser = process.env.BROWSER?.split(delimiter).find((entry) => entry.trim() !== '') ?? findOnPath(process.platform === 'darwin' ? 'open' : 'xdg-open');
  if (browser === undefined) return {fileUrl};
  const line = browser.includes('%s') ? browser.replaceAll('%s', '"$DRAGLINE_VIEW_URL"') : `${browser} "$DRAGLINE_VIEW_URL"`;
  const child = spawn(line, {shell: true, detached: true, stdio: 'ignore', env: {...process.env, DRAGLINE_VIEW_URL: fileUrl}});
  child.on('error', () => undefined);
  child.unref();
  return {fileUrl, openedWith: browser};
}

/**
 * The response's encoding when only its Content-Type header named it: the saved file has no header,
 * so without a `<meta charset>` the browser would guess (and read a koi8-r page as windows-1252).
 * Not for UTF-16/32, where an ASCII tag would not be text.
 */
function charsetOnlyInHeader(response: Response): string | undefined {
  if (contentTypeEncoding(response.header('content-type')) === undefined) return undefined;
  if (bomEncoding(response.body) !== undefined || bodyDeclaredEncoding(response.body) !== undefined) return undefined;
  return /^utf-(16|32)/.test(response.encoding) ? undefined : response.encoding;
}

/**
 * The page with `<base href="url">` first in its <head> (or in front of it), unless it has a <base>
 * already; with `charset`, a `<meta charset>` before it.
 */
export function withBase(html: string, url: string, charset?: string): string {
  const meta = charset === undefined ? '' : `<meta charset="${charset}">`;
  const hasBase = /<base\s[^>]*href/i.test(html);
  if (hasBase && meta === '') return html;
  // ASCII only, so that writing the page back byte for byte (latin1) keeps the URL intact.
  const ascii = url.replace(/[^\x20-\x7e]/gu, (char) => encodeURIComponent(char));
  const tags = meta + (hasBase ? '' : `<base href="${ascii.replaceAll('&', '&amp;').replaceAll('"', '&quot;')}">`);
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (head !== null) return html.slice(0, head.index + head[0].length) + tags + html.slice(head.index + head[0].length);
  return tags + html;
}

function findOnPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && existsSync(join(dir, command))) return join(dir, command);
  }
  return undefined;
}
