import {Args} from '@oclif/core';
import {OneLineErrorCommand} from '../../cli/base-command.js';
import {repairJob, type RepairReport} from '../../persistence/jobdir/job-repair.js';

export default class JobRepairCommand extends OneLineErrorCommand {
  static description = 'Salvage a damaged job directory (JOBDIR) that a crawl refused with JOBDIR_CORRUPT: keep every intact record, drop what cannot be read, say what was lost, and leave a job the same crawl command resumes. Never runs by itself; copy the directory first if you may want to inspect the damage.';

  static examples = [
    '<%= config.bin %> job repair crawls/quotes-1',
    '<%= config.bin %> job repair crawls/quotes-1 --json',
  ];

  static args = {
    dir: Args.string({description: 'the job directory (the JOBDIR of a crawl)', required: true}),
  };

  static enableJsonFlag = true;

  async run(): Promise<RepairReport> {
    const {args} = await this.parse(JobRepairCommand);
    const report = await repairJob(args.dir);
    for (const line of describeRepair(report)) this.log(line);
    return report;
  }
}

function describeRepair(report: RepairReport): string[] {
  const lines = [`Repaired ${report.dir}`];
  if (report.damage.length === 0) lines.push('  damage       none found (the journal was rewritten from what the files hold)');
  for (const damage of report.damage) lines.push(`  damaged      ${damage.file} ${damage.problem}`);
  for (const lost of report.lost) lines.push(`  lost         ${lost}`);
  if (report.lost.length === 0) lines.push('  lost         nothing');
  for (const file of report.rewritten) lines.push(`  rewritten    ${file} (its intact records only)`);
  lines.push('Run the same crawl command again to resume the job.');
  return lines;
}
