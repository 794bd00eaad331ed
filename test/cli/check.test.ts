import {beforeAll, describe, expect, test} from '@jest/globals';
import {rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {contractsInSource} from '../../src/cli/contracts.js';
import {runCli} from '../helpers/cli.js';
import {send, useTestSite, useWorkspace} from '../helpers/site.js';

const PAGES: Record<string, string> = {
  '/': '<html><title>Home</title><a class="item" href="/items/1">one</a><a class="item" href="/items/2">two</a></html>',
  '/items/1': '<html><title>Item one</title><span class="price">7</span></html>',
};
const site = useTestSite((request, response) => {
  const body = PAGES[request.url ?? ''];
  send(response, body === undefined ? 404 : 200, 'text/html', body ?? 'not found');
});
const workspace = useWorkspace('check');
let project: string;

function spider(priceField: string, extra = ''): string {
  return `import {Spider, type Response} from 'dragline';

export class ShopSpider extends Spider {
  static spiderName = 'shop';

  /**
   * The home page links to the items.
   * @url ${site.base}/
   * @returns requests 2 2
   * @returns items 0 0
   */
  async *parse(response: Response) {
    for (const href of response.css('a.item::attr(href)').getall()) yield response.follow(href, {callback: this.parseItem});
  }

  /**
   * An item page.
   * @url ${site.base}/items/1
   * @meta {"category": "books"}
   * @returns items 1 1
   * @scrapes title category price
   */
  parseItem(response: Response) {
    return {title: response.css('title::text').get(), category: response.meta.category, ${priceField}};
  }
${extra}
  /** Not a contract: no @url. @returns items 5 */
  helper() {
    return 1;
  }
}
`;
}

beforeAll(async () => {
  expect((await runCli(['startproject', 'shop'], {cwd: workspace})).code).toBe(0);
  project = join(workspace, 'shop');
  rmSync(join(project, 'spiders', 'example.ts'));
});

describe('dragline check', () => {
  test('-l lists the callbacks that have contracts', async () => {
    writeFileSync(join(project, 'spiders', 'shop.ts'), spider("price: response.css('.price::text').get()"));
    const result = await runCli(['check', '-l'], {cwd: project});
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('shop\n  * parse\n  * parseItem\n');
  });

  test('passing contracts: one dot each, OK, exit 0', async () => {
    writeFileSync(join(project, 'spiders', 'shop.ts'), spider("price: response.css('.price::text').get()"));
    const result = await runCli(['check'], {cwd: project});
    expect(result.stdout).toMatch(/^\.\.\.\.\n-{70}\nRan 4 contracts in [\d.]+s\n\nOK\n$/);
    expect(result.code).toBe(0);
  });

  test('a missing field fails its @scrapes; a page that cannot be fetched is an error; exit 1', async () => {
    const broken = `
  /**
   * @url ${site.base}/items/404
   * @returns items 1
   */
  parseMissing(response: Response) {
    return {title: response.url};
  }
`;
    writeFileSync(join(project, 'spiders', 'shop.ts'), spider("cost: response.css('.price::text').get()", broken));
    const result = await runCli(['check', 'shop', '-v'], {cwd: project});
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('[shop] parse (@returns post-hook) ... ok');
    expect(result.stdout).toContain('[shop] parseItem (@returns post-hook) ... ok');
    expect(result.stdout).toContain('[shop] parseItem (@scrapes post-hook) ... FAIL');
    expect(result.stdout).toContain('FAIL: [shop] parseItem (@scrapes post-hook)\n' + '-'.repeat(70) + '\nMissing fields in item 1: price');
    expect(result.stdout).toMatch(new RegExp(`ERROR: \\[shop\\] parseMissing \\(@url post-hook\\)\\n-{70}\\n${site.base.replace(/[.]/g, '\\.')}/items/404: .*404`));
    expect(result.stdout).toMatch(/Ran 5 contracts in [\d.]+s\n\nFAILED \(failures=1, errors=1\)\n$/);
  });
});

test('contracts are read from the doc comment right above each method, whatever its modifiers', () => {
  const source = `
  /**
   * @url https://a.example/
   * @cb_kwargs {"page": 1, "tag": "a b"}
   * @returns items 1 16
   * @see something else
   */
  static async *parseList(response) {}
  /** @url https://a.example/x */ override parseOne<T>(response) {}
  /** just words */ parseNothing() {}
  /** @url https://a.example/arrow */
  parseArrow = (response) => [];
  /** plain */ helper() {}
`;
  expect(contractsInSource(source)).toEqual([
    {method: 'parseList', contracts: [{name: 'url', args: ['https://a.example/']}, {name: 'cb_kwargs', args: ['{"page": 1, "tag": "a b"}']}, {name: 'returns', args: ['items', '1', '16']}]},
    {method: 'parseOne', contracts: [{name: 'url', args: ['https://a.example/x']}]},
  ]);
});

test('@returns with bounds that are not numbers fails instead of passing', async () => {
  const {checkContracts} = await import('../../src/cli/contracts.js');
  expect(checkContracts([{name: 'returns', args: ['items', 'one']}], {items: [{}], requests: 0})).toEqual([{contract: 'returns', message: "@returns bounds must be whole numbers, not 'one'"}]);
  expect(checkContracts([{name: 'returns', args: ['items', '1', '2']}], {items: [{}], requests: 0})).toEqual([]);
});
