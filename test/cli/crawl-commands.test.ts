import {afterAll, beforeAll, describe, expect, test} from '@jest/globals';
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {runCli, type CliResult} from '../helpers/cli.js';

// crawl and runspider through the built CLI, against a small site served from this process.
const PAGES: Record<string, string> = {
  '/': '<html><head><title>Home</title></head><body><a href="/items/1">one</a> <a href="/items/2">two</a> <a href="/about">about</a></body></html>',
  '/items/1': '<html><head><title>Item one</title></head><body><a href="/">home</a></body></html>',
  '/items/2': '<html><head><title>Item two</title></head><body><a href="/items/1">one</a></body></html>',
  '/about': '<html><head><title>About</title></head><body>nothing to see</body></html>',
  '/feed.rss': '<?xml version="1.0"?><rss version="2.0"><channel><title>News</title><item><title>One</title><link>http://x/1</link></item><item><title>Two</title><link>http://x/2</link></item></channel></rss>',
  '/products.csv': 'id,name\n1,desk\n2,shelf\n',
};

let workspace: string;
let server: Server;
let baseUrl: string;
const userAgents: string[] = [];

beforeAll(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'dragline-crawl-cli-'));
  server = createServer((request, response) => {
    userAgents.push(String(request.headers['user-agent']));
    const body = PAGES[request.url ?? ''];
    response.writeHead(body === undefined ? 404 : 200, {'content-type': 'text/html; charset=utf-8'});
    response.end(body ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(workspace, {recursive: true, force: true});
});

function expectUserError(result: CliResult, exit: number, code: string, message: RegExp): void {
  expect(result.code).toBe(exit);
  expect(result.stderr.split('\n')[0]).toMatch(message);
  expect(result.stderr).toContain(`Code: ${code}`);
  expect(result.stderr).not.toMatch(/^ {4}at /m);
}

function readJsonLines(file: string): Array<Record<string, unknown>> {
  return readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
}

const QUIET = ['--nolog', '-s', 'DOWNLOAD_DELAY=0', '-s', 'ROBOTSTXT_OBEY=false'];

describe('a project made by startproject, crawled end to end', () => {
  let project: string;

  beforeAll(async () => {
    const made = await runCli(['startproject', 'site'], {cwd: workspace});
    expect(made.code).toBe(0);
    project = join(workspace, 'site');
    const generated = await runCli(['genspider', '-t', 'crawl', 'local', baseUrl], {cwd: project});
    expect(generated.code).toBe(0);
  });

  test('startproject → genspider -t crawl → crawl -O writes the items of the item pages', async () => {
    const result = await runCli(['crawl', 'local', '-O', 'items.jsonl', ...QUIET], {cwd: project});
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const items = readJsonLines(join(project, 'items.jsonl'));
    expect(items.map((item) => item.title).sort()).toEqual(['Item one', 'Item two']);
    expect(items.map((item) => item.url).sort()).toEqual([`${baseUrl}items/1`, `${baseUrl}items/2`]);
  });

  test('genspider -t xmlfeed and -t csvfeed write spiders that crawl a feed as they are', async () => {
    for (const [template, name, path] of [['xmlfeed', 'news', 'feed.rss'], ['csvfeed', 'products', 'products.csv']] as const) {
      const generated = await runCli(['genspider', '-t', template, name, `${baseUrl}${path}`], {cwd: project});
      expect(generated.code).toBe(0);
      const result = await runCli(['crawl', name, '-O', `${name}.jsonl`, ...QUIET], {cwd: project});
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    }
    expect(readJsonLines(join(project, 'news.jsonl'))).toEqual([{title: 'One', link: 'http://x/1'}, {title: 'Two', link: 'http://x/2'}]);
    expect(readJsonLines(join(project, 'products.jsonl'))).toEqual([
      {id: '1', name: 'desk', source: `${baseUrl}products.csv`},
      {id: '2', name: 'shelf', source: `${baseUrl}products.csv`},
    ]);
  });

  test('a pipeline named in ITEM_PIPELINES as MODULE#Export is loaded from the project', async () => {
    writeFileSync(join(project, 'tag-pipeline.ts'), [
      "import type {ItemPipeline} from 'dragline';",
      'export class TagPipeline implements ItemPipeline {',
      "  processItem(item: unknown) { return {...(item as object), tagged: 'yes'}; }",
      '}',
    ].join('\n'));
    const pipelines = JSON.stringify({'./tag-pipeline.ts#TagPipeline': 100});
    const result = await runCli(['crawl', 'local', '-O', 'tagged.jsonl', '-s', `ITEM_PIPELINES=${pipelines}`, ...QUIET], {cwd: project});
    expect(result.code).toBe(0);
    const items = readJsonLines(join(project, 'tagged.jsonl'));
    expect(items).toHaveLength(2);
    expect(items.every((item) => item.tagged === 'yes')).toBe(true);
  });

  test('a component key that names no export names the key', async () => {
    const pipelines = JSON.stringify({'./tag-pipeline.ts#Missing': 100});
    const result = await runCli(['crawl', 'local', '-s', `ITEM_PIPELINES=${pipelines}`, ...QUIET], {cwd: project});
    expectUserError(result, 1, 'PROJECT_FILE_INVALID', /Cannot resolve component '\.\/tag-pipeline\.ts#Missing': .*no export 'Missing' \(it exports: TagPipeline\)/);
  });

  test('settings apply as default < project < spider customSettings < command line', async () => {
    writeFileSync(join(project, 'spiders', 'layered.ts'), [
      "import {Spider, type Response} from 'dragline';",
      'export class LayeredSpider extends Spider {',
      "  static spiderName = 'layered';",
      "  static customSettings = {BOT_NAME: 'from-spider', USER_AGENT: 'spider-agent', DOWNLOAD_TIMEOUT: 42};",
      `  startUrls = ['${baseUrl}about'];`,
      '  async *parse(response: Response) {',
      "    yield {bot: this.settings.get('BOT_NAME'), agent: this.settings.get('USER_AGENT'), timeout: this.settings.get('DOWNLOAD_TIMEOUT'),",
      "      delay: this.settings.get('CONCURRENT_REQUESTS_PER_DOMAIN'), retries: this.settings.get('RETRY_TIMES'), title: response.css('title::text').get()};",
      '  }',
      '}',
    ].join('\n'));
    userAgents.length = 0;
    const result = await runCli(['crawl', 'layered', '-O', 'layered.jsonl', '-s', 'USER_AGENT=cli-agent', ...QUIET], {cwd: project});
    expect(result.code).toBe(0);
    expect(readJsonLines(join(project, 'layered.jsonl'))).toEqual([
      // BOT_NAME: project 'site' < spider; USER_AGENT: spider < -s; per-domain concurrency from the project file; RETRY_TIMES default.
      {bot: 'from-spider', agent: 'cli-agent', timeout: 42, delay: 1, retries: 2, title: 'About'},
    ]);
    expect(userAgents).toContain('cli-agent');
  });

  test('a spider with a type error only still loads and runs (tsx does not typecheck)', async () => {
    writeFileSync(join(project, 'spiders', 'loosely-typed.ts'), [
      "import {Spider, type Response} from 'dragline';",
      "const pages: number = 'not a number';",
      'export class LooselyTypedSpider extends Spider {',
      "  static spiderName = 'loosely-typed';",
      `  startUrls = ['${baseUrl}'];`,
      '  async *parse(response: Response) { yield {pages, title: response.css(\'title::text\').get()}; }',
      '}',
    ].join('\n'));
    const result = await runCli(['crawl', 'loosely-typed', '-o', 'typed.json', ...QUIET], {cwd: project});
    expect(result.code).toBe(0);
    expect(JSON.parse(readFileSync(join(project, 'typed.json'), 'utf8'))).toEqual([{pages: 'not a number', title: 'Home'}]);
  });

  test('an unknown spider lists the known ones', async () => {
    const result = await runCli(['crawl', 'nope'], {cwd: project});
    expectUserError(result, 2, 'SPIDER_NOT_FOUND', /Spider not found: nope\. Known spiders: example, layered, local, loosely-typed/);
  });

  // The other flag checks (-a, -o/-O, a -s value's type) are unit tests in crawl-flags.test.ts; this one proves their wiring.
  test('-s without = is refused before anything runs', async () => {
    const result = await runCli(['crawl', 'local', '-s', 'DOWNLOAD_DELAY'], {cwd: project});
    expectUserError(result, 2, 'BAD_ARGUMENT', /Invalid -s value 'DOWNLOAD_DELAY', use -s NAME=VALUE/);
  });

  test('feed URI placeholders: %(name)s, %(time)s and -a arguments; a job keeps its files across batches', async () => {
    const template = 'out/%(name)s-%(category)s-%(time)s.jsonl';
    const job = ['-s', 'JOBDIR=crawls/placeholders', '-a', 'category=desks'];
    const first = await runCli(['crawl', 'local', '-o', template, ...job, ...QUIET, '-s', 'CLOSESPIDER_PAGECOUNT=1'], {cwd: project});
    expect(first.code).toBe(0);
    const files = readdirSync(join(project, 'out'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^local-desks-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\+00-00\.jsonl$/);
    // A second later, %(time)s would name another file: the resumed batch appends to the first one.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const second = await runCli(['crawl', 'local', '-o', template, ...job, ...QUIET], {cwd: project});
    expect(second.code).toBe(0);
    expect(readdirSync(join(project, 'out'))).toEqual(files);
    const items = readJsonLines(join(project, 'out', files[0]!));
    expect(items.map((item) => item.title).sort()).toEqual(['Item one', 'Item two']);
  });

  test('a feed URI placeholder the spider cannot fill says how to fill it', async () => {
    const result = await runCli(['crawl', 'local', '-o', 'out/%(category)s.jsonl'], {cwd: project});
    expectUserError(result, 2, 'BAD_OUTPUT', /Feed URI out\/%\(category\)s\.jsonl uses %\(category\)s, but the spider has no 'category': pass it with -a category=VALUE, or remove it from the URI/);
  });

  // /dev/full answers every write with ENOSPC: a disk that fills up in the middle of a crawl.
  (existsSync('/dev/full') ? test : test.skip)('a full disk mid-crawl is one line saying what to do, and the job resumes afterwards', async () => {
    const job = ['-s', 'JOBDIR=crawls/disk-full'];
    const failed = await runCli(['crawl', 'local', '-o', '/dev/full:jsonl', ...job, ...QUIET], {cwd: project});
    expectUserError(failed, 1, 'WRITE_FAILED', /^ › {3}Error: Cannot write the feed \/dev\/full: no space left on the device; fix that and rerun the same command: the job resumes from its last complete page$/);
    const resumed = await runCli(['crawl', 'local', '-o', 'after-disk-full.jsonl', ...job, ...QUIET], {cwd: project});
    expect(resumed.code).toBe(0);
    expect(readJsonLines(join(project, 'after-disk-full.jsonl')).map((item) => item.title).sort()).toEqual(['Item one', 'Item two']);
  });

  test('a spider module with a syntax error names the file and the line', async () => {
    const broken = join(project, 'spiders', 'broken.ts');
    writeFileSync(broken, "import {Spider} from 'dragline';\n\nexport class BrokenSpider extends Spider {\n  parse() { return 1 +; }\n}\n");
    try {
      const result = await runCli(['list'], {cwd: project});
      expectUserError(result, 1, 'SPIDER_LOAD_FAILED', /Could not load spider module spiders[/\\]broken\.ts \(line 4\): /);
    } finally {
      rmSync(broken);
    }
  });
});

describe('crawl and runspider outside a project', () => {
  test('crawl outside a project says what to do instead', async () => {
    const cwd = join(workspace, 'nowhere');
    mkdirSync(cwd, {recursive: true});
    const result = await runCli(['crawl', 'quotes'], {cwd});
    expectUserError(result, 2, 'NOT_IN_PROJECT', /The crawl command must be run inside a dragline project \(no dragline\.config\.\* found in .*nowhere or its parents\)\. Use 'dragline runspider FILE'/);
  });

  test('runspider runs a loose .ts file (no package.json: loaded as CommonJS) with -a arguments, writing to stdout', async () => {
    const cwd = join(workspace, 'loose');
    mkdirSync(cwd, {recursive: true});
    writeFileSync(join(cwd, 'titles.ts'), [
      "import {Spider, type Response} from 'dragline';",
      'export default class TitlesSpider extends Spider {',
      "  static spiderName = 'titles';",
      '  declare tag: string;',
      `  startUrls = ['${baseUrl}items/2'];`,
      "  async *parse(response: Response) { yield {tag: this.tag, title: response.css('title::text').get()}; }",
      '}',
    ].join('\n'));
    const result = await runCli(['runspider', 'titles.ts', '-a', 'tag=green', '-o', '-:jsonl', ...QUIET], {cwd});
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n').map((line) => JSON.parse(line))).toEqual([{tag: 'green', title: 'Item two'}]);
  });

  test('runspider of a file without a spider, and of a file with two', async () => {
    const cwd = join(workspace, 'not-one');
    mkdirSync(cwd, {recursive: true});
    writeFileSync(join(cwd, 'none.ts'), 'export const answer = 42;\n');
    writeFileSync(join(cwd, 'two.ts'), "import {Spider} from 'dragline';\nexport class A extends Spider { static spiderName = 'a'; }\nexport class B extends Spider { static spiderName = 'b'; }\n");
    expectUserError(await runCli(['runspider', 'none.ts'], {cwd}), 2, 'SPIDER_NOT_FOUND', /No spider found in file: none\.ts/);
    expectUserError(await runCli(['runspider', 'two.ts'], {cwd}), 2, 'BAD_ARGUMENT', /two\.ts exports 2 spiders \(a, b\); runspider runs exactly one/);
  });

  test('a module that throws while loading names the file, the line and the error', async () => {
    const cwd = join(workspace, 'throws');
    mkdirSync(cwd, {recursive: true});
    writeFileSync(join(cwd, 'package.json'), '{"type": "module"}');
    writeFileSync(join(cwd, 'throws.ts'), "import {Spider} from 'dragline';\nexport class T extends Spider { static spiderName = 't'; }\nthrow new Error('no database configured');\n");
    const result = await runCli(['runspider', 'throws.ts'], {cwd});
    expectUserError(result, 1, 'SPIDER_LOAD_FAILED', /Could not load spider module throws\.ts \(line 3\): no database configured/);
  });

  test('two spiders with one name name both files', async () => {
    const cwd = join(workspace, 'dupes');
    mkdirSync(join(cwd, 'spiders'), {recursive: true});
    writeFileSync(join(cwd, 'package.json'), '{"type": "module"}');
    writeFileSync(join(cwd, 'dragline.config.json'), JSON.stringify({settings: {SPIDER_MODULES: ['spiders']}}));
    for (const file of ['first.ts', 'second.ts']) {
      writeFileSync(join(cwd, 'spiders', file), `import {Spider} from 'dragline';\nexport class S extends Spider { static spiderName = 'same'; }\n`);
    }
    const result = await runCli(['list'], {cwd});
    expectUserError(result, 1, 'SPIDER_DUPLICATE', /There are two spiders named 'same': in spiders[/\\]first\.ts and in spiders[/\\]second\.ts/);
  });
});
