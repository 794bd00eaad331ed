import http from 'node:http';

/**
 * Sends plain-http requests to an http proxy in absolute form (`GET http://site/path HTTP/1.1`), as
 * browsers and Scrapy do. (A CONNECT tunnel, what hpagent uses, is refused for port 80 by many
 * proxies, Squid's default configuration among them.) Connections to the proxy are kept alive and
 * pooled by this agent; the proxy URL's credentials go in a Proxy-Authorization header.
 */
export class ForwardProxyAgent extends http.Agent {
  private readonly proxyHost: string;
  private readonly proxyPort: number;
  private readonly authorization?: string;

  constructor(proxy: string, options: http.AgentOptions = {}) {
    super(options);
    const url = new URL(proxy);
    this.proxyHost = url.hostname;
    this.proxyPort = Number(url.port || 80);
    if (url.username !== '' || url.password !== '') {
      this.authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
    }
  }

  // Called by http.ClientRequest's constructor, before the request line is written: the one place
  // where the path can become absolute and the connection go to the proxy.
  addRequest(request: http.ClientRequest, options: http.RequestOptions & {host?: string; port?: number | string}): void {
    const port = Number(options.port ?? 80);
    request.path = `http://${options.host}${port === 80 ? '' : `:${port}`}${request.path}`;
    if (this.authorization !== undefined) request.setHeader('Proxy-Authorization', this.authorization);
    (http.Agent.prototype as unknown as {addRequest(request: http.ClientRequest, options: object): void}).addRequest.call(this, request, {
      ...options, host: this.proxyHost, hostname: this.proxyHost, port: this.proxyPort,
    });
  }
}
