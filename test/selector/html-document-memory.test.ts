/**
 * parseHtml's trees are compact: texts are flat strings (not the ropes their runs were appended
 * into) and children are kept in arrays of their own length. Measured against the tree parse5's
 * stock htmlparser2 adapter builds for the same page, in the same process, so V8's object sizes
 * cancel out; html-document.test.ts proves the two trees are the same node for node.
 */
import {expect, test} from '@jest/globals';
import {parse} from 'parse5';
import {adapter as stockAdapter, type Htmlparser2TreeAdapterMap} from 'parse5-htmlparser2-tree-adapter';
import {parseHtml} from '../../src/selector/html-document.js';

const gc = (globalThis as {gc?: () => void}).gc;

const WORDS = 'the quick brown fox jumps over the lazy dog again and again';
const PAGE = `<!DOCTYPE html><html><head><title>t</title></head><body>${Array.from({length: 2000}, (_, i) => `<p class="p${i % 7}">${WORDS} &amp; <a href="/x/${i}">link ${i}</a>, <b>${i}</b> more words here</p>\n`).join('')}</body></html>`;

/** Heap bytes one tree keeps alive, the mean over five trees held at once. */
function treeBytes(parsePage: () => unknown): number {
  const heapUsed = (): number => {
    gc!();
    gc!();
    return process.memoryUsage().heapUsed;
  };
  const trees: unknown[] = [];
  const before = heapUsed();
  for (let i = 0; i < 5; i++) trees.push(parsePage());
  const after = heapUsed();
  expect(trees).toHaveLength(5);
  return (after - before) / 5;
}

test('a page of prose parses into a tree less than half the size of the stock adapter\'s', () => {
  if (gc === undefined) throw new Error('This test needs --expose-gc (npm test sets it: NODE_OPTIONS=--expose-gc)');
  parseHtml(PAGE);
  const stock = treeBytes(() => parse<Htmlparser2TreeAdapterMap>(PAGE, {treeAdapter: stockAdapter, scriptingEnabled: false}));
  const ours = treeBytes(() => parseHtml(PAGE));
  // About a third here; with ropes and growable arrays it was 63%.
  expect(ours / stock).toBeLessThan(0.45);
});
