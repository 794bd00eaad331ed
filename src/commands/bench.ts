import {fork, type ChildProcess} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Flags} from '@oclif/core';
import {BaseCommand} from '../cli/base-command.js';
import {runSpider} from '../core/crawler-process.js';
import {Settings} from '../settings/settings.js';
import {START_PATH, startSite} from '../demo/site.js';
import {DemoSpider} from '../demo/demo-spider.js';
import {formatCount} from '../utils/format-count.js';

interface SiteReport {
  fetched: number;
  twice: number;
}

interface BenchFigures {
  pages: number;
  items: number;
  elapsedSeconds: number;
  cpuSeconds: number;
  peakRssBytes: number;
  site?: SiteReport;
}

/**
 * As `scrapy bench`: a local link-following site and a built-in spider, crawled for a bounded time,
 * to see what dragline does on this machine. The site runs in a child process so that the figures
 * (CPU seconds, peak memory) are the crawler's own.
 */
export default class Bench extends BaseCommand {
  static override summary = 'Run a quick benchmark: crawl a local site for a few seconds and print pages/min, CPU and peak memory';
  static override description = `Starts a deterministic site of linked pages on 127.0.0.1 (in a child process), crawls it with the demo spider (every link followed, one item a page) until the time bound or the last page, and prints a small table. No project is needed. Compare runs on the same machine only: the figures depend on its load. For the side-by-side comparison with Scrapy and Crawlee, see bench/ in the repository.`;

  static override examples = [
    '<%= config.bin %> bench',
    '<%= config.bin %> bench --jobdir            # persistence on (a temporary JOBDIR, removed afterwards)',
    '<%= config.bin %> bench --latency 20 --seconds 5',
    '<%= config.bin %> bench --jobdir -s JOBDIR_FSYNC=true',
  ];

  static override flags = {
    pages: Flags.integer({description: 'pages on the local site (the crawl stops at the last one)', default: 20_000, min: 1, max: 1_000_000}),
    latency: Flags.integer({description: 'server latency per page, in milliseconds', default: 0, min: 0, max: 10_000}),
    seconds: Flags.integer({description: 'time bound of the crawl (CLOSESPIDER_TIMEOUT)', default: 10, min: 1, max: 3600}),
    concurrency: Flags.integer({description: 'CONCURRENT_REQUESTS (and per domain)', default: 16, min: 1, max: 1024}),
    jobdir: Flags.boolean({description: 'crawl with persistence on, in a temporary JOBDIR removed afterwards', default: false}),
    'serve-site': Flags.boolean({hidden: true, description: 'internal: run only the site, for the parent bench process'}),
  };

  async run(): Promise<void> {
    const {flags} = await this.parse(Bench);
    if (flags['serve-site']) return serveSite(flags.pages, flags.latency);

    const site = await startSiteProcess(flags.pages, flags.latency);
    const jobdir = flags.jobdir ? mkdtempSync(join(tmpdir(), 'dragline-bench-')) : undefined;
    try {
      const settings = new Settings();
      settings.update({
        LOG_LEVEL: 'INFO',
        LOGSTATS_INTERVAL: 1,
        CLOSESPIDER_TIMEOUT: flags.seconds,
        CONCURRENT_REQUESTS: flags.concurrency,
        CONCURRENT_REQUESTS_PER_DOMAIN: flags.concurrency,
        ...(jobdir === undefined ? {} : {JOBDIR: join(jobdir, 'job')}),
      }, 'cmdline');
      settings.update(this.globalSettings(flags), 'cmdline');

      const cpuBefore = process.cpuUsage();
      const started = process.hrtime.bigint();
      const result = await runSpider({
        spiderClass: DemoSpider,
        settings,
        args: {startUrl: site.url + START_PATH},
        resumeCommand: 'a bench job is removed when the bench ends',
      });
      const elapsedSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      const cpu = process.cpuUsage(cpuBefore);
      const figures: BenchFigures = {
        pages: Number(result.stats.response_received_count ?? 0),
        items: Number(result.stats.item_scraped_count ?? 0),
        elapsedSeconds,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        // resourceUsage().maxRSS is the process's high-water mark, in kilobytes.
        peakRssBytes: process.resourceUsage().maxRSS * 1024,
        site: await site.report().catch(() => undefined),
      };
      this.log('');
      this.log(formatTable(figures, {pages: flags.pages, latency: flags.latency, concurrency: flags.concurrency, jobdir: jobdir !== undefined, reason: result.reason}));
    } finally {
      site.stop();
      if (jobdir !== undefined) rmSync(jobdir, {recursive: true, force: true});
    }
  }
}

