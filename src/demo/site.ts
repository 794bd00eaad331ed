import http from 'node:http';
import type {AddressInfo} from 'node:net';

/**
 * A deterministic site of linked pages served on 127.0.0.1, for the demo, the tests and the
 * benchmarks. Page n links to about ten others; some links differ only by argument order or a
 * fragment (the duplicates filter must see them as one page). Each page carries one quote (one
 * item). Every request served is logged, so a run can be checked for pages missed or fetched twice.
 */
export interface SiteOptions {
  pages: number;
  /** Links per page. */
  links?: number;
  /** Milliseconds before each response (server latency). */
  latencyMs?: number;
  /** Approximate page size in bytes (padding is added up to it). */
  pageBytes?: number;
  /** Add the awkward cases: a redirect, a page that fails once with 500, a 404, a robots.txt that forbids /private/, an offsite link. */
  traps?: boolean;
  /** Pages answered with 503 for as long as they are in `site.failPages`. */
  failPages?: number[];
}

export interface ServedRequest {
  method: string;
  url: string;
  status: number;
}

export interface DemoSite {
  url: string;
  port: number;
  /** Every request served, in order. */
  served: ServedRequest[];
  /** Milliseconds before each response; change it while a crawl runs to make the site slow or fast. */
  latencyMs: number;
  /** Pages answered with 503 while they are in this set: change it between runs to make them recover. */
  failPages: Set<number>;
  /** How many times each page number was served with 200. */
  pageHits(): Map<number, number>;
  close(): Promise<void>;
}

/** The first page, in the form every link to it takes (links vary only in argument order and fragment). */
export const START_PATH = '/page/0?a=1&b=2';

const AUTHORS = ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Edsger Dijkstra', 'Barbara Liskov', 'Donald Knuth', 'Margaret Hamilton', 'Ken Thompson'];
const WORDS = ['simple', 'crawl', 'thread', 'spider', 'resume', 'durable', 'queue', 'page', 'link', 'state', 'journal', 'silk', 'pause', 'web'];

/** The pages page `n` links to: deterministic, and together they reach every page from page 0. */
export function linksOf(n: number, pages: number, count = 10): number[] {
  const targets = new Set<number>();
  targets.add((n + 1) % pages);
  targets.add((2 * n + 1) % pages);
  let x = Math.imul(n + 1, 2654435761) >>> 0;
  // A 32-bit LCG (Math.imul keeps it exact); the step bound keeps tiny sites from looping forever.
  for (let step = 0; targets.size < Math.min(count, pages) && step < count * 64; step += 1) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    targets.add((x >>> 8) % pages);
  }
  return [...targets];
}

export function quoteOf(n: number): {text: string; author: string; tags: string[]} {
  const words = Array.from({length: 8}, (_, i) => WORDS[(n * 7 + i * 3) % WORDS.length]);
  return {text: `“${words.join(' ')} number ${n}.”`, author: AUTHORS[n % AUTHORS.length]!, tags: [WORDS[n % WORDS.length]!, WORDS[(n + 5) % WORDS.length]!]};
}

function renderPage(n: number, options: SiteOptions): string {
  const count = options.links ?? 10;
  const quote = quoteOf(n);
  const links = linksOf(n, options.pages, count).map((target, index) => {
    // Every third link varies the query order, every fourth adds a fragment: the same page to a fingerprint.
    const query = index % 3 === 0 ? `?b=2&a=1` : `?a=1&b=2`;
    const fragment = index % 4 === 0 ? `#q${index}` : '';
    return `<li><a href="/page/${target}${query}${fragment}">page ${target}</a></li>`;
  });
  if (options.traps && n === 0) {
    links.push('<li><a href="/redirect/1">moved</a></li>', '<li><a href="/flaky/1">flaky</a></li>', '<li><a href="/missing">missing</a></li>');
    links.push('<li><a href="/private/secret">private</a></li>', '<li><a href="http://offsite.invalid/elsewhere">elsewhere</a></li>');
  }
  const head = `<!doctype html><html><head><meta charset="utf-8"><title>Page ${n}</title></head><body>
<h1>Page ${n}</h1>
<div class="quote" data-page="${n}"><span class="text">${quote.text}</span> <small class="author">${quote.author}</small>
<div class="tags">${quote.tags.map((tag) => `<a class="tag" href="/tag/${tag}">${tag}</a>`).join(' ')}</div></div>
<ul class="links">${links.join('')}</ul>`;
  const target = options.pageBytes ?? 6000;
  const filler = target > head.length ? `<p class="filler">${'lorem ipsum dolor sit amet '.repeat(Math.ceil((target - head.length) / 27))}</p>` : '';
  return `${head}${filler}</body></html>`;
}

