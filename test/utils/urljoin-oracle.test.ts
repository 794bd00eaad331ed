import {describe, expect, test} from '@jest/globals';
import {parsedUrl, urljoin} from '../../src/utils/urljoin.js';
import {itMatchesInstalledScrapy, oracleFixture} from '../helpers/oracle.js';

interface JoinCase {
  base: string;
  url: string;
  joined: string;
}

const fixture = oracleFixture<JoinCase[]>('urljoin');

describe("urljoin agrees with Python's urllib.parse.urljoin", () => {
  itMatchesInstalledScrapy('urljoin');

  test.each(fixture.map((c) => [c.base, c.url, c.joined]))('%j joined with %j', (base, url, joined) => {
    expect(urljoin(base, url)).toBe(joined);
    // A base parsed once (as a Response keeps it) joins the same way.
    expect(urljoin(parsedUrl(base), url)).toBe(joined);
  });
});
