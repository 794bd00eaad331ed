import {describe, expect, test} from '@jest/globals';
import {formatCount} from '../../src/utils/format-count.js';

describe('formatCount', () => {
  test('groups thousands with commas, as en-US does', () => {
    for (const value of [0, 7, 999, 1000, 12_345, 999_999, 1_000_000, 20_000_001, -4_321, 1234.5]) {
      expect(formatCount(value)).toBe(value.toLocaleString('en-US', {maximumFractionDigits: 20}));
    }
  });
});
