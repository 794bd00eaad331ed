import {Args} from '@oclif/core';
import {OneLineErrorCommand} from '../../cli/base-command.js';
import {redisJobFor} from '../../cli/redis-job-module.js';

export default class JobPauseCommand extends OneLineErrorCommand {
  static description = 'Pause a Redis job shared by several workers: every worker finishes the pages it has in flight, gives its other leases back and stops (reason shutdown). The same crawl command resumes the whole job.';

  static examples = ['<%= config.bin %> job pause redis://10.0.0.5:6379/0#quotes-1'];

  static args = {
    address: Args.string({description: 'the Redis address of the job (the JOBDIR of its workers)', required: true}),
  };

  static enableJsonFlag = true;

  async run(): Promise<{address: string; before: string}> {
    const {args} = await this.parse(JobPauseCommand);
    const {setRedisJobState} = await redisJobFor('pause', args.address, 'a crawl with a job directory pauses with Ctrl-C');
    const before = await setRedisJobState(args.address, 'paused');
    if (before === 'finished') this.log(`The job ${args.address} is finished; it is now marked paused`);
    else if (before === 'paused') this.log(`The job ${args.address} was already paused`);
    else this.log(`Paused ${args.address}: each worker finishes its pages in flight and stops. Resume with the same crawl command.`);
    return {address: args.address, before};
  }
}
