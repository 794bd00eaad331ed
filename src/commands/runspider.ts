import {dirname} from 'node:path';
import {Args} from '@oclif/core';
import {BaseCommand} from '../cli/base-command.js';
import {crawlFlags} from '../cli/crawl-flags.js';
import {crawlOptions, runCrawl} from '../cli/run-crawl.js';
import {createComponentResolver} from '../project/component-resolver.js';
import {loadProject} from '../project/project-file.js';
import {spiderFromFile} from '../project/spider-loader.js';

export default class Runspider extends BaseCommand {
  static summary = 'Run a spider from a TypeScript or JavaScript file, no project required';
  static description = `Loads FILE (.ts, .mts, .js or .mjs; TypeScript runs without a build step and without a typecheck), finds the one spider class it exports, and runs it. Inside a project, the project's settings apply too.`;
  static examples = [
    '<%= config.bin %> <%= command.id %> quotes.ts -o quotes.jsonl',
    '<%= config.bin %> <%= command.id %> quotes.ts -a tag=love -s DOWNLOAD_DELAY=0.5',
  ];
  static args = {
    file: Args.string({description: 'The spider module to run', required: true}),
  };
  static flags = crawlFlags;

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Runspider);
    const options = crawlOptions(flags, this.globalSettings(flags));
    const {spiderClass, file} = await spiderFromFile(args.file);
    const project = await loadProject();
    await runCrawl(spiderClass, project?.settings ?? {}, options, createComponentResolver(project?.root ?? dirname(file)));
  }
}
