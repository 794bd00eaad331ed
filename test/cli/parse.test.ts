import {beforeAll, describe, expect, test} from '@jest/globals';
import {existsSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {runCli, type CliResult} from '../helpers/cli.js';
import {send, useTestSite, useWorkspace} from '../helpers/site.js';

// `dragline parse` through the built CLI, in a project made by startproject, against a small local site.
const PAGES: Record<string, string> = {
  '/': '<html><head><title>Home</title></head><body><a class="item" href="/items/1">one</a> <a class="item" href="/items/2">two</a></body></html>',
  '/items/1': '<html><head><title>Item one</title></head><body><a class="item" href="/items/3">three</a></body></html>',
  '/items/2': '<html><head><title>Item two</title></head><body></body></html>',
  '/items/3': '<html><head><title>Item three</title></head><body></body></html>',
};

const SPIDER = `import {Spider, type Response} from 'dragline';

export class ShopSpider extends Spider {
  static spiderName = 'shop';
  allowedDomains = ['127.0.0.1'];

  async *parse(response: Response) {
    yield {page: new URL(response.url).pathname, title: response.css('title::text').get()};
    for (const href of response.css('a.item::attr(href)').getall()) yield response.follow(href, {callback: this.parseItem});
  }

  parseItem(response: Response, kwargs?: Record<string, unknown>) {
    return [{item: response.css('title::text').get(), category: response.meta.category ?? null, kwargs: kwargs ?? {}}];
  }
}
`;

const OTHER = `import {Spider} from 'dragline';
export class OtherSpider extends Spider {
  static spiderName = 'other';
  allowedDomains = ['other.example'];
}
`;

const site = useTestSite((request, response) => {
  const body = PAGES[request.url ?? ''];
  send(response, body === undefined ? 404 : 200, 'text/html; charset=utf-8', body ?? 'not found');
});
const workspace = useWorkspace('parse');
let project: string;
let base: string;
const QUIET = ['--nolog', '-s', 'DOWNLOAD_DELAY=0', '-s', 'ROBOTSTXT_OBEY=false'];

beforeAll(async () => {
  base = site.base;
  expect((await runCli(['startproject', 'shop'], {cwd: workspace})).code).toBe(0);
  project = join(workspace, 'shop');
  writeFileSync(join(project, 'spiders', 'shop.ts'), SPIDER);
  writeFileSync(join(project, 'spiders', 'other.ts'), OTHER);
  // A project JOBDIR and feed must not be touched by parse.
  writeFileSync(join(project, 'dragline.config.json'), JSON.stringify({settings: {SPIDER_MODULES: ['spiders'], JOBDIR: 'crawls/shared', FEEDS: {'out.jsonl': {format: 'jsonl'}}}}));
  rmSync(join(project, 'dragline.config.ts'));
});

/** The JSON between a section heading and the next blank line. */
function section(stdout: string, depth: number, title: 'Scraped Items' | 'Requests'): string {
  const level = stdout.split(/>>> STATUS DEPTH LEVEL (\d+) <<<\n/);
  const index = level.indexOf(String(depth));
  if (index < 0) throw new Error(`no level ${depth} in:\n${stdout}`);
  const body = level[index + 1];
  const start = body.indexOf(`# ${title}`);
  if (start < 0) throw new Error(`no ${title} at level ${depth} in:\n${body}`);
  const rest = body.slice(body.indexOf('\n', start) + 1);
  return rest.slice(0, rest.indexOf('\n\n'));
}

function expectUserError(result: CliResult, exit: number, code: string, message: RegExp): void {
  expect(result.code).toBe(exit);
  expect(result.stderr.split('\n')[0]).toMatch(message);
  expect(result.stderr).toContain(`Code: ${code}`);
  expect(result.stderr).not.toMatch(/^ {4}at /m);
}

describe('dragline parse', () => {
  test('shows the items and requests of the spider found by the URL host, with its parse callback', async () => {
    const result = await runCli(['parse', `${base}/`, ...QUIET], {cwd: project});
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('>>> STATUS DEPTH LEVEL 1 <<<');
    expect(JSON.parse(section(result.stdout, 1, 'Scraped Items'))).toEqual([{page: '/', title: 'Home'}]);
    expect(section(result.stdout, 1, 'Requests')).toBe(`[<GET ${base}/items/1>,\n <GET ${base}/items/2>]`);
    expect(existsSync(join(project, 'crawls'))).toBe(false);
    expect(existsSync(join(project, 'out.jsonl'))).toBe(false);
  });

  test('-c picks the callback; -m and --cbkwargs reach it', async () => {
    const result = await runCli(['parse', `${base}/items/2`, '--spider', 'shop', '-c', 'parseItem', '-m', '{"category":"books"}', '--cbkwargs', '{"rank":2}', ...QUIET], {cwd: project});
    expect(result.code).toBe(0);
    expect(JSON.parse(section(result.stdout, 1, 'Scraped Items'))).toEqual([{item: 'Item two', category: 'books', kwargs: {rank: 2}}]);
    expect(section(result.stdout, 1, 'Requests')).toBe('[]');
  });

  test('--depth follows requests through their own callbacks; --verbose prints every level', async () => {
    const deep = await runCli(['parse', `${base}/`, '--spider', 'shop', '-d', '2', '-v', ...QUIET], {cwd: project});
    expect(deep.code).toBe(0);
    expect(JSON.parse(section(deep.stdout, 1, 'Scraped Items'))).toEqual([{page: '/', title: 'Home'}]);
    const second = JSON.parse(section(deep.stdout, 2, 'Scraped Items')) as Array<{item: string}>;
    expect(second.map((item) => item.item).sort()).toEqual(['Item one', 'Item two']);
    expect(deep.stdout).not.toContain('DEPTH LEVEL 3');

    const lastOnly = await runCli(['parse', `${base}/`, '--spider', 'shop', '-d', '2', '--noitems', ...QUIET], {cwd: project});
    expect(lastOnly.code).toBe(0);
    expect(lastOnly.stdout).not.toContain('DEPTH LEVEL 1');
    expect(lastOnly.stdout).toContain('DEPTH LEVEL 2');
    expect(lastOnly.stdout).not.toContain('# Scraped Items');
    expect(section(lastOnly.stdout, 2, 'Requests')).toBe('[]');
  });

  test('mistakes get one line with a code: unknown callback, no spider for the host, not a URL, a 404 (-m that is not JSON: crawl-flags.test.ts)', async () => {
    expectUserError(await runCli(['parse', `${base}/`, '--spider', 'shop', '-c', 'parseNothing', ...QUIET], {cwd: project}), 1, 'CALLBACK_NOT_FOUND', /Cannot find callback 'parseNothing' in spider shop/);
    expectUserError(await runCli(['parse', 'http://nobody.invalid/', ...QUIET], {cwd: project}), 2, 'SPIDER_NOT_FOUND', /Unable to find spider for: http:\/\/nobody\.invalid\/: no spider/);
    expectUserError(await runCli(['parse', 'not-a-url', ...QUIET], {cwd: project}), 2, 'BAD_ARGUMENT', /Invalid URL 'not-a-url'/);
    const missing = await runCli(['parse', `${base}/nowhere`, '--spider', 'shop', ...QUIET], {cwd: project});
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`Failed: ${base}/nowhere:`);
    expect(missing.stderr).toContain(`No response for ${base}/nowhere reached the callback`);
    expect(missing.stderr).toContain('Code: NO_RESPONSE');
    const outside = await runCli(['parse', `${base}/`, ...QUIET], {cwd: workspace});
    expectUserError(outside, 2, 'NOT_IN_PROJECT', /parse command must be run inside a dragline project/);
  });
});
