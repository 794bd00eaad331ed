import type {Spider} from '../spiders/spider.js';

/**
 * Reads an optional attribute a user may put on a spider (`userAgent`, `downloadTimeout`,
 * `handleHttpstatusList`…), the way Scrapy reads `getattr(spider, 'user_agent', default)`.
 */
export function spiderAttribute<T>(spider: Spider | undefined, name: string): T | undefined {
  if (spider === undefined || spider === null) return undefined;
  const value = (spider as unknown as Record<string, unknown>)[name];
  return value === undefined || value === null ? undefined : (value as T);
}
