// The crawlers the benchmark compares, each as a command line run in its own working directory,
// and how to find out whether it is installed (a peer that is not is skipped, never faked).
import {spawnSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {countCrawleeDataset, countJsonLines} from './measure.mjs';

export const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
export const REPO_DIR = dirname(BENCH_DIR);
const SPIDERS = join(BENCH_DIR, 'spiders');
const PYTHON = '/usr/bin/python3';
export const START_PATH = '/page/0?a=1&b=2';

/** What each crawler is, where it comes from, or why it is skipped. */
export function detectCrawlers() {
  const found = {};
  const cli = join(REPO_DIR, 'dist', 'commands', 'runspider.js');
  const version = JSON.parse(readFileSync(join(REPO_DIR, 'package.json'), 'utf8')).version;
  found.dragline = existsSync(cli) ? {version} : {missing: 'dist/ is not built: run `npm run build` in the repository first'};

  const scrapy = spawnSync(PYTHON, ['-c', 'import scrapy; print(scrapy.__version__)'], {encoding: 'utf8'});
  found.scrapy = scrapy.status === 0
    ? {version: scrapy.stdout.trim()}
    : {missing: `Scrapy is not importable by ${PYTHON} (apt-get install -y python3-scrapy)`};

  found.bare = {version: process.version};

  const crawleePackage = join(BENCH_DIR, 'node_modules', 'crawlee', 'package.json');
  found.crawlee = existsSync(crawleePackage)
    ? {version: JSON.parse(readFileSync(crawleePackage, 'utf8')).version}
    : {missing: 'Crawlee is not installed in bench/ (cd bench && npm install)'};
  return found;
}

/**
 * One crawler configuration: `argv(url, cwd)` builds the command, `items(cwd)` counts what it wrote.
 * Every one crawls with 16 concurrent requests to the one host, writes one item a page, and logs at INFO.
 */
export function crawlerConfigs({concurrency = 16, pages = 20_000, cpuProfileDir, baseDir} = {}) {
  // dragline and Scrapy share their command line: the same flags, settings and feed.
  const runspiderOptions = (jobdir) => [
    '-o', 'items.jsonl',
    '-L', 'INFO',
    '-s', `CONCURRENT_REQUESTS=${concurrency}`,
    '-s', `CONCURRENT_REQUESTS_PER_DOMAIN=${concurrency}`,
    '-s', 'LOGSTATS_INTERVAL=10',
    ...(jobdir ? ['-s', 'JOBDIR=job'] : []),
  ];
  // `repo`: this checkout, or another built one (--base) measured beside it.
  const draglineArgv = (jobdir, repo = REPO_DIR) => (url) => [
    process.execPath,
    ...(cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : []),
    join(repo, 'bin', 'run.js'),
    // The build's own copy of the spider: it re-exports that build's demo spider (its Request class).
    'runspider', join(repo, 'bench', 'spiders', 'dragline-spider.mjs'),
    '-a', `startUrl=${url}${START_PATH}`,
    ...runspiderOptions(jobdir),
  ];
  const scrapyArgv = (jobdir) => (url) => [
    PYTHON, '-m', 'scrapy', 'runspider', join(SPIDERS, 'scrapy_spider.py'),
    '-a', `start_url=${url}${START_PATH}`,
    ...runspiderOptions(jobdir),
  ];
  const jsonLines = (cwd) => countJsonLines(join(cwd, 'items.jsonl'));
  return [
    {
      name: 'bare HTTP client',
      crawler: 'bare',
      persistence: 'n/a',
      argv: (url) => [process.execPath, join(SPIDERS, 'bare-client.mjs'), url, String(pages), String(concurrency)],
      items: () => ({items: 0, distinctPages: 0, broken: 0}),
    },
    {name: 'dragline', crawler: 'dragline', persistence: 'JOBDIR', argv: draglineArgv(true), items: jsonLines},
    {name: 'dragline (memory)', crawler: 'dragline', persistence: 'off', argv: draglineArgv(false), items: jsonLines},
    ...(baseDir === undefined ? [] : [
      {name: 'dragline (base)', crawler: 'dragline', persistence: 'JOBDIR', argv: draglineArgv(true, baseDir), items: jsonLines},
      {name: 'dragline (base, memory)', crawler: 'dragline', persistence: 'off', argv: draglineArgv(false, baseDir), items: jsonLines},
    ]),
    {name: 'Scrapy', crawler: 'scrapy', persistence: 'JOBDIR', argv: scrapyArgv(true), items: jsonLines},
    {name: 'Scrapy (memory)', crawler: 'scrapy', persistence: 'off', argv: scrapyArgv(false), items: jsonLines},
    {
      name: 'Crawlee',
      crawler: 'crawlee',
      persistence: 'default storage',
      argv: (url) => [process.execPath, join(SPIDERS, 'crawlee-crawl.mjs'), `${url}${START_PATH}`, String(concurrency)],
      // A resumed Crawlee run must not purge the storage the killed run left.
      resumeEnv: {CRAWLEE_PURGE_ON_START: '0'},
      items: (cwd) => countCrawleeDataset(join(cwd, 'storage', 'datasets', 'default')),
    },
  ];
}
