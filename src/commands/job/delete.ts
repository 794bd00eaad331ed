import {Args, Flags} from '@oclif/core';
import {OneLineErrorCommand} from '../../cli/base-command.js';
import {redisJobFor} from '../../cli/redis-job-module.js';

export default class JobDeleteCommand extends OneLineErrorCommand {
  static description = 'Delete a Redis job: its queue, seen set, items and counters (export the items first). Refused while a worker runs, unless --force.';

  static examples = ['<%= config.bin %> job delete redis://10.0.0.5:6379/0#quotes-1'];

  static args = {
    address: Args.string({description: 'the Redis address of the job (the JOBDIR of its workers)', required: true}),
  };

  static flags = {
    force: Flags.boolean({description: 'delete even if workers are still running (they then stop with an error)'}),
  };

  static enableJsonFlag = true;

  async run(): Promise<{address: string; keys: number}> {
    const {args, flags} = await this.parse(JobDeleteCommand);
    const {deleteRedisJob} = await redisJobFor('delete', args.address, 'a job directory is deleted with rm -r');
    const keys = await deleteRedisJob(args.address, flags.force);
    this.log(`Deleted the job ${args.address} (${keys} keys)`);
    return {address: args.address, keys};
  }
}
