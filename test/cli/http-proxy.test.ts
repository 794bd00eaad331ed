import {afterAll, beforeAll, expect, test} from '@jest/globals';
import {readFileSync, writeFileSync} from 'node:fs';
import {createServer, request as httpRequest, type Server} from 'node:http';
import {connect, type AddressInfo} from 'node:net';
import {join} from 'node:path';
import {runCli} from '../helpers/cli.js';
import {send, useTestSite, useWorkspace} from '../helpers/site.js';

// Requests through a proxy, end to end: a local CONNECT proxy in front of a local site.
const site = useTestSite((request, response) => send(response, 200, 'text/html', `<html><title>${request.url}</title></html>`));
const workspace = useWorkspace('proxy');
const tunnels: Array<{target: string; auth?: string}> = [];
const forwarded: Array<{line: string; auth?: string}> = [];
let proxy: Server;
let proxyUrl: string;

beforeAll(async () => {
  // A forward proxy: absolute-form requests for http sites, CONNECT tunnels for the rest.
  proxy = createServer((request, response) => {
    forwarded.push({line: `${request.method} ${request.url}`, auth: request.headers['proxy-authorization']});
    const target = new URL(request.url ?? '');
    const upstream = httpRequest({host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: request.method, headers: request.headers}, (reply) => {
      response.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(response);
    });
    upstream.on('error', () => send(response, 502, 'text/plain', 'bad gateway'));
    request.pipe(upstream);
  });
  proxy.on('connect', (request, client, head) => {
    tunnels.push({target: request.url ?? '', auth: request.headers['proxy-authorization']});
    const [host, port] = (request.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  writeFileSync(join(workspace, 'through.mjs'), `import {Spider, Request} from 'dragline';
export class ThroughSpider extends Spider {
  static spiderName = 'through';
  async *start() {
    yield new Request('${site.base}/via-env');
    yield new Request('${site.base}/direct', {meta: {proxy: null}});
  }
  parse(response) { return {title: response.css('title::text').get()}; }
}
`);
});

afterAll(async () => {
  proxy.closeAllConnections();
  await new Promise((resolve) => proxy.close(resolve));
});

test('http_proxy from the environment carries requests through the proxy, with its credentials; meta.proxy = null goes direct', async () => {
  const withAuth = proxyUrl.replace('http://', 'http://crawler:s3cret@');
  const result = await runCli(['runspider', 'through.mjs', '-O', 'items.jsonl', '-L', 'INFO', '-s', 'ROBOTSTXT_OBEY=false'], {cwd: workspace, env: {http_proxy: withAuth, no_proxy: ''}});
  expect(result.code).toBe(0);
  const titles = readFileSync(join(workspace, 'items.jsonl'), 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as {title: string}).title);
  expect(titles.sort()).toEqual(['/direct', '/via-env']);
  // http sites go to the proxy in absolute form (many proxies refuse CONNECT to port 80), with the credentials.
  expect(forwarded).toEqual([{line: `GET ${site.base}/via-env`, auth: `Basic ${Buffer.from('crawler:s3cret').toString('base64')}`}]);
  expect(tunnels).toEqual([]);
  expect(site.served.sort()).toEqual(['/direct', '/via-env']);
});
