import {DraglineError} from '../core/errors.js';
import {Selector, type SelectorList} from '../selector/index.js';
import {safeUrlString} from '../utils/safe-url-string.js';
import {parsedUrl, urljoin, type ParsedUrl} from '../utils/urljoin.js';
import {chooseEncoding, decodeBody, resolveEncoding} from './encoding.js';
import {isHtmlResponse, isXmlResponse} from './response-types.js';
import {Request, headerValue, type CallbackKwargs, type CheckedRequestOptions, type Headers, type RequestMeta, type RequestOptions} from './request.js';

export interface ResponseInit<Meta extends CallbackKwargs = RequestMeta, Kwargs extends CallbackKwargs = CallbackKwargs> {
  url: string;
  status: number;
  headers?: Headers;
  body?: Buffer;
  request: Request<Kwargs, Meta>;
  flags?: string[];
  ip?: string;
  /** The body's encoding, when you know better than the page (Scrapy's `encoding=`): it wins over the header and the page's declarations. */
  encoding?: string;
}

/** Something `follow()` can turn into a URL: a string, or a selector of an `<a>`/`<link>` or of an attribute value. */
export type FollowTarget = string | Selector;

/**
 * A downloaded page. `Meta` and `Kwargs` type `meta` and `cbKwargs` (those of its request): a
 * callback may declare `response: Response<{page: number}>` to read `response.meta.page` typed.
 */
export class Response<Meta extends CallbackKwargs = RequestMeta, Kwargs extends CallbackKwargs = CallbackKwargs> {
  readonly url: string;
  readonly status: number;
  readonly headers: Headers;
  readonly body: Buffer;
  readonly request: Request<Kwargs, Meta>;
  readonly flags: string[];
  readonly ip?: string;
  private readonly explicitEncoding?: string;
  private chosenEncoding?: string;
  private decodedText?: string;
  private rootSelector?: Selector;
  private cachedBaseUrl?: ParsedUrl;

  constructor(init: ResponseInit<Meta, Kwargs>) {
    this.url = init.url;
    this.status = init.status;
    this.headers = init.headers ?? {};
    this.body = init.body ?? Buffer.alloc(0);
    this.request = init.request;
    this.flags = init.flags ?? [];
    this.ip = init.ip;
    if (init.encoding !== undefined) this.explicitEncoding = knownEncoding(init.encoding);
  }

  /** The request's meta, shared with it, as in Scrapy. */
  get meta(): Meta & RequestMeta {
    return this.request.meta;
  }

  get cbKwargs(): Kwargs {
    return this.request.cbKwargs;
  }

  header(name: string): string | undefined {
    return headerValue(this.headers, name);
  }

  /**
   * The encoding of the body, as its WHATWG name ('utf-8', 'windows-1252', 'shift_jis', ...):
   * the one given to the constructor, else a byte order mark's, the Content-Type charset, a
   * `<meta>`/XML declaration in the first 4096 bytes, or a guess (see encoding.ts).
   */
  get encoding(): string {
    this.chosenEncoding ??= chooseEncoding(this.body, this.header('content-type'), this.explicitEncoding);
    return this.chosenEncoding;
  }

  /** The body decoded in `encoding` (a byte order mark, if any, decides and is dropped). */
  get text(): string {
    this.decodedText ??= decodeBody(this.body, this.encoding);
    return this.decodedText;
  }

  /** The body parsed as JSON, as Scrapy's `response.json()`; throws a SyntaxError naming the URL if it is not JSON. */
  json<T = unknown>(): T {
    try {
      return JSON.parse(this.text) as T;
    } catch (error) {
      throw new SyntaxError(`${this.url} is not JSON: ${(error as Error).message}`, {cause: error});
    }
  }

  get selector(): Selector {
    // As Scrapy's XmlResponse: an XML content type gets an XML selector, anything else HTML's.
    if (this.rootSelector === undefined) this.rootSelector = isXmlResponse(this) ? Selector.fromXml(this.text) : Selector.fromHtml(this.text);
    return this.rootSelector;
  }

  css(query: string): SelectorList {
    return this.selector.css(query);
  }

