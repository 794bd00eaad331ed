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
