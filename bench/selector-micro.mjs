#!/usr/bin/env node
// Where the time of one page's selectors goes, on the real pages of bench/real-pages.mjs: parsing,
// the first XPath query on a page (which pays for what XPath needs of the tree), a second one, and the
// CSS queries of the docs spider. Run by hand after `npm run build`:
//
//   node --expose-gc bench/selector-micro.mjs [--dist DIR] [--site python] [--pages 60] [--rounds 3]
//
// --dist points at another build (a base worktree's dist/) to compare two commits on the same pages.
import {readdirSync, readFileSync, statSync} from 'node:fs';
import {join, resolve} from 'node:path';
import {parseArgs} from 'node:util';
import {DOC_SITES} from './lib/doc-sites.mjs';

const {values: options} = parseArgs({
  options: {
    dist: {type: 'string', default: resolve(import.meta.dirname, '..', 'dist')},
    site: {type: 'string', default: 'python'},
    pages: {type: 'string', default: '60'},
    rounds: {type: 'string', default: '3'},
  },
});
const {Selector} = await import(join(resolve(options.dist), 'index.js'));
const site = DOC_SITES.find((candidate) => candidate.slug === options.site);
if (site === undefined) throw new Error(`No site ${options.site}: ${DOC_SITES.map((candidate) => candidate.slug).join(', ')}`);

/** The largest pages of the site, so the figures are of the pages that cost most. */
function htmlFiles(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) found.push(...htmlFiles(path));
    else if (name.endsWith('.html')) found.push({path, size: stat.size});
  }
  return found;
}
const pages = htmlFiles(site.root).sort((a, b) => b.size - a.size).slice(0, Number(options.pages)).map(({path}) => readFileSync(path, 'utf8'));
const kib = pages.reduce((sum, page) => sum + page.length, 0) / pages.length / 1024;

const stages = {
  'parse': (page) => page.selector = Selector.fromHtml(page.html),
  'first XPath: string(//h1)': (page) => page.selector.xpath('string(//h1)').get(),
  'second XPath: normalize-space((//p)[1])': (page) => page.selector.xpath('normalize-space((//p)[1])').get(),
  'XPath //a/@href': (page) => page.selector.xpath('//a/@href').getall(),
  'CSS title::text': (page) => page.selector.css('title::text').get(),
  'CSS a::attr(href)': (page) => page.selector.css('a::attr(href)').getall(),
};
const totals = Object.fromEntries(Object.keys(stages).map((name) => [name, []]));
for (let round = 0; round < Number(options.rounds); round++) {
  globalThis.gc?.();
  const work = pages.map((html) => ({html}));
  for (const [name, run] of Object.entries(stages)) {
    const start = process.hrtime.bigint();
    for (const page of work) run(page);
    totals[name].push(Number(process.hrtime.bigint() - start) / 1e6 / work.length);
  }
}
console.log(`${options.dist}: ${site.name}, the ${pages.length} largest pages (${kib.toFixed(0)} KiB mean), ${options.rounds} rounds, median ms/page`);
for (const [name, times] of Object.entries(totals)) {
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`  ${name.padEnd(42)} ${sorted[Math.floor(sorted.length / 2)].toFixed(2)}`);
}
