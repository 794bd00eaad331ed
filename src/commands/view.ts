import {Args, Flags} from '@oclif/core';
import {BaseCommand} from '../cli/base-command.js';
import {fetchPageFromCommandLine} from '../cli/fetch-one.js';
import {openInBrowser} from '../cli/open-in-browser.js';

export default class View extends BaseCommand {
  static summary = 'Open a URL in the browser as dragline sees it';
  static description = `Downloads URL as a spider's request would be (user agent, robots.txt, retries, redirects, cookies; the project's settings apply inside a project), writes the body to a temporary .html file with a <base href> so its links still work, and opens it with $BROWSER (or xdg-open / open). Useful when a page looks different to the crawler than in your browser (JavaScript, cookies, bot detection). The file's path is printed either way.`;
  static examples = ['<%= config.bin %> <%= command.id %> https://quotes.example/page/2/'];
  static args = {
    url: Args.string({description: 'The URL to view (with its scheme)', required: true}),
  };
  static flags = {
    'no-redirect': Flags.boolean({description: 'Do not follow redirects: view the redirect response itself'}),
  };

  async run(): Promise<void> {
    const {args, flags} = await this.parse(View);
    const fetched = await fetchPageFromCommandLine(args.url, this.globalSettings(flags), flags['no-redirect']);
    if (fetched === undefined) this.exit(1);
    const {fileUrl, openedWith} = openInBrowser(fetched);
    process.stdout.write(openedWith === undefined ? `Saved ${fileUrl} (no browser found: set $BROWSER, or open the file yourself)\n` : `Opening ${fileUrl} with ${openedWith}\n`);
  }
}
