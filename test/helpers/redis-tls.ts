import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

const BINARY = process.env.REDIS_SERVER ?? 'redis-server';
const CLI = 'redis-cli';
const OPENSSL = 'openssl';

/** A redis-server (or several) on 127.0.0.1 TCP ports, each with its temporary folder. */
export interface RedisNodes {
  ports: number[];
  dir: string;
  /** One command through redis-cli to the node on `port`, its output trimmed. */
  cli(port: number, ...args: string[]): string;
  stop(): Promise<void>;
}

export interface TlsRedis extends RedisNodes {
  port: number;
  /** The throwaway CA that signed the server's certificate: give it to workers as NODE_EXTRA_CA_CERTS. */
  caFile: string;
}

function requireTool(binary: string, versionArg: string, aptPackage: string): void {
  if (spawnSync(binary, [versionArg]).error !== undefined) {
    throw new Error(`${binary} is not installed: these tests need it; run apt-get install -y ${aptPackage}`);
  }
}

/** A TCP port nothing listens on now (the kernel's choice), for a server started right after. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address() as {port: number};
      server.close(() => resolve(port));
    });
  });
}

/** Makes a CA and a server certificate for 127.0.0.1 (and localhost) signed by it, in `dir`. */
function makeCertificates(dir: string): {ca: string; cert: string; key: string} {
  const ca = join(dir, 'ca.crt');
  const caKey = join(dir, 'ca.key');
  const key = join(dir, 'server.key');
  const csr = join(dir, 'server.csr');
  const cert = join(dir, 'server.crt');
  const ext = join(dir, 'server.ext');
  const steps: string[][] = [
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', caKey, '-out', ca, '-days', '2', '-subj', '/CN=dragline test CA'],
    ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', '/CN=127.0.0.1'],
  ];
  for (const step of steps) runOpenssl(step);
  spawnSync('sh', ['-c', `printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > '${ext}'`]);
  runOpenssl(['x509', '-req', '-in', csr, '-CA', ca, '-CAkey', caKey, '-CAcreateserial', '-out', cert, '-days', '2', '-extfile', ext]);
  return {ca, cert, key};
}

