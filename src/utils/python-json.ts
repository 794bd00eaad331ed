/** JSON written byte for byte as Python's `json.dumps` writes it (Scrapy hashes and sends those bytes). */

const SHORT_ESCAPES: Record<string, string> = {'"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f'};

/**
 * A string as Python's `json.dumps` (ensure_ascii) writes it: printable ASCII as is, the usual
 * short escapes, everything else `\uXXXX` in lower-case hex (UTF-16 units, so astral characters
 * become surrogate pairs, as in Python).
 */
export function pythonJsonString(text: string): string {
  let plain = true;
  for (let i = 0; i < text.length && plain; i++) {
    const code = text.charCodeAt(i);
    plain = code >= 0x20 && code <= 0x7e && code !== 0x22 && code !== 0x5c;
  }
  if (plain) return `"${text}"`;
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    const code = text.charCodeAt(i);
    if (code >= 0x20 && code <= 0x7e && code !== 0x22 && code !== 0x5c) out += char;
    else out += SHORT_ESCAPES[char] ?? `\\u${code.toString(16).padStart(4, '0')}`;
  }
  return out + '"';
}

/**
 * `json.dumps(value, sort_keys=sortKeys)` as Python writes it: `, ` and `: ` separators, non-ASCII
 * escaped as `\uXXXX`, keys sorted by code point, safe integers and BigInts as integers, other
 * numbers as Python's float repr (`1e-07`, `1.5e+16`), NaN and the infinities as `NaN`/`Infinity`.
 * A JS number cannot say whether it was `1` or `1.0`: integral numbers up to 2**53 are written as
 * integers (Python would write `1.0` for a float); past that a number is a float, as in Python.
 * Like JSON.stringify, `toJSON()` is honoured and undefined or function members are left out.
 */
export function pythonJsonDumps(value: unknown, options: {sortKeys?: boolean} = {}): string {
  const out = writeValue(value, options.sortKeys ?? false, new Set());
  if (out === undefined) throw new TypeError(`Object of type ${typeof value} is not JSON serializable`);
  return out;
}

function writeValue(value: unknown, sortKeys: boolean, ancestors: Set<object>): string | undefined {
  if (value !== null && typeof value === 'object' && typeof (value as {toJSON?: unknown}).toJSON === 'function') {
    value = (value as {toJSON: () => unknown}).toJSON();
  }
  switch (typeof value) {
    case 'string':
      return pythonJsonString(value);
    case 'number':
      return pythonNumber(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return 'null';
  const object = value as object;
  if (ancestors.has(object)) throw new TypeError('Circular reference detected');
  ancestors.add(object);
  let out: string;
  if (Array.isArray(object)) {
    out = '[' + object.map((item) => writeValue(item, sortKeys, ancestors) ?? 'null').join(', ') + ']';
  } else {
    const keys = Object.keys(object);
    if (sortKeys) keys.sort(compareCodePoints);
    const members: string[] = [];
    for (const key of keys) {
      const written = writeValue((object as Record<string, unknown>)[key], sortKeys, ancestors);
      if (written !== undefined) members.push(`${pythonJsonString(key)}: ${written}`);
    }
    out = '{' + members.join(', ') + '}';
  }
  ancestors.delete(object);
  return out;
}

/** Python sorts str by code point; JS's default sort compares UTF-16 units. */
function compareCodePoints(a: string, b: string): number {
  const left = Array.from(a, (char) => char.codePointAt(0) as number);
  const right = Array.from(b, (char) => char.codePointAt(0) as number);
  for (let i = 0; i < Math.min(left.length, right.length); i++) if (left[i] !== right[i]) return left[i] - right[i];
  return left.length - right.length;
}

function pythonNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (Number.isSafeInteger(value)) return Object.is(value, -0) ? '0' : String(value);
  // Python's float repr: the shortest round-tripping digits (as JS has them), in exponent form
  // below 1e-4 and from 1e16 on.
  const [mantissa, exponentText] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  return Number.isInteger(value) ? `${value}.0` : String(value);
}
