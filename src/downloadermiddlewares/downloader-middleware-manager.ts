import type {DownloaderMiddleware} from '../core/middleware.js';
import {Request} from '../http/request.js';
import {Response} from '../http/response.js';
import type {Spider} from '../spiders/spider.js';
import type {Downloader} from '../core/downloader/downloader.js';

/** What a download came to: a response, or a new request to schedule instead (a redirect, a retry). */
export type DownloadResult = {response: Response} | {request: Request};

/**
 * Runs a request through the downloader middlewares and the downloader, as Scrapy's
 * DownloaderMiddlewareManager: processRequest in order, processResponse and processException in
 * reverse order.
 */
export class DownloaderMiddlewareManager {
  constructor(
    readonly middlewares: DownloaderMiddleware[],
    private readonly downloader: Downloader,
    private readonly spider: Spider,
  ) {}

  async download(request: Request): Promise<DownloadResult> {
    let response: Response | undefined;
    try {
      response = await this.requestPhase(request);
      if (response === undefined) response = await this.downloader.fetch(request);
    } catch (error) {
      const handled = await this.exceptionPhase(request, error as Error);
      if (handled instanceof Request) return {request: handled};
      response = handled;
    }
    return this.responsePhase(request, response);
  }

  private async requestPhase(request: Request): Promise<Response | undefined> {
    for (const middleware of this.middlewares) {
      if (middleware.processRequest === undefined) continue;
      const result = await middleware.processRequest(request, this.spider);
      if (result instanceof Response) return result;
      if (result instanceof Request) throw new RescheduleSignal(result);
    }
    return undefined;
  }

  private async exceptionPhase(request: Request, error: Error): Promise<Request | Response> {
    if (error instanceof RescheduleSignal) return error.request;
    for (let index = this.middlewares.length - 1; index >= 0; index -= 1) {
      const middleware = this.middlewares[index]!;
      if (middleware.processException === undefined) continue;
      const result = await middleware.processException(request, error, this.spider);
      if (result instanceof Request || result instanceof Response) return result;
    }
    throw error;
  }

  private async responsePhase(request: Request, response: Response): Promise<DownloadResult> {
    let current = response;
    for (let index = this.middlewares.length - 1; index >= 0; index -= 1) {
      const middleware = this.middlewares[index]!;
      if (middleware.processResponse === undefined) continue;
      const result = await middleware.processResponse(request, current, this.spider);
      if (result instanceof Request) return {request: result};
      current = result;
    }
    return {response: current};
  }
}

/** A processRequest that returned a Request: the download stops and that request is scheduled instead. */
class RescheduleSignal extends Error {
  constructor(readonly request: Request) {
    super('reschedule');
  }
}
