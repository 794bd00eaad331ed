import {Args, Flags} from '@oclif/core';
import {OneLineErrorCommand} from '../../cli/base-command.js';
import {redisJobFor} from '../../cli/redis-job-module.js';

export default class JobExportCommand extends OneLineErrorCommand {
  static description = "Write every item a Redis job's workers committed to one JSON-lines file, including the items of workers whose machines are gone. Reads only.";

  static examples = ['<%= config.bin %> job export redis://10.0.0.5:6379/0#quotes-1 -o quotes.jsonl'];

  static args = {
    address: Args.string({description: 'the Redis address of the job (the JOBDIR of its workers)', required: true}),
  };

  static flags = {
    output: Flags.string({char: 'o', description: 'the JSON-lines file to write (replaced)', required: true}),
  };

  static enableJsonFlag = true;

  async run(): Promise<{items: number; workers: number; output: string}> {
    const {args, flags} = await this.parse(JobExportCommand);
    const {exportRedisJob} = await redisJobFor('export', args.address, "a job directory's items are in the crawl's own feeds");
    const {items, workers} = await exportRedisJob(args.address, flags.output);
    this.log(`Exported ${items} items from ${workers} workers to ${flags.output}`);
    return {items, workers, output: flags.output};
  }
}
