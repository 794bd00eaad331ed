import {DraglineError} from '../errors.js';
import type {Headers, RequestOptions} from './request.js';

/** What a curl command line says about a request: Request's constructor arguments. */
export interface CurlRequest {
  url: string;
  options: RequestOptions;
  /** Options dragline does not turn into request fields (`--compressed`, `-L`…), as written. */
  ignored: string[];
}

const DATA_OPTIONS = new Set(['-d', '--data', '--data-raw', '--data-binary', '--data-ascii']);
/** Options whose value is taken and dropped: they change how curl runs, not the request. */
const IGNORED_WITH_VALUE = new Set(['-o', '--output', '-m', '--max-time', '--connect-timeout', '-w', '--write-out', '--retry', '-x', '--proxy']);

/**
 * Reads a curl command (what a browser's "Copy as cURL" gives) into a request, as Scrapy's
 * Request.from_curl: the URL, `-X` method, `-H` headers, `-b` cookies, `-d`/`--data-*` body (a POST
 * unless `-X` says otherwise), `-u` basic auth, `-A` user agent, `-e` referer. Options that only
 * change how curl itself runs are listed in `ignored`; an unknown one is an error unless
 * `ignoreUnknown` (Scrapy's ignore_unknown_options, on by default there too).
 */
export function parseCurl(command: string, ignoreUnknown = true): CurlRequest {
  const words = shellWords(command);
  if (words[0] !== 'curl') throw new DraglineError('BAD_ARGUMENT', `Not a curl command: ${command.slice(0, 60)}. Paste what "Copy as cURL" gives, starting with curl`);
  const headers: Headers = {};
  const cookies: Record<string, string> = {};
  const ignored: string[] = [];
  const data: string[] = [];
  let url: string | undefined;
  let method: string | undefined;
  for (let index = 1; index < words.length; index += 1) {
    const word = words[index]!;
    const value = (): string => {
      const next = words[index + 1];
      if (next === undefined) throw new DraglineError('BAD_ARGUMENT', `curl option ${word} needs a value`);
      index += 1;
      return next;
    };
    if (word === '-X' || word === '--request') method = value().toUpperCase();
    else if (word === '-H' || word === '--header') addHeader(headers, cookies, value());
    else if (word === '-b' || word === '--cookie') Object.assign(cookies, parseCookies(value()));
    else if (DATA_OPTIONS.has(word)) data.push(value());
    else if (word === '--data-urlencode') data.push(urlencodedData(value()));
    else if (word === '-u' || word === '--user') headers.Authorization = `Basic ${Buffer.from(value()).toString('base64')}`;
    else if (word === '-A' || word === '--user-agent') headers['User-Agent'] = value();
    else if (word === '-e' || word === '--referer') headers.Referer = value();
    else if (word === '--url') url = value();
    else if (IGNORED_WITH_VALUE.has(word)) ignored.push(`${word} ${value()}`);
    else if (word.startsWith('-')) {
      if (!ignoreUnknown && !isHarmless(word)) throw new DraglineError('BAD_ARGUMENT', `Unrecognized curl option: ${word}`);
      ignored.push(word);
    } else if (url === undefined) url = word;
    else throw new DraglineError('BAD_ARGUMENT', `curl command names two URLs: ${url} and ${word}`);
  }
  if (url === undefined) throw new DraglineError('BAD_ARGUMENT', 'curl command has no URL');
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) url = `http://${url}`;
  const body = data.length > 0 ? data.join('&') : undefined;
  return {
    url,
    options: {method: method ?? (body === undefined ? 'GET' : 'POST'), headers, cookies, ...(body === undefined ? {} : {body})},
    ignored,
  };
}

/** Options every "Copy as cURL" carries that make no difference to the request itself. */
function isHarmless(option: string): boolean {
  return ['--compressed', '-L', '--location', '-k', '--insecure', '-s', '--silent', '-i', '--include', '-v', '--verbose', '-g', '--globoff'].includes(option);
}

function addHeader(headers: Headers, cookies: Record<string, string>, line: string): void {
  const colon = line.indexOf(':');
  if (colon <= 0) throw new DraglineError('BAD_ARGUMENT', `curl header without a name: ${line}`);
  const name = line.slice(0, colon).trim();
  const value = line.slice(colon + 1).trim();
  // A Cookie header becomes cookies, which the cookies middleware merges with the jar, as Scrapy does.
  if (name.toLowerCase() === 'cookie') {
    Object.assign(cookies, parseCookies(value));
    return;
  }
  const existing = headers[name];
  headers[name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
}

/** curl's --data-urlencode: `name=content` sends name=<content URL-encoded>; without a name, the content alone. */
function urlencodedData(value: string): string {
  const equals = value.indexOf('=');
  if (equals === -1) return encodeURIComponent(value);
  return `${value.slice(0, equals)}=${encodeURIComponent(value.slice(equals + 1))}`;
}

function parseCookies(text: string): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const pair of text.split(';')) {
    const equals = pair.indexOf('=');
    if (equals > 0) cookies[pair.slice(0, equals).trim()] = pair.slice(equals + 1).trim();
  }
  return cookies;
}

/** Splits a command line as a POSIX shell does: quotes, backslash escapes, `$'…'`, line continuations. */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let index = 0; index < command.length; index += 1) {
    const char = command[index]!;
    if (char === '\\') {
      const next = command[index + 1];
      index += 1;
      if (next === '\n' || next === undefined) continue;
      word += next;
      inWord = true;
    } else if (char === "'") {
      const end = command.indexOf("'", index + 1);
      if (end === -1) throw new DraglineError('BAD_ARGUMENT', 'curl command has an unclosed quote');
      word += command.slice(index + 1, end);
      index = end;
      inWord = true;
    } else if (char === '$' && command[index + 1] === "'") {
      const [text, end] = ansiQuoted(command, index + 2);
      word += text;
      index = end;
      inWord = true;
    } else if (char === '"') {
      index += 1;
      while (index < command.length && command[index] !== '"') {
        if (command[index] === '\\' && '"\\$`\n'.includes(command[index + 1] ?? '')) index += 1;
        if (command[index] !== '\n' || command[index - 1] !== '\\') word += command[index];
        index += 1;
      }
      if (index >= command.length) throw new DraglineError('BAD_ARGUMENT', 'curl command has an unclosed quote');
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** Bash's $'…' strings (Chrome's "Copy as cURL (bash)" uses them): \n, \t, \', \\, \xHH. */
function ansiQuoted(command: string, start: number): [string, number] {
  let text = '';
  for (let index = start; index < command.length; index += 1) {
    const char = command[index]!;
    if (char === "'") return [text, index];
    if (char !== '\\') {
      text += char;
      continue;
    }
    const next = command[index + 1] ?? '';
    index += 1;
    if (next === 'n') text += '\n';
    else if (next === 't') text += '\t';
    else if (next === 'r') text += '\r';
    else if (next === 'x') {
      text += String.fromCharCode(Number.parseInt(command.slice(index + 1, index + 3), 16));
      index += 2;
    } else text += next;
  }
  throw new DraglineError('BAD_ARGUMENT', 'curl command has an unclosed quote');
}
