// The runners' handle on a site server process (site-server.mjs, docs-server.mjs), over IPC.
import {fork} from 'node:child_process';
import {join} from 'node:path';
import {BENCH_DIR} from './crawlers.mjs';

/** Forks `script` (in bench/) and returns `ask(cmd, extra)`, which resolves with the server's answer. */
export function forkServer(script, args = []) {
  const child = fork(join(BENCH_DIR, script), args, {stdio: ['ignore', 'inherit', 'inherit', 'ipc']});
  let nextId = 0;
  const waiting = new Map();
  child.on('message', (message) => {
    const entry = waiting.get(message.id);
    if (entry === undefined) return;
    waiting.delete(message.id);
    clearTimeout(entry.timer);
    if (message.error) entry.reject(new Error(message.error));
    else entry.resolve(message);
  });
  child.on('exit', (code) => {
    for (const entry of waiting.values()) entry.reject(new Error(`the site server exited (code ${code})`));
    waiting.clear();
  });
  const ask = (cmd, extra = {}) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`the site server did not answer '${cmd}' within 30 s`));
      }, 30_000);
      waiting.set(id, {resolve, reject, timer});
      child.send({id, cmd, ...extra});
    });
  const close = async () => {
    await ask('close').catch(() => undefined);
    if (child.connected) child.disconnect();
  };
  return {pid: child.pid, ask, close};
}

export async function startSiteServer(pages) {
  const {pid, ask, close} = forkServer('site-server.mjs', ['--pages', String(pages)]);
  return {
    pid,
    /** Starts (or returns) the site with this latency; every latency serves the same page graph. */
    url: async (latencyMs) => (await ask('start', {latencyMs})).url,
    reset: () => ask('reset'),
    report: () => ask('report'),
    close,
  };
}

/** The real-pages server: `serve(root)` serves that folder (replacing the last) and returns its URL. */
export function startDocsServer() {
  const {pid, ask, close} = forkServer('docs-server.mjs');
  return {
    pid,
    serve: async (root) => (await ask('start', {root})).url,
    reset: () => ask('reset'),
    report: () => ask('report'),
    close,
  };
}
