import {expect, it} from '@jest/globals';
import {execFileSync, spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {REPO_ROOT} from './cli.js';

/**
 * Scrapy as the oracle. Each `test/oracle/NAME.py` prints, as JSON, its inputs with the answers the
 * installed Scrapy/parsel/w3lib give for them; that output is committed as
 * `test/fixtures/oracle/NAME.json`, so the differential tests run without Python. Regenerate with
 * `/usr/bin/python3 test/oracle/NAME.py > test/fixtures/oracle/NAME.json`.
 * A script's name must not be a standard library module's (`selectors.py` broke every other script:
 * Python puts the script's folder first on sys.path).
 */
const PYTHON = '/usr/bin/python3';

export function oracleFixture<T>(name: string): T {
  return JSON.parse(readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'oracle', `${name}.json`), 'utf8')) as T;
}

function scrapyInstalled(): boolean {
  return spawnSync(PYTHON, ['-c', 'import scrapy'], {stdio: 'ignore'}).status === 0;
}

/**
 * A test that the committed fixture is what the installed Scrapy answers today. Without Scrapy it
 * fails in CI (which installs it: scripts/system-packages.sh) and is skipped on a developer's machine.
 */
export function itMatchesInstalledScrapy(name: string): void {
  const installed = scrapyInstalled();
  if (!installed && !process.env.CI) {
    it.skip(`fixture ${name}.json is what the installed Scrapy answers (needs: apt-get install -y python3-scrapy)`, () => {});
    return;
  }
  it(`fixture ${name}.json is what the installed Scrapy answers`, () => {
    if (!installed) throw new Error('Scrapy is not installed: run `apt-get install -y python3-scrapy` (scripts/system-packages.sh does)');
    const output = execFileSync(PYTHON, [join(REPO_ROOT, 'test', 'oracle', `${name}.py`)], {encoding: 'utf8', maxBuffer: 64 << 20});
    expect(JSON.parse(output)).toEqual(oracleFixture(name));
  });
}
