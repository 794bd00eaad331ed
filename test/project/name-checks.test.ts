/**
 * What startproject and genspider refuse before writing anything, tested on the functions the
 * commands call (test/cli/project-commands.test.ts keeps the spawned runs of both commands).
 */
import {expect, test} from '@jest/globals';
import {existsSync, mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createProject} from '../../src/project/start-project.js';
import {generateSpider} from '../../src/project/generate-spider.js';
import {renderSpiderTemplate} from '../../src/project/templates.js';
import {EXIT_CODES, isDraglineError} from '../../src/core/errors.js';

function refusal(action: () => unknown): {code?: string; message: string; exit?: number} {
  try {
    action();
  } catch (error) {
    if (!isDraglineError(error)) throw error;
    return {code: error.code, message: error.message, exit: EXIT_CODES[error.code]};
  }
  throw new Error('nothing was refused');
}

test('a bad project name is refused as a usage error, and nothing is written', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'dragline-names-'));
  try {
    for (const name of ['my-shop', '1shop', 'shop.io', '']) {
      const refused = refusal(() => createProject(name, undefined, cwd));
      expect(refused).toMatchObject({code: 'BAD_NAME', exit: 2});
      expect(refused.message).toContain(`Invalid project name '${name}'`);
    }
    expect(readdirSync(cwd)).toEqual([]);
    expect(existsSync(join(cwd, 'my-shop'))).toBe(false);
  } finally {
    rmSync(cwd, {recursive: true, force: true});
  }
});

test('an unknown template lists the known ones', () => {
  const refused = refusal(() => renderSpiderTemplate('jsonfeed', {}));
  expect(refused).toMatchObject({code: 'TEMPLATE_NOT_FOUND', exit: 2});
  expect(refused.message).toMatch(/^Unable to find template: jsonfeed\. Available templates: basic, browser, crawl, csvfeed, xmlfeed$/);
});

test('a spider name that is not a name is refused before anything is written', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'dragline-names-'));
  try {
    for (const name of ['my spider', 'a/b', '']) {
      const error = await generateSpider({name, domain: 'x.org', template: 'basic', force: false, cwd}).then(() => undefined, (caught: unknown) => caught);
      expect(isDraglineError(error) && error.code).toBe('BAD_NAME');
      expect(EXIT_CODES.BAD_NAME).toBe(2);
      expect((error as Error).message).toContain(`Invalid spider name '${name}'`);
    }
    expect(readdirSync(cwd)).toEqual([]);
  } finally {
    rmSync(cwd, {recursive: true, force: true});
  }
});
