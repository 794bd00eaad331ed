/**
 * A set of byte values (or of char codes below 256) as a 256-entry table: `table[code] === 1` for
 * a member. Scanning a URL against one costs an array read per character, with no regex or
 * string made.
 */
export type ByteTable = Uint8Array;

export function tableOf(...charSets: string[]): ByteTable {
  const table = new Uint8Array(256);
  for (const chars of charSets) for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)] = 1;
  return table;
}

/** The index of the first char at or after `from` that is not in `table` (`text.length` if none). */
export function skipChars(text: string, from: number, table: ByteTable): number {
  let i = from;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code > 0xff || table[code] !== 1) break;
    i++;
  }
  return i;
}
