import {DraglineError} from '../../core/errors.js';

const PLACEHOLDER = /%%|%\((\w+)\)([sdif])/g;

/** Whether a feed URI has anything to fill (`%(name)s`) or unescape (`%%`), as Scrapy %-formats every feed URI. */
export function hasFeedUriParams(template: string): boolean {
  return /%\(\w+\)[sdif]|%%/.test(template);
}

/**
 * Fills a feed URI's placeholders as Scrapy does with Python's %-formatting: `%(name)s` is the
 * spider's name, `%(time)s` the time the feed was started (UTC, `2026-11-24T08-39-02+00-00`), and
 * any other `%(key)s` a spider attribute (an `-a key=value` argument, say); `%%` is a `%`.
 * `%(key)d` formats a number as an integer.
 */
export function resolveFeedUri(template: string, params: Record<string, unknown>): string {
  return template.replace(PLACEHOLDER, (whole, key: string | undefined, conversion: string) => {
    if (key === undefined) return '%';
    const value = params[key];
    if (value === undefined || typeof value === 'function') {
      throw new DraglineError('BAD_OUTPUT', `Feed URI ${template} uses %(${key})${conversion}, but the spider has no '${key}': pass it with -a ${key}=VALUE, or remove it from the URI`);
    }
    if (conversion === 'd' || conversion === 'i') {
      const number = Number(value);
      if (!Number.isFinite(number)) throw new DraglineError('BAD_OUTPUT', `Feed URI ${template}: ${whole} needs a number, but '${key}' is ${JSON.stringify(value)}`);
      return String(Math.trunc(number));
    }
    return String(value);
  });
}

/** Scrapy's %(time)s: the UTC time to the second, ISO 8601 with ':' replaced by '-' so it is a valid file name everywhere. */
export function feedTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19)}+00:00`.replaceAll(':', '-');
}

/** What a feed URI's placeholders can name: the spider's own fields (arguments included), its name, and the time. */
export function feedUriParams(spider: object & {name: string}, now: Date): Record<string, unknown> {
  return {...(spider as Record<string, unknown>), name: spider.name, time: feedTimestamp(now)};
}
