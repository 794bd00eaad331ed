import type {SpiderMiddleware} from '../core/middleware.js';
import type {Response} from '../http/response.js';
import type {Spider} from '../spiders/spider.js';
import {iterateOutput} from '../utils/iterate-output.js';

/**
 * Runs responses and callback output through the spider middlewares, as Scrapy's
 * SpiderMiddlewareManager: processSpiderInput in order, processSpiderOutput in reverse order
 * (each wrapping the stream of the one after it), processSpiderException in reverse order.
 */
export class SpiderMiddlewareManager {
  constructor(
    readonly middlewares: SpiderMiddleware[],
    private readonly spider: Spider,
  ) {}

  async processInput(response: Response): Promise<void> {
    for (const middleware of this.middlewares) await middleware.processSpiderInput?.(response, this.spider);
  }

  processOutput(response: Response, output: AsyncIterable<unknown>): AsyncIterable<unknown> {
    let stream = output;
    for (let index = this.middlewares.length - 1; index >= 0; index -= 1) {
      const middleware = this.middlewares[index]!;
      if (middleware.processSpiderOutput !== undefined) stream = middleware.processSpiderOutput(response, stream, this.spider);
    }
    return stream;
  }

  /** The first middleware that handles the error gives the output that replaces the callback's; undefined if none does. */
  async processException(response: Response, error: Error): Promise<AsyncIterable<unknown> | undefined> {
    for (let index = this.middlewares.length - 1; index >= 0; index -= 1) {
      const middleware = this.middlewares[index]!;
      if (middleware.processSpiderException === undefined) continue;
      const result = await middleware.processSpiderException(response, error, this.spider);
      if (result !== undefined && result !== null) return iterateOutput(result);
    }
    return undefined;
  }

  processStart(start: AsyncIterable<unknown>): AsyncIterable<unknown> {
    let stream = start;
    for (let index = this.middlewares.length - 1; index >= 0; index -= 1) {
      const middleware = this.middlewares[index]!;
      if (middleware.processStart !== undefined) stream = middleware.processStart(stream, this.spider);
    }
    return stream;
  }

  async open(): Promise<void> {
    for (const middleware of this.middlewares) await middleware.open?.(this.spider);
  }

  async close(reason: string): Promise<void> {
    for (const middleware of this.middlewares) await middleware.close?.(this.spider, reason);
  }
}
