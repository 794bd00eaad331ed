import {BaseCommand} from '../cli/base-command.js';
import {requireProject} from '../project/project-file.js';
import {SpiderLoader} from '../project/spider-loader.js';

export default class List extends BaseCommand {
  static summary = 'List the spiders of the current project';
  static description = 'Prints the name of every spider in the SPIDER_MODULES folders of the project, sorted, one a line.';
  static examples = ['<%= config.bin %> <%= command.id %>'];

  async run(): Promise<void> {
    await this.parse(List);
    const loader = await SpiderLoader.fromProject(await requireProject('list'));
    for (const name of loader.list()) this.log(name);
  }
}
