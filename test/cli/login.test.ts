/**
 * The tutorial's login step end to end: the login site of docs/examples/login-site.mjs (a form with
 * a hidden CSRF token; a session cookie once logged in) and the spider of docs/examples/members.ts,
 * run by the built CLI. The members page is only reachable after a login the site accepted, which
 * needs the token fromResponse carries over from the form.
 */
import {afterAll, beforeAll, expect, test} from '@jest/globals';
import {spawn, type ChildProcess} from 'node:child_process';
import {copyFileSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {REPO_ROOT, runCli, waitFor, type CliResult} from '../helpers/cli.js';
import {useWorkspace} from '../helpers/site.js';

const EXAMPLES = join(REPO_ROOT, 'docs', 'examples');
const workspace = useWorkspace('login');
let site: ChildProcess;
let siteLog = '';
let loginUrl = '';
let result: CliResult;

beforeAll(async () => {
  site = spawn(process.execPath, [join(EXAMPLES, 'login-site.mjs')], {env: {...process.env, PORT: '0'}, stdio: ['ignore', 'pipe', 'inherit']});
  site.stdout!.on('data', (chunk: Buffer) => (siteLog += chunk.toString()));
  await waitFor(() => /http:\/\/127\.0\.0\.1:\d+\/login/.test(siteLog), 30_000, 'the login site to start');
  loginUrl = /http:\/\/127\.0\.0\.1:\d+\/login/.exec(siteLog)![0];
  copyFileSync(join(EXAMPLES, 'members.ts'), join(workspace, 'members.ts'));
  result = await runCli(['runspider', 'members.ts', '-a', `loginUrl=${loginUrl}`, '-o', 'members.jsonl', '-s', 'JOBDIR=job', '-L', 'DEBUG'], {cwd: workspace});
}, 90_000);

afterAll(async () => {
  if (site.exitCode === null && site.signalCode === null) {
    const exited = new Promise((resolve) => site.once('exit', resolve));
    site.kill();
    await exited;
  }
});

test('the spider logs in through the form and scrapes the members-only page', () => {
  expect(result.code).toBe(0);
  const items = readFileSync(join(workspace, 'members.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as unknown);
  expect(items).toEqual([{name: 'Ada Lovelace'}, {name: 'Alan Turing'}, {name: 'Grace Hopper'}]);
  expect(result.stderr).not.toContain('Login failed');
});

test('the login was one POST to the form action, redirected to the members page with the session cookie', () => {
  const log = result.stderr;
  expect(log).toMatch(/Crawled \(200\) <GET http:\/\/127\.0\.0\.1:\d+\/login>/);
  expect(log).toMatch(/Redirecting \(302\) to <GET http:\/\/127\.0\.0\.1:\d+\/members> from <POST http:\/\/127\.0\.0\.1:\d+\/login>/);
  expect(log).toMatch(/Crawled \(200\) <GET http:\/\/127\.0\.0\.1:\d+\/members>/);
});

test('the tutorial shows this very spider and names this site', () => {
  const tutorial = readFileSync(join(REPO_ROOT, 'docs', 'tutorial.md'), 'utf8');
  expect(tutorial).toContain(readFileSync(join(EXAMPLES, 'members.ts'), 'utf8'));
  expect(tutorial).toContain('docs/examples/login-site.mjs');
});
