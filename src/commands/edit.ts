import {spawn} from 'node:child_process';
import {Args} from '@oclif/core';
import {BaseCommand} from '../cli/base-command.js';
import {DraglineError} from '../core/errors.js';
import {requireProject} from '../project/project-file.js';
import {SpiderLoader} from '../project/spider-loader.js';

export default class Edit extends BaseCommand {
  static summary = "Open a spider's file in your editor";
  static description = "As scrapy edit: finds the file of the project's spider SPIDER and opens it with $VISUAL or $EDITOR (vi when neither is set), waiting for the editor to close.";
  static examples = ['EDITOR=nano <%= config.bin %> <%= command.id %> quotes'];
  static args = {
    spider: Args.string({description: 'The name of a spider of the project', required: true}),
  };

  async run(): Promise<void> {
    const {args} = await this.parse(Edit);
    const loader = await SpiderLoader.fromProject(await requireProject('edit'));
    const {file} = loader.load(args.spider);
    const editor = process.env.VISUAL || process.env.EDITOR || 'vi';
    // The editor line may carry options (`code --wait`), so it goes through the shell, as git does.
    const child = spawn(`${editor} "$DRAGLINE_EDIT_FILE"`, {shell: true, stdio: 'inherit', env: {...process.env, DRAGLINE_EDIT_FILE: file}});
    const code = await new Promise<number>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (exitCode) => resolve(exitCode ?? 1));
    }).catch((error: Error) => {
      throw new DraglineError('BAD_ARGUMENT', `Could not start the editor '${editor}': ${error.message}. Set $EDITOR to one you have`);
    });
    // 127: the shell found no such program.
    if (code === 127) throw new DraglineError('BAD_ARGUMENT', `Could not start the editor '${editor}': no such program. Set $EDITOR to one you have`);
    if (code !== 0) this.exit(code);
  }
}
