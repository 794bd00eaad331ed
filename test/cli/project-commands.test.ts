import {afterAll, beforeAll, describe, expect, test} from '@jest/globals';
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {runCli, type CliResult} from '../helpers/cli.js';

// The project commands through the built CLI (`node bin/run.js`), each in a fresh temp folder.
let workspace: string;

beforeAll(() => {
  workspace = mkdtempSync(join(tmpdir(), 'dragline-cli-'));
});

afterAll(() => {
  rmSync(workspace, {recursive: true, force: true});
});

function freshFolder(name: string): string {
  const folder = join(workspace, name);
  mkdirSync(folder, {recursive: true});
  return folder;
}

/** A user error: the exit code, the message on the first line, and no stack trace anywhere. */
function expectUserError(result: CliResult, exit: number, code: string, message: RegExp): void {
  expect(result.code).toBe(exit);
  const lines = result.stderr.split('\n');
  expect(lines[0]).toMatch(message);
  expect(result.stderr).toContain(`Code: ${code}`);
  expect(result.stderr).not.toMatch(/^ {4}at /m);
}

describe('startproject → genspider → list → settings', () => {
  let project: string;

  beforeAll(async () => {
    const cwd = freshFolder('flow');
    const created = await runCli(['startproject', 'bookshop'], {cwd});
    expect(created.code).toBe(0);
    project = join(cwd, 'bookshop');
  });

  test('startproject writes a runnable project and says what to do next', async () => {
    for (const file of ['dragline.config.ts', 'package.json', 'tsconfig.json', 'spiders/example.ts', 'pipelines.ts', 'middlewares.ts', 'README.md']) {
      expect(existsSync(join(project, file))).toBe(true);
    }
    const pkg = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as {type: string; name: string};
    expect(pkg).toMatchObject({type: 'module', name: 'bookshop'});
    expect(readFileSync(join(project, 'dragline.config.ts'), 'utf8')).toContain("BOT_NAME: 'bookshop'");
    expect(readFileSync(join(project, 'pipelines.ts'), 'utf8')).toContain('export class BookshopPipeline');
    // npm install links node_modules/dragline to the dragline that made the project (test/cli/typecheck-project.test.ts typechecks it).
    const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as {dependencies: Record<string, string>};
    expect(existsSync(join(manifest.dependencies.dragline.replace(/^file:/, ''), 'package.json'))).toBe(true);
  });

  test('genspider writes into NEWSPIDER_MODULE with a https:// start URL and a CamelCase class', async () => {
    const result = await runCli(['genspider', 'books-store', 'books.toscrape.com'], {cwd: project});
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Created spider 'books-store' using template 'basic' in module:");
    const source = readFileSync(join(project, 'spiders', 'books_store.ts'), 'utf8');
    expect(source).toContain('export class BooksStoreSpider extends Spider');
    expect(source).toContain("static spiderName = 'books-store'");
    expect(source).toContain("allowedDomains = ['books.toscrape.com']");
    expect(source).toContain("startUrls = ['https://books.toscrape.com/']");
  });

  test('genspider -t crawl keeps a given URL and writes a parseItem callback', async () => {
    const result = await runCli(['genspider', '-t', 'crawl', 'site', 'http://example.org/catalogue/'], {cwd: project});
    expect(result.code).toBe(0);
    const source = readFileSync(join(project, 'spiders', 'site.ts'), 'utf8');
    expect(source).toContain("startUrls = ['http://example.org/catalogue/']");
    expect(source).toContain("allowedDomains = ['example.org']");
    expect(source).toContain('parseItem');
    expect(source).toContain('extends CrawlSpider');
    expect(source).toContain("new Rule(new LinkExtractor({allow: /\\/items\\//}), {callback: 'parseItem', follow: true})");
  });

  test('genspider -t browser writes a spider whose requests are rendered by the Playwright handler', async () => {
    const result = await runCli(['genspider', '-t', 'browser', 'rendered', 'quotes.toscrape.com'], {cwd: project});
    expect(result.code).toBe(0);
    const source = readFileSync(join(project, 'spiders', 'rendered.ts'), 'utf8');
    expect(source).toContain("DOWNLOAD_HANDLERS: {http: 'playwright', https: 'playwright'}");
    expect(source).toContain("yield new Request('https://quotes.toscrape.com/', {callback: this.parse, meta: rendered('body')})");
    expect(source).toContain("playwright: true, playwright_page_methods: [new PageMethod('waitForSelector', selector)]");
  });

  test('list prints every spider, sorted, from any subfolder of the project', async () => {
    const result = await runCli(['list'], {cwd: join(project, 'spiders')});
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual(['books-store', 'example', 'rendered', 'site']);
  });

  test('settings --get shows project values, and -s overrides them', async () => {
    const bot = await runCli(['settings', '--get', 'BOT_NAME'], {cwd: project});
    expect(bot.stdout.trim()).toBe('bookshop');
    const delay = await runCli(['settings', '--getfloat', 'DOWNLOAD_DELAY'], {cwd: project});
    expect(delay.stdout.trim()).toBe('1');
    const overridden = await runCli(['settings', '--getint', 'CONCURRENT_REQUESTS_PER_DOMAIN', '-s', 'CONCURRENT_REQUESTS_PER_DOMAIN=3'], {cwd: project});
    expect(overridden.stdout.trim()).toBe('3');
    const modules = await runCli(['settings', '--getlist', 'SPIDER_MODULES'], {cwd: project});
    expect(JSON.parse(modules.stdout)).toEqual(['spiders']);
    const obey = await runCli(['settings', '--getbool', 'ROBOTSTXT_OBEY'], {cwd: project});
    expect(obey.stdout.trim()).toBe('true');
  });

  test("edit opens the spider's file with $EDITOR; an unknown spider lists the known ones; a missing editor says so", async () => {
    const opened = join(project, 'opened-by-editor.txt');
    const editor = join(project, 'fake-editor.sh');
    writeFileSync(editor, `#!/bin/sh\necho "$1" > ${opened}\n`);
    chmodSync(editor, 0o755);
    const result = await runCli(['edit', 'books-store'], {cwd: join(project, 'spiders'), env: {EDITOR: editor, VISUAL: ''}});
    expect(result.code).toBe(0);
    expect(readFileSync(opened, 'utf8').trim()).toBe(join(project, 'spiders', 'books_store.ts'));
    const unknown = await runCli(['edit', 'nope'], {cwd: project, env: {EDITOR: editor, VISUAL: ''}});
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Spider not found: nope\. Known spiders: books-store/);
    const missing = await runCli(['edit', 'books-store'], {cwd: project, env: {EDITOR: 'no-such-editor-here', VISUAL: ''}});
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("Could not start the editor 'no-such-editor-here': no such program. Set $EDITOR to one you have");
  });

  test('genspider refuses an existing spider name unless --force', async () => {
    const refused = await runCli(['genspider', 'example', 'other.org'], {cwd: project});
    expectUserError(refused, 1, 'FILE_EXISTS', /Spider 'example' already exists in module: spiders[/\\]example\.ts/);
    const forced = await runCli(['genspider', '--force', 'example', 'other.org'], {cwd: project});
    expect(forced.code).toBe(0);
    expect(readFileSync(join(project, 'spiders', 'example.ts'), 'utf8')).toContain("allowedDomains = ['other.org']");
  });

  test('startproject refuses a folder that already holds a project', async () => {
    const result = await runCli(['startproject', 'again', '.'], {cwd: project});
    expectUserError(result, 1, 'PROJECT_EXISTS', /dragline\.config\.ts already exists in /);
  });
});

