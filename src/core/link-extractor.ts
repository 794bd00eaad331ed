import type {AnyNode} from 'domhandler';
import {textContent} from 'domutils';
import type {Response} from './http/response.js';
import type {Selector} from './selector/index.js';
import {canonicalizeUrl} from './utils/canonicalize-url.js';
import {searchPattern} from './utils/search-pattern.js';
import {refuseUnknownOptions} from './utils/known-options.js';

/** A link found on a page, as Scrapy's Link. */
export interface Link {
  url: string;
  /** The text of the element (whitespace collapsed). */
  text: string;
  /** The URL's fragment, without '#'. */
  fragment: string;
  /** The element says rel="nofollow". */
  nofollow: boolean;
}

type Patterns = string | RegExp | Array<string | RegExp>;

export interface LinkExtractorOptions {
  /** Only URLs matching one of these (regular expressions, searched in the absolute URL). */
  allow?: Patterns;
  /** No URL matching one of these; deny wins over allow. */
  deny?: Patterns;
  /** Only links to these domains (or their subdomains). */
  allowDomains?: string | string[];
  denyDomains?: string | string[];
  /** Only links inside the elements these select. */
  restrictCss?: string | string[];
  restrictXpaths?: string | string[];
  /** Elements and attributes that hold links (default: `a` and `area`, `href`). */
  tags?: string[];
  attrs?: string[];
  /** Links to files with these extensions are left out (default: IGNORED_EXTENSIONS). */
  denyExtensions?: string[];
  /** Changes (or drops, by returning undefined) each attribute value before it is joined to the page URL. */
  processValue?: (value: string) => string | undefined;
  /** Canonicalize each URL (sorted query arguments, no fragment). Default: false, as in Scrapy. */
  canonicalize?: boolean;
  /** Drop repeated URLs, compared by their canonical form with fragments (default: true). */
  unique?: boolean;
}

const LINK_EXTRACTOR_OPTIONS = ['allow', 'deny', 'allowDomains', 'denyDomains', 'restrictCss', 'restrictXpaths', 'tags', 'attrs', 'denyExtensions', 'processValue', 'canonicalize', 'unique'] as const;

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
 * Finds the links of a page that match its rules, as Scrapy's LinkExtractor: absolute http(s) URLs
 * from `<a href>` and `<area href>` (or the tags and attributes given), filtered by allow/deny
 * patterns, domains and file extensions, optionally only inside some parts of the page.
 */
export class LinkExtractor {
  private readonly allow: RegExp[];
  private readonly deny: RegExp[];
  private readonly allowDomains: string[];
  private readonly denyDomains: string[];
  private readonly restrictCss: string[];
  private readonly restrictXpaths: string[];
  private readonly tags: Set<string>;
  private readonly attrs: string[];
  private readonly denyExtensions: Set<string>;

  constructor(private readonly options: LinkExtractorOptions = {}) {
    refuseUnknownOptions('LinkExtractor', options, LINK_EXTRACTOR_OPTIONS);
    this.allow = patterns(options.allow);
    this.deny = patterns(options.deny);
    this.allowDomains = list(options.allowDomains).map((domain) => domain.toLowerCase());
    this.denyDomains = list(options.denyDomains).map((domain) => domain.toLowerCase());
    this.restrictCss = list(options.restrictCss);
    this.restrictXpaths = list(options.restrictXpaths);
    this.tags = new Set((options.tags ?? ['a', 'area']).map((tag) => tag.toLowerCase()));
    this.attrs = options.attrs ?? ['href'];
    this.denyExtensions = new Set((options.denyExtensions ?? IGNORED_EXTENSIONS).map((extension) => extension.toLowerCase().replace(/^\./, '')));
  }

  extractLinks(response: Response): Link[] {
    const links: Link[] = [];
    const seen = new Set<string>();
    for (const element of this.linkElements(response)) {
      const attributes = element.attrib;
      for (const attr of this.attrs) {
        const raw = attributes[attr];
        if (raw === undefined) continue;
        const value = this.options.processValue ? this.options.processValue(raw) : raw;
        if (value === undefined || value.trim() === '') continue;
        let url: URL;
        try {
          url = new URL(response.urljoin(value.trim()));
        } catch {
          continue;
        }
        if (!this.matches(url)) continue;
        const final = this.options.canonicalize ? canonicalizeUrl(url.toString()) : url.toString();
        if (this.options.unique !== false) {
          // As Scrapy: links are the same when their canonical forms are (argument order aside), fragments kept.
          const key = this.options.canonicalize ? final : canonicalizeUrl(final, {keepFragments: true});
          if (seen.has(key)) continue;
          seen.add(key);
        }
        links.push({
          url: final,
          text: textContent(element.root as AnyNode).replace(/\s+/g, ' ').trim(),
          fragment: url.hash.replace(/^#/, ''),
          nofollow: /(^|\s)nofollow(\s|$)/i.test(attributes.rel ?? ''),
        });
      }
    }
    return links;
  }

  private *linkElements(response: Response): Iterable<Selector> {
    const tagQuery = [...this.tags].join(', ');
    const regions: Selector[] = [];
    for (const query of this.restrictCss) regions.push(...response.css(query));
    for (const query of this.restrictXpaths) regions.push(...response.xpath(query));
    if (this.restrictCss.length === 0 && this.restrictXpaths.length === 0) {
      yield* response.css(tagQuery);
      return;
    }
    for (const region of regions) {
      if (region.kind !== 'element') continue;
      const name = (region.root as {name?: string}).name?.toLowerCase();
      if (name !== undefined && this.tags.has(name)) yield region;
      yield* region.css(tagQuery);
    }
  }

  /** Whether a link to `url` would be kept (Scrapy's LinkExtractor.matches), as `parse --rules` asks. */
  matches(url: URL | string): boolean {
    if (typeof url === 'string') {
      if (!URL.canParse(url)) return false;
      url = new URL(url);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    const href = url.toString();
    if (this.allow.length > 0 && !this.allow.some((pattern) => pattern.test(href))) return false;
    if (this.deny.some((pattern) => pattern.test(href))) return false;
    const host = url.hostname.toLowerCase();
    if (this.allowDomains.length > 0 && !this.allowDomains.some((domain) => onDomain(host, domain))) return false;
    if (this.denyDomains.some((domain) => onDomain(host, domain))) return false;
    const extension = /\.([a-z0-9]+(?:\.gz)?)$/i.exec(url.pathname)?.[1]?.toLowerCase();
    return extension === undefined || !this.denyExtensions.has(extension);
  }
}

function onDomain(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}

function list<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function patterns(value: Patterns | undefined): RegExp[] {
  return list(value).map(searchPattern);
}
