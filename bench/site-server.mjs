// The benchmark's site, in its own process so it never shares a CPU-second with a crawler it measures.
// Started by run.mjs with fork(); answers IPC messages:
//   {cmd: 'start', latencyMs}  -> {url}            one site per latency, all serving the same page graph
//   {cmd: 'reset'}             -> {ok}             forget the request log (before each crawl)
//   {cmd: 'report'}            -> {requests, pages, fetched, missed, twice, extraFetches}
// Uses dragline's own demo site (dist/demo/site.js, `npm run build` first) without its traps.
import {parseArgs} from 'node:util';
import {startSite} from '../dist/demo/site.js';

const {values} = parseArgs({options: {pages: {type: 'string', default: '20000'}}});
const pages = Number(values.pages);
const sites = new Map();

function report() {
  let requests = 0;
  const hits = new Map();
  for (const site of sites.values()) {
    requests += site.served.length;
    for (const [page, count] of site.pageHits()) hits.set(page, (hits.get(page) ?? 0) + count);
  }
  let twice = 0;
  let extraFetches = 0;
  for (const count of hits.values()) {
    if (count > 1) {
      twice += 1;
      extraFetches += count - 1;
    }
  }
  return {requests, pages, fetched: hits.size, missed: pages - hits.size, twice, extraFetches};
}

process.on('message', async (message) => {
  try {
    if (message.cmd === 'start') {
      let site = sites.get(message.latencyMs);
      if (site === undefined) {
        site = await startSite({pages, latencyMs: message.latencyMs, links: 10, pageBytes: 6000, traps: false});
        sites.set(message.latencyMs, site);
      }
      process.send({id: message.id, url: site.url});
    } else if (message.cmd === 'reset') {
      for (const site of sites.values()) site.served.length = 0;
      process.send({id: message.id, ok: true});
    } else if (message.cmd === 'report') {
      process.send({id: message.id, ...report()});
    } else if (message.cmd === 'close') {
      for (const site of sites.values()) await site.close();
      process.send({id: message.id, ok: true});
      process.disconnect();
    }
  } catch (error) {
    process.send({id: message.id, error: String(error?.stack ?? error)});
  }
});
process.on('disconnect', () => process.exit(0));
