#!/usr/bin/env node
// A demo page's own work, outside any crawl: a new Response, the demo spider's CSS queries and its
// followAll, 3,000 times after 500 to warm up. Run by hand, once per build, to compare them:
//   node bench/page-micro.mjs [DIR]     DIR: a built checkout (default: this one)
const dir = process.argv[2] ?? new URL('..', import.meta.url).pathname;
const {Response, Request} = await import(`${dir}/dist/index.js`);
const {startSite} = await import(`${dir}/dist/demo/site.js`);
const site = await startSite({pages: 50, latencyMs: 0, links: 10, pageBytes: 6000, traps: false});
const res = await fetch(site.url + '/page/3?a=1&b=2');
const body = Buffer.from(await res.arrayBuffer());
await site.close();
const url = site.url + '/page/3?a=1&b=2';
function once() {
  const req = new Request(url);
  const r = new Response({url, status: 200, headers: {'content-type': 'text/html; charset=utf-8'}, body, request: req});
  const items = [];
  for (const q of r.css('div.quote')) items.push({page: q.attrib['data-page'], text: q.css('span.text::text').get(), author: q.css('small.author::text').get(), tags: q.css('a.tag::text').getall()});
  const reqs = [...r.followAll({css: 'ul.links a'})];
  return items.length + reqs.length;
}
for (let i = 0; i < 500; i++) once();
const t = performance.now();
for (let i = 0; i < 3000; i++) once();
console.log(dir, ((performance.now() - t) / 3000 * 1000).toFixed(1), 'µs/page');
