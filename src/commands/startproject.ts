import {relative} from 'node:path';
import {Args} from '@oclif/core';
import {BaseCommand} from '../cli/base-command.js';
import {PROJECT_TEMPLATE_DIR} from '../project/templates.js';
import {createProject} from '../project/start-project.js';

export default class Startproject extends BaseCommand {
  static summary = 'Create a new project';
  static description = `Creates a dragline project in DIR (default: a new folder named NAME): a dragline.config.ts project file, a package.json with "type": "module" that depends on this dragline (file:) and on TypeScript (npm install, then npm run typecheck), a strict tsconfig.json, an example spider, an example item pipeline and an example downloader middleware.`;
  static examples = ['<%= config.bin %> <%= command.id %> bookstore', '<%= config.bin %> <%= command.id %> bookstore .'];
  static args = {
    name: Args.string({description: 'Project name: letters, numbers and underscores, not starting with a number', required: true}),
    dir: Args.string({description: 'Folder to create the project in (default: ./NAME)'}),
  };

  async run(): Promise<void> {
    const {args} = await this.parse(Startproject);
    const {target} = createProject(args.name, args.dir);
    const cdPath = relative(process.cwd(), target);
    this.log(`New dragline project '${args.name}', using template directory '${PROJECT_TEMPLATE_DIR}', created in:`);
    this.log(`    ${target}`);
    this.log('');
    this.log('You can start your first spider with:');
    if (cdPath !== '') this.log(`    cd ${cdPath}`);
    this.log('    dragline genspider books books.toscrape.com');
    this.log('');
    this.log('or run the example spider that is already there:');
    this.log('    dragline crawl example -o quotes.jsonl');
    this.log('');
    this.log('To typecheck your spiders (dragline runs them without checking types):');
    this.log('    npm install && npm run typecheck');
  }
}
