import {Args, Flags} from '@oclif/core';
import chalk from 'chalk';
import {BaseCommand} from '../cli/base-command.js';
import {checkPageUrl} from '../cli/fetch-one.js';
import {parseNameValues} from '../cli/name-value.js';
import {formatParseLevels, jsonObject, runParse} from '../cli/parse-spider.js';
import {DraglineError} from '../core/errors.js';
import {requireProject} from '../project/project-file.js';
import {SpiderLoader, type SpiderEntry} from '../project/spider-loader.js';

export default class Parse extends BaseCommand {
  static summary = 'Fetch a URL and show what a spider callback makes of it';
  static description = `As scrapy parse: fetches URL with the project's settings, hands the response to a callback of a spider (the one named by --spider, else the one whose allowedDomains or name match the URL's host) and prints the items and requests it produced. With --rules (a CrawlSpider), the first rule whose link extractor matches URL handles it as in a crawl: its callback and cbKwargs, then its links if it follows them. With --depth N, the requests are followed N-1 levels deep, each through its own callback; --verbose prints every level, otherwise only the deepest. Nothing is written to a job directory or a feed.`;
  static examples = [
    '<%= config.bin %> <%= command.id %> http://127.0.0.1:8080/page/1 --spider quotes',
    '<%= config.bin %> <%= command.id %> http://127.0.0.1:8080/page/1 -c parseQuote -d 2 -v',
    `<%= config.bin %> <%= command.id %> http://127.0.0.1:8080/item/7 --spider shop -c parseItem -m '{"category":"books"}'`,
    '<%= config.bin %> <%= command.id %> http://127.0.0.1:8080/guide/intro.html --spider docs --rules -d 2',
  ];
  static args = {
    url: Args.string({description: 'The URL to parse (with its scheme)', required: true}),
  };
  static flags = {
    spider: Flags.string({description: 'Use this spider instead of looking one up by the URL', helpValue: 'NAME'}),
    arg: Flags.string({char: 'a', multiple: true, multipleNonGreedy: true, helpValue: 'NAME=VALUE', description: 'Set a spider argument (repeatable)'}),
    callback: Flags.string({char: 'c', helpValue: 'METHOD', description: 'The spider method that parses the response (default: parse)'}),
    rules: Flags.boolean({char: 'r', description: "Use the CrawlSpider's rules to find the callback: the first rule whose link extractor matches URL handles it, as in a crawl"}),
    meta: Flags.string({char: 'm', helpValue: 'JSON', description: 'Request meta, as a JSON object'}),
    cbkwargs: Flags.string({helpValue: 'JSON', description: 'Keyword arguments for the callback, as a JSON object'}),
    depth: Flags.integer({char: 'd', default: 1, min: 1, max: 100, description: 'Levels of requests to follow'}),
    verbose: Flags.boolean({char: 'v', description: 'Print every depth level, not only the deepest'}),
    pipelines: Flags.boolean({description: "Send the items through the project's item pipelines"}),
    noitems: Flags.boolean({description: 'Do not print the items'}),
    nolinks: Flags.boolean({description: 'Do not print the requests'}),
    nocolour: Flags.boolean({description: 'No colours, even on a terminal'}),
  };

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Parse);
    checkPageUrl(args.url);
    const spiderArgs = parseNameValues(flags.arg, '-a');
    const meta = jsonObject(flags.meta, '--meta');
    const cbKwargs = jsonObject(flags.cbkwargs, '--cbkwargs');
    const project = await requireProject('parse');
    const entry = pickSpider(await SpiderLoader.fromProject(project), args.url, flags.spider);

    const target = {url: args.url, callback: flags.callback, rules: flags.rules, depth: flags.depth, meta, cbKwargs, pipelines: flags.pipelines};
    const record = await runParse(entry.spiderClass, target, {project, cmdline: this.globalSettings(flags), args: spiderArgs});

    for (const failure of record.failures) process.stderr.write(`Failed: ${failure.url}: ${failure.message}\n`);
    if (record.levels.size === 0) {
      throw new DraglineError('NO_RESPONSE', `No response for ${args.url} reached the callback${record.failures.length > 0 ? '' : ' (see the log above)'}`);
    }
    const depths = [...record.levels.keys()].sort((a, b) => a - b);
    const shown = flags.verbose ? depths : [record.deepest];
    const colour = !flags.nocolour && process.stdout.isTTY === true;
    const heading = (text: string): string => (colour ? chalk.bold.cyan(text) : text);
    process.stdout.write(formatParseLevels(shown.map((depth) => record.level(depth)), {items: !flags.noitems, requests: !flags.nolinks}, heading));
  }
}

function pickSpider(loader: SpiderLoader, url: string, name: string | undefined): SpiderEntry {
  if (name !== undefined) return loader.load(name);
  const found = loader.findByUrl(url);
  if (found.length === 1) return found[0];
  const why = found.length === 0 ? 'no spider of this project handles its host' : `${found.length} spiders handle its host (${found.map((entry) => entry.name).join(', ')})`;
  throw new DraglineError('SPIDER_NOT_FOUND', `Unable to find spider for: ${url}: ${why}`, {suggestions: ['Name the spider with --spider NAME']});
}

