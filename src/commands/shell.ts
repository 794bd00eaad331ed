import repl from 'node:repl';
import {inspect} from 'node:util';
import vm from 'node:vm';
import {Args, Flags} from '@oclif/core';
import {BaseCommand} from '../cli/base-command.js';
import {openInBrowser} from '../cli/open-in-browser.js';
import {checkPageUrl, fetchOne, fetchSettings} from '../cli/fetch-one.js';
import {DraglineError} from '../core/errors.js';
import {JsonRequest, Request} from '../http/request.js';
import {FormRequest} from '../http/form-request.js';
import type {Response} from '../http/response.js';
import {Selector} from '../selector/selector.js';
import type {Settings} from '../settings/settings.js';
import {loadProject} from '../project/project-file.js';

const HELP = `Available objects:
  response    the last response fetched (response.css(), response.xpath(), response.follow(), ...)
  request     the request that fetched it
  settings    the settings in use
  Request, FormRequest, JsonRequest, Selector
Shortcuts:
  await fetch(url | request)   fetch it, and update response and request
  view(response)               open the response in the browser (a temporary .html file; its path is printed)
  shelp()                      this help`;

export default class Shell extends BaseCommand {
  static summary = 'An interactive console with a fetched response, to try selectors';
  static description = `As scrapy shell: fetches URL (if given) with the project's settings, then opens a Node.js REPL with response, request and settings defined, and fetch(url) to load another page (await it). With -c CODE, evaluates CODE (response and the rest in scope; await allowed), prints the result and exits, which suits scripts.`;
  static examples = [
    '<%= config.bin %> <%= command.id %> http://127.0.0.1:8080/',
    `<%= config.bin %> <%= command.id %> http://127.0.0.1:8080/ -c "response.css('title::text').get()"`,
    '<%= config.bin %> <%= command.id %> --no-redirect http://127.0.0.1:8080/old',
  ];
  static args = {
    url: Args.string({description: 'The URL to fetch first (with its scheme)', required: false}),
  };
  static flags = {
    code: Flags.string({char: 'c', helpValue: 'CODE', description: 'Evaluate CODE, print its result and exit instead of opening the console'}),
    'no-redirect': Flags.boolean({description: 'Do not follow redirects when fetching'}),
  };

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Shell);
    if (args.url !== undefined) checkPageUrl(args.url);
    const project = await loadProject();
    const makeSettings = (): Settings => fetchSettings(project?.settings, this.globalSettings(flags));

    const scope: Record<string, unknown> = {
      Request, FormRequest, JsonRequest, Selector,
      settings: makeSettings(),
      response: undefined,
      request: undefined,
      shelp: () => console.log(HELP),
      view: (response: Response | undefined) => viewInFile(response ?? (scope.response as Response | undefined)),
      fetch: async (target: string | Request) => {
        if (typeof target === 'string') checkPageUrl(target);
        const response = await fetchOne(target, {settings: makeSettings(), noRedirect: flags['no-redirect'], handleSignals: false});
        if (response === undefined) throw new Error(`No response for ${typeof target === 'string' ? target : target.url} (see the log above)`);
        scope.response = response;
        scope.request = response.request;
        return response;
      },
    };
    if (args.url !== undefined) {
      const response = await fetchOne(args.url, {settings: makeSettings(), noRedirect: flags['no-redirect'], handleSignals: flags.code !== undefined});
      if (response === undefined) throw new DraglineError('NO_RESPONSE', `No response for ${args.url} (see the log above)`);
      scope.response = response;
      scope.request = response.request;
    }

    if (flags.code !== undefined) {
      const result = await evaluate(flags.code, scope);
      process.stdout.write((typeof result === 'string' ? result : inspect(result, {depth: 6, colors: false})) + '\n');
      return;
    }
    console.log(HELP);
    const console_ = repl.start({prompt: '>>> ', useGlobal: false, ignoreUndefined: true});
    bindScope(console_.context, scope);
    await new Promise<void>((resolve) => console_.on('exit', () => resolve()));
  }
}

/** Runs CODE with the shell's names in scope; a last expression is the result, and await works. */
async function evaluate(code: string, scope: Record<string, unknown>): Promise<unknown> {
  const context = vm.createContext(bindScope({console}, scope));
  let script: vm.Script;
  try {
    // As an expression (so `response.status` is the result) if it parses as one, else as statements.
    script = new vm.Script(`(async () => (${code}\n))()`);
  } catch {
    try {
      script = new vm.Script(`(async () => {${code}\n})()`);
    } catch (error) {
      throw new DraglineError('BAD_ARGUMENT', `-c is not valid JavaScript: ${(error as Error).message}`);
    }
  }
  try {
    return await script.runInContext(context);
  } catch (error) {
    throw new DraglineError('BAD_ARGUMENT', `-c failed: ${(error as Error)?.message ?? String(error)}`);
  }
}

/** Puts the shell's names on `target`; response and request follow what fetch() loads last. */
function bindScope(target: Record<string, unknown>, scope: Record<string, unknown>): Record<string, unknown> {
  for (const [name, value] of Object.entries(scope)) {
    if (name === 'response' || name === 'request') {
      Object.defineProperty(target, name, {get: () => scope[name], set: (next) => (scope[name] = next), configurable: true, enumerable: true});
    } else {
      target[name] = value;
    }
  }
  return target;
}

function viewInFile(response: Response | undefined): string {
  if (response === undefined) throw new Error('No response to view: fetch one first');
  const {fileUrl, openedWith} = openInBrowser(response);
  console.log(openedWith === undefined ? `Open ${fileUrl} in a browser` : `Opening ${fileUrl} with ${openedWith}`);
  return fileUrl;
}
