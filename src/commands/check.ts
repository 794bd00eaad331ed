import {Args, Flags} from '@oclif/core';
import {BaseCommand} from '../cli/base-command.js';
import {checkContracts, contractsInFile, type Contract, type ContractedCallback} from '../cli/contracts.js';
import {jsonObject, runParse} from '../cli/parse-spider.js';
import {requireProject} from '../project/project-file.js';
import {SpiderLoader, type SpiderEntry} from '../project/spider-loader.js';

interface Outcome {
  label: string;
  kind: 'FAIL' | 'ERROR';
  message: string;
}

export default class Check extends BaseCommand {
  static summary = "Check the project's spider contracts";
  static description = `As scrapy check: runs every spider callback whose doc comment holds contracts, on the URL its @url names, and checks what it returned. Contracts go in the /** … */ comment right above the method:

  @url URL                       the page to fetch (required)
  @meta JSON / @cb_kwargs JSON   the request's meta and the callback's keyword arguments
  @returns items|requests [MIN [MAX]]   how many (MIN defaults to 1, MAX to no limit)
  @scrapes FIELD…                fields every item must have

Exits with 1 if a contract fails.`;
  static examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> -l', '<%= config.bin %> <%= command.id %> shop -v'];
  static strict = false;
  static args = {
    spider: Args.string({description: 'Spiders to check (default: all of the project)', required: false}),
  };
  static flags = {
    list: Flags.boolean({char: 'l', description: 'Only list the callbacks that have contracts'}),
    verbose: Flags.boolean({char: 'v', description: 'Print every contract checked, not only the failures'}),
  };

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Check);
    const project = await requireProject('check');
    const loader = await SpiderLoader.fromProject(project);
    const names = argv.length > 0 ? (argv as string[]) : loader.list();
    const spiders = names.map((name) => loader.load(name));
    const contracted = spiders.map((entry) => ({entry, callbacks: contractsInFile(entry.file).filter((callback) => hasMethod(entry, callback.method))}));

    if (flags.list) {
      for (const {entry, callbacks} of contracted) {
        if (callbacks.length === 0) continue;
        process.stdout.write(`${entry.name}\n${callbacks.map((callback) => `  * ${callback.method}\n`).join('')}`);
      }
      return;
    }

    const started = performance.now();
    const outcomes: Outcome[] = [];
    let ran = 0;
    const progress: string[] = [];
    for (const {entry, callbacks} of contracted) {
      for (const callback of callbacks) {
        const results = await this.checkCallback(entry, callback, project, this.globalSettings(flags));
        for (const result of results) {
          ran += 1;
          progress.push(result.outcome === undefined ? '.' : result.outcome.kind === 'FAIL' ? 'F' : 'E');
          if (result.outcome !== undefined) outcomes.push(result.outcome);
          if (flags.verbose) process.stdout.write(`${result.label} ... ${result.outcome === undefined ? 'ok' : result.outcome.kind}\n`);
        }
      }
    }
    const lines: string[] = [];
    if (!flags.verbose) lines.push(progress.join(''));
    for (const outcome of outcomes) lines.push('='.repeat(70), `${outcome.kind}: ${outcome.label}`, '-'.repeat(70), outcome.message, '');
    lines.push('-'.repeat(70), `Ran ${ran} contract${ran === 1 ? '' : 's'} in ${((performance.now() - started) / 1000).toFixed(3)}s`, '');
    const failures = outcomes.filter((outcome) => outcome.kind === 'FAIL').length;
    const errors = outcomes.length - failures;
    lines.push(outcomes.length === 0 ? 'OK' : `FAILED (${[failures > 0 ? `failures=${failures}` : '', errors > 0 ? `errors=${errors}` : ''].filter(Boolean).join(', ')})`);
    process.stdout.write(lines.join('\n') + '\n');
    if (outcomes.length > 0) this.exit(1);
  }

  /** Fetches the callback's @url, runs it, and checks each of its post-condition contracts. */
  private async checkCallback(entry: SpiderEntry, callback: ContractedCallback, project: {root: string; settings: Record<string, unknown>}, cmdline: Record<string, unknown>) {
    const label = (contract: string) => `[${entry.name}] ${callback.method} (@${contract} post-hook)`;
    const checks = callback.contracts.filter((contract) => contract.name === 'returns' || contract.name === 'scrapes');
    const url = callback.contracts.find((contract) => contract.name === 'url')?.args[0] ?? '';
    let meta: Record<string, unknown>;
    let cbKwargs: Record<string, unknown>;
    try {
      meta = jsonArgument(callback.contracts, 'meta');
      cbKwargs = jsonArgument(callback.contracts, 'cb_kwargs', 'cbKwargs');
      if (!URL.canParse(url)) throw new Error(`@url is not a URL: '${url}'`);
    } catch (error) {
      return [{label: label('url'), outcome: {label: label('url'), kind: 'ERROR' as const, message: (error as Error).message}}];
    }
    const record = await runParse(entry.spiderClass, {url, callback: callback.method, depth: 1, meta, cbKwargs, pipelines: false}, {
      project, cmdline, commandSettings: {LOG_LEVEL: 'WARNING', STATS_DUMP: false, LOGSTATS_INTERVAL: 0},
    });
    const level = record.levels.get(1);
    if (level === undefined) {
      const why = record.failures.map((failure) => failure.message).join('; ') || 'no response reached the callback (see the log)';
      return [{label: label('url'), outcome: {label: label('url'), kind: 'ERROR' as const, message: `${url}: ${why}`}}];
    }
    const output = {items: level.items, requests: level.requests.length};
    return checks.map((contract) => {
      const failures = checkContracts([contract], output);
      return {label: label(contract.name), outcome: failures.length === 0 ? undefined : {label: label(contract.name), kind: 'FAIL' as const, message: failures.map((failure) => failure.message).join('\n')}};
    });
  }
}

function hasMethod(entry: SpiderEntry, method: string): boolean {
  try {
    return typeof (new entry.spiderClass() as unknown as Record<string, unknown>)[method] === 'function';
  } catch {
    return false;
  }
}

function jsonArgument(contracts: Contract[], ...names: string[]): Record<string, unknown> {
  const contract = contracts.find((candidate) => names.includes(candidate.name));
  return contract === undefined ? {} : jsonObject(contract.args[0], `@${contract.name}`);
}
