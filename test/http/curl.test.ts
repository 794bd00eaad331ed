/**
 * Request.fromCurl (Scrapy's Request.from_curl): what browsers' "Copy as cURL" gives becomes the
 * same request, and a spider sends it as curl would.
 */
import {describe, expect, test} from '@jest/globals';
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {parseCurl, shellWords} from '../../src/http/curl.js';
import {Request} from '../../src/http/request.js';
import type {Response} from '../../src/http/response.js';
import {runSpider} from '../../src/core/crawler-process.js';
import {Settings} from '../../src/settings/settings.js';
import {Spider} from '../../src/spiders/spider.js';
import {codeOf} from '../helpers/errors.js';
import {useTestSite} from '../helpers/site.js';


describe('parseCurl', () => {
  test("a browser's Copy as cURL (bash): URL, headers, cookies from the Cookie header, body, POST", () => {
    const command = `curl 'https://api.example/search?q=desk' \\
  -H 'accept: application/json' \\
  -H 'cookie: session=abc; theme=dark' \\
  -H $'x-note: it\\'s\\tfine' \\
  --data-raw '{"page":2}' \\
  --compressed`;
    expect(parseCurl(command)).toEqual({
      url: 'https://api.example/search?q=desk',
      options: {
        method: 'POST',
        headers: {accept: 'application/json', 'x-note': "it's\tfine"},
        cookies: {session: 'abc', theme: 'dark'},
        body: '{"page":2}',
      },
      ignored: ['--compressed'],
    });
  });

  test('-X, -u, -b, -A, -e, several -d joined with &, --data-urlencode, a URL without scheme', () => {
    const parsed = parseCurl(`curl -X put example.org/items -u me:secret -b 'a=1' -A bot -e https://ref.example/ -d x=1 -d y=2 --data-urlencode 'q=a b&c'`);
    expect(parsed.url).toBe('http://example.org/items');
    expect(parsed.options).toEqual({
      method: 'PUT',
      headers: {Authorization: `Basic ${Buffer.from('me:secret').toString('base64')}`, 'User-Agent': 'bot', Referer: 'https://ref.example/'},
      cookies: {a: '1'},
      body: 'x=1&y=2&q=a%20b%26c',
    });
  });

  test('attached values (-XPUT, --request=PUT), -G, -I, and the values of options it does not use never taken for the URL', () => {
    expect(parseCurl('curl -XPUT https://x/a -d a=1').options).toMatchObject({method: 'PUT', body: 'a=1'});
    expect(parseCurl('curl --request=DELETE https://x/a').options.method).toBe('DELETE');
    expect(parseCurl("curl -G https://x/search -d q=desk --data-urlencode 'p=a b'")).toMatchObject({url: 'https://x/search?q=desk&p=a%20b', options: {method: 'GET'}});
    expect(parseCurl('curl -I https://x/').options.method).toBe('HEAD');
    const ignoring = parseCurl('curl -F a=b --resolve h:443:127.0.0.1 -sL https://x/ -o out.html');
    expect(ignoring.url).toBe('https://x/');
    expect(ignoring.ignored).toEqual(['-F a=b', '--resolve h:443:127.0.0.1', '-sL', '-o out.html']);
    expect(parseCurl("curl https://x/ --data-urlencode '=a&b'").options.body).toBe('a%26b');
  });

  test("bash's $'...' escapes as Chrome and Firefox write them", () => {
    expect(shellWords(String.raw`curl $'it\'s\u0021 \x41\101\t\e[0m \U0001F600'`)).toEqual(['curl', "it's! AA\t\x1b[0m \u{1F600}"]);
  });

  test('shell quoting as a POSIX shell reads it', () => {
    expect(shellWords(`curl "a \\"b\\" \\$c" 'd e' f\\ g \\\n h`)).toEqual(['curl', 'a "b" $c', 'd e', 'f g', 'h']);
  });

  test('what is not a curl command with a URL is a BAD_ARGUMENT', () => {
    expect(codeOf(() => parseCurl('wget https://x/'))).toBe('BAD_ARGUMENT');
    expect(codeOf(() => parseCurl('curl -H "a: b"'))).toBe('BAD_ARGUMENT');
    expect(codeOf(() => parseCurl("curl 'https://x/"))).toBe('BAD_ARGUMENT');
    expect(codeOf(() => parseCurl('curl https://x/ -H'))).toBe('BAD_ARGUMENT');
    expect(codeOf(() => parseCurl('curl https://x/ --frobnicate', false))).toBe('BAD_ARGUMENT');
  });
});

const site = useTestSite((request, response) => {
  let body = '';
  request.on('data', (chunk: Buffer) => (body += chunk.toString()));
  request.on('end', () => {
    response.writeHead(200, {'Content-Type': 'application/json'});
    response.end(JSON.stringify({method: request.method, token: request.headers['x-token'] ?? null, cookie: request.headers.cookie ?? null, body}));
  });
});

test('a spider sends Request.fromCurl as curl would, with its own callback and meta added', async () => {
  class ApiSpider extends Spider {
    static override spiderName = 'api';
    override async *start() {
      yield Request.fromCurl(`curl '${site.base}/search' -H 'x-token: t0' -H 'Cookie: sid=9' --data-raw 'page=2'`, {callback: this.parse, meta: {label: 'search'}, headers: {'X-Token': 't1'}});
    }
    override parse(response: Response) {
      return {...response.json<Record<string, unknown>>(), label: response.meta.label};
    }
  }
  const feed = join(mkdtempSync(join(tmpdir(), 'dragline-curl-')), 'items.jsonl');
  const settings = new Settings();
  settings.update({LOG_ENABLED: false, FEEDS: {[feed]: {format: 'jsonl'}}}, 'cmdline');
  const result = await runSpider({spiderClass: ApiSpider, settings, handleSignals: false});
  expect(result.reason).toBe('finished');
  expect(JSON.parse(readFileSync(feed, 'utf8'))).toEqual({method: 'POST', token: 't1', cookie: 'sid=9', body: 'page=2', label: 'search'});
});
