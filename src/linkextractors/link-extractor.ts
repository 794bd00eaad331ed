import {isText, type AnyNode, type Element} from 'domhandler';
import {textContent} from 'domutils';
import type {Response} from '../http/response.js';
import type {Selector} from '../selector/index.js';
import {canonicalizeUrl} from '../utils/canonicalize-url.js';
import {safeUrlString} from '../utils/safe-url-string.js';
import {searchPattern} from '../utils/search-pattern.js';
import {stripHtml5Whitespace} from '../utils/strip-html5-whitespace.js';
import {refuseUnknownOptions} from '../utils/known-options.js';
import {parsedUrl, urljoin, urlparse} from '../utils/urljoin.js';

/** A link found on a page, as Scrapy's Link. */
export interface Link {
  /** The absolute URL, made safe as a Request makes it (its query in the page's encoding). */
  url: string;
  /** The text of the element, as it is in the page (Scrapy's `string()` of the element). */
  text: string;
  /** The URL's fragment, without '#' (Scrapy's LinkExtractor leaves this empty). */
  fragment: string;
  /** The element's rel holds the `nofollow` token (any case; tokens split on spaces and commas). */
  nofollow: boolean;
}

type Patterns = string | RegExp | Array<string | RegExp>;

export interface LinkExtractorOptions {
  /** Only URLs matching one of these (regular expressions, searched in the absolute URL; strings in Python's syntax, as Scrapy's). */
  allow?: Patterns;
  /** No URL matching one of these; deny wins over allow. */
  deny?: Patterns;
  /** Only links to these domains (or their subdomains). */
  allowDomains?: string | string[];
  denyDomains?: string | string[];
  /** Only links inside the elements these select. */
  restrictCss?: string | string[];
  restrictXpaths?: string | string[];
  /** Only links whose text matches one of these. */
  restrictText?: Patterns;
  /** Elements and attributes that hold links (default: `a` and `area`, `href`). */
  tags?: string | string[];
  attrs?: string | string[];
  /** Links to files with these extensions are left out (default: IGNORED_EXTENSIONS). */
  denyExtensions?: string[];
  /**
   * Changes (or drops, by returning undefined or null) each link before it is made safe. As in
   * Scrapy, it receives the attribute value already joined to the page's base URL.
   */
  processValue?: (value: string) => string | undefined | null;
  /** Strip HTML whitespace around attribute values (default: true). */
  strip?: boolean;
  /** Canonicalize each URL (sorted query arguments, no fragment). Default: false, as in Scrapy. */
  canonicalize?: boolean;
  /** Drop repeated URLs, compared by their canonical form with fragments (default: true). */
  unique?: boolean;
}

const LINK_EXTRACTOR_OPTIONS = ['allow', 'deny', 'allowDomains', 'denyDomains', 'restrictCss', 'restrictXpaths', 'restrictText', 'tags', 'attrs', 'denyExtensions', 'processValue', 'strip', 'canonicalize', 'unique'] as const;

/** Scrapy's IGNORED_EXTENSIONS: archives, images, audio, video, office documents and other binaries. */
export const IGNORED_EXTENSIONS = [
  '7z', '7zip', 'bz2', 'rar', 'tar', 'tar.gz', 'xz', 'zip',
  'mng', 'pct', 'bmp', 'gif', 'jpg', 'jpeg', 'png', 'pst', 'psp', 'tif', 'tiff', 'ai', 'drw', 'dxf', 'eps', 'ps', 'svg', 'cdr', 'ico', 'webp',
  'mp3', 'wma', 'ogg', 'wav', 'ra', 'aac', 'mid', 'au', 'aiff',
  '3gp', 'asf', 'asx', 'avi', 'mov', 'mp4', 'mpg', 'qt', 'rm', 'swf', 'wmv', 'm4a', 'm4v', 'flv', 'webm',
  'xls', 'xlsm', 'xlsx', 'xltm', 'xltx', 'potm', 'potx', 'ppt', 'pptm', 'pptx', 'pps', 'doc', 'docb', 'docm', 'docx', 'dotm', 'dotx', 'odt', 'ods', 'odg', 'odp',
  'css', 'pdf', 'exe', 'bin', 'rss', 'dmg', 'iso', 'apk', 'jar', 'sh', 'rb', 'js', 'hqx', 'msi', 'deb', 'rpm', 'torrent',
];

