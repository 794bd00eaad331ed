import {spawn, type ChildProcess} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {dirname, join} from 'node:path';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(REPO_ROOT, 'bin', 'run.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  child: ChildProcess;
  output(): {stdout: string; stderr: string};
  done: Promise<CliResult>;
}

/** Starts the built CLI (`node bin/run.js ...`) as a child process. */
export function startCli(args: string[], options: {cwd?: string; env?: Record<string, string>} = {}): RunningCli {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: {...process.env, NODE_OPTIONS: '', FORCE_COLOR: '0', ...options.env},
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => resolve({code, signal, stdout, stderr}));
  });
  return {child, output: () => ({stdout, stderr}), done};
}

/** Runs the built CLI to its end, killing it if it takes longer than `timeoutMs`. */
export async function runCli(args: string[], options: {cwd?: string; env?: Record<string, string>; timeoutMs?: number} = {}): Promise<CliResult> {
  const running = startCli(args, options);
  const timer = setTimeout(() => running.child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  try {
    return await running.done;
  } finally {
    clearTimeout(timer);
  }
}

/** Waits until `condition()` holds, checking every 10 ms, for at most `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs = 30_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Kills (SIGKILL) those of these CLIs still running and waits for each to exit: a test's clean-up. */
export async function killRunning(clis: RunningCli[]): Promise<void> {
  for (const cli of clis) {
    if (cli.child.exitCode === null && cli.child.signalCode === null) {
      cli.child.kill('SIGKILL');
      await cli.done;
    }
  }
}
