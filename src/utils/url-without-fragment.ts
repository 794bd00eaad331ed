/**
 * The URL as it is downloaded: everything before the first `#`. A fragment never reaches the server,
 * so Scrapy's download handlers drop it (`urldefrag`) from the URL they request and from the
 * response's `url`, while the request keeps it.
 */
export function urlWithoutFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash === -1 ? url : url.slice(0, hash);
}
