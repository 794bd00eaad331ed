/**
 * checkSpider: a Scrapy user's spelling is refused (or warned about) before the first request,
 * fields dragline reads from the class must be static (and the others must not), and rule
 * callbacks must name methods.
 */
import {describe, expect, test} from '@jest/globals';
import {CrawlSpider, Rule} from '../../src/spiders/crawl-spider.js';
import {LinkExtractor} from '../../src/linkextractors/link-extractor.js';
import {SitemapSpider} from '../../src/spiders/sitemap-spider.js';
import {checkSpider, unnamedSpiderProblem} from '../../src/spiders/spider-check.js';
import {Spider, type SpiderClass} from '../../src/spiders/spider.js';

function check(cls: SpiderClass): {warnings?: string[]; code?: string; message?: string} {
  try {
    return {warnings: checkSpider(new cls(), cls)};
  } catch (error) {
    return {code: (error as {code?: string}).code, message: (error as Error).message};
  }
}

describe("Scrapy's attribute names", () => {
  test('start_urls without startUrls is an error naming startUrls: the crawl would fetch nothing', () => {
    class Docs extends Spider {
      static override spiderName = 'docs';
      start_urls = ['http://127.0.0.1/'];
    }
    const found = check(Docs);
    expect(found.code).toBe('SPIDER_INVALID');
    expect(found.message).toBe("Spider docs: 'start_urls' is Scrapy's name, which dragline does not read: write startUrls (as it is, dragline ignores it)");
  });

  test('allowed_domains, custom_settings, start_requests, parse_start_url are errors, each naming its dragline spelling', () => {
    const cases: Array<[SpiderClass, string]> = [
      [class extends Spider { static override spiderName = 'a'; allowed_domains = ['x.example']; }, 'write allowedDomains'],
      [class extends Spider { static override spiderName = 'b'; custom_settings = {DOWNLOAD_DELAY: 2}; }, 'write static customSettings'],
      [class extends Spider { static override spiderName = 'c'; *start_requests() { yield 1; } }, 'write async *start()'],
      [class extends CrawlSpider { static override spiderName = 'd'; parse_start_url() { return {}; } }, 'write parseStartUrl'],
      [class extends Spider { static override spiderName = 'e'; download_delay = 3; }, 'write static customSettings = {DOWNLOAD_DELAY: ...}'],
    ];
    for (const [cls, wanted] of cases) {
      const found = check(cls);
      expect([found.code, found.message?.includes(wanted)]).toEqual(['SPIDER_INVALID', true]);
    }
  });

  test('a Scrapy name next to its dragline spelling, or start_urls read by an own start(), is only a warning', () => {
    class Both extends Spider {
      static override spiderName = 'both';
      override startUrls = ['http://127.0.0.1/a'];
      start_urls = ['http://127.0.0.1/b'];
    }
    expect(check(Both).warnings).toEqual(["Spider both has both 'start_urls' (Scrapy's name) and startUrls: dragline reads only startUrls"]);
    class OwnStart extends Spider {
      static override spiderName = 'own';
      start_urls = ['http://127.0.0.1/b'];
      override async *start() { yield* []; }
    }
    expect(check(OwnStart).warnings).toHaveLength(1);
    class Agent extends Spider {
      static override spiderName = 'agent';
      user_agent = 'me';
    }
    expect(check(Agent).warnings).toEqual(["Spider agent: 'user_agent' is Scrapy's name, which dragline does not read: write userAgent (as it is, dragline ignores it)"]);
    class Sitemap extends SitemapSpider {
      static override spiderName = 'sitemap';
      override sitemapUrls = ['http://127.0.0.1/sitemap.xml'];
      *parse_sitemap() { yield* []; }
    }
    expect(check(Sitemap).warnings).toEqual(["Spider sitemap: 'parse_sitemap' is Scrapy's name, which dragline does not read: write parseSitemap (as it is, dragline ignores it)"]);
  });

  test("a spider in dragline's spelling, and snake_case names of the user's own, pass without a word", () => {
    class Fine extends CrawlSpider {
      static override spiderName = 'fine';
      static override customSettings = {DOWNLOAD_DELAY: 0};
      override startUrls = ['http://127.0.0.1/'];
      override allowedDomains = ['127.0.0.1'];
      page_count = 0;
      override rules = [new Rule(new LinkExtractor(), {callback: 'parseItem', cbKwargs: {a: 1}, processLinks: (links) => links})];
      parseItem() { return {}; }
      helper_method() { return 1; }
    }
    expect(check(Fine)).toEqual({warnings: []});
  });
});

