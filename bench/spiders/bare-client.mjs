// The reference the crawlers are measured against: node's own keep-alive HTTP client with the same
// number of connections, fetching every page of the site by its known address and doing nothing
// with it (no parsing, no links, no output). What it reaches is what concurrency, the site and the
// loopback allow on this machine; at 20 ms latency that is below 16 / 0.02 s, because the site's
// timer and the round trip add to every request.
//
//   node bench/spiders/bare-client.mjs SITE_URL PAGES CONCURRENCY
import http from 'node:http';

const [siteUrl, pagesArgument, concurrencyArgument] = process.argv.slice(2);
const pages = Number(pagesArgument);
const concurrency = Number(concurrencyArgument);
const site = new URL(siteUrl);
const agent = new http.Agent({keepAlive: true, maxSockets: concurrency});

function fetchPage(page) {
  return new Promise((resolve, reject) => {
    const request = http.get({host: site.hostname, port: site.port, path: `/page/${page}`, agent}, (response) => {
      response.on('data', () => undefined);
      response.on('end', () => resolve(response.statusCode));
      response.on('error', reject);
    });
    request.setTimeout(30_000, () => request.destroy(new Error(`page ${page}: no answer within 30 s`)));
    request.on('error', reject);
  });
}

let next = 0;
async function worker() {
  while (next < pages) await fetchPage(next++);
}

await Promise.all(Array.from({length: concurrency}, worker));
agent.destroy();
console.log(`bare client: ${pages} pages fetched`);
