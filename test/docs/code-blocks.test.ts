/**
 * Every TypeScript example a user reads type-checks under `strict: true` against the built
 * dragline: the ```ts blocks of README.md and of every page under docs/ (found by walking the
 * folder, so a new page is covered without touching this test), the example spiders under docs/,
 * and the type-level test (test/types/spider-api.ts), whose `@ts-expect-error` lines each must be
 * an error. One program for all of them. A block that is deliberately a fragment says so:
 * ```ts partial, or `<!-- partial -->` on the line before its fence.
 */
import {describe, expect, test} from '@jest/globals';
import {copyFileSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join, relative} from 'node:path';
import {REPO_ROOT} from '../helpers/cli.js';
import {useWorkspace} from '../helpers/site.js';
import {codeBlocks, isTypeScript, linkDragline, typecheck} from '../helpers/typecheck.js';

const DOCS = join(REPO_ROOT, 'docs');

function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(dir, {recursive: true, encoding: 'utf8'})
    .filter((name) => name.endsWith(suffix))
    .sort()
    .map((name) => join(dir, name));
}

describe('codeBlocks', () => {
  test('finds fenced blocks with their language and first line; partial by info string or by comment', () => {
    const page = ['# Title', '', '```ts', 'const a = 1;', '```', 'text', '<!-- partial -->', '', '```typescript', 'yield x;', '```', '```ts partial', 'b();', '```', '````sh', '```', 'nested', '````'].join('\n');
    expect(codeBlocks(page)).toEqual([
      {lang: 'ts', line: 4, code: 'const a = 1;', partial: false},
      {lang: 'typescript', line: 10, code: 'yield x;', partial: true},
      {lang: 'ts', line: 13, code: 'b();', partial: true},
      {lang: 'sh', line: 16, code: '```\nnested', partial: false},
    ]);
  });
});

const workspace = useWorkspace('doc-blocks');

test('README, docs pages, example spiders and the type-level test type-check under strict', () => {
  linkDragline(workspace);
  const files: string[] = [];
  // Where each written file came from: its page and the page line of its first line.
  const origin = new Map<string, {page: string; line: number}>();
  const pages = [join(REPO_ROOT, 'README.md'), ...filesUnder(DOCS, '.md')];
  let checked = 0;
  for (const page of pages) {
    const name = relative(REPO_ROOT, page);
    for (const block of codeBlocks(readFileSync(page, 'utf8'))) {
      if (!isTypeScript(block) || block.partial) continue;
      const file = join(workspace, `${name.replace(/[\\/]/g, '__')}.L${block.line}.ts`);
      // `export {}` keeps each block a module of its own, so two pages' `class BooksSpider` do not collide.
      writeFileSync(file, `${block.code}\nexport {};\n`);
      files.push(file);
      origin.set(relative(workspace, file), {page: name, line: block.line});
      checked++;
    }
  }
  for (const example of [...filesUnder(DOCS, '.ts'), join(REPO_ROOT, 'test', 'types', 'spider-api.ts')]) {
    const file = join(workspace, relative(REPO_ROOT, example).replace(/[\\/]/g, '__'));
    copyFileSync(example, file);
    files.push(file);
    origin.set(relative(workspace, file), {page: relative(REPO_ROOT, example), line: 1});
  }
  expect(checked).toBeGreaterThan(30);

  const errors = typecheck(workspace, files).map(({file, line, code, message}) => {
    const from = origin.get(file);
    return from === undefined ? `${file}(${line}): TS${code} ${message}` : `${from.page}:${from.line + line - 1}: TS${code} ${message}`;
  });
  expect(errors).toEqual([]);
}, 120_000);
