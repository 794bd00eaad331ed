import {afterAll, beforeAll, expect, test} from '@jest/globals';
import {readFileSync, writeFileSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import {connect, type AddressInfo} from 'node:net';
import {join} from 'node:path';
import {runCli} from '../helpers/cli.js';
import {send, useTestSite, useWorkspace} from '../helpers/site.js';

// Requests through a proxy, end to end: a local CONNECT proxy in front of a local site.
const site = useTestSite((request, response) => send(response, 200, 'text/html', `<html><title>${request.url}</title></html>`));
const workspace = useWorkspace('proxy');
const tunnels: Array<{target: string; auth?: string}> = [];
let proxy: Server;
let proxyUrl: string;

beforeAll(async () => {
  proxy = createServer((_request, response) => send(response, 405, 'text/plain', 'CONNECT only'));
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
  const host = new URL(site.base).host;
  expect(tunnels).toEqual([{target: host, auth: `Basic ${Buffer.from('crawler:s3cret').toString('base64')}`}]);
  expect(site.served.sort()).toEqual(['/direct', '/via-env']);
});
