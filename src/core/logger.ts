import {appendFileSync} from 'node:fs';
import chalk from 'chalk';
import type {StatsCollector} from './stats.js';

export const LOG_LEVELS = {DEBUG: 10, INFO: 20, WARNING: 30, ERROR: 40, CRITICAL: 50} as const;
export type LogLevel = keyof typeof LOG_LEVELS;

const COLOURS: Record<LogLevel, (text: string) => string> = {
  DEBUG: chalk.gray,
  INFO: chalk.green,
  WARNING: chalk.yellow,
  ERROR: chalk.red,
  CRITICAL: chalk.bgRed.white,
};

export interface LogSink {
  write(line: string, level: LogLevel): void;
}

/** Writes log lines to stderr, coloured when stderr is a terminal; a live progress line, if any, is redrawn below. */
export class StderrSink implements LogSink {
  beforeWrite?: () => void;
  afterWrite?: () => void;
  write(line: string, level: LogLevel): void {
    this.beforeWrite?.();
    const coloured = process.stderr.isTTY ? line.replace(`] ${level}:`, `] ${COLOURS[level](level)}:`) : line;
    process.stderr.write(coloured + '\n');
    this.afterWrite?.();
  }
}

export class FileSink implements LogSink {
  constructor(private readonly path: string) {}
  write(line: string): void {
    appendFileSync(this.path, line + '\n');
  }
}

export class Logger {
  constructor(
    readonly name: string,
    private readonly shared: {level: number; sink?: LogSink; stats?: StatsCollector},
  ) {}

  static create(options: {level?: string; sink?: LogSink; enabled?: boolean; name?: string} = {}): Logger {
    const level = LOG_LEVELS[(options.level ?? 'DEBUG').toUpperCase() as LogLevel] ?? LOG_LEVELS.DEBUG;
    return new Logger(options.name ?? 'dragline', {level, sink: options.enabled === false ? undefined : options.sink ?? new StderrSink()});
  }

  /** A logger for one component; it shares the level, the sink and the log_count stats. */
  child(name: string): Logger {
    return new Logger(name, this.shared);
  }

  /** Counts every line logged, per level, into `log_count/LEVEL`, as Scrapy does. */
  countInto(stats: StatsCollector): void {
    this.shared.stats = stats;
  }

  get sink(): LogSink | undefined {
    return this.shared.sink;
  }

  isEnabledFor(level: LogLevel): boolean {
    return this.shared.sink !== undefined && LOG_LEVELS[level] >= this.shared.level;
  }

  log(level: LogLevel, message: string): void {
    if (LOG_LEVELS[level] < this.shared.level) return;
    this.shared.stats?.inc(`log_count/${level}`);
    this.shared.sink?.write(`${timestamp()} [${this.name}] ${level}: ${message}`, level);
  }

  debug(message: string): void {
    this.log('DEBUG', message);
  }
  info(message: string): void {
    this.log('INFO', message);
  }
  warning(message: string): void {
    this.log('WARNING', message);
  }
  error(message: string): void {
    this.log('ERROR', message);
  }
  critical(message: string): void {
    this.log('CRITICAL', message);
  }
}

function timestamp(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
}
