import {DraglineError} from '../core/errors.js';
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
  let dataInQuery = false;
  for (const {option, value} of curlOptions(words.slice(1))) {
    if (option === undefined) {
      if (url !== undefined) throw new DraglineError('BAD_ARGUMENT', `curl command names two URLs: ${url} and ${value}`);
      url = value;
    } else if (option === '-X' || option === '--request') method = value!.toUpperCase();
    else if (option === '-H' || option === '--header') addHeader(headers, cookies, value!);
    else if (option === '-b' || option === '--cookie') Object.assign(cookies, parseCookies(value!));
    else if (DATA_OPTIONS.has(option)) data.push(value!);
    else if (option === '--data-urlencode') data.push(urlencodedData(value!));
    else if (option === '-u' || option === '--user') headers.Authorization = `Basic ${Buffer.from(value!).toString('base64')}`;
    else if (option === '-A' || option === '--user-agent') headers['User-Agent'] = value!;
    else if (option === '-e' || option === '--referer') headers.Referer = value!;
    else if (option === '--url') url = value;
    else if (option === '-G' || option === '--get') dataInQuery = true;
    else if (option === '-I' || option === '--head') method = 'HEAD';
    else {
      if (!ignoreUnknown && !isHarmless(option)) throw new DraglineError('BAD_ARGUMENT', `Unrecognized curl option: ${option}`);
      ignored.push(value === undefined ? option : `${option} ${value}`);
    }
  }
  if (url === undefined) throw new DraglineError('BAD_ARGUMENT', 'curl command has no URL');
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) url = `http://${url}`;
  let body = data.length > 0 ? data.join('&') : undefined;
  if (dataInQuery && body !== undefined) {
    // -G: the data goes in the query string of a GET, as curl sends it.
    url += (url.includes('?') ? '&' : '?') + body;
    body = undefined;
  }
  return {
    url,
    options: {method: method ?? (body === undefined ? 'GET' : 'POST'), headers, cookies, ...(body === undefined ? {} : {body})},
    ignored,
  };
}

/** curl's options that take a value, beyond the ones read above: their value must not be taken for the URL. */
const OTHER_OPTIONS_WITH_VALUE = new Set([
  '-F', '--form', '--form-string', '-T', '--upload-file', '-c', '--cookie-jar', '-E', '--cert', '--key', '--cacert', '--capath',
  '--resolve', '--connect-to', '--interface', '--dns-servers', '--limit-rate', '--max-redirs', '-r', '--range', '-y', '--speed-time',
  '-Y', '--speed-limit', '-z', '--time-cond', '-K', '--config', '--proxy-user', '-U', '--local-port', '--retry-delay', '--retry-max-time',
  '--ciphers', '--tls-max', '--user-agent-file', '-D', '--dump-header', '--stderr', '--trace', '--trace-ascii', '--unix-socket',
]);
const OPTIONS_WITH_VALUE = new Set([
  '-X', '--request', '-H', '--header', '-b', '--cookie', ...DATA_OPTIONS, '--data-urlencode', '-u', '--user', '-A', '--user-agent',
  '-e', '--referer', '--url', ...IGNORED_WITH_VALUE, ...OTHER_OPTIONS_WITH_VALUE,
]);

/**
 * The command's words as options and their values: `-XPUT` and `-X PUT`, `--request=PUT` and
 * `--request PUT` alike; a word that is no option is a URL (option undefined).
 */
function* curlOptions(words: string[]): Generator<{option?: string; value?: string}> {
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index]!;
    if (!word.startsWith('-') || word === '-') {
      yield {value: word};
      continue;
    }
    let option = word;
    let attached: string | undefined;
    if (word.startsWith('--')) {
      const equals = word.indexOf('=');
      if (equals > 0) [option, attached] = [word.slice(0, equals), word.slice(equals + 1)];
    } else if (word.length > 2 && OPTIONS_WITH_VALUE.has(word.slice(0, 2))) {
      [option, attached] = [word.slice(0, 2), word.slice(2)];
    }
    if (!OPTIONS_WITH_VALUE.has(option)) {
      yield {option};
      continue;
    }
    if (attached !== undefined) {
      yield {option, value: attached};
      continue;
    }
    const next = words[index + 1];
    if (next === undefined) throw new DraglineError('BAD_ARGUMENT', `curl option ${option} needs a value`);
    index += 1;
    yield {option, value: next};
  }
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
  if (equals === 0) return encodeURIComponent(value.slice(1));
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

/** Bash's $'…' strings (Chrome's and Firefox's "Copy as cURL" use them), with every escape bash knows. */
function ansiQuoted(command: string, start: number): [string, number] {
  const simple: Record<string, string> = {n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?'};
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
    if (next in simple) {
      text += simple[next];
      continue;
    }
    const digits = (pattern: RegExp, max: number): string => {
      let found = '';
      while (found.length < max && pattern.test(command[index + 1 + found.length] ?? '')) found += command[index + 1 + found.length];
      return found;
    };
    if (next === 'x' || next === 'u' || next === 'U') {
      const hex = digits(/[0-9a-fA-F]/, next === 'x' ? 2 : next === 'u' ? 4 : 8);
      if (hex === '') {
        text += `\\${next}`;
        continue;
      }
      text += String.fromCodePoint(Number.parseInt(hex, 16));
      index += hex.length;
    } else if (/[0-7]/.test(next)) {
      index -= 1;
      const octal = digits(/[0-7]/, 3);
      text += String.fromCharCode(Number.parseInt(octal, 8));
      index += octal.length;
    } else if (next === 'c' && command[index + 1] !== undefined) {
      text += String.fromCharCode(command[index + 1]!.toUpperCase().charCodeAt(0) & 0x1f);
      index += 1;
    } else {
      text += `\\${next}`;
    }
  }
  throw new DraglineError('BAD_ARGUMENT', 'curl command has an unclosed quote');
}
