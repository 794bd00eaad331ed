/**
 * REQUEST_FINGERPRINTER_CLASS: a spider's own idea of "the same page" drives the duplicates filter
 * and the job's seen set, and a job refuses a run with another fingerprinter.
 */
import {expect, test} from '@jest/globals';
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {runSpider} from '../../src/core/crawler-process.js';
import {Settings} from '../../src/settings/settings.js';
import {Spider} from '../../src/spiders/spider.js';
import type {Request} from '../../src/http/request.js';
import type {Response} from '../../src/http/response.js';
import {fingerprint} from '../../src/utils/fingerprint.js';
import {DefaultRequestFingerprinter, toFingerprintBytes, type RequestFingerprinter} from '../../src/utils/request-fingerprinter.js';
import {useTestSite} from '../helpers/site.js';

// Every page links to the others with a new session id each time, as some shops do.
let session = 0;
const site = useTestSite((request, response) => {
  response.writeHead(200, {'Content-Type': 'text/html'});
  const links = ['a', 'b', 'c'].map((page) => `<a href="/${page}?sid=${++session}">${page}</a>`).join('');
  response.end(`<html><body>${links}</body></html>`);
});

/** The same page whatever its session id. */
class IgnoreSessionId implements RequestFingerprinter {
  fingerprint(request: Request): string {
    const url = new URL(request.url);
    url.searchParams.delete('sid');
    return `${request.method} ${url}`;
  }
}

class LinksSpider extends Spider {
  static override spiderName = 'links';
  override parse(response: Response) {
    return [{page: new URL(response.url).pathname}, ...response.followAll({css: 'a'})];
  }
}

function settingsWith(values: Record<string, unknown>): Settings {
  const settings = new Settings();
  settings.update({LOG_ENABLED: false, CLOSESPIDER_PAGECOUNT: 50, ...values}, 'cmdline');
  return settings;
}

test("a spider's fingerprinter decides what is a duplicate: one visit a page, whatever its session id", async () => {
  site.served.length = 0;
  class Start extends LinksSpider {
    override startUrls = [`${site.base}/a?sid=0`];
  }
  const result = await runSpider({spiderClass: Start, settings: settingsWith({REQUEST_FINGERPRINTER_CLASS: IgnoreSessionId}), handleSignals: false});
  expect(result.reason).toBe('finished');
  expect(site.served.map((path) => path.split('?')[0]).sort()).toEqual(['/a', '/b', '/c']);
  expect(result.stats['dupefilter/filtered']).toBeGreaterThan(0);
  // Without it every new session id is a new page, until the page count stops the crawl.
  site.served.length = 0;
  const endless = await runSpider({spiderClass: Start, settings: settingsWith({}), handleSignals: false});
  expect(endless.reason).toBe('closespider_pagecount');
});

test('a job remembers its fingerprinter and refuses a run with another one, changing nothing', async () => {
  const jobdir = join(mkdtempSync(join(tmpdir(), 'dragline-fingerprinter-')), 'job');
  class Start extends LinksSpider {
    override startUrls = [`${site.base}/a?sid=0`];
  }
  const first = await runSpider({spiderClass: Start, settings: settingsWith({JOBDIR: jobdir, REQUEST_FINGERPRINTER_CLASS: IgnoreSessionId}), handleSignals: false});
  expect(first.reason).toBe('finished');
  const jobFile = readFileSync(join(jobdir, 'job.json'), 'utf8');
  expect(JSON.parse(jobFile).fingerprinter).toBe('IgnoreSessionId');
  await expect(runSpider({spiderClass: Start, settings: settingsWith({JOBDIR: jobdir}), handleSignals: false})).rejects.toMatchObject({
    code: 'JOBDIR_FOREIGN',
    message: expect.stringContaining("was crawled with REQUEST_FINGERPRINTER_CLASS 'IgnoreSessionId', and this run uses the default"),
  });
  expect(readFileSync(join(jobdir, 'job.json'), 'utf8')).toBe(jobFile);
});

test('fingerprints that are not 20 bytes are hashed to 20; 20-byte ones are kept', () => {
  expect(toFingerprintBytes('GET http://x/')).toHaveLength(20);
  expect(toFingerprintBytes('GET http://x/')).toEqual(toFingerprintBytes('GET http://x/'));
  const digest = fingerprint({url: 'http://x/', method: 'GET', body: Buffer.alloc(0), headers: {}, meta: {}} as unknown as Request);
  expect(toFingerprintBytes(digest)).toBe(digest);
});

