import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {createConnection} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

export interface RedisServer {
  /** redis+unix:///…/redis.sock?db=0 : add `#jobkey`. */
  base: string;
  socket: string;
  dir: string;
  child: ChildProcess;
  stop(): Promise<void>;
  /** kill -9, leaving its files (an AOF) for restart(). */
  kill(): Promise<void>;
  restart(): Promise<void>;
  /** One command through redis-cli, its output trimmed. */
  cli(...args: string[]): string;
}

const BINARY = process.env.REDIS_SERVER ?? 'redis-server';

/**
 * A redis-server of the test's own on a unix socket in a temporary folder (no port to race for),
 * without persistence unless `aof` (then Redis's defaults: appendfsync everysec). Fails, never
 * skips, when the binary is missing.
 */
export async function startRedis(options: {aof?: boolean} = {}): Promise<RedisServer> {
  if (spawnSync(BINARY, ['--version']).error !== undefined) {
    throw new Error(`${BINARY} is not installed: these tests need a real Redis; run apt-get install -y redis-server`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'dragline-redis-'));
  const socket = join(dir, 'redis.sock');
  const args = ['--port', '0', '--unixsocket', socket, '--unixsocketperm', '700', '--dir', dir, '--save', '', '--appendonly', options.aof ? 'yes' : 'no'];
  let child = await launch(args, socket);
  const server: RedisServer = {
    base: `redis+unix://${socket}?db=0`,
    socket,
    dir,
    get child() {
      return child;
    },
    async stop() {
      await stopChild(child, 'SIGTERM');
      rmSync(dir, {recursive: true, force: true});
    },
    async kill() {
      await stopChild(child, 'SIGKILL');
      rmSync(socket, {force: true});
    },
    async restart() {
      child = await launch(args, socket);
    },
    cli(...cliArgs: string[]) {
      const result = spawnSync('redis-cli', ['-s', socket, ...cliArgs], {encoding: 'utf8'});
      return result.stdout.trim();
    },
  };
  return server;
}

async function launch(args: string[], socket: string): Promise<ChildProcess> {
  const child = spawn(BINARY, args, {stdio: ['ignore', 'ignore', 'inherit']});
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (existsSync(socket) && await answers(socket)) return child;
    if (child.exitCode !== null) throw new Error(`${BINARY} exited with code ${child.exitCode}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  child.kill('SIGKILL');
  throw new Error(`${BINARY} did not start within 10 s`);
}

function answers(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const connection = createConnection(socket);
    connection.once('connect', () => connection.write('PING\r\n'));
    connection.once('data', (data) => {
      connection.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    connection.once('error', () => resolve(false));
  });
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([exited, new Promise((resolve) => {
    timer = setTimeout(resolve, 5000);
  })]);
  clearTimeout(timer);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
