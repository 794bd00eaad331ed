import {DraglineError} from '../core/errors.js';
import {CrawlSpider} from './crawl-spider.js';
import {CSVFeedSpider, XMLFeedSpider} from './feed-spiders.js';
import {SitemapSpider} from './sitemap-spider.js';
import {Spider, type SpiderClass} from './spider.js';
import {refuseUnknownOptions, snakeToCamel} from '../utils/known-options.js';
import {searchPattern} from '../utils/search-pattern.js';

/**
 * Scrapy's spider attributes dragline spells another way. `error: true` where ignoring the Scrapy
 * spelling leaves a crawl that cannot be right (it would fetch nothing or everything, lose pages or
 * items, or ignore a politeness setting); false where it only changes a detail of each request.
 */
const SCRAPY_NAMES: Record<string, {write: string; error: boolean}> = {
  start_urls: {write: 'startUrls', error: true},
  allowed_domains: {write: 'allowedDomains', error: true},
  custom_settings: {write: 'static customSettings', error: true},
  start_requests: {write: 'async *start()', error: true},
  parse_start_url: {write: 'parseStartUrl', error: true},
  process_results: {write: 'processResults', error: true},
  sitemap_urls: {write: 'sitemapUrls', error: true},
  sitemap_rules: {write: 'sitemapRules', error: true},
  sitemap_follow: {write: 'sitemapFollow', error: true},
  sitemap_alternate_links: {write: 'sitemapAlternateLinks', error: true},
  sitemap_filter: {write: 'sitemapFilter', error: true},
  parse_node: {write: 'parseNode', error: true},
  parse_nodes: {write: 'parseNode (called once per node)', error: true},
  adapt_response: {write: 'adaptResponse', error: true},
  parse_row: {write: 'parseRow', error: true},
  handle_httpstatus_list: {write: 'handleHttpstatusList', error: true},
  http_user: {write: 'httpUser', error: true},
  http_pass: {write: 'httpPass', error: true},
  http_auth_domain: {write: 'httpAuthDomain', error: true},
  download_delay: {write: 'static customSettings = {DOWNLOAD_DELAY: ...}', error: true},
  max_concurrent_requests: {write: 'static customSettings = {CONCURRENT_REQUESTS_PER_DOMAIN: ...}', error: true},
  user_agent: {write: 'userAgent', error: false},
  download_timeout: {write: 'downloadTimeout', error: false},
};

/** Attributes dragline reads from the spider class, before any spider is built. */
const CLASS_FIELDS = ['customSettings', 'spiderName'];
/** Attributes dragline reads from the spider instance, which a `static` field does not set. */
const INSTANCE_FIELDS = ['startUrls', 'allowedDomains', 'rules', 'sitemapUrls', 'sitemapRules', 'sitemapFollow', 'sitemapAlternateLinks', 'itertag', 'iterator', 'namespaces', 'delimiter', 'quotechar', 'headers', 'handleHttpstatusList', 'httpUser', 'httpPass', 'httpAuthDomain', 'userAgent', 'downloadTimeout'];
/** The keys of a Rule's options, and the Scrapy spellings of them. */
const RULE_OPTIONS = ['callback', 'errback', 'cbKwargs', 'follow', 'processLinks', 'processRequest'];
const RULE_METHOD_OPTIONS = ['callback', 'errback', 'processLinks', 'processRequest'];

const BASES: SpiderClass[] = [CrawlSpider, SitemapSpider, XMLFeedSpider, CSVFeedSpider, Spider];
const BASE_PROTOTYPES = new Set<object>(BASES.map((base) => base.prototype));

/**
 * Checks a spider before its crawl starts, for the habits a Scrapy user brings: Scrapy's
 * snake_case attribute names, static and instance fields swapped, and rule callbacks named after
 * methods that do not exist. Throws a one-line DraglineError for the first problem that would make
 * the crawl wrong; returns the warnings (one line each) for the rest.
 */
