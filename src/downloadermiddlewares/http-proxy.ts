import type {Crawler} from '../core/crawler.js';
import {DraglineError} from '../core/errors.js';
import type {Request} from '../http/request.js';
import {NotConfigured, type DownloaderMiddleware} from '../core/middleware.js';

/**
 * Scrapy's HttpProxyMiddleware: a request goes through the proxy its `meta.proxy` names
 * (`http://[user:password@]host:port`; `null` for none), and otherwise through the one the
 * environment gives for its scheme (`http_proxy`, `https_proxy`, either case), unless its host is
 * in `no_proxy`. Credentials in the proxy URL are sent to the proxy, never to the site.
 */
export class HttpProxyMiddleware implements DownloaderMiddleware {
  private readonly proxies: Record<string, string>;
  private readonly noProxy: string[];

  constructor(crawler: Crawler, environment: NodeJS.ProcessEnv = process.env) {
    if (!crawler.settings.getBool('HTTPPROXY_ENABLED')) throw new NotConfigured('HTTPPROXY_ENABLED is off');
    const variable = (name: string): string | undefined => environment[name.toLowerCase()] || environment[name.toUpperCase()] || undefined;
    this.proxies = {};
    for (const scheme of ['http', 'https']) {
      const proxy = variable(`${scheme}_proxy`);
      if (proxy === undefined) continue;
      try {
        this.proxies[scheme] = checkedProxyUrl(proxy, `The environment variable ${scheme}_proxy`);
      } catch (error) {
        throw new DraglineError('BAD_SETTING', (error as Error).message, {suggestions: [`Fix or unset ${scheme}_proxy, or run with -s HTTPPROXY_ENABLED=false`]});
      }
    }
    this.noProxy = (variable('no_proxy') ?? '').split(',').map((entry) => entry.trim().toLowerCase()).filter(Boolean);
  }

  processRequest(request: Request): void {
    const meta = request.meta;
    // A proxy this middleware took from the environment is chosen again for each URL (a redirect may
    // change the scheme or land on a no_proxy host); one the spider set is kept.
    if (meta._env_proxy === true) {
      delete meta.proxy;
      delete meta._env_proxy;
    }
    if ('proxy' in meta) {
      if (meta.proxy !== null && meta.proxy !== undefined) meta.proxy = checkedProxyUrl(String(meta.proxy), 'meta.proxy');
      return;
    }
    if (this.proxies.http === undefined && this.proxies.https === undefined) return;
    const url = new URL(request.url);
    const proxy = this.proxies[url.protocol.replace(/:$/, '')];
    if (proxy !== undefined && !this.bypasses(url)) {
      meta.proxy = proxy;
      meta._env_proxy = true;
    }
  }

  /** no_proxy: `*`, or hosts and domains (`example.org`, `.example.org`), optionally with a port. */
  private bypasses(url: URL): boolean {
    const host = url.hostname.toLowerCase();
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    return this.noProxy.some((entry) => {
      if (entry === '*') return true;
      const [name, entryPort] = entry.split(':');
      if (entryPort !== undefined && entryPort !== port) return false;
      const domain = name.replace(/^\*?\./, '');
      return host === domain || host.endsWith(`.${domain}`);
    });
  }
}

function checkedProxyUrl(value: string, where: string): string {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    throw new Error(`${where} is not a proxy URL: '${value}' (expected http://[user:password@]host:port)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${where}: only http and https proxies are supported, not '${value}'`);
  return url.toString();
}
