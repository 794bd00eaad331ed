import {expect, test} from '@jest/globals';
import {iterateOutput} from '../../src/utils/iterate-output.js';

async function collect(output: unknown): Promise<unknown[]> {
  const values: unknown[] = [];
  for await (const value of iterateOutput(output)) values.push(value);
  return values;
}

test('a callback may return nothing, a value, an array, a promise, a generator or an async generator', async () => {
  expect(await collect(undefined)).toEqual([]);
  expect(await collect({a: 1})).toEqual([{a: 1}]);
  expect(await collect('text')).toEqual(['text']);
  expect(await collect([1, 2])).toEqual([1, 2]);
  expect(await collect(Promise.resolve([3, 4]))).toEqual([3, 4]);
  expect(await collect(Promise.resolve(undefined))).toEqual([]);
  expect(await collect((function* () { yield 5; yield 6; })())).toEqual([5, 6]);
  expect(await collect((async function* () { yield 7; yield 8; })())).toEqual([7, 8]);
});
