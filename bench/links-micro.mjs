#!/usr/bin/env node
// Micro-benchmark of link extraction on a real page: LinkExtractor.extractLinks, then a Request
// for each link (what a CrawlSpider does per page), from dist/ (`npm run build` first). Run by
// hand, never by npm test; every loop is bounded.
//
//   node bench/links-micro.mjs [--page FILE] [--rounds 9] [--iterations 200] [--base DIR]
//
// --base DIR: another built checkout of dragline (e.g. `git worktree add --detach /tmp/base <commit>`,
// node_modules copied, `npm run build`) measured beside this one, rounds alternating between the two.
// The page is parsed before timing starts: only joining, making safe, filtering and Requests are timed.
import {readFileSync} from 'node:fs';
import {resolve} from 'node:path';
import {pathToFileURL} from 'node:url';
import {parseArgs} from 'node:util';

const {values: options} = parseArgs({
  options: {
    page: {type: 'string', default: '/usr/share/doc/python3-doc/html/library/filesys.html'},
    rounds: {type: 'string', default: '9'},
    iterations: {type: 'string', default: '200'},
    base: {type: 'string'},
  },
});
const ROUNDS = Number(options.rounds);
const ITERATIONS = Number(options.iterations);
const body = readFileSync(options.page);
const url = 'https://docs.python.org/3/library/' + options.page.split('/').pop();

async function load(root, name) {
  const dist = (path) => import(pathToFileURL(resolve(root, 'dist', path)).href);
  const [{LinkExtractor}, {Request}, {Response}] = await Promise.all([dist('linkextractors/link-extractor.js'), dist('http/request.js'), dist('http/response.js')]);
  return {name, extractor: new LinkExtractor(), Request, Response};
}

/** ITERATIONS parsed pages: a Response caches its base URL, so each round needs new ones. */
function freshResponses({Request, Response}) {
  return Array.from({length: ITERATIONS}, () => {
    const response = new Response({url, status: 200, headers: {'content-type': 'text/html; charset=utf-8'}, body, request: new Request(url)});
    void response.selector;
    return response;
  });
}

function onePass({extractor, Request}, responses) {
  let links = 0;
  const start = process.hrtime.bigint();
  for (const response of responses) {
    for (const link of extractor.extractLinks(response)) {
      new Request(link.url, {encoding: response.encoding});
      links++;
    }
  }
  return {ms: Number(process.hrtime.bigint() - start) / 1e6 / responses.length, links: links / responses.length};
}

const subjects = [await load(resolve(import.meta.dirname, '..'), 'this checkout')];
if (options.base) subjects.push(await load(resolve(options.base), `base (${options.base})`));
// Round 0 warms up and is not counted.
const times = subjects.map(() => []);
for (let round = 0; round <= ROUNDS; round++) {
  subjects.forEach((subject, which) => {
    const {ms, links} = onePass(subject, freshResponses(subject));
    if (round > 0) times[which].push(ms);
    if (round === 0) console.log(`${subject.name}: ${links} links a page`);
  });
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
for (const [which, subject] of subjects.entries()) {
  const sorted = [...times[which]].sort((a, b) => a - b);
  console.log(`${subject.name.padEnd(40)} median ${median(sorted).toFixed(2)} ms/page  (best ${sorted[0].toFixed(2)}, worst ${sorted.at(-1).toFixed(2)})`);
}
if (subjects.length === 2) console.log(`ratio this/base: ${(median(times[0]) / median(times[1])).toFixed(2)}`);
