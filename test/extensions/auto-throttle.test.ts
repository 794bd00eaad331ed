import {describe, expect, test} from '@jest/globals';
import {Slot} from '../../src/core/downloader/slot.js';
import {AutoThrottle} from '../../src/extensions/auto-throttle.js';
import {Request} from '../../src/http/request.js';
import {Response} from '../../src/http/response.js';
import {Logger} from '../../src/core/logger.js';
import {Settings} from '../../src/settings/settings.js';

function throttle(values: Record<string, unknown> = {}): {throttle: AutoThrottle; lines: string[]} {
  const lines: string[] = [];
  const settings = new Settings();
  settings.update({AUTOTHROTTLE_ENABLED: true, AUTOTHROTTLE_DEBUG: true, ...values}, 'cmdline');
  return {throttle: new AutoThrottle(settings, Logger.create({level: 'DEBUG', sink: {write: (line) => lines.push(line)}})), lines};
}

function responseAfter(latencySeconds: number | undefined, status = 200, meta: Record<string, unknown> = {}): Response {
  const request = new Request('http://127.0.0.1/page', {meta: latencySeconds === undefined ? meta : {...meta, download_latency: latencySeconds}});
  return new Response({url: request.url, status, headers: {}, body: Buffer.from('x'.repeat(100)), request});
}

const slotWith = (delaySeconds: number): Slot => new Slot('127.0.0.1', 8, delaySeconds * 1000, false);

describe('AutoThrottle', () => {
  test('moves the delay halfway towards latency / target concurrency, never below that target', () => {
    const {throttle: t, lines} = throttle();
    const slot = slotWith(5);
    t.adjust(responseAfter(0.2), slot);
    expect(slot.delayMs).toBeCloseTo(2600);
    t.adjust(responseAfter(0.2), slot);
    expect(slot.delayMs).toBeCloseTo(1400);
    // Latency above the delay: straight up to it.
    t.adjust(responseAfter(3), slot);
    expect(slot.delayMs).toBeCloseTo(3000);
    expect(lines[0]).toMatch(/slot: 127\.0\.0\.1 \| conc: 0 \| delay: 2600 ms \(-2400\) \| latency:  200 ms \| size:   100 bytes/);
  });

  test('AUTOTHROTTLE_TARGET_CONCURRENCY divides the latency', () => {
    const {throttle: t} = throttle({AUTOTHROTTLE_TARGET_CONCURRENCY: 4});
    const slot = slotWith(0.1);
    t.adjust(responseAfter(2), slot);
    expect(slot.delayMs).toBeCloseTo(500);
  });

  test('stays within DOWNLOAD_DELAY and AUTOTHROTTLE_MAX_DELAY', () => {
    const {throttle: t} = throttle({DOWNLOAD_DELAY: 1, AUTOTHROTTLE_MAX_DELAY: 10});
    const slot = slotWith(1.2);
    t.adjust(responseAfter(0.01), slot);
    expect(slot.delayMs).toBeCloseTo(1000);
    t.adjust(responseAfter(50), slot);
    expect(slot.delayMs).toBeCloseTo(10_000);
  });

  test('an error response may raise the delay but never lowers it', () => {
    const {throttle: t} = throttle();
    const slot = slotWith(2);
    t.adjust(responseAfter(0.1, 503), slot);
    expect(slot.delayMs).toBeCloseTo(2000);
    t.adjust(responseAfter(6, 500), slot);
    expect(slot.delayMs).toBeCloseTo(6000);
  });

  test('responses without a latency, or marked autothrottle_dont_adjust_delay, leave it alone', () => {
    const {throttle: t, lines} = throttle();
    const slot = slotWith(2);
    t.adjust(responseAfter(undefined), slot);
    t.adjust(responseAfter(0.1, 200, {autothrottle_dont_adjust_delay: true}), slot);
    expect(slot.delayMs).toBe(2000);
    expect(lines).toEqual([]);
  });
});
