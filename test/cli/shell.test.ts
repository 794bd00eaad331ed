import {beforeAll, describe, expect, test} from '@jest/globals';
import {existsSync, mkdirSync, readFileSync, rmSync, symlinkSync} from 'node:fs';
import {join} from 'node:path';
import {spawn} from 'node:child_process';
import {CLI, runCli, waitFor} from '../helpers/cli.js';
import {send, useTestSite, useWorkspace} from '../helpers/site.js';

// `dragline shell` through the built CLI, against pages served from this process.
const site = useTestSite((request, response) => {
  send(response, request.url === '/missing' ? 404 : 200, 'text/html; charset=utf-8', `<html><head><title>Page ${request.url}</title></head><body><a href="/next">next</a></body></html>`);
});
const outside = useWorkspace('shell');
let base: string;
beforeAll(() => {
  base = site.base;
});

describe('dragline shell -c', () => {
  test('evaluates an expression against the fetched response and prints it', async () => {
    const result = await runCli(['shell', `${base}/a`, '-c', "response.css('title::text').get()", '--nolog'], {cwd: outside});
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Page /a\n');
  });

  test('statements with await: fetch() loads another page and replaces response', async () => {
    const code = `const first = response.url; await fetch('${base}/b'); return JSON.stringify([first, response.url, response.status, request.toString()])`;
    const result = await runCli(['shell', `${base}/a`, '-c', code, '--nolog'], {cwd: outside});
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([`${base}/a`, `${base}/b`, 200, `<GET ${base}/b>`]);
  });

  test('an error status is a response to look at, not a failure', async () => {
    const result = await runCli(['shell', `${base}/missing`, '-c', 'response', '--nolog'], {cwd: outside});
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`<404 ${base}/missing>\n`);
  });

  test('view() writes the body to a file and says where', async () => {
    // No browser: an empty $BROWSER and a PATH holding only node (its own folder may hold xdg-open too).
    const bin = join(outside, 'bin-without-browser');
    mkdirSync(bin, {recursive: true});
    if (!existsSync(join(bin, 'node'))) symlinkSync(process.execPath, join(bin, 'node'));
    const result = await runCli(['shell', `${base}/v`, '-c', 'view(response)', '--nolog'], {cwd: outside, env: {BROWSER: '', PATH: bin}});
    expect(result.code).toBe(0);
    const file = /Open file:\/\/(\S+) in a browser/.exec(result.stdout)?.[1];
    expect(file).toBeDefined();
    expect(existsSync(file!)).toBe(true);
    expect(readFileSync(file!, 'utf8')).toContain('<title>Page /v</title>');
    rmSync(join(file!, '..'), {recursive: true, force: true});
  });

  test('mistakes are one line: bad code, a URL without a scheme, a refused connection', async () => {
    const bad = await runCli(['shell', '-c', '1 +', '--nolog'], {cwd: outside});
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n')[0]).toContain('-c is not valid JavaScript');
    const thrown = await runCli(['shell', '-c', 'response.css("a")', '--nolog'], {cwd: outside});
    expect(thrown.code).toBe(2);
    expect(thrown.stderr.split('\n')[0]).toMatch(/-c failed: .*undefined/);
    const url = await runCli(['shell', 'example.org', '--nolog'], {cwd: outside});
    expect(url.code).toBe(2);
    expect(url.stderr.split('\n')[0]).toContain("Invalid URL 'example.org'");
    const refused = await runCli(['shell', 'http://127.0.0.1:1/', '-c', 'response', '--nolog', '-s', 'RETRY_ENABLED=false'], {cwd: outside});
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Code: NO_RESPONSE');
    for (const result of [bad, thrown, url, refused]) expect(result.stderr).not.toMatch(/^ {4}at /m);
  });
});

describe('dragline shell (interactive)', () => {
  test('the console has response and fetch(); each line is answered in turn', async () => {
    const child = spawn(process.execPath, [CLI, 'shell', `${base}/first`, '--nolog'], {cwd: outside, env: {...process.env, NODE_OPTIONS: '', FORCE_COLOR: '0'}, stdio: ['pipe', 'pipe', 'pipe']});
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const answer = async (line: string, expected: string): Promise<void> => {
      child.stdin.write(`${line}\n`);
      await waitFor(() => stdout.includes(expected), 20_000, `the console to answer ${line}`);
    };
    try {
      await waitFor(() => stdout.includes('>>> '), 20_000, 'the prompt');
      expect(stdout).toContain('await fetch(url | request)');
      await answer("response.css('title::text').get()", "'Page /first'");
      await answer(`await fetch('${base}/second')`, `<200 ${base}/second>`);
      await answer("response.css('title::text').get()", "'Page /second'");
      child.stdin.write('.exit\n');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
