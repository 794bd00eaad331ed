// Running one crawler as a child process and measuring it: wall time (here), CPU seconds and peak
// RSS (from /usr/bin/time -v, the child's own rusage), and what the site served (from its log).
import {spawn, spawnSync} from 'node:child_process';
import {createWriteStream, existsSync, readFileSync, readdirSync} from 'node:fs';
import {join} from 'node:path';

export const TIME_BINARY = '/usr/bin/time';

export function haveTimeBinary() {
  return existsSync(TIME_BINARY) && spawnSync(TIME_BINARY, ['-v', 'true'], {stdio: 'ignore'}).status === 0;
}

/** The 1-minute load average, as a figure of how busy the machine was. */
export function loadAverage() {
  try {
    return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  } catch {
    return NaN;
  }
}

/** Parses what `/usr/bin/time -v -o FILE` wrote. */
export function parseTimeReport(text) {
  const field = (label) => {
    const match = new RegExp(`${label}: (.+)`).exec(text);
    return match ? match[1].trim() : undefined;
  };
  const user = Number(field('User time \\(seconds\\)') ?? NaN);
  const system = Number(field('System time \\(seconds\\)') ?? NaN);
  return {
    cpuSeconds: user + system,
    userSeconds: user,
    systemSeconds: system,
    peakRssBytes: Number(field('Maximum resident set size \\(kbytes\\)') ?? NaN) * 1024,
    exitStatus: Number(field('Exit status') ?? NaN),
  };
}

/**
 * Runs `argv` under /usr/bin/time in `cwd`, its output to `logPath`, and kills it (the whole
 * process group) past `timeoutMs`. `onStarted` gets the child, for a kill -9 test.
 */
export function runMeasured({argv, cwd, env, logPath, timeoutMs, timed = true, onStarted}) {
  const timeFile = join(cwd, '.time-report');
  const command = timed ? [TIME_BINARY, '-v', '-o', timeFile, ...argv] : argv;
  const log = createWriteStream(logPath);
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), {cwd, env: {...process.env, ...env}, stdio: ['ignore', 'pipe', 'pipe'], detached: true});
    child.stdout.pipe(log, {end: false});
    child.stderr.pipe(log, {end: false});
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, timeoutMs);
    onStarted?.(child);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      // Let the pipes drain into the log before it is closed.
      setTimeout(() => {
        log.end();
        const report = timed && existsSync(timeFile) ? parseTimeReport(readFileSync(timeFile, 'utf8')) : {};
        resolve({wallSeconds, code, signal, timedOut, ...report});
      }, 50);
    });
  });
}

/** Items in a JSON lines file: how many, and how many distinct pages they name. */
export function countJsonLines(path, pageField = 'page') {
  if (!existsSync(path)) return {items: 0, distinctPages: 0, broken: 0};
  const pages = new Set();
  let items = 0;
  let broken = 0;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const item = JSON.parse(line);
      items += 1;
      pages.add(String(item[pageField]));
    } catch {
      broken += 1;
    }
  }
  return {items, distinctPages: pages.size, broken};
}

/** Items in a Crawlee dataset directory (one JSON file an item). */
export function countCrawleeDataset(dir, pageField = 'page') {
  if (!existsSync(dir)) return {items: 0, distinctPages: 0, broken: 0};
  const pages = new Set();
  let items = 0;
  let broken = 0;
  for (const name of readdirSync(dir)) {
    if (!/^\d+\.json$/.test(name)) continue;
    try {
      const item = JSON.parse(readFileSync(join(dir, name), 'utf8'));
      items += 1;
      pages.add(String(item[pageField]));
    } catch {
      broken += 1;
    }
  }
  return {items, distinctPages: pages.size, broken};
}
