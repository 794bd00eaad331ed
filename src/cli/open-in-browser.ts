import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {delimiter, join} from 'node:path';
import {pathToFileURL} from 'node:url';
import type {Response} from '../core/http/response.js';

/**
 * Writes a response to a temporary .html file as dragline saw it, with a `<base href>` so its
 * relative links, styles and images still point at the site (Scrapy's open_in_browser), and opens
 * it with $BROWSER, xdg-open or open when there is one. Returns the file's URL, to print.
 */
export function openInBrowser(response: Response): {fileUrl: string; openedWith?: string} {
  const file = join(mkdtempSync(join(tmpdir(), 'dragline-view-')), 'response.html');
  writeFileSync(file, withBase(response.text, response.url));
  const fileUrl = pathToFileURL(file).href;
  const browser = process.env.BROWSER || findOnPath(process.platform === 'darwin' ? 'open' : 'xdg-open');
  if (browser === undefined) return {fileUrl};
  const child = spawn(browser, [fileUrl], {detached: true, stdio: 'ignore'});
  child.on('error', () => undefined);
  child.unref();
  return {fileUrl, openedWith: browser};
}

/** The page with `<base href="url">` first in its <head> (or in front of it), unless it has a <base> already. */
export function withBase(html: string, url: string): string {
  if (/<base\s[^>]*href/i.test(html)) return html;
  const base = `<base href="${url.replaceAll('&', '&amp;').replaceAll('"', '&quot;')}">`;
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (head !== null) return html.slice(0, head.index + head[0].length) + base + html.slice(head.index + head[0].length);
  return base + html;
}

function findOnPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && existsSync(join(dir, command))) return join(dir, command);
  }
  return undefined;
}
