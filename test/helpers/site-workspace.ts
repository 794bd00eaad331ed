import {afterEach} from '@jest/globals';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {startSite, type DemoSite, type SiteOptions} from '../../src/demo/site.js';

/** A demo site and a temporary folder for each test of a file, both gone after the test, even a failed one. */
export function useSiteAndWorkspace(prefix: string): {startSite(options: SiteOptions): Promise<DemoSite>; workspace(): string} {
  let site: DemoSite | undefined;
  let work: string | undefined;
  afterEach(async () => {
    await site?.close();
    site = undefined;
    if (work !== undefined) rmSync(work, {recursive: true, force: true});
    work = undefined;
  });
  return {
    async startSite(options) {
      site = await startSite(options);
      return site;
    },
    workspace() {
      work ??= mkdtempSync(join(tmpdir(), prefix));
      return work;
    },
  };
}
