import {Args} from '@oclif/core';
import {BaseCommand} from '../cli/base-command.js';
import {crawlFlags} from '../cli/crawl-flags.js';
import {crawlOptions, runCrawl} from '../cli/run-crawl.js';
import {createComponentResolver} from '../project/component-resolver.js';
import {requireProject} from '../project/project-file.js';
import {SpiderLoader} from '../project/spider-loader.js';

export default class Crawl extends BaseCommand {
  static summary = 'Run a spider of the current project, by name';
  static description = `Runs the spider NAME of the project around the current folder. Settings apply in Scrapy's order: defaults, then the project file, then the spider's static customSettings, then the command line (-s, -o, -O, log options).

With -s JOBDIR=DIR the crawl can be paused with Ctrl-C (or SIGTERM) and resumed by running the same command again. The exit code is 0 after a finished or a paused crawl.`;
  static examples = [
    '<%= config.bin %> <%= command.id %> quotes',
    '<%= config.bin %> <%= command.id %> quotes -o quotes.jsonl',
    '<%= config.bin %> <%= command.id %> quotes -a category=humor -O humor.json',
    '<%= config.bin %> <%= command.id %> quotes -s JOBDIR=crawls/quotes-1',
  ];
  static args = {
    spider: Args.string({description: 'Name of the spider to run', required: true}),
  };
  static flags = crawlFlags;

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Crawl);
    const options = crawlOptions(flags, this.globalSettings(flags));
    const project = await requireProject('crawl');
    const {spiderClass} = (await SpiderLoader.fromProject(project)).load(args.spider);
    await runCrawl(spiderClass, project.settings, options, createComponentResolver(project.root));
  }
}