  xpath(query: string): SelectorList {
    return this.selector.xpath(query);
  }

  /**
   * An absolute URL for `url`, relative to this page (and its `<base href>`, if any), joined as
   * Scrapy joins it (Python's urljoin): nothing is escaped yet, a Request does that in the page's encoding.
   */
  urljoin(url: string): string {
    return urljoin(this.baseUrl(), url);
  }

  /** A request for a link on this page, as Scrapy's response.follow(): its query is encoded in the page's encoding. */
  follow<K extends CallbackKwargs = CallbackKwargs, M extends CallbackKwargs = RequestMeta>(target: FollowTarget, options: CheckedRequestOptions<K, M> = {} as CheckedRequestOptions<K, M>): Request<K, M> {
    return new Request(this.urljoin(followTargetUrl(target)), {encoding: this.encoding, ...options});
  }

  /** Requests for many links: URLs, selectors, or every link a CSS or XPath query selects. */
  followAll<K extends CallbackKwargs = CallbackKwargs, M extends CallbackKwargs = RequestMeta>(targets?: Iterable<FollowTarget> | {css?: string; xpath?: string}, options: CheckedRequestOptions<K, M> = {} as CheckedRequestOptions<K, M>): Array<Request<K, M>> {
    let list: Iterable<FollowTarget>;
    if (targets === undefined) list = [];
    else if (isQuery(targets)) list = targets.css !== undefined ? this.css(targets.css) : this.xpath(targets.xpath ?? '');
    else list = targets;
    const requests: Array<Request<K, M>> = [];
    for (const target of list) {
      // As Scrapy's follow_all: elements that carry no link (an <a name> anchor) are skipped.
      const url = typeof target === 'string' ? target.trim() : linkOf(target);
      if (url !== undefined && url !== '') requests.push(this.follow(url, options));
    }
    return requests;
  }

  toString(): string {
    return `<${this.status} ${this.url}>`;
  }

  /** How console.log, the shell and util.inspect show it: Scrapy's short form, not every field. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }


  /** The base URL, parsed once: a page joins all its links to it. */
  private baseUrl(): ParsedUrl {
    this.cachedBaseUrl ??= parsedUrl(this.findBaseUrl());
    return this.cachedBaseUrl;
  }

  private findBaseUrl(): string {
    const url = safeUrlString(this.url);
    // Scrapy reads <base href> on any TextResponse; here on the pages a selector reads as markup.
    if (!isHtmlResponse(this) && !/xml/i.test(this.header('content-type') ?? '')) return url;
    // Most pages have no <base>: a look at the text spares a walk of the whole tree.
    if (!MAY_HAVE_BASE.test(this.text)) return url;
    const base = this.css('base::attr(href)').get()?.trim();
    // As w3lib's get_base_url: both made safe, the <base> in the page's encoding, then joined.
    return base ? urljoin(url, safeUrlString(base, this.encoding)) : url;
  }
}

/** Where a `<base>` element could be. */
const MAY_HAVE_BASE = /<base/i;

function isQuery(value: unknown): value is {css?: string; xpath?: string} {
  return typeof value === 'object' && value !== null && !(Symbol.iterator in value);
}

function followTargetUrl(target: FollowTarget): string {
  if (typeof target === 'string') return target.trim();
  const url = linkOf(target);
  if (url === undefined) throw new TypeError(`Cannot follow ${String(target)}: it selects no link (select an <a>/<link> with href, or an attribute value)`);
  return url;
}

/** The URL a selector stands for: the href (or src) of an element, the value of an attribute or text result. */
function linkOf(target: Selector): string | undefined {
  if (target.kind === 'element') return (target.attrib.href ?? target.attrib.src)?.trim();
  return target.get()?.trim() ?? undefined;
}

function knownEncoding(label: string): string {
  const encoding = resolveEncoding(label);
  if (encoding === undefined) throw new DraglineError('BAD_ARGUMENT', `Unknown encoding "${label}": use a label such as utf-8, windows-1252, shift_jis, gbk or euc-kr`);
  return encoding;
}