export function checkSpider(spider: Spider, spiderClass: SpiderClass): string[] {
  const warnings: string[] = [];
  const errors: DraglineError[] = [];
  const name = typeof spider.name === 'string' && spider.name !== '' ? spider.name : spiderClass.name;
  const base = baseOf(spider);
  const defaults = new base() as unknown as Record<string, unknown>;
  const values = spider as unknown as Record<string, unknown>;

  for (const scrapyName of attributeNames(spider)) {
    const known = Object.hasOwn(SCRAPY_NAMES, scrapyName) ? SCRAPY_NAMES[scrapyName] : otherDraglineName(scrapyName, defaults);
    if (known === undefined) continue;
    const draglineName = /^[a-z]\w*$/i.exec(known.write)?.[0];
    const alsoSet = draglineName !== undefined && isSetByUser(spider, draglineName, defaults);
    // Read by the user's own start() perhaps; only the default start() is sure to ignore it.
    const ownStart = scrapyName === 'start_urls' && spider.start !== Spider.prototype.start;
    const message = `Spider ${name}: '${scrapyName}' is Scrapy's name, which dragline does not read: write ${known.write}`;
    if (known.error && !alsoSet && !ownStart) errors.push(new DraglineError('SPIDER_INVALID', `${message} (as it is, dragline ignores it)`));
    else warnings.push(alsoSet ? `Spider ${name} has both '${scrapyName}' (Scrapy's name) and ${draglineName}: dragline reads only ${draglineName}` : `${message} (as it is, dragline ignores it)`);
  }

  for (const field of CLASS_FIELDS) {
    if (Object.hasOwn(spider, field) && values[field] !== undefined) {
      errors.push(new DraglineError('SPIDER_INVALID', `Spider ${name}: ${field} is an instance field, but dragline reads it from the class before building the spider: make it static (static ${field} = ...)`));
    }
  }
  for (const field of INSTANCE_FIELDS) {
    const owner = staticOwner(spiderClass, field);
    if (owner !== undefined) {
      errors.push(new DraglineError('SPIDER_INVALID', `Spider ${name}: ${owner.name}.${field} is static, but dragline reads it from the spider instance: remove 'static' (${field} = ...)`));
    }
  }

  errors.push(...ruleProblems(spider, name));
  if (errors.length > 0) {
    const [first, ...others] = errors;
    throw new DraglineError(first.code, first.message, {suggestions: others.map((error) => error.message)});
  }
  return warnings;
}

/**
 * A snake_case name not in SCRAPY_NAMES whose camelCase form is a member of dragline's spider
 * (`parse_sitemap` for parseSitemap, say): a warning, since what ignoring it costs is not known.
 */
function otherDraglineName(name: string, defaults: Record<string, unknown>): {write: string; error: boolean} | undefined {
  if (!name.includes('_')) return undefined;
  const camel = snakeToCamel(name);
  return camel !== name && (camel in defaults || INSTANCE_FIELDS.includes(camel)) ? {write: camel, error: false} : undefined;
}

/** Why a class that extends Spider has no name dragline can find, when it looks meant to have one. */
export function unnamedSpiderProblem(spiderClass: SpiderClass): string | undefined {
  const ownName = Object.getOwnPropertyDescriptor(spiderClass, 'name');
  if (ownName?.writable === true && typeof ownName.value === 'string') {
    return `${ownName.value}: 'static name' replaces the class's own name and is not read as the spider's name: write static spiderName = '${ownName.value}'`;
  }
  let instance: Record<string, unknown>;
  try {
    instance = new spiderClass() as unknown as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof instance.spiderName === 'string') {
    return `${spiderClass.name}: spiderName is an instance field, but dragline reads it from the class: make it static (static spiderName = '${instance.spiderName}'), or write name = '${instance.spiderName}'`;
  }
  if (typeof instance.spider_name === 'string') return `${spiderClass.name}: write static spiderName = '${instance.spider_name}' (spider_name is not read)`;
  return undefined;
}