function runOpenssl(args: string[]): void {
  const result = spawnSync(OPENSSL, args, {encoding: 'utf8', timeout: 20_000});
  if (result.status !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr}`);
}

/**
 * A TLS-only redis-server on 127.0.0.1 (no plain port), its certificate signed by a CA made in a
 * temporary folder; clients are asked for certificates only with `requireClientCertificate`
 * (redis.conf's default). No persistence.
 */
export async function startTlsRedis(options: {requireClientCertificate?: boolean} = {}): Promise<TlsRedis> {
  requireTool(BINARY, '--version', 'redis-server');
  requireTool(OPENSSL, 'version', 'openssl');
  const dir = mkdtempSync(join(tmpdir(), 'dragline-redis-tls-'));
  const children: ChildProcess[] = [];
  try {
    const {ca, cert, key} = makeCertificates(dir);
    const port = await freePort();
    // redis-cli shows the server's own certificate as its client certificate when one is required.
    const tlsArgs = ['--tls', '--cacert', ca, '--cert', cert, '--key', key, '-h', '127.0.0.1', '-p', String(port)];
    children.push(await launch([
      '--port', '0', '--bind', '127.0.0.1', '--tls-port', String(port),
      '--tls-cert-file', cert, '--tls-key-file', key, '--tls-ca-cert-file', ca, '--tls-auth-clients', options.requireClientCertificate ? 'yes' : 'no',
      '--dir', dir, '--save', '', '--appendonly', 'no',
    ], () => cliOutput(tlsArgs, ['PING']) === 'PONG'));
    return {
      port,
      ports: [port],
      dir,
      caFile: ca,
      cli: (_port, ...args) => cliOutput(tlsArgs, args),
      stop: () => stopAll(children, dir),
    };
  } catch (error) {
    await stopAll(children, dir);
    throw error;
  }
}

/** A plain-text redis-server on a 127.0.0.1 port: for proving what a TLS client does against it. */
export async function startPlainTcpRedis(): Promise<RedisNodes> {
  requireTool(BINARY, '--version', 'redis-server');
  const dir = mkdtempSync(join(tmpdir(), 'dragline-redis-tcp-'));
  const children: ChildProcess[] = [];
  try {
    const port = await freePort();
    children.push(await launch(['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
      () => cliOutput(['-h', '127.0.0.1', '-p', String(port)], ['PING']) === 'PONG'));
    return {ports: [port], dir, cli: (p, ...args) => cliOutput(['-h', '127.0.0.1', '-p', String(p)], args), stop: () => stopAll(children, dir)};
  } catch (error) {
    await stopAll(children, dir);
    throw error;
  }
}

/**
 * A Redis Cluster of `primaries` primaries (no replicas) on 127.0.0.1, each with its own folder and
 * cluster bus port, created with `redis-cli --cluster create`; resolves once every slot is served.
 */
export async function startRedisCluster(primaries = 3): Promise<RedisNodes> {
  requireTool(BINARY, '--version', 'redis-server');
  requireTool(CLI, '--version', 'redis-tools');
  const dir = mkdtempSync(join(tmpdir(), 'dragline-redis-cluster-'));
  const children: ChildProcess[] = [];
  const ports: number[] = [];
  const cli = (port: number, ...args: string[]): string => cliOutput(['-h', '127.0.0.1', '-p', String(port)], args);
  try {
    for (let index = 0; index < primaries; index += 1) {
      const port = await freePort();
      const busPort = await freePort();
      ports.push(port);
      children.push(await launch([
        '--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-port', String(busPort),
        '--cluster-config-file', join(dir, `nodes-${port}.conf`), '--dbfilename', `dump-${port}.rdb`,
        '--dir', dir, '--save', '', '--appendonly', 'no',
      ], () => cli(port, 'PING') === 'PONG'));
    }
    const created = spawnSync(CLI, ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes'],
      {encoding: 'utf8', timeout: 20_000});
    if (created.status !== 0) throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`);
    await until(() => ports.every((port) => /cluster_state:ok/.test(cli(port, 'CLUSTER', 'INFO'))), 15_000, 'the cluster to serve every slot');
    return {ports, dir, cli, stop: () => stopAll(children, dir)};
  } catch (error) {
    await stopAll(children, dir);
    throw error;
  }
}

/** The port of the cluster node that serves `key`'s slot, by asking the nodes themselves. */
export function nodeServing(cluster: RedisNodes, key: string): number {
  const first = cluster.ports[0];
  const slot = Number(cluster.cli(first, 'CLUSTER', 'KEYSLOT', key));
  for (const line of cluster.cli(first, 'CLUSTER', 'NODES').split('\n')) {
    const fields = line.trim().split(' ');
    const port = Number(/:(\d+)@/.exec(fields[1] ?? '')?.[1]);
    for (const range of fields.slice(8)) {
      const [low, high = low] = range.split('-').map(Number);
      if (slot >= low && slot <= high) return port;
    }
  }
  throw new Error(`No node serves slot ${slot} of ${key}`);
}

function cliOutput(connection: string[], args: string[]): string {
  const result = spawnSync(CLI, [...connection, ...args], {encoding: 'utf8', timeout: 5000});
  return (result.stdout ?? '').trim();
}

async function launch(args: string[], ready: () => boolean): Promise<ChildProcess> {
  const child = spawn(BINARY, args, {stdio: ['ignore', 'ignore', 'inherit']});
  try {
    await until(() => {
      if (child.exitCode !== null) throw new Error(`${BINARY} exited with code ${child.exitCode}`);
      return ready();
    }, 10_000, `${BINARY} to start`);
    return child;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stopAll(children: ChildProcess[], dir: string): Promise<void> {
  await Promise.all(children.map(async (child) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((resolve) => {
      timer = setTimeout(resolve, 5000);
    })]);
    clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }));
  rmSync(dir, {recursive: true, force: true});
}
