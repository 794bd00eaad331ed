import {rmSync} from 'node:fs';
import {resolve} from 'node:path';
import {Command, Flags} from '@oclif/core';
import {Settings} from '../settings/settings.js';
import {runSpider} from '../core/crawler-process.js';
import {isDraglineError, EXIT_CODES} from '../core/errors.js';
import {START_PATH, startSite} from '../demo/site.js';
import {DemoSpider} from '../demo/demo-spider.js';

export default class Demo extends Command {
  static override description = 'Crawl the bundled demo site: starts it on 127.0.0.1, crawls it with a JOBDIR and writes the items to a feed';

  static override examples = [
    '<%= config.bin %> demo',
    '<%= config.bin %> demo --pages 2000 --latency 20   # slow enough to try Ctrl-C',
  ];

  static override flags = {
    pages: Flags.integer({description: 'pages on the demo site', default: 500, min: 1, max: 1_000_000}),
    latency: Flags.integer({description: 'server latency per page, in milliseconds', default: 0, min: 0, max: 10_000}),
    output: Flags.string({description: 'folder for the job directory and the items feed', default: 'demo-output'}),
    loglevel: Flags.string({char: 'L', description: 'log level', default: 'INFO'}),
  };

  async run(): Promise<void> {
    const {flags} = await this.parse(Demo);
    const out = resolve(flags.output);
    // The site gets a new port each run, so an old job's URLs point nowhere: start afresh.
    rmSync(out, {recursive: true, force: true});
    const site = await startSite({pages: flags.pages, latencyMs: flags.latency, traps: true});
    this.log(`Demo site with ${flags.pages} pages at ${site.url}/ ; job directory ${out}/job ; items in ${out}/quotes.jsonl`);
    const settings = new Settings();
    settings.update({
      JOBDIR: `${out}/job`,
      FEEDS: {[`${out}/quotes.jsonl`]: {format: 'jsonl'}},
      LOG_LEVEL: flags.loglevel,
      ROBOTSTXT_OBEY: true,
      LOGSTATS_INTERVAL: 5,
    }, 'cmdline');
    try {
      const result = await runSpider({
        spiderClass: DemoSpider,
        settings,
        args: {startUrl: site.url + START_PATH},
        resumeCommand: 'a demo job cannot be resumed (its site is gone); run your own spider with -s JOBDIR=...',
      });
      const hits = site.pageHits();
      const twice = [...hits.values()].filter((count) => count > 1).length;
      this.log(`\nDemo finished (${result.reason}): ${hits.size} of ${flags.pages} pages fetched, ${twice} fetched more than once, ${result.stats.item_scraped_count ?? 0} items in ${out}/quotes.jsonl`);
    } catch (error) {
      if (isDraglineError(error)) this.error(error.message, {exit: EXIT_CODES[error.code], code: error.code});
      throw error;
    } finally {
      await site.close();
    }
  }
}
