import {runSpider} from '../core/crawler-process.js';
import {Settings} from '../settings/settings.js';
import type {SpiderClass} from '../spiders/spider.js';
import {feedsFromOptions} from './feed-options.js';
import {parseNameValues} from './name-value.js';
import type {CrawlFlagValues} from './crawl-flags.js';

/** What `crawl` and `runspider` read from their options, checked before any spider is loaded. */
export interface CrawlOptions {
  cmdline: Record<string, unknown>;
  feeds: Record<string, unknown>;
  args: Record<string, string>;
  retryFailed: boolean;
}

export function crawlOptions(flags: CrawlFlagValues, cmdline: Record<string, unknown>): CrawlOptions {
  return {
    cmdline,
    feeds: feedsFromOptions(flags.output, flags['overwrite-output']),
    args: parseNameValues(flags.arg, '-a'),
    retryFailed: flags['retry-failed'] ?? false,
  };
}

/** Settings by Scrapy's priorities: defaults < project < the spider's customSettings < command line. */
export function crawlSettings(projectSettings: Record<string, unknown>, spiderClass: SpiderClass, options: CrawlOptions): Settings {
  const settings = new Settings();
  settings.update(projectSettings, 'project');
  settings.update(spiderClass.customSettings ?? {}, 'spider');
  settings.update(options.cmdline, 'cmdline');
  // -o/-O add to whatever FEEDS already holds; for the same file the command line wins.
  if (Object.keys(options.feeds).length > 0) settings.set('FEEDS', {...settings.getDict('FEEDS'), ...options.feeds}, 'cmdline');
  return settings;
}

export async function runCrawl(
  spiderClass: SpiderClass,
  projectSettings: Record<string, unknown>,
  options: CrawlOptions,
  resolveComponent: (key: string) => Promise<unknown>,
): Promise<{reason: string; stats: Record<string, unknown>}> {
  return runSpider({
    spiderClass,
    settings: crawlSettings(projectSettings, spiderClass, options),
    args: options.args,
    retryFailed: options.retryFailed,
    resolveComponent,
    resumeCommand: commandLineShown(),
  });
}

/** The command the user ran, quoted for a POSIX shell, for the "resume with" hint. */
function commandLineShown(): string {
  const quote = (word: string): string => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);
  return ['dragline', ...process.argv.slice(2)].map(quote).join(' ');
}
