#!/usr/bin/env node
// Micro-benchmark of choosing a response's encoding and decoding its text (src/http/encoding.ts,
// from dist/: `npm run build` first). Run by hand, never by npm test; every loop is bounded.
//
//   node bench/encoding-micro.mjs [--rounds 5] [--iterations 2000]
//
// "before" is the decoding dragline did until the encodings work (the header's charset or UTF-8,
// nothing else), kept here as the baseline the hot path (UTF-8 with a charset header) must not lose to.
import {parseArgs} from 'node:util';
import iconv from 'iconv-lite';
import {Request} from '../dist/http/request.js';
import {Response} from '../dist/http/response.js';

const {values: options} = parseArgs({options: {rounds: {type: 'string', default: '5'}, iterations: {type: 'string', default: '2000'}}});
const ROUNDS = Number(options.rounds);
const ITERATIONS = Number(options.iterations);

function beforeDecode(body, contentType) {
  const charset = /charset=["']?([\w-]+)/i.exec(contentType ?? '')?.[1]?.toLowerCase();
  const withoutBom = (text) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  if (charset === undefined || charset === 'utf-8' || charset === 'utf8') return withoutBom(body.toString('utf8'));
  try {
    return new TextDecoder(charset).decode(body);
  } catch {
    return withoutBom(body.toString('utf8'));
  }
}

/** A page like the demo site's, about 20 KB: a head with metas, then quotes with non-ASCII text. */
function html(head, quote) {
  const quotes = Array.from({length: 60}, (_, n) => `<div class="quote"><span class="text">${quote} ${n}</span><small class="author">Author ${n}</small><div class="tags"><a class="tag" href="/tag/${n}">tag${n}</a></div></div>`);
  return `<!DOCTYPE html><html lang="en"><head>${head}<meta name="viewport" content="width=device-width"><title>Quotes</title><link rel="stylesheet" href="/s.css"></head><body>${quotes.join('\n')}</body></html>`;
}

const request = new Request('http://127.0.0.1/');
const CASES = [
  {name: 'utf-8, charset in the header (hot path)', contentType: 'text/html; charset=utf-8', body: Buffer.from(html('<meta charset="utf-8">', '“The world” — Café'), 'utf8')},
  {name: 'utf-8, <meta charset> only', contentType: 'text/html', body: Buffer.from(html('<meta charset="utf-8">', '“The world” — Café'), 'utf8')},
  {name: 'utf-8, nothing declared', contentType: 'text/html', body: Buffer.from(html('', '“The world” — Café'), 'utf8')},
  {name: 'ASCII, nothing declared (read as windows-1252)', contentType: 'text/html', body: Buffer.from(html('', '"The world" - Cafe'), 'utf8')},
  {name: 'windows-1252, charset in the header', contentType: 'text/html; charset=windows-1252', body: iconv.encode(html('', '“The world” — Café'), 'windows-1252')},
  {name: 'shift_jis, <meta charset> only', contentType: 'text/html', body: iconv.encode(html('<meta charset="shift_jis">', '東京の天気は晴れ'), 'shift_jis')},
];

/** Microseconds a call, best of ROUNDS rounds; the two are measured in alternation, so load that comes and goes hits both. */
function measurePair(first, second) {
  const best = [Infinity, Infinity];
  for (let round = 0; round < ROUNDS; round++) {
    [first, second].forEach((decodeOnce, which) => {
      const start = process.hrtime.bigint();
      let length = 0;
      for (let i = 0; i < ITERATIONS; i++) length += decodeOnce().length;
      if (length === 0) throw new Error('nothing decoded');
      best[which] = Math.min(best[which], Number(process.hrtime.bigint() - start) / ITERATIONS / 1000);
    });
  }
  return best;
}

const rows = [];
for (const {name, contentType, body} of CASES) {
  const make = () => new Response({url: request.url, status: 200, headers: {'content-type': contentType}, body, request});
  const [before, after] = measurePair(() => beforeDecode(body, contentType), () => make().text);
  rows.push({case: name, KB: (body.length / 1024).toFixed(1), encoding: make().encoding, 'before µs': before.toFixed(1), 'now µs': after.toFixed(1), 'now/before': (after / before).toFixed(2)});
}
console.log(`best of ${ROUNDS} rounds of ${ITERATIONS} responses each (new Response + .text; "before" decodes with main's header-or-UTF-8 rule, which gets the last two wrong)`);
console.table(rows);
