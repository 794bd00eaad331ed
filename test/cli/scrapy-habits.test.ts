/**
 * A Scrapy user's habits through the built CLI: each is refused before the first request with one
 * line saying what to write instead, or works with a warning; none is silently ignored.
 */
import {expect, test} from '@jest/globals';
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {runCli} from '../helpers/cli.js';
import {send, useTestSite, useWorkspace} from '../helpers/site.js';

const site = useTestSite((request, response) => {
  send(response, 200, 'text/html', request.url === '/' ? '<a href="/guide/intro.html">intro</a>' : '<title>Intro</title>');
});
const workspace = useWorkspace('scrapy-habits');

function spiderFile(name: string, body: string): string {
  writeFileSync(join(workspace, `${name}.mjs`), `import {CrawlSpider, LinkExtractor, Rule, Spider} from 'dragline';\n${body}\n`);
  return `${name}.mjs`;
}

test('a misspelt rule callback stops the crawl before its first request, in one line naming the method', async () => {
  const file = spiderFile('docs', `export class DocsSpider extends CrawlSpider {
  static spiderName = 'docs';
  startUrls = ['${site.base}/'];
  rules = [new Rule(new LinkExtractor({allow: /guide/}), {callback: 'parse_item'})];
  parseItem(response) { return {url: response.url}; }
}`);
  const before = site.served.length;
  const result = await runCli(['runspider', file, '-s', 'ROBOTSTXT_OBEY=false'], {cwd: workspace});
  expect(result.code).toBe(1);
  expect(result.stderr).toContain("Error: Spider docs: rule 0's callback 'parse_item' is not a method of the spider: write 'parseItem'");
  expect(result.stderr).toContain('Code: CALLBACK_NOT_FOUND');
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(site.served.length).toBe(before);
});

test("start_urls is refused with the spelling to use; user_agent runs with a warning naming userAgent", async () => {
  const refused = await runCli(['runspider', spiderFile('starts', `export class S extends Spider {
  static spiderName = 'starts';
  start_urls = ['${site.base}/'];
  parse() {}
}`)], {cwd: workspace});
  expect([refused.code, refused.stderr.includes("'start_urls' is Scrapy's name, which dragline does not read: write startUrls"), refused.stderr.includes('Code: SPIDER_INVALID')]).toEqual([1, true, true]);

  const warned = await runCli(['runspider', spiderFile('agent', `export class S extends Spider {
  static spiderName = 'agent';
  startUrls = ['${site.base}/'];
  user_agent = 'mybot';
  parse(response) { return {url: response.url}; }
}`), '-s', 'ROBOTSTXT_OBEY=false', '-O', 'agent.jsonl'], {cwd: workspace});
  expect(warned.code).toBe(0);
  expect(warned.stderr).toContain("WARNING: Spider agent: 'user_agent' is Scrapy's name, which dragline does not read: write userAgent");
});

test('customSettings as an instance field is refused by crawl; an instance spiderName is refused by list instead of hiding the spider', async () => {
  const project = join(workspace, 'project');
  mkdirSync(join(project, 'spiders'), {recursive: true});
  writeFileSync(join(project, 'dragline.config.mjs'), `export default {settings: {SPIDER_MODULES: ['spiders']}};\n`);
  writeFileSync(join(project, 'spiders', 'slow.mjs'), `import {Spider} from 'dragline';
export class SlowSpider extends Spider {
  static spiderName = 'slow';
  customSettings = {DOWNLOAD_DELAY: 5};
}
`);
  const crawl = await runCli(['crawl', 'slow'], {cwd: project});
  expect(crawl.code).toBe(1);
  expect(crawl.stderr).toContain('customSettings is an instance field, but dragline reads it from the class before building the spider: make it static');

  writeFileSync(join(project, 'spiders', 'named.mjs'), `import {Spider} from 'dragline';
export class NamedSpider extends Spider {
  spiderName = 'named';
}
`);
  const list = await runCli(['list'], {cwd: project});
  expect(list.code).toBe(1);
  expect(list.stderr).toContain("Spider class NamedSpider: spiderName is an instance field, but dragline reads it from the class: make it static (static spiderName = 'named')");
  expect(list.stderr).toContain('spiders/named.mjs');
});

test('genspider NAME 127.0.0.1:PORT writes https:// and says how to get http://; crawling a plain-HTTP site with it says what went wrong in one line', async () => {
  const folder = join(workspace, 'genspider');
  mkdirSync(folder, {recursive: true});
  const hostPort = site.base.replace('http://', '');
  const generated = await runCli(['genspider', 'local', hostPort], {cwd: folder});
  expect(generated.code).toBe(0);
  expect(generated.stdout).toContain(`Its start URL is https://${hostPort}/ (https, as no scheme was given); for a plain-HTTP site, give the URL: dragline genspider local http://${hostPort}/`);
  const source = readFileSync(join(folder, 'local.ts'), 'utf8');
  expect(source).toContain(`startUrls = ['https://${hostPort}/']`);
  expect(source).toContain("allowedDomains = ['127.0.0.1']");

  const crawled = await runCli(['runspider', 'local.ts', '-s', 'ROBOTSTXT_OBEY=false', '-s', 'RETRY_ENABLED=false'], {cwd: folder});
  expect(crawled.code).toBe(0);
  expect(crawled.stderr).toContain(`Error downloading <GET https://${hostPort}/>: ${hostPort} does not speak TLS (OpenSSL: wrong version number): it is probably a plain-HTTP server, so use http:// URLs for it (http://${hostPort}/)`);
  expect(crawled.stderr).toContain('"downloader/exception_type_count/twisted.web._newclient.ResponseNeverReceived": 1');

  const withUrl = await runCli(['genspider', '--force', 'local', `${site.base}/`], {cwd: folder});
  expect(withUrl.code).toBe(0);
  expect(withUrl.stdout).not.toContain('Its start URL');
  expect(readFileSync(join(folder, 'local.ts'), 'utf8')).toContain(`startUrls = ['${site.base}/']`);
});

test("a spider named by an instance field, whose rules use Scrapy's LinkExtractor arguments, is refused by list and crawl instead of vanishing", async () => {
  const project = join(workspace, 'extractor-project');
  mkdirSync(join(project, 'spiders'), {recursive: true});
  writeFileSync(join(project, 'dragline.config.mjs'), `export default {settings: {SPIDER_MODULES: ['spiders']}};\n`);
  writeFileSync(join(project, 'spiders', 'docs.mjs'), `import {CrawlSpider, LinkExtractor, Rule} from 'dragline';
export class DocsSpider extends CrawlSpider {
  name = 'docs';
  startUrls = ['${site.base}/'];
  rules = [new Rule(new LinkExtractor({restrict_css: '#content'}), {callback: 'parseItem'})];
  parseItem() { return {}; }
}
`);
  for (const args of [['list'], ['crawl', 'docs']]) {
    const result = await runCli(args, {cwd: project});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Error: LinkExtractor has no option 'restrict_css', so it would be ignored: write restrictCss (in spiders/docs.mjs)");
    expect(result.stderr).toContain('Code: SPIDER_INVALID');
  }
});