describe('settings and genspider outside a project', () => {
  test('settings shows the defaults', async () => {
    const result = await runCli(['settings', '--get', 'BOT_NAME'], {cwd: freshFolder('outside-settings')});
    expect(result.stdout.trim()).toBe('draglinebot');
  });

  test('genspider writes into the current folder', async () => {
    const cwd = freshFolder('outside-genspider');
    const result = await runCli(['genspider', 'quotes', 'quotes.toscrape.com'], {cwd});
    expect(result.code).toBe(0);
    expect(readFileSync(join(cwd, 'quotes.ts'), 'utf8')).toContain('export class QuotesSpider extends Spider');
    const again = await runCli(['genspider', 'quotes', 'quotes.toscrape.com'], {cwd});
    expectUserError(again, 1, 'FILE_EXISTS', /File quotes\.ts already exists/);
  });

  test('genspider --list names the templates', async () => {
    const result = await runCli(['genspider', '--list'], {cwd: freshFolder('list-templates')});
    expect(result.stdout).toMatch(/Available templates:\n {2}basic\n {2}browser\n {2}crawl\n {2}csvfeed\n {2}xmlfeed/);
  });
});

describe('user errors: one line, the right code and exit status, no stack trace', () => {
  test('list outside a project', async () => {
    const cwd = freshFolder('not-a-project');
    const result = await runCli(['list'], {cwd});
    expectUserError(result, 2, 'NOT_IN_PROJECT', /The list command must be run inside a dragline project \(no dragline\.config\.\* found in .*not-a-project or its parents\)/);
  });

  test('startproject does not overwrite an existing file', async () => {
    const cwd = freshFolder('has-package-json');
    writeFileSync(join(cwd, 'package.json'), '{"name": "mine"}');
    const result = await runCli(['startproject', 'shop', '.'], {cwd});
    expectUserError(result, 1, 'PROJECT_EXISTS', /package\.json already exists/);
    expect(readFileSync(join(cwd, 'package.json'), 'utf8')).toBe('{"name": "mine"}');
  });

  test('a project file with the wrong shape names the file and the problem', async () => {
    const cwd = freshFolder('bad-config');
    writeFileSync(join(cwd, 'dragline.config.json'), JSON.stringify({settings: {CONCURRENT_REQUESTS: 'many'}}));
    const result = await runCli(['list'], {cwd});
    expectUserError(result, 1, 'PROJECT_FILE_INVALID', /Invalid project file .*dragline\.config\.json: .*CONCURRENT_REQUESTS/);
  });

  test('a project file that does not load names the file and the line', async () => {
    const cwd = freshFolder('broken-config');
    writeFileSync(join(cwd, 'package.json'), '{"type": "module"}');
    writeFileSync(join(cwd, 'dragline.config.ts'), "export default {\n  settings: {BOT_NAME: 'x',,}\n};\n");
    const result = await runCli(['list'], {cwd});
    expectUserError(result, 1, 'PROJECT_FILE_INVALID', /Invalid project file .*dragline\.config\.ts: it could not be loaded \(line 2\)/);
  });
  test('an unexpected error is one line with the DEBUG hint; DEBUG=dragline shows the stack', async () => {
    const cwd = freshFolder('unexpected');
    writeFileSync(join(cwd, 'dragline.config.mjs'), "export default {get settings() { throw new Error('settings getter exploded'); }};\n");
    const result = await runCli(['list'], {cwd});
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')[0]).toMatch(/Error: settings getter exploded \(unexpected error; run with DEBUG=dragline for details\)/);
    expect(result.stderr).not.toMatch(/^ {4}at /m);
    const debug = await runCli(['list'], {cwd, env: {DEBUG: 'dragline'}});
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/^ {4}at /m);
  });
});
