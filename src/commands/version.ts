import {release} from 'node:os';
import {Flags} from '@oclif/core';
import {BaseCommand} from '../cli/base-command.js';
import {dependencyVersion} from '../cli/dependency-versions.js';

export default class Version extends BaseCommand {
  static summary = 'Print the dragline version';
  static description = 'Prints the dragline version; with -v also the versions of Node, the platform and the main libraries, for bug reports.';
  static examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> -v'];
  static flags = {
    verbose: Flags.boolean({char: 'v', description: 'Also print Node, platform and library versions'}),
  };

  async run(): Promise<void> {
    const {flags} = await this.parse(Version);
    if (!flags.verbose) {
      this.log(`dragline ${this.config.version}`);
      return;
    }
    const rows: Array<[string, string]> = [
      ['dragline', this.config.version],
      ['Node', process.version],
      ['Platform', `${process.platform}-${process.arch} (${release()})`],
      ...['got', 'parse5', '@oclif/core', 'chalk'].map((name): [string, string] => [name, dependencyVersion(name)]),
    ];
    const width = Math.max(...rows.map(([name]) => name.length));
    for (const [name, value] of rows) this.log(`${name.padEnd(width)} : ${value}`);
  }
}
