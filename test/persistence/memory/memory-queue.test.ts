import {describe, expect, test} from '@jest/globals';
import {MemoryPendingQueue, MemoryQueue} from '../../../src/persistence/memory/memory-queue.js';

describe('memory queue', () => {
  test('LIFO: highest priority first (Scrapy order)', () => {
    const queue = new MemoryPendingQueue('lifo');
    for (const priority of [-2, 1, -1, 0, 2]) queue.push(Buffer.from(`p${priority}`), priority);
    queue.push(Buffer.from('p0-second'), 0);
    expect(queue.size).toBe(6);
    expect(queue.sizes()).toEqual({'-2': 1, '-1': 1, 0: 2, 1: 1, 2: 1});
    const out: string[] = [];
    for (let lease = queue.pop(); lease; lease = queue.pop()) out.push(lease.payload.toString());
    expect(out).toEqual(['p2', 'p1', 'p0-second', 'p0', 'p-1', 'p-2']);
    expect(queue.size).toBe(0);
  });

  test('FIFO holds any value, with distinct lease ids', () => {
    const queue = new MemoryQueue<{url: string}>('fifo');
    for (let i = 0; i < 3000; i++) queue.push({url: `u${i}`}, i % 2);
    const ids = new Set<number>();
    const urls: string[] = [];
    for (let lease = queue.pop(); lease; lease = queue.pop()) {
      ids.add(lease.id);
      urls.push(lease.payload.url);
    }
    expect(ids.size).toBe(3000);
    expect(urls.slice(0, 3)).toEqual(['u1', 'u3', 'u5']);
    expect(urls[1500]).toBe('u0');
    expect(urls[2999]).toBe('u2998');
  });
});
