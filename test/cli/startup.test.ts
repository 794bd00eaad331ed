/** bin/run.js starts oclif without its version check and without ICU collation, and leaves no trace of either. */
import {afterEach, expect, test} from '@jest/globals';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {importOclif, withCodeUnitCompare, withEnv} from '../../src/cli/startup.js';
import {REPO_ROOT, runCli} from '../helpers/cli.js';

const VARIABLE = 'DRAGLINE_STARTUP_TEST';
const nativeLocaleCompare = String.prototype.localeCompare;
const manifestIds = Object.keys((JSON.parse(readFileSync(join(REPO_ROOT, 'oclif.manifest.json'), 'utf8')) as {commands: object}).commands);

afterEach(() => {
  delete process.env[VARIABLE];
  String.prototype.localeCompare = nativeLocaleCompare;
});

test('withEnv sets a variable for its work only, whether it was unset or set before, and after a throw', async () => {
  await expect(withEnv(VARIABLE, '1', async () => process.env[VARIABLE])).resolves.toBe('1');
  expect(Object.hasOwn(process.env, VARIABLE)).toBe(false);
  process.env[VARIABLE] = 'before';
  await expect(withEnv(VARIABLE, '1', async () => { throw new Error(`saw ${process.env[VARIABLE]}`); })).rejects.toThrow('saw 1');
  expect(process.env[VARIABLE]).toBe('before');
});

test('withCodeUnitCompare compares code units during its work and puts localeCompare back, also after a throw', async () => {
  // ICU's collation puts 'a' before 'B'; code units put 'B' (66) before 'a' (97).
  expect('a'.localeCompare('B')).toBeLessThan(0);
  await expect(withCodeUnitCompare(async () => 'a'.localeCompare('B'))).resolves.toBeGreaterThan(0);
  await expect(withCodeUnitCompare(async () => ['job:status', 'crawl', 'job:repair', 'bench'].sort((x, y) => x.localeCompare(y)))).resolves.toEqual(['bench', 'crawl', 'job:repair', 'job:status']);
  expect(String.prototype.localeCompare).toBe(nativeLocaleCompare);
  await expect(withCodeUnitCompare(async () => { throw new Error('boom'); })).rejects.toThrow('boom');
  expect(String.prototype.localeCompare).toBe(nativeLocaleCompare);
});

test("oclif's config loads every command, in the order ICU's collation gives, and leaves the environment and localeCompare as they were", async () => {
  const engineWarning = process.env.OCLIF_DISABLE_ENGINE_WARNING;
  const {Config} = await importOclif();
  expect(process.env.OCLIF_DISABLE_ENGINE_WARNING).toBe(engineWarning);
  const patchedLoad = Config.load;
  const config = await Config.load(REPO_ROOT);
  expect(Config.load).not.toBe(patchedLoad);
  expect(String.prototype.localeCompare).toBe(nativeLocaleCompare);
  expect(config.commandIDs).toEqual([...manifestIds].sort((a, b) => a.localeCompare(b)));
});

test('the CLI lists every command, sorted', async () => {
  const result = await runCli(['--help']);
  expect(result.code).toBe(0);
  const listed = result.stdout.split('COMMANDS\n')[1]!.split('\n').map((line) => /^ {2}(\S+)/.exec(line)?.[1]).filter((id): id is string => id !== undefined);
  const topLevel = manifestIds.filter((id) => !id.includes(':'));
  expect(listed).toEqual([...topLevel].sort((a, b) => a.localeCompare(b)));
  expect(result.stdout).toMatch(/TOPICS\n {2}job /);
});
