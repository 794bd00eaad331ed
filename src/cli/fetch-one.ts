import {runSpider} from '../core/crawler-process.js';
import {Request} from '../http/request.js';
import type {Response} from '../http/response.js';
import {DraglineError} from '../core/errors.js';
import {Settings} from '../settings/settings.js';
import {Spider} from '../spiders/spider.js';
import {loadProject} from '../project/project-file.js';

export interface FetchOneOptions {
  settings: Settings;
  /** Print a redirect response itself instead of following it. */
  noRedirect?: boolean;
  /** Install the crawl's Ctrl-C handling (the fetch command does; the shell keeps Ctrl-C for its prompt). */
  handleSignals?: boolean;
}

/** A page URL given on the command line (fetch, shell, parse): a full http(s) URL, or BAD_ARGUMENT. */
export function checkPageUrl(url: string): void {
  if (!/^https?:\/\/[^/]/i.test(url) || !URL.canParse(url)) {
    throw new DraglineError('BAD_ARGUMENT', `Invalid URL '${url}': give a full http:// or https:// URL`);
  }
}

/** fetch's and shell's settings: the project's, a quiet crawl (INFO, no stats dump or progress line), then the command line. */
export function fetchSettings(projectSettings: Record<string, unknown> | undefined, cmdline: Record<string, unknown>): Settings {
  const settings = new Settings();
  settings.update(projectSettings ?? {}, 'project');
  settings.update({LOG_LEVEL: 'INFO', STATS_DUMP: false, LOGSTATS_INTERVAL: 0, PROGRESS_ENABLED: false}, 'command');
  settings.update(cmdline, 'cmdline');
  return settings;
}

/** Every HTTP error status: fetch and shell show the response, they do not filter it. */
const ERROR_STATUSES = Array.from({length: 200}, (_, index) => 400 + index);

/**
 * Downloads one request through the downloader middlewares, as a spider's request would go, in
 * a crawl of its own. Resolves to the response, or undefined if none came back (the log says why).
 */
export async function fetchOne(target: string | Request, options: FetchOneOptions): Promise<Response | undefined> {
  const meta = options.noRedirect ? {dont_redirect: true, handle_httpstatus_all: true} : {handle_httpstatus_list: ERROR_STATUSES};
  let fetched: Response | undefined;
  const keep = (response: Response): void => void (fetched = response);
  const request = typeof target === 'string'
    ? new Request(target, {meta, dontFilter: true, callback: keep})
    : target.replace({meta: {...meta, ...target.meta}, dontFilter: true, callback: keep});
  const FetchSpider = class extends Spider {
    static override spiderName = 'fetch';
    override async *start() {
      yield request;
    }
  };
  // One page, looked at: never a job directory or a feed, whatever the project file says.
  options.settings.update({JOBDIR: '', FEEDS: {}}, 'cmdline');
  await runSpider({spiderClass: FetchSpider, settings: options.settings, handleSignals: options.handleSignals ?? true});
  return fetched;
}

/** What fetch and view do with their URL argument: check it, then download it with the project's and the command line's settings. */
export async function fetchPageFromCommandLine(url: string, cmdline: Record<string, unknown>, noRedirect: boolean): Promise<Response | undefined> {
  checkPageUrl(url);
  const project = await loadProject();
  return fetchOne(url, {settings: fetchSettings(project?.settings, cmdline), noRedirect});
}
