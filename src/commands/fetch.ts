import {Args, Flags} from '@oclif/core';
import {BaseCommand} from '../cli/base-command.js';
import {fetchPageFromCommandLine} from '../cli/fetch-one.js';

export default class Fetch extends BaseCommand {
  static summary = "Fetch a URL with dragline's downloader and print the body";
  static description = `Downloads URL through the downloader middlewares (user agent, robots.txt, retries, redirects, cookies), as a spider's request would be, and prints the response body to stdout — or, with --headers, the response headers. Log lines go to stderr (INFO and above unless -L says otherwise). Inside a project, the project's settings apply.`;
  static examples = [
    '<%= config.bin %> <%= command.id %> http://127.0.0.1:8080/ > page.html',
    '<%= config.bin %> <%= command.id %> --headers --no-redirect http://127.0.0.1:8080/old',
  ];
  static args = {
    url: Args.string({description: 'The URL to fetch (with its scheme)', required: true}),
  };
  static flags = {
    headers: Flags.boolean({description: 'Print the response headers instead of the body'}),
    'no-redirect': Flags.boolean({description: 'Do not follow redirects: print the redirect response itself'}),
  };

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Fetch);
    const fetched = await fetchPageFromCommandLine(args.url, this.globalSettings(flags), flags['no-redirect']);
    if (fetched === undefined) this.exit(1);
    if (flags.headers) {
      const lines = [`HTTP ${fetched.status}`, ...Object.entries(fetched.headers).flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((one) => `${name}: ${one}`))];
      process.stdout.write(lines.join('\n') + '\n');
    } else {
      process.stdout.write(fetched.body);
    }
  }
}
