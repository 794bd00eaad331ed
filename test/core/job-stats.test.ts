import {expect, test} from '@jest/globals';
import {mergeStats} from '../../src/core/job-stats.js';

test("a batch's counters add to the job's, maxima stay maxima, the first start time is kept", () => {
  const previous = {item_scraped_count: 10, 'memusage/max': 500, request_depth_max: 3, start_time: 'first', finish_reason: 'shutdown'};
  const batch = {item_scraped_count: 5, 'memusage/max': 300, request_depth_max: 4, start_time: 'second', finish_reason: 'finished', 'retry/count': 2};
  expect(mergeStats(previous, batch)).toEqual({
    item_scraped_count: 15,
    'memusage/max': 500,
    request_depth_max: 4,
    start_time: 'first',
    finish_reason: 'finished',
    'retry/count': 2,
  });
});
