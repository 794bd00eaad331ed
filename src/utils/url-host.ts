/** A URL's host name in lower case (Scrapy's `urlparse_cached(request).hostname`), or '' when the URL has none. */
export function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}