/** The child's side: serve the site and answer report requests until the parent disconnects. */
async function serveSite(pages: number, latencyMs: number): Promise<void> {
  const site = await startSite({pages, latencyMs, traps: false});
  process.on('message', (message: {cmd?: string}) => {
    if (message.cmd !== 'report') return;
    const hits = site.pageHits();
    let twice = 0;
    for (const count of hits.values()) if (count > 1) twice += 1;
    process.send?.({cmd: 'report', fetched: hits.size, twice});
  });
  process.send?.({cmd: 'ready', url: site.url});
  await new Promise<void>((resolve) => process.once('disconnect', resolve));
  await site.close();
}

interface SiteProcess {
  url: string;
  report(): Promise<SiteReport>;
  stop(): void;
}

/** Starts the site in a child process (the same CLI entry point, with --serve-site). */
async function startSiteProcess(pages: number, latency: number): Promise<SiteProcess> {
  const child: ChildProcess = fork(process.argv[1]!, ['bench', '--serve-site', '--pages', String(pages), '--latency', String(latency)], {stdio: ['ignore', 'inherit', 'inherit', 'ipc']});
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the bench site did not start within 30 s')), 30_000);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the bench site exited with code ${code} before it started`)));
    child.on('message', (message: {cmd?: string; url?: string}) => {
      if (message.cmd !== 'ready') return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve(message.url!);
    });
  });
  return {
    url,
    report: () =>
      new Promise<SiteReport>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no report from the bench site')), 5000);
        const onMessage = (message: {cmd?: string} & SiteReport): void => {
          if (message.cmd !== 'report') return;
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve({fetched: message.fetched, twice: message.twice});
        };
        child.on('message', onMessage);
        child.send({cmd: 'report'});
      }),
    stop: () => {
      if (child.connected) child.disconnect();
      setTimeout(() => child.kill(), 2000).unref();
    },
  };
}

function formatTable(figures: BenchFigures, run: {pages: number; latency: number; concurrency: number; jobdir: boolean; reason: string}): string {
  const perSecond = figures.pages / figures.elapsedSeconds;
  const rows: Array<[string, string]> = [
    ['site', `${formatCount(run.pages)} pages, ${run.latency} ms latency, ${run.concurrency} concurrent requests`],
    ['persistence', run.jobdir ? 'JOBDIR (temporary)' : 'off (in memory)'],
    ['finished', run.reason],
    ['pages crawled', formatCount(figures.pages)],
    ['items scraped', formatCount(figures.items)],
    ['elapsed', `${figures.elapsedSeconds.toFixed(2)} s`],
    ['pages/s', perSecond.toFixed(0)],
    ['pages/min', (perSecond * 60).toFixed(0)],
    ['CPU', `${figures.cpuSeconds.toFixed(2)} s (${((100 * figures.cpuSeconds) / figures.elapsedSeconds).toFixed(0)}% of one core)`],
    ['peak RSS', `${(figures.peakRssBytes / 1024 / 1024).toFixed(0)} MB`],
  ];
  if (figures.site) rows.push(['site log', `${formatCount(figures.site.fetched)} distinct pages served, ${figures.site.twice} more than once`]);
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, value]) => `${name.padEnd(width)}  ${value}`).join('\n');
}