/**
 * Finds the links of a page that match its rules, as Scrapy's LinkExtractor: from `<a href>` and
 * `<area href>` (or the tags and attributes given), joined to the page's base URL and made safe in
 * the page's encoding; http, https, ftp and file links only; filtered by allow/deny patterns,
 * domains, file extensions and link text, optionally only inside some parts of the page.
 */
export class LinkExtractor {
  private readonly allow: RegExp[];
  private readonly deny: RegExp[];
  private readonly allowDomains: string[];
  private readonly denyDomains: string[];
  private readonly restrictText: RegExp[];
  private readonly tags: Set<string>;
  private readonly attrs: Set<string>;
  private readonly denyExtensions: string[];
  private readonly denyExtensionSet?: Set<string>;
  private readonly unique: boolean;

  constructor(private readonly options: LinkExtractorOptions = {}) {
    refuseUnknownOptions('LinkExtractor', options, LINK_EXTRACTOR_OPTIONS);
    this.allow = patterns(options.allow, 'LinkExtractor allow');
    this.deny = patterns(options.deny, 'LinkExtractor deny');
    this.allowDomains = list(options.allowDomains).map((domain) => domain.toLowerCase());
    this.denyDomains = list(options.denyDomains).map((domain) => domain.toLowerCase());
    this.restrictText = patterns(options.restrictText, 'LinkExtractor restrictText');
    this.tags = new Set(list(options.tags ?? ['a', 'area']).map((tag) => tag.toLowerCase()));
    this.attrs = new Set(list(options.attrs ?? ['href']).map((attr) => attr.toLowerCase()));
    // Scrapy compares the path's end with '.' + extension; a leading dot given here is tolerated.
    this.denyExtensions = (options.denyExtensions ?? IGNORED_EXTENSIONS).map((extension) => '.' + extension.toLowerCase().replace(/^\./, ''));
    if (!this.denyExtensions.some((extension) => extension.includes('/'))) this.denyExtensionSet = new Set(this.denyExtensions);
    this.unique = options.unique ?? true;
  }

