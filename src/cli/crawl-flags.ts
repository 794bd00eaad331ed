import {Flags} from '@oclif/core';

/** The options of `crawl` and `runspider`, as Scrapy's BaseRunSpiderCommand. */
export const crawlFlags = {
  arg: Flags.string({
    char: 'a',
    multiple: true,
    multipleNonGreedy: true,
    helpValue: 'NAME=VALUE',
    description: 'Set a spider argument: an attribute of the spider instance (repeatable)',
  }),
  output: Flags.string({
    char: 'o',
    multiple: true,
    multipleNonGreedy: true,
    helpValue: 'FILE[:FORMAT]',
    description: 'Append scraped items to FILE (- for stdout); the format is the :FORMAT suffix or the extension (json, jsonl, csv)',
  }),
  'overwrite-output': Flags.string({
    char: 'O',
    multiple: true,
    multipleNonGreedy: true,
    helpValue: 'FILE[:FORMAT]',
    description: 'Write scraped items to FILE, replacing its contents',
  }),
  'retry-failed': Flags.boolean({
    description: 'When resuming a JOBDIR, schedule again the requests that failed for good in earlier runs',
  }),
};

export interface CrawlFlagValues {
  arg?: string[];
  output?: string[];
  'overwrite-output'?: string[];
  'retry-failed'?: boolean;
}
