/**
 * A project made by startproject typechecks with `npm run typecheck` once installed: it depends on
 * the running dragline through a file: link and on TypeScript and @types/node. The test installs
 * nothing from a registry: it makes the links `npm install` would make, to this repository and to
 * the repository's own typescript and @types/node.
 */
import {beforeAll, expect, test} from '@jest/globals';
import {spawnSync} from 'node:child_process';
import {mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {REPO_ROOT, runCli} from '../helpers/cli.js';
import {useWorkspace} from '../helpers/site.js';

const workspace = useWorkspace('typecheck');
const project = join(workspace, 'shop');

function typecheck(): {status: number | null; output: string} {
  const npm = spawnSync('npm', ['run', '--silent', 'typecheck'], {
    cwd: project,
    encoding: 'utf8',
    timeout: 120_000,
    env: {...process.env, NODE_OPTIONS: '', npm_config_update_notifier: 'false', npm_config_offline: 'true'},
  });
  return {status: npm.status, output: `${npm.stdout}${npm.stderr}`};
}

beforeAll(async () => {
  expect((await runCli(['startproject', 'shop'], {cwd: workspace})).code).toBe(0);
  expect((await runCli(['genspider', '-t', 'crawl', 'catalogue', 'shop.example'], {cwd: project})).code).toBe(0);
  expect((await runCli(['genspider', '-t', 'browser', 'rendered', 'shop.example'], {cwd: project})).code).toBe(0);
  const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as {dependencies: Record<string, string>; devDependencies: Record<string, string>};
  // What `npm install` makes of the file: dependency is a link to this very dragline.
  expect(realpathSync(manifest.dependencies.dragline.replace(/^file:/, ''))).toBe(realpathSync(REPO_ROOT));
  expect(Object.keys(manifest.devDependencies).sort()).toEqual(['@types/node', 'typescript']);
  mkdirSync(join(project, 'node_modules', '@types'), {recursive: true});
  symlinkSync(REPO_ROOT, join(project, 'node_modules', 'dragline'), 'dir');
  symlinkSync(join(REPO_ROOT, 'node_modules', 'typescript'), join(project, 'node_modules', 'typescript'), 'dir');
  symlinkSync(join(REPO_ROOT, 'node_modules', '@types', 'node'), join(project, 'node_modules', '@types', 'node'), 'dir');
  mkdirSync(join(project, 'node_modules', '.bin'), {recursive: true});
  symlinkSync(join('..', 'typescript', 'bin', 'tsc'), join(project, 'node_modules', '.bin', 'tsc'));
}, 120_000);

test('the generated project passes strict tsc, Node APIs included; a type error fails it, naming the file and line', () => {
  writeFileSync(join(project, 'spiders', 'env.ts'), `import {Spider, type Response} from 'dragline';
export class EnvSpider extends Spider {
  static spiderName = 'env';
  startUrls = [process.env.START_URL ?? 'http://127.0.0.1/'];
  parse(response: Response) {
    return {url: response.url, title: response.css('title::text').get()};
  }
}
`);
  const clean = typecheck();
  expect(clean.output).toBe('');
  expect(clean.status).toBe(0);

  writeFileSync(join(project, 'spiders', 'broken.ts'), `import {Spider} from 'dragline';
export class BrokenSpider extends Spider {
  static spiderName = 'broken';
  startUrls: string[] = [42];
}
`);
  const broken = typecheck();
  expect(broken.status).not.toBe(0);
  expect(broken.output).toContain("spiders/broken.ts(4,26): error TS2322: Type 'number' is not assignable to type 'string'.");
});