export async function startSite(options: SiteOptions): Promise<DemoSite> {
  const served: ServedRequest[] = [];
  const flakyFailed = new Set<string>();
  const pageCache = new Map<number, Buffer>();
  const failPages = new Set(options.failPages ?? []);
  const site: DemoSite = {
    url: '',
    port: 0,
    latencyMs: options.latencyMs ?? 0,
    served,
    failPages,
    pageHits() {
      const hits = new Map<number, number>();
      for (const entry of served) {
        const page = /^\/page\/(\d+)/.exec(entry.url);
        if (page !== null && entry.status === 200) hits.set(Number(page[1]), (hits.get(Number(page[1])) ?? 0) + 1);
      }
      return hits;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const reply = (status: number, body: string | Buffer, headers: Record<string, string> = {}): void => {
      // A client that gave up (a crawl abandoning a slow request) was not served.
      if (request.socket.destroyed) return;
      served.push({method: request.method ?? 'GET', url: url.pathname + url.search, status});
      response.writeHead(status, {'Content-Type': 'text/html; charset=utf-8', ...headers});
      response.end(body);
    };
    const respond = (): void => {
      const page = /^\/page\/(\d+)$/.exec(url.pathname);
      if (page !== null) {
        const n = Number(page[1]);
        if (n >= options.pages) return reply(404, 'no such page');
        if (failPages.has(n)) return reply(503, 'unavailable');
        let body = pageCache.get(n);
        if (body === undefined) {
          body = Buffer.from(renderPage(n, options));
          if (pageCache.size < 50_000) pageCache.set(n, body);
        }
        return reply(200, body);
      }
      if (url.pathname === '/') return reply(302, '', {Location: START_PATH});
      if (options.traps) {
        if (url.pathname === '/robots.txt') return reply(200, 'User-agent: *\nDisallow: /private/\n', {'Content-Type': 'text/plain'});
        const redirect = /^\/redirect\/(\d+)$/.exec(url.pathname);
        if (redirect !== null) return reply(301, '', {Location: `/page/${redirect[1]}?a=1&b=2`});
        const flaky = /^\/flaky\/(\d+)$/.exec(url.pathname);
        if (flaky !== null) {
          if (!flakyFailed.has(url.pathname)) {
            flakyFailed.add(url.pathname);
            return reply(500, 'try again');
          }
          return reply(200, `<html><body><div class="quote" data-page="flaky-${flaky[1]}"><span class="text">Second time lucky.</span><small class="author">Retry</small></div></body></html>`);
        }
        if (url.pathname.startsWith('/private/')) return reply(200, '<html><body>you should not be here</body></html>');
      }
      if (url.pathname.startsWith('/tag/')) return reply(200, '<html><body><p>tag page</p></body></html>');
      return reply(404, 'not found');
    };
    // Read per request, so a test can make the site slow (or fast again) while a crawl runs.
    if (site.latencyMs > 0) setTimeout(respond, site.latencyMs).unref();
    else respond();
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  site.port = (server.address() as AddressInfo).port;
  site.url = `http://127.0.0.1:${site.port}`;
  return site;
}
