/** A response body's buffer reserves at most 1 MiB when the headers announce more. */
import {expect, test} from '@jest/globals';
import {randomBytes} from 'node:crypto';
import {BodyBuffer} from '../../../src/core/downloader/downloader.js';

test('16 bodies announcing 64 MiB reserve no more than 16 MiB before their bytes arrive', () => {
  const before = process.memoryUsage().arrayBuffers;
  const bodies = Array.from({length: 16}, () => new BodyBuffer(64 * 1024 * 1024));
  const reserved = process.memoryUsage().arrayBuffers - before;
  expect(bodies).toHaveLength(16);
  expect(reserved).toBeLessThanOrEqual(16 * 1024 * 1024 + 1024 * 1024);
});

test.each([
  ['smaller than announced', 3 * 1024 * 1024, 2 * 1024 * 1024 + 5],
  ['as announced, past the first MiB', 3 * 1024 * 1024 + 7, 3 * 1024 * 1024 + 7],
  ['as announced, under a MiB', 1000, 1000],
  ['more than announced', 1000, 1024 * 1024 + 3],
  ['with no length announced', NaN, 2 * 1024 * 1024 + 1],
])('a body %s comes out byte for byte', (_name, expected, size) => {
  const bytes = randomBytes(size);
  const body = new BodyBuffer(expected);
  for (let offset = 0; offset < size; offset += 65_536) body.add(bytes.subarray(offset, Math.min(size, offset + 65_536)));
  expect(body.take().equals(bytes)).toBe(true);
});
