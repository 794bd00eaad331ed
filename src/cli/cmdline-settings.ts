import {coerceSetting} from '../settings/settings.js';
import {parseNameValues} from './name-value.js';
import {checkJobDir} from '../settings/job-dir.js';

export interface GlobalFlags {
  set?: string[];
  loglevel?: string;
  logfile?: string;
  nolog?: boolean;
}

/**
 * The settings the global options ask for, at command-line priority: `-s` first, then the log
 * options on top, as Scrapy's ScrapyCommand.process_options. Values are coerced (and checked) by
 * each setting's declared type.
 */
export function cmdlineSettings(flags: GlobalFlags): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(parseNameValues(flags.set, '-s'))) {
    if (name === 'JOBDIR') checkJobDir(value);
    settings[name] = coerceSetting(name, value);
  }
  if (flags.logfile !== undefined) Object.assign(settings, {LOG_ENABLED: true, LOG_FILE: flags.logfile});
  if (flags.loglevel !== undefined) Object.assign(settings, {LOG_ENABLED: true, LOG_LEVEL: flags.loglevel});
  if (flags.nolog) settings.LOG_ENABLED = false;
  return settings;
}
