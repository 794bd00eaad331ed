/**
 * The Redis client (~480 modules) is loaded only by a crawl whose frontier is Redis: importing
 * dragline, as every spider does, must not load it (a one-page crawl cost 11 MB more when it did).
 */
import {expect, test} from '@jest/globals';
import {spawnSync} from 'node:child_process';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {REPO_ROOT} from '../helpers/cli.js';

test("importing dragline's built package loads no Redis module", () => {
  const index = pathToFileURL(join(REPO_ROOT, 'dist', 'index.js')).href;
  const script = [
    `await import(${JSON.stringify(index)});`,
    "const {createRequire} = await import('node:module');",
    'const loaded = Object.keys(createRequire(import.meta.url).cache);',
    "console.log(JSON.stringify({modules: loaded.length, redis: loaded.filter((path) => path.includes('@redis')).length}));",
  ].join('\n');
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {cwd: REPO_ROOT, encoding: 'utf8', timeout: 30_000, env: {...process.env, NODE_OPTIONS: ''}});
  expect(result.stderr).toBe('');
  const {modules, redis} = JSON.parse(result.stdout) as {modules: number; redis: number};
  // CommonJS packages dragline does load (iconv-lite, proper-lockfile, ...) are there: the check sees them.
  expect(modules).toBeGreaterThan(10);
  expect(redis).toBe(0);
});

test('the job commands load no Redis module until they are given a Redis address', () => {
  const commands = ['status', 'pause', 'export', 'delete'].map((name) => pathToFileURL(join(REPO_ROOT, 'dist', 'commands', 'job', `${name}.js`)).href);
  const script = [
    ...commands.map((href) => `await import(${JSON.stringify(href)});`),
    "const {createRequire} = await import('node:module');",
    "console.log(Object.keys(createRequire(import.meta.url).cache).filter((path) => path.includes('@redis')).length);",
  ].join('\n');
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {cwd: REPO_ROOT, encoding: 'utf8', timeout: 30_000, env: {...process.env, NODE_OPTIONS: ''}});
  expect(result.stderr).toBe('');
  expect(Number(result.stdout)).toBe(0);
});