describe('fields read from the class, and fields read from the instance', () => {
  test('customSettings as an instance field is refused: make it static', () => {
    // As a JavaScript spider writes it: TypeScript already refuses the field, and the class with it.
    class Slow extends Spider {
      static override spiderName = 'slow';
      // @ts-expect-error customSettings is read from the class
      customSettings = {DOWNLOAD_DELAY: 5};
    }
    // @ts-expect-error a class with an instance customSettings is not a SpiderClass
    expect(check(Slow).message).toBe('Spider slow: customSettings is an instance field, but dragline reads it from the class before building the spider: make it static (static customSettings = ...)');
  });

  test('static startUrls / allowedDomains / rules are refused: remove static', () => {
    // @ts-expect-error startUrls is read from the instance (a JavaScript spider gets the run-time check)
    class Docs extends Spider {
      static override spiderName = 'docs';
      static startUrls = ['http://127.0.0.1/'];
    }
    expect(check(Docs).message).toBe("Spider docs: Docs.startUrls is static, but dragline reads it from the spider instance: remove 'static' (startUrls = ...)");
    class Rules extends CrawlSpider {
      static override spiderName = 'rules';
      static rules = [new Rule()];
    }
    expect(check(Rules).code).toBe('SPIDER_INVALID');
  });

  test('a class whose name is an instance spiderName field, or a static name, is refused instead of skipped as a base class', () => {
    class Listed extends Spider {
      // @ts-expect-error spiderName is read from the class
      spiderName = 'listed';
    }
    // @ts-expect-error a class with an instance spiderName is not a SpiderClass
    expect(unnamedSpiderProblem(Listed)).toBe("Listed: spiderName is an instance field, but dragline reads it from the class: make it static (static spiderName = 'listed'), or write name = 'listed'");
    const StaticName = class extends Spider {};
    Object.defineProperty(StaticName, 'name', {value: 'quotes', writable: true, enumerable: true, configurable: true});
    expect(unnamedSpiderProblem(StaticName)).toContain("write static spiderName = 'quotes'");
    class Base extends Spider {}
    expect(unnamedSpiderProblem(Base)).toBeUndefined();
  });
});

describe('rule callbacks', () => {
  test("a rule callback that is not a method is an error before the crawl, suggesting the camelCase method", () => {
    class Docs extends CrawlSpider {
      static override spiderName = 'docs';
      override rules = [new Rule(new LinkExtractor(), {follow: true}), new Rule(new LinkExtractor({allow: /guide/}), {callback: 'parse_item'})];
      parseItem() { return {}; }
    }
    expect(check(Docs)).toMatchObject({code: 'CALLBACK_NOT_FOUND', message: "Spider docs: rule 1's callback 'parse_item' is not a method of the spider: write 'parseItem'"});
    class Typo extends CrawlSpider {
      static override spiderName = 'typo';
      override rules = [new Rule(new LinkExtractor(), {processLinks: 'dedupe'})];
    }
    expect(check(Typo).message).toBe("Spider typo: rule 0's processLinks 'dedupe' is not a method of the spider: name a method of the spider, or pass the method itself (this.parseItem)");
  });

  test("Scrapy's rule option names (cb_kwargs, process_links) are refused with the camelCase spelling", () => {
    class Docs extends CrawlSpider {
      static override spiderName = 'docs';
      // What a JavaScript spider (or one that silences the compiler) may pass; TypeScript refuses it.
      // @ts-expect-error cb_kwargs is not a Rule option
      override rules = [new Rule(new LinkExtractor(), {callback: 'parseItem', cb_kwargs: {a: 1}})];
      parseItem() { return {}; }
    }
    expect(check(Docs).message).toBe("Spider docs: rule 0 has no option 'cb_kwargs', so it would be ignored: write cbKwargs");
  });

  test("Scrapy's LinkExtractor argument names (restrict_css, allow_domains) are refused when the extractor is made", () => {
    // @ts-expect-error Scrapy's option name, as a JavaScript spider may pass it
    expect(() => new LinkExtractor({restrict_css: '#content'})).toThrow("LinkExtractor has no option 'restrict_css', so it would be ignored: write restrictCss");
    let code: string | undefined;
    try {
      // @ts-expect-error Scrapy's option name, as a JavaScript spider may pass it
      new LinkExtractor({allow_domains: ['example.com'], allow: /x/});
    } catch (error) {
      code = (error as {code?: string}).code;
    }
    expect(code).toBe('SPIDER_INVALID');
    // @ts-expect-error Scrapy's option name, as a JavaScript spider may pass it
    expect(() => new LinkExtractor({nofollow: true})).toThrow(/has no option 'nofollow', so it would be ignored: its options are allow, deny, allowDomains/);
  });

  test('sitemapRules callbacks are checked the same way', () => {
    class Map extends SitemapSpider {
      static override spiderName = 'map';
      override sitemapRules: Array<[string, string]> = [['/product/', 'parse_product']];
      parseProduct() { return {}; }
    }
    expect(check(Map).code).toBe('CALLBACK_NOT_FOUND');
  });

  test('sitemapRules and sitemapFollow patterns are read as Python regexes, and refused at load when they cannot be', () => {
    class Named extends SitemapSpider {
      static override spiderName = 'named';
      override sitemapRules: Array<[string, string]> = [['/product/(?P<id>\\d+)', 'parse']];
      override sitemapFollow = ['(?i)PRODUCTS'];
    }
    expect(check(Named).code).toBeUndefined();
    class Bad extends SitemapSpider {
      static override spiderName = 'bad';
      override sitemapFollow = ['(?>atomic)'];
    }
    const result = check(Bad);
    expect(result.code).toBe('BAD_ARGUMENT');
    expect(result.message).toMatch(/^Spider bad: sitemapFollow\[0\]: Cannot use the regular expression "\(\?>atomic\)"/);
  });
});
