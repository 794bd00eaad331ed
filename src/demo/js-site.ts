import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';

/**
 * A local site whose content only a browser sees: each page's links and quotes are written by a
 * script, so plain HTTP finds an empty page. Used by the browser tests and bench/browser.mjs.
 *
 * - `/page/N` (N < pages): a quote `div.quote[data-page=N]` and links to pages 2N+1 and 2N+2,
 *   written by a script when the DOM is ready; the static HTML holds only `<h1>Page N</h1>`.
 * - `/late`: a `div.quote.late` written 500 ms after the DOM is ready (for a waitForSelector page method).
 * - `/click`: `div.quote.clicked` appears when `button#more` is clicked.
 * - `/scroll`: `div.quote.scrolled` appears once the page is scrolled to its end.
 * - `/external`: a `div.quote.external` written by the script `/external.js` it loads.
 * - `/cookie/set-by-script`: a script sets the cookie `js=from-script`.
 * - `/cookie/set-by-header`: the response sets `hdr=from-header`.
 * - `/cookie/echo`: the request's Cookie header in `pre#cookie` (plain HTML, no script).
 */
export interface JsSite {
  url: string;
  /** Every path served, in order. */
  served: string[];
  close(): Promise<void>;
}

export async function startJsSite(pages: number): Promise<JsSite> {
  const served: string[] = [];
  const server = createServer((request, response) => {
    served.push(request.url ?? '');
    serve(request, response, pages);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function serve(request: IncomingMessage, response: ServerResponse, pages: number): void {
  const path = new URL(request.url ?? '/', 'http://site').pathname;
  const page = /^\/page\/(\d+)$/.exec(path);
  if (page !== null && Number(page[1]) < pages) return html(response, pagePage(Number(page[1]), pages));
  switch (path) {
    case '/late':
      return html(response, scripted('Late', "setTimeout(() => add('<div class=\"quote late\">late</div>'), 500);"));
    case '/click':
      return html(response, scripted('Click', "document.body.insertAdjacentHTML('beforeend', '<button id=\"more\">more</button>'); document.getElementById('more').onclick = () => add('<div class=\"quote clicked\">clicked</div>');"));
    case '/scroll':
      return html(response, scripted('Scroll', "document.body.insertAdjacentHTML('beforeend', '<div style=\"height:5000px\"></div>'); addEventListener('scroll', () => { if (scrollY > 1000 && !document.querySelector('.scrolled')) add('<div class=\"quote scrolled\">scrolled</div>'); });"));
    case '/external':
      return html(response, '<!doctype html><title>External</title><h1>External</h1><script src="/external.js"></script>');
    case '/external.js':
      response.writeHead(200, {'Content-Type': 'text/javascript'}).end("document.body.insertAdjacentHTML('beforeend', '<div class=\"quote external\">external</div>');");
      return;
    case '/cookie/set-by-script':
      return html(response, scripted('Cookie', "document.cookie = 'js=from-script; path=/';"));
    case '/cookie/set-by-header':
      response.setHeader('Set-Cookie', 'hdr=from-header; Path=/');
      return html(response, '<!doctype html><title>Header cookie</title><h1>Header cookie</h1>');
    case '/cookie/echo':
      return html(response, `<!doctype html><title>Echo</title><pre id="cookie">${escape(String(request.headers.cookie ?? ''))}</pre>`);
    default:
      response.writeHead(404, {'Content-Type': 'text/html'}).end('<h1>Not found</h1>');
  }
}

function pagePage(n: number, pages: number): string {
  const children = [2 * n + 1, 2 * n + 2].filter((child) => child < pages);
  const links = children.map((child) => `<li><a href="/page/${child}">page ${child}</a></li>`).join('');
  return scripted(`Page ${n}`, `add(${JSON.stringify(`<div class="quote" data-page="${n}"><span class="text">Quote ${n}</span></div><ul class="links">${links}</ul>`)});`);
}

/** A page whose `add(html)` appends to the body; `code` runs when the DOM is ready. */
function scripted(title: string, code: string): string {
  return `<!doctype html><html><head><title>${title}</title></head><body><h1>${title}</h1>
<script>
function add(markup) { document.body.insertAdjacentHTML('beforeend', markup); }
document.addEventListener('DOMContentLoaded', () => { ${code} });
</script></body></html>`;
}

function html(response: ServerResponse, body: string): void {
  response.writeHead(200, {'Content-Type': 'text/html; charset=utf-8'}).end(body);
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}
