/**
 * The persist signal and the save of stats.json fail separately: a handler that throws is logged as
 * its own failure, and the job's stats are saved all the same.
 */
import {expect, test} from '@jest/globals';
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {runSpider} from '../../src/core/crawler-process.js';
import {Settings} from '../../src/settings/settings.js';
import {SIGNALS} from '../../src/core/signals.js';
import {Spider} from '../../src/spiders/spider.js';
import {useTestSite} from '../helpers/site.js';

const site = useTestSite((_request, response) => {
  response.writeHead(200, {'Content-Type': 'text/html'});
  response.end('<html><body>page</body></html>');
});

test('a persist handler that throws is logged as such, and stats.json is still saved', async () => {
  class ThrowingPersist extends Spider {
    static override spiderName = 'throwing-persist';
    override startUrls = [`${site.base}/page`];
    override parse() {
      this.crawler.signals.on(SIGNALS.persist, () => {
        throw new Error('the jar is broken');
      });
      return [];
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'dragline-persist-'));
  const settings = new Settings();
  settings.update({JOBDIR: join(dir, 'job'), LOG_FILE: join(dir, 'log'), LOG_LEVEL: 'ERROR'}, 'cmdline');
  const result = await runSpider({spiderClass: ThrowingPersist, settings, handleSignals: false});
  expect(result.reason).toBe('finished');
  const stats = JSON.parse(readFileSync(join(dir, 'job', 'stats.json'), 'utf8')) as {cumulative: Record<string, unknown>};
  expect(stats.cumulative.response_received_count).toBe(1);
  const log = readFileSync(join(dir, 'log'), 'utf8');
  expect(log).toContain('A persist signal handler failed: the jar is broken');
  expect(log).not.toContain('Could not save stats.json');
});
