import {describe, expect, it, test} from '@jest/globals';
import {Request} from '../../src/http/request.js';
import {Response} from '../../src/http/response.js';
import {LinkExtractor, type Link, type LinkExtractorOptions} from '../../src/linkextractors/link-extractor.js';
import {itMatchesInstalledScrapy, oracleFixture} from '../helpers/oracle.js';

interface OracleLink {url: string; text: string; fragment: string; url_fragment: string; nofollow: boolean}
interface LinksCase {
  name: string;
  url: string;
  charset: string;
  /** The page's bytes as a latin1 string. */
  body: string;
  options: Record<string, unknown>;
  links: OracleLink[];
  process_value_received?: string[];
  /** Pages not in UTF-8: their links' queries need response.encoding. */
  needs_response_encoding?: boolean;
  /** Where dragline deliberately follows a later Scrapy (test/oracle/links.py says how). */
  later?: {links: OracleLink[]; why: string};
}

/** The processValue functions test/oracle/links.py names, written the same way. */
const PROCESS: Record<string, (value: string) => string | undefined> = {
  js_link: (value) => /javascript:goToPage\('(.*?)'/.exec(value)?.[1] ?? value,
  drop_twos: (value) => (value.endsWith('2') ? undefined : value),
  to_upper_path: (value) => value.replaceAll('/item', '/ITEM'),
};

const OPTION_NAMES: Record<string, keyof LinkExtractorOptions> = {
  allow: 'allow', deny: 'deny', allow_domains: 'allowDomains', deny_domains: 'denyDomains', restrict_css: 'restrictCss',
  restrict_xpaths: 'restrictXpaths', restrict_text: 'restrictText', tags: 'tags', attrs: 'attrs', deny_extensions: 'denyExtensions',
  canonicalize: 'canonicalize', unique: 'unique', strip: 'strip', process_value: 'processValue',
};

function responseOf(c: LinksCase): Response {
  return new Response({
    url: c.url,
    status: 200,
    headers: {'content-type': `text/html; charset=${c.charset}`},
    body: Buffer.from(c.body, 'latin1'),
    request: new Request(c.url),
  });
}

function extract(c: LinksCase): {links: Link[]; received: string[]} {
  const received: string[] = [];
  const options: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(c.options)) {
    if (name === 'process_value') {
      const process = PROCESS[value as string];
      options.processValue = (given: string) => {
        received.push(given);
        return process(given);
      };
    } else {
      options[OPTION_NAMES[name]] = value;
    }
  }
  return {links: new LinkExtractor(options as LinkExtractorOptions).extractLinks(responseOf(c)), received};
}

const cases = oracleFixture<LinksCase[]>('links');
const utf8Cases = cases.filter((c) => !c.needs_response_encoding);
const otherEncodingCases = cases.filter((c) => c.needs_response_encoding);

describe('LinkExtractor agrees with Scrapy', () => {
  test.each(utf8Cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const {links, received} = extract(c);
    const expected = (c.later?.links ?? c.links).map((link) => ({url: link.url, text: link.text, fragment: link.url_fragment, nofollow: link.nofollow}));
    expect(links).toEqual(expected);
    if (c.process_value_received) expect(received).toEqual(c.process_value_received);
  });

  test('the deliberate differences are few, and each says why', () => {
    const later = cases.filter((c) => c.later);
    expect(later.length).toBeLessThan(12);
    for (const c of later) expect(c.later!.why).toMatch(/IGNORED_EXTENSIONS|rel is case-insensitive|IPv6/);
  });

  // Pages in a legacy encoding percent-encode their links' queries in that encoding (response.encoding),
  // in extracted links and in response.follow() alike.
  test.each(otherEncodingCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const {links} = extract(c);
    expect(links).toEqual(c.links.map((link) => ({url: link.url, text: link.text, fragment: link.url_fragment, nofollow: link.nofollow})));
    expect(responseOf(c).follow(links[0].url).url).toBe(c.links[0].url);
  });

  it('has cases for pages in legacy encodings', () => {
    expect(otherEncodingCases.map((c) => c.charset)).toEqual(expect.arrayContaining(['latin1', 'cp1252', 'shift_jis', 'euc-kr']));
  });
});

itMatchesInstalledScrapy('links');