  extractLinks(response: Response): Link[] {
    const encoding = response.encoding;
    const all: Link[] = [];
    const regions = this.regions(response);
    for (const region of regions) {
      const found = this.deduplicate(this.linksIn(region, response, encoding));
      let allowed = found.filter((link) => this.allowed(link));
      if (this.options.canonicalize) {
        for (const link of allowed) {
          link.url = canonicalizeUrl(link.url);
          link.fragment = '';
        }
        allowed = this.deduplicate(allowed);
      }
      all.push(...allowed);
    }
    // One region's links are already unique by URL, hence as whole links.
    if (!this.unique || regions.length === 1) return all;
    // Across regions, as Scrapy: a link is dropped only when it is the same link (url, text, nofollow).
    const seen = new Set<string>();
    return all.filter((link) => {
      const key = JSON.stringify([link.url, link.text, link.fragment, link.nofollow]);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  /** The whole page, or each element the restrict options select (XPath ones first, as Scrapy). */
  private regions(response: Response): Selector[] {
    const xpaths = list(this.options.restrictXpaths);
    const css = list(this.options.restrictCss);
    if (xpaths.length === 0 && css.length === 0) return [response.selector];
    return [...xpaths.flatMap((query) => [...response.xpath(query)]), ...css.flatMap((query) => [...response.css(query)])];
  }

  private linksIn(region: Selector, response: Response, encoding: string): Link[] {
    const links: Link[] = [];
    const responseUrl = parsedUrl(safeUrlString(response.url));
    const processValue = this.options.processValue;
    for (const element of this.linkElements(region)) {
      // An HTML element's own attribute table is read, not the copy `attrib` makes for a caller
      // that may change it (it has no prototype: for-in sees only the attributes).
      const attributes = element.type === 'html' ? (element.root as Element).attribs : element.attrib;
      // Attributes in the order the page writes them, as lxml iterates them.
      for (const name in attributes) {
        if (!this.attrs.has(name.toLowerCase())) continue;
        const raw = attributes[name]!;
        const value = this.options.strip === false ? raw : stripHtml5Whitespace(raw);
        const joined = response.urljoin(value);
        const processed = processValue ? processValue(joined) : joined;
        if (processed === undefined || processed === null) continue;
        const safe = safeUrlString(processed, encoding);
        // Joined again to the page's URL, as Scrapy: processValue may have returned a relative link.
        // A URL with a scheme and a host comes out of that join as it went in, so it skips it.
        const url = processValue || !hasSchemeAndHost(safe) ? urljoin(responseUrl, safe) : safe;
        const hash = url.indexOf('#');
        links.push({url, text: linkText(element.root as AnyNode), fragment: hash < 0 ? '' : url.slice(hash + 1), nofollow: relHasNofollow(attributes.rel)});
      }
    }
    return links;
  }

  /** The region itself when it is a link element, then every link element inside it, in document order. */
  private *linkElements(region: Selector): Iterable<Selector> {
    if (region.kind !== 'element') return;
    const name = (region.root as {name?: string}).name?.toLowerCase();
    if (name !== undefined && this.tags.has(name)) yield region;
    yield* region.css([...this.tags].join(', '));
  }

  /** Scrapy's per-region de-duplication: by canonical URL with fragment (by URL when canonicalized). */
  private deduplicate(links: Link[]): Link[] {
    if (!this.unique) return links;
    const seen = new Set<string>();
    return links.filter((link) => {
      const key = this.options.canonicalize ? link.url : canonicalizeUrl(link.url, {keepFragments: true});
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  private allowed(link: Link): boolean {
    return this.matches(link.url) && (this.restrictText.length === 0 || this.restrictText.some((pattern) => pattern.test(link.text)));
  }

  /** Whether a link to this (safe, absolute) URL would be kept, as Scrapy's LinkExtractor.matches; `parse --rules` asks it. */
  matches(url: string): boolean {
    if (!FOLLOWED_SCHEMES.has(url.split('://', 1)[0])) return false;
    if (this.allow.length > 0 && !this.allow.some((pattern) => pattern.test(url))) return false;
    if (this.deny.some((pattern) => pattern.test(url))) return false;
    const parts = urlparse(url);
    // As Scrapy's url_is_from_any_domain: the whole authority, so `example.com:8080` is not on `example.com`.
    const host = parts.netloc.toLowerCase();
    if (this.allowDomains.length > 0 && !this.allowDomains.some((domain) => onDomain(host, domain))) return false;
    if (this.denyDomains.some((domain) => onDomain(host, domain))) return false;
    const path = parts.path.toLowerCase();
    if (this.denyExtensionSet === undefined) return !this.denyExtensions.some((extension) => path.endsWith(extension));
    // Scrapy's endswith test, looked up instead: each extension starts with '.' and holds no '/',
    // so the path ends with one exactly when its suffix from some '.' of the last segment is one.
    for (let dot = path.indexOf('.', path.lastIndexOf('/') + 1); dot >= 0; dot = path.indexOf('.', dot + 1)) {
      if (this.denyExtensionSet.has(path.slice(dot))) return false;
    }
    return true;
  }
}

/** The text of a link element: most hold one text node, read as it is (domutils maps and joins arrays for any node). */
function linkText(node: AnyNode): string {
  const children = (node as Element).children;
  if (children !== undefined && children.length === 1 && isText(children[0]!)) return children[0].data;
  return textContent(node);
}

const FOLLOWED_SCHEMES = new Set(['http', 'https', 'file', 'ftp']);

const SCHEME_AND_HOST = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]/;

function hasSchemeAndHost(url: string): boolean {
  return SCHEME_AND_HOST.test(url);
}

/** Scrapy's `rel_has_nofollow`, case-insensitive as the HTML standard (and later Scrapy) reads rel. */
function relHasNofollow(rel: string | undefined): boolean {
  return rel !== undefined && rel.toLowerCase().replaceAll(',', ' ').split(/\s+/).includes('nofollow');
}

function onDomain(host: string, domain: string): boolean {
  return host !== '' && (host === domain || host.endsWith(`.${domain}`));
}

function list<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function patterns(value: Patterns | undefined, what: string): RegExp[] {
  return list(value).map((pattern) => searchPattern(pattern, what));
}
