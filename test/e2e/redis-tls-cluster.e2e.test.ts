/**
 * The two Redis deployments docs/distributed.md promises beyond a plain server: a job at a
 * `rediss://` address (TLS), and a job on a Redis Cluster node (one hash tag per job, the address
 * names the primary serving its slot, any other node stops the worker with BAD_SETTING). Real
 * workers (the CLI as child processes) against a logging local site and real redis-servers.
 */
import {afterAll, afterEach, beforeAll, describe, expect, test} from '@jest/globals';
import {mkdtempSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {START_PATH, startSite, type DemoSite} from '../../src/demo/site.js';
import {killRunning, REPO_ROOT, runCli, startCli, type CliResult, type RunningCli} from '../helpers/cli.js';
import {expectEveryPageOnce as expectItemOnce, itemPages} from '../helpers/feed-pages.js';
import {nodeServing, startPlainTcpRedis, startRedisCluster, startTlsRedis, type RedisNodes, type TlsRedis} from '../helpers/redis-tls.js';

const SPIDER = join(REPO_ROOT, 'test', 'fixtures', 'jobs', 'site-spider.ts');
const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;

let tlsRedis: TlsRedis | undefined;
let mutualTlsRedis: TlsRedis | undefined;
let cluster: RedisNodes | undefined;
let plain: RedisNodes | undefined;
let site: DemoSite | undefined;
let work: string | undefined;
let running: RunningCli[] = [];

beforeAll(async () => {
  expect(statSync(join(REPO_ROOT, 'dist', 'index.js')).isFile()).toBe(true);
  [tlsRedis, mutualTlsRedis, cluster, plain] = await Promise.all([
    startTlsRedis(), startTlsRedis({requireClientCertificate: true}), startRedisCluster(3), startPlainTcpRedis(),
  ]);
}, 40_000);

afterAll(async () => {
  await Promise.all([tlsRedis?.stop(), mutualTlsRedis?.stop(), cluster?.stop(), plain?.stop()]);
});

afterEach(async () => {
  await killRunning(running);
  running = [];
  await site?.close();
  site = undefined;
  if (work !== undefined) rmSync(work, {recursive: true, force: true});
  work = undefined;
});

function newWork(): string {
  work = mkdtempSync(join(tmpdir(), 'dragline-redis-tls-e2e-'));
  return work;
}

/** A worker of the job at `address`, killed if it runs past `timeoutMs`. */
function worker(address: string, name: string, env: Record<string, string> = {}, timeoutMs = 30_000): Promise<CliResult> {
  const cli = startCli([
    'runspider', SPIDER,
    '-s', `JOBDIR=${address}`,
    '-s', `REDIS_WORKER_DIR=${join(work!, 'workers')}`,
    '-o', join(work!, `items-${name}.jsonl`),
    '-a', `startUrl=${site!.url}${START_PATH}`,
    '-s', 'LOG_LEVEL=INFO',
    '-s', 'CONCURRENT_REQUESTS=8',
  ], {cwd: work, env});
  running.push(cli);
  const timer = setTimeout(() => cli.child.kill('SIGKILL'), timeoutMs);
  return cli.done.finally(() => clearTimeout(timer));
}


/** Every page of the site fetched once, and its item once in the union of the feeds. */
function expectEveryPageOnce(server: DemoSite, names: string[], pages: number): void {
  expect(server.pageHits().size).toBe(pages);
  expect([...server.pageHits().entries()].filter(([, count]) => count !== 1)).toEqual([]);
  expectItemOnce(itemPages(names.map((name) => join(work!, `items-${name}.jsonl`))), pages);
}

function expectFinished(result: CliResult): void {
  expect(result.stderr).not.toMatch(STACK_LINE);
  expect(result.stderr).toContain('Spider closed (finished)');
  expect(result.code).toBe(0);
}

/** Failed with one error line (and its `Code:` line), no stack trace, and the given exit code: returns the error line. */
function expectOneLineError(result: CliResult, code: string, exitCode: number): string {
  expect(result.stderr).not.toMatch(STACK_LINE);
  expect(result.stderr).toContain(`Code: ${code}`);
  const errors = result.stderr.split('\n').filter((line) => /Error: /.test(line));
  expect(errors).toHaveLength(1);
  expect(result.code).toBe(exitCode);
  return errors[0];
}

describe('a job at a rediss:// address (TLS)', () => {
  test('two workers that trust the CA complete the site, every page and item once; job status reads it over TLS', async () => {
    newWork();
    const pages = 200;
    site = await startSite({pages, latencyMs: 2});
    const address = `rediss://127.0.0.1:${tlsRedis!.port}/0#tls`;
    const env = {NODE_EXTRA_CA_CERTS: tlsRedis!.caFile};
    const [a, b] = await Promise.all([worker(address, 'a', env), worker(address, 'b', env)]);
    expectFinished(a);
    expectFinished(b);
    expectEveryPageOnce(site, ['a', 'b'], pages);
    // The keys are in the TLS server, not anywhere else.
    expect(tlsRedis!.cli(tlsRedis!.port, 'HGET', 'dragline:{tls}:meta', 'state')).toBe('finished');

    const status = await runCli(['job', 'status', address, '--json'], {cwd: work, env, timeoutMs: 15_000});
    expect(status.stderr).not.toMatch(STACK_LINE);
    expect(status.code).toBe(0);
    const json = JSON.parse(status.stdout) as {state: string; items: number; leased: number};
    expect(json.state).toBe('finished');
    expect(json.items).toBe(pages);
    expect(json.leased).toBe(0);
  });

  test('a worker that does not trust the certificate fails at once with one REDIS_UNAVAILABLE line', async () => {
    newWork();
    site = await startSite({pages: 10, latencyMs: 0});
    const started = Date.now();
    const result = await worker(`rediss://127.0.0.1:${tlsRedis!.port}/0#untrusted`, 'x', {NODE_EXTRA_CA_CERTS: ''}, 15_000);
    const line = expectOneLineError(result, 'REDIS_UNAVAILABLE', 1);
    expect(line).toMatch(/certificate/i);
    expect(line).toContain('NODE_EXTRA_CA_CERTS');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(site.pageHits().size).toBe(0);
  });

  test('a server that asks for a client certificate (redis.conf\'s default) is named as the cause in one REDIS_UNAVAILABLE line', async () => {
    newWork();
    const address = `rediss://127.0.0.1:${mutualTlsRedis!.port}/0#mutual`;
    const status = await runCli(['job', 'status', address], {cwd: work, env: {NODE_EXTRA_CA_CERTS: mutualTlsRedis!.caFile}, timeoutMs: 15_000});
    expect(expectOneLineError(status, 'REDIS_UNAVAILABLE', 1)).toContain('tls-auth-clients');
  });

  test('a plain-text server at a rediss:// address fails at once with one REDIS_UNAVAILABLE line, for a worker and for job status', async () => {
    newWork();
    site = await startSite({pages: 10, latencyMs: 0});
    const address = `rediss://127.0.0.1:${plain!.ports[0]}/0#plain`;
    const started = Date.now();
    const result = await worker(address, 'x', {}, 15_000);
    expect(expectOneLineError(result, 'REDIS_UNAVAILABLE', 1)).toContain('serves TLS');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(site.pageHits().size).toBe(0);
    const status = await runCli(['job', 'status', address], {cwd: work, timeoutMs: 15_000});
    expect(status.stderr).not.toMatch(STACK_LINE);
    expect(status.code).toBe(1);
    expect(status.stderr).toContain('Cannot reach Redis');
  });
});

describe('a job on a Redis Cluster', () => {
  test('a worker pointed at the primary serving the job slot completes, every page and item once', async () => {
    newWork();
    const pages = 200;
    site = await startSite({pages, latencyMs: 2});
    const port = nodeServing(cluster!, '{cluster-job}');
    const result = await worker(`redis://127.0.0.1:${port}/0#cluster-job`, 'a');
    expectFinished(result);
    expectEveryPageOnce(site, ['a'], pages);
    expect(cluster!.cli(port, 'HGET', 'dragline:{cluster-job}:meta', 'state')).toBe('finished');
    const status = await runCli(['job', 'status', `redis://127.0.0.1:${port}/0#cluster-job`, '--json'], {cwd: work, timeoutMs: 15_000});
    expect(status.code).toBe(0);
    expect((JSON.parse(status.stdout) as {items: number}).items).toBe(pages);
  });

  test('a worker pointed at another node stops at once with one BAD_SETTING line naming the node that serves the slot', async () => {
    newWork();
    site = await startSite({pages: 10, latencyMs: 0});
    const serving = nodeServing(cluster!, '{wrong-node}');
    const other = cluster!.ports.find((port) => port !== serving)!;
    const started = Date.now();
    const result = await worker(`redis://127.0.0.1:${other}/0#wrong-node`, 'x', {}, 15_000);
    const line = expectOneLineError(result, 'BAD_SETTING', 2);
    expect(line).toContain(`127.0.0.1:${serving}`);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(site.pageHits().size).toBe(0);
    // Nothing of the job was written on any node (KEYS lists a node's own keys only).
    for (const port of cluster!.ports) expect(cluster!.cli(port, 'KEYS', 'dragline:{wrong-node}:*')).toBe('');
    // job status at the wrong node says the same, rather than 'there is no job'.
    const status = await runCli(['job', 'status', `redis://127.0.0.1:${other}/0#wrong-node`], {cwd: work, timeoutMs: 15_000});
    expect(expectOneLineError(status, 'BAD_SETTING', 2)).toContain(`does not hold this job's keys (they are on 127.0.0.1:${serving})`);
  });
});
