// A static keep-alive file server for the real-pages benchmark, in its own process so it never shares
// a CPU-second with a crawler it measures. Started by real-pages.mjs with fork(); answers IPC messages:
//   {cmd: 'start', root}  -> {url}     serves the folder `root` on 127.0.0.1
//   {cmd: 'reset'}        -> {ok}      forget the request log (before each crawl)
//   {cmd: 'report'}       -> {requests, fetched, twice, htmlBytes}
// Pages are sent as `text/html` without a charset, as a default nginx or Apache sends them, so the
// crawler finds the encoding in the page as it must on most real sites.
import {readFile} from 'node:fs/promises';
import {createServer} from 'node:http';
import {extname, join, normalize} from 'node:path';

const TYPES = {'.html': 'text/html', '.htm': 'text/html', '.css': 'text/css', '.js': 'text/javascript', '.png': 'image/png', '.svg': 'image/svg+xml', '.txt': 'text/plain'};
let server;
let root = '';
const hits = new Map();
let requests = 0;
let htmlBytes = 0;

async function handle(request, response) {
  requests += 1;
  let path;
  try {
    path = decodeURIComponent(new URL(request.url, 'http://x').pathname);
  } catch {
    response.writeHead(400).end();
    return;
  }
  const file = normalize(join(root, path));
  if (!file.startsWith(root)) {
    response.writeHead(403).end();
    return;
  }
  try {
    const body = await readFile(file);
    const type = TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
    if (type === 'text/html') {
      hits.set(path, (hits.get(path) ?? 0) + 1);
      htmlBytes += body.length;
    }
    response.writeHead(200, {'content-type': type, 'content-length': body.length});
    response.end(body);
  } catch {
    response.writeHead(404, {'content-type': 'text/html'}).end('<html><body>not found</body></html>');
  }
}

function report() {
  let twice = 0;
  for (const count of hits.values()) if (count > 1) twice += 1;
  return {requests, fetched: hits.size, twice, htmlBytes};
}

process.on('message', async (message) => {
  try {
    if (message.cmd === 'start') {
      if (server !== undefined) await new Promise((resolve) => server.close(resolve));
      root = normalize(message.root);
      server = createServer({keepAlive: true, keepAliveTimeout: 30_000}, (request, response) => void handle(request, response));
      await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
      process.send({id: message.id, url: `http://127.0.0.1:${server.address().port}`});
    } else if (message.cmd === 'reset') {
      hits.clear();
      requests = 0;
      htmlBytes = 0;
      process.send({id: message.id, ok: true});
    } else if (message.cmd === 'report') {
      process.send({id: message.id, ...report()});
    } else if (message.cmd === 'close') {
      server?.closeAllConnections();
      if (server !== undefined) await new Promise((resolve) => server.close(resolve));
      process.send({id: message.id, ok: true});
      process.disconnect();
    }
  } catch (error) {
    process.send({id: message.id, error: String(error?.stack ?? error)});
  }
});
process.on('disconnect', () => process.exit(0));
