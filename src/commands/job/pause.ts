import {Args} from '@oclif/core';
import {OneLineErrorCommand} from '../../cli/base-command.js';
import {DraglineError} from '../../core/errors.js';
import {isRedisAddress} from '../../persistence/redis/redis-address.js';

export default class JobPauseCommand extends OneLineErrorCommand {
  static description = 'Pause a Redis job shared by several workers: every worker finishes the pages it has in flight, gives its other leases back and stops (reason shutdown). The same crawl command resumes the whole job.';

  static examples = ['<%= config.bin %> job pause redis://10.0.0.5:6379/0#quotes-1'];

  static args = {
    address: Args.string({description: 'the Redis address of the job (the JOBDIR of its workers)', required: true}),
  };

  static enableJsonFlag = true;

  async run(): Promise<{address: string; before: string}> {
    const {args} = await this.parse(JobPauseCommand);
    if (!isRedisAddress(args.address)) {
      throw new DraglineError('BAD_ARGUMENT', `job pause takes a Redis address (redis://host:6379/0#jobkey); a crawl with a job directory pauses with Ctrl-C`);
    }
    // Imported here: the Redis client (~480 modules) loads only for a Redis address.
    const {setRedisJobState} = await import('../../persistence/redis/redis-job.js');
    const before = await setRedisJobState(args.address, 'paused');
    if (before === 'finished') this.log(`The job ${args.address} is finished; it is now marked paused`);
    else if (before === 'paused') this.log(`The job ${args.address} was already paused`);
    else this.log(`Paused ${args.address}: each worker finishes its pages in flight and stops. Resume with the same crawl command.`);
    return {address: args.address, before};
  }
}
