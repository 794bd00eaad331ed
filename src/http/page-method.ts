/**
 * An action on a browser page before its response is made, as scrapy-playwright's PageMethod:
 * `new PageMethod('waitForSelector', 'div.quote')` calls `page.waitForSelector('div.quote')`
 * (Playwright's JavaScript names and arguments). It is data, not a closure: a request that carries
 * page methods in `meta.playwright_page_methods` is stored in the job directory and resumed like
 * any other. After the download, `result` holds what the call returned.
 */
export class PageMethod {
  readonly method: string;
  readonly args: unknown[];
  /**
   * What the call returned, after the download. Not enumerable: it is output, not part of the
   * request, so a retried request is stored without it (an element handle could not be).
   */
  declare result?: unknown;

  constructor(method: string, ...args: unknown[]) {
    if (typeof method !== 'string' || method === '') throw new TypeError('PageMethod needs the name of a Page method, such as "waitForSelector"');
    this.method = method;
    this.args = args;
    Object.defineProperty(this, 'result', {value: undefined, writable: true, enumerable: false, configurable: true});
  }

  /** A PageMethod again from what v8 stored (a plain object with the same fields). */
  static fromRecord(record: {method: string; args?: unknown[]}): PageMethod {
    return new PageMethod(record.method, ...(record.args ?? []));
  }
}

/** The meta key that holds page methods (scrapy-playwright's name). */
export const PAGE_METHODS_META_KEY = 'playwright_page_methods';

/** After a stored request is read back: its page methods are PageMethod instances again. */
export function revivePageMethods(meta: Record<string, unknown>): Record<string, unknown> {
  const stored = meta[PAGE_METHODS_META_KEY];
  if (Array.isArray(stored)) {
    meta[PAGE_METHODS_META_KEY] = stored.map((item) => (isPageMethodRecord(item) ? PageMethod.fromRecord(item) : item));
  }
  return meta;
}

function isPageMethodRecord(value: unknown): value is {method: string; args?: unknown[]} {
  return typeof value === 'object' && value !== null && typeof (value as {method?: unknown}).method === 'string';
}