/** The rules of a CrawlSpider: Scrapy's option names, and method names that are not methods. */
function ruleProblems(spider: Spider, name: string): DraglineError[] {
  const problems: DraglineError[] = [];
  const values = spider as unknown as Record<string, unknown>;
  const rules = spider instanceof CrawlSpider ? spider.rules : values.rules;
  if (Array.isArray(rules)) {
    rules.forEach((rule: unknown, index) => {
      const options = (rule as {options?: Record<string, unknown>}).options ?? {};
      try {
        refuseUnknownOptions(`Spider ${name}: rule ${index}`, options, RULE_OPTIONS);
      } catch (error) {
        problems.push(error as DraglineError);
      }
      for (const key of RULE_METHOD_OPTIONS) problems.push(...missingMethod(spider, options[key], `rule ${index}'s ${key}`));
    });
  }
  if (spider instanceof SitemapSpider) {
    spider.sitemapRules.forEach(([, callback], index) => problems.push(...missingMethod(spider, callback, `sitemapRules[${index}]'s callback`)));
    // Patterns are compiled when the first sitemap arrives: one that cannot be read is refused now.
    spider.sitemapRules.forEach(([pattern], index) => problems.push(...badPattern(pattern, `Spider ${name}: sitemapRules[${index}]'s pattern`)));
    spider.sitemapFollow.forEach((pattern, index) => problems.push(...badPattern(pattern, `Spider ${name}: sitemapFollow[${index}]`)));
  }
  return problems;
}

function badPattern(pattern: string | RegExp, what: string): DraglineError[] {
  try {
    searchPattern(pattern, what);
    return [];
  } catch (error) {
    if (error instanceof DraglineError) return [error];
    throw error;
  }
}

function missingMethod(spider: Spider, method: unknown, what: string): DraglineError[] {
  if (typeof method !== 'string') return [];
  const values = spider as unknown as Record<string, unknown>;
  if (typeof values[method] === 'function') return [];
  const right = snakeToCamel(method);
  const hint = right !== method && typeof values[right] === 'function' ? `: write '${right}'` : ': name a method of the spider, or pass the method itself (this.parseItem)';
  return [new DraglineError('CALLBACK_NOT_FOUND', `Spider ${spider.name}: ${what} '${method}' is not a method of the spider${hint}`)];
}

/** Every field and method name of the spider, its own and its classes'. */
function attributeNames(spider: Spider): Set<string> {
  const names = new Set<string>(Object.keys(spider));
  for (let proto = Object.getPrototypeOf(spider); proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) names.add(name);
  }
  return names;
}

/** Whether the user gave `name` a value of their own: a method of their class, or a field unlike the base class's default. */
function isSetByUser(spider: Spider, name: string, defaults: Record<string, unknown>): boolean {
  const value = (spider as unknown as Record<string, unknown>)[name];
  if (typeof value === 'function') {
    for (let proto = Object.getPrototypeOf(spider); proto !== null; proto = Object.getPrototypeOf(proto)) {
      if (Object.hasOwn(proto, name)) return !BASE_PROTOTYPES.has(proto);
    }
    return false;
  }
  return value !== undefined && JSON.stringify(value) !== JSON.stringify(defaults[name]);
}

/** The user class (below dragline's base classes) that declares `field` static, if one does. */
function staticOwner(spiderClass: SpiderClass, field: string): Function | undefined {
  for (let cls: Function | null = spiderClass; cls !== null && !BASES.includes(cls as SpiderClass); cls = Object.getPrototypeOf(cls) as Function | null) {
    if (cls === Function.prototype) return undefined;
    if (Object.hasOwn(cls, field)) return cls;
  }
  return undefined;
}

/** The dragline base class the spider extends (its defaults are what "not set" means). */
function baseOf(spider: Spider): SpiderClass {
  return BASES.find((base) => spider instanceof base) ?? Spider;
}
