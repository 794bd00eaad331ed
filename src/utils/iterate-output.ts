/**
 * Turns whatever a callback returned — nothing, a value, an array, a promise, a generator or an
 * async generator — into one async iterable of its items and requests.
 */
export async function* iterateOutput(output: unknown): AsyncGenerator<unknown> {
  const value = isPromise(output) ? await output : output;
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    yield* value;
    return;
  }
  if (isAsyncIterable(value)) {
    yield* value;
    return;
  }
  if (isGenerator(value)) {
    yield* value as Iterable<unknown>;
    return;
  }
  yield value;
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as {then?: unknown})?.then === 'function';
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as {[Symbol.asyncIterator]?: unknown})?.[Symbol.asyncIterator] === 'function';
}

function isGenerator(value: unknown): boolean {
  // Arrays and strings are iterable too, but a callback that returns a string means one value.
  return typeof value === 'object' && typeof (value as {[Symbol.iterator]?: unknown})[Symbol.iterator] === 'function' && typeof (value as {next?: unknown}).next === 'function';
}