test('a fingerprinter that fails on one link drops that link with a one-line error; the crawl and the job go on', async () => {
  class FailsOnB implements RequestFingerprinter {
    fingerprint(request: Request): string {
      if (new URL(request.url).pathname === '/b') throw new Error('no b today');
      return new URL(request.url).pathname;
    }
  }
  site.served.length = 0;
  class Start extends LinksSpider {
    override startUrls = [`${site.base}/a?sid=0`];
  }
  const dir = mkdtempSync(join(tmpdir(), 'dragline-fingerprinter-fail-'));
  const settings = settingsWith({JOBDIR: join(dir, 'job'), REQUEST_FINGERPRINTER_CLASS: FailsOnB, LOG_ENABLED: true, LOG_FILE: join(dir, 'crawl.log'), LOG_LEVEL: 'ERROR'});
  const result = await runSpider({spiderClass: Start, settings, handleSignals: false});
  expect(result.reason).toBe('finished');
  expect(site.served.map((path) => path.split('?')[0]).sort()).toEqual(['/a', '/c']);
  expect(result.stats['scheduler/fingerprint_failed']).toBeGreaterThan(0);
  expect(readFileSync(join(dir, 'crawl.log'), 'utf8')).toMatch(/Dropped <GET http:\/\/127\.0\.0\.1:\d+\/b\?sid=\d+>: REQUEST_FINGERPRINTER_CLASS FailsOnB failed on <GET [^>]+>: no b today/);
});

test('the job records the class name however the setting names it; an anonymous class is refused; the default class is the default', async () => {
  const jobdir = join(mkdtempSync(join(tmpdir(), 'dragline-fingerprinter-names-')), 'job');
  class Start extends LinksSpider {
    override startUrls = [`${site.base}/a?sid=0`];
  }
  await runSpider({spiderClass: Start, settings: settingsWith({JOBDIR: jobdir}), handleSignals: false});
  // Naming the default class is the default, not another fingerprinter (the session-id site then runs to the page limit).
  const explicit = await runSpider({spiderClass: Start, settings: settingsWith({JOBDIR: jobdir, REQUEST_FINGERPRINTER_CLASS: DefaultRequestFingerprinter}), handleSignals: false});
  expect(explicit.reason).toBe('closespider_pagecount');

  // A class given itself, then by a module key, is one fingerprinter to the job.
  const keyed = join(mkdtempSync(join(tmpdir(), 'dragline-fingerprinter-keyed-')), 'job');
  await runSpider({spiderClass: Start, settings: settingsWith({JOBDIR: keyed, REQUEST_FINGERPRINTER_CLASS: IgnoreSessionId}), handleSignals: false});
  const byKey = await runSpider({
    spiderClass: Start,
    settings: settingsWith({JOBDIR: keyed, REQUEST_FINGERPRINTER_CLASS: './fingerprinters.ts#IgnoreSessionId'}),
    handleSignals: false,
    resolveComponent: async (key) => (key === './fingerprinters.ts#IgnoreSessionId' ? IgnoreSessionId : undefined),
  });
  expect(byKey.reason).toBe('finished');
  const anonymous = (() => class {
    fingerprint(request: Request) {
      return request.url;
    }
  })();
  await expect(runSpider({spiderClass: Start, settings: settingsWith({REQUEST_FINGERPRINTER_CLASS: anonymous}), handleSignals: false})).rejects.toMatchObject({
    code: 'PROJECT_FILE_INVALID',
    message: expect.stringContaining('is an anonymous class: give it a name'),
  });
});

test("DUPEFILTER_CLASS BaseDupeFilter filters nothing; an unknown one is a BAD_SETTING naming the two there are", async () => {
  site.served.length = 0;
  class Twice extends Spider {
    static override spiderName = 'twice';
    override startUrls = [`${site.base}/a?sid=0`, `${site.base}/a?sid=0`];
    override parse() {
      return undefined;
    }
  }
  const unfiltered = await runSpider({spiderClass: Twice, settings: settingsWith({DUPEFILTER_CLASS: 'scrapy.dupefilters.BaseDupeFilter'}), handleSignals: false});
  expect(unfiltered.reason).toBe('finished');
  expect(site.served).toEqual(['/a?sid=0', '/a?sid=0']);
  site.served.length = 0;
  const filtered = await runSpider({spiderClass: Twice, settings: settingsWith({}), handleSignals: false});
  expect(filtered.stats['dupefilter/filtered']).toBe(1);
  expect(site.served).toEqual(['/a?sid=0']);
  await expect(runSpider({spiderClass: Twice, settings: settingsWith({DUPEFILTER_CLASS: 'myproject.MyFilter'}), handleSignals: false})).rejects.toMatchObject({
    code: 'BAD_SETTING',
    message: expect.stringContaining("DUPEFILTER_CLASS 'myproject.MyFilter' is not one dragline has: use RFPDupeFilter (the default) or BaseDupeFilter"),
  });
});
