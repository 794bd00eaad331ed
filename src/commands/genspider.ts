import {Args, Flags} from '@oclif/core';
import {BaseCommand} from '../cli/base-command.js';
import {DraglineError} from '../core/errors.js';
import {generateSpider} from '../project/generate-spider.js';
import {loadProject} from '../project/project-file.js';
import {spiderTemplateNames} from '../project/templates.js';

export default class Genspider extends BaseCommand {
  static summary = 'Generate a new spider from a template';
  static description = `Writes a spider named NAME that starts at DOMAIN (a domain, perhaps with a port, or a URL: as Scrapy 2.13, a URL is kept as given and a domain becomes https://DOMAIN/; allowedDomains gets the host). Inside a project the file goes into the NEWSPIDER_MODULE folder; outside, into the current folder.`;
  static examples = [
    '<%= config.bin %> <%= command.id %> quotes quotes.toscrape.com',
    '<%= config.bin %> <%= command.id %> -t crawl books https://books.toscrape.com/catalogue/',
    '<%= config.bin %> <%= command.id %> --list',
  ];
  static args = {
    name: Args.string({description: 'Spider name (also the file name)'}),
    domain: Args.string({description: 'Domain or start URL'}),
  };
  static flags = {
    template: Flags.string({char: 't', default: 'basic', helpValue: 'TEMPLATE', description: 'Template to use (see --list)'}),
    list: Flags.boolean({char: 'l', description: 'List the available templates'}),
    force: Flags.boolean({description: 'Write the spider even if a spider of that name or its file exists'}),
  };

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Genspider);
    if (flags.list) {
      this.log('Available templates:');
      for (const name of spiderTemplateNames()) this.log(`  ${name}`);
      return;
    }
    if (args.name === undefined || args.domain === undefined) {
      throw new DraglineError('BAD_ARGUMENT', 'genspider needs a spider NAME and a DOMAIN', {suggestions: ['For example: dragline genspider quotes quotes.toscrape.com']});
    }
    const spider = await generateSpider({name: args.name, domain: args.domain, template: flags.template, force: flags.force, project: await loadProject()});
    this.log(`Created spider '${args.name}' using template '${flags.template}' in module:`);
    this.log(`  ${spider.shownAs}`);
    if (spider.schemeAdded) {
      this.log(`Its start URL is ${spider.url} (https, as no scheme was given); for a plain-HTTP site, give the URL: dragline genspider ${args.name} ${spider.url.replace(/^https:/, 'http:')}`);
    }
  }
}
