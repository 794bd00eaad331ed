/**
 * A set of SHA-1 fingerprints in an open-addressing hash table on one Uint32Array. Each slot keeps
 * the first 12 bytes (96 bits) of a digest: a false "seen" needs two of a billion URLs to share 96
 * bits, about 1e-11. The table doubles at 3/4 load, so it never holds more than 32 bytes per
 * fingerprint, against ~150 for a Set of hex strings (Scrapy keeps a Python set of hex strings).
 */
const WORDS_PER_SLOT = 3;
const MAX_LOAD = 0.75;

export class FingerprintTable {
  private slots: Uint32Array;
  private mask: number;
  private count = 0;
  /** The all-zero key marks an empty slot, so a digest whose 12 bytes are zero is kept aside. */
  private hasZeroKey = false;

  constructor(expected = 0) {
    let capacity = 1024;
    while (capacity * MAX_LOAD < expected) capacity *= 2;
    this.slots = new Uint32Array(capacity * WORDS_PER_SLOT);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held by the table, for the memory-per-fingerprint check. */
  get byteLength(): number {
    return this.slots.byteLength;
  }

  has(digest: Uint8Array, offset = 0): boolean {
    const a = readWord(digest, offset);
    const b = readWord(digest, offset + 4);
    const c = readWord(digest, offset + 8);
    if ((a | b | c) === 0) return this.hasZeroKey;
    return this.find(a, b, c) >= 0;
  }

  /** Adds a digest; false if it was already there. */
  add(digest: Uint8Array, offset = 0): boolean {
    const a = readWord(digest, offset);
    const b = readWord(digest, offset + 4);
    const c = readWord(digest, offset + 8);
    if ((a | b | c) === 0) {
      if (this.hasZeroKey) return false;
      this.hasZeroKey = true;
      this.count += 1;
      return true;
    }
    if (this.find(a, b, c) >= 0) return false;
    if ((this.count + 1) > (this.mask + 1) * MAX_LOAD) this.grow();
    this.insert(a, b, c);
    this.count += 1;
    return true;
  }

  /** Slot index of the key, or -1. Linear probing; SHA-1 bits are uniform, so the first word is the hash. */
  private find(a: number, b: number, c: number): number {
    const slots = this.slots;
    let index = a & this.mask;
    for (;;) {
      const base = index * WORDS_PER_SLOT;
      const sa = slots[base];
      const sb = slots[base + 1];
      const sc = slots[base + 2];
      if ((sa | sb | sc) === 0) return -1;
      if (sa === a && sb === b && sc === c) return index;
      index = (index + 1) & this.mask;
    }
  }

  private insert(a: number, b: number, c: number): void {
    const slots = this.slots;
    let index = a & this.mask;
    for (;;) {
      const base = index * WORDS_PER_SLOT;
      if ((slots[base] | slots[base + 1] | slots[base + 2]) === 0) {
        slots[base] = a;
        slots[base + 1] = b;
        slots[base + 2] = c;
        return;
      }
      index = (index + 1) & this.mask;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    this.mask = this.mask * 2 + 1;
    for (let base = 0; base < old.length; base += WORDS_PER_SLOT) {
      const a = old[base];
      const b = old[base + 1];
      const c = old[base + 2];
      if ((a | b | c) !== 0) this.insert(a, b, c);
    }
  }
}

function readWord(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] | (bytes[offset + 1] << 8) | (bytes[offset + 2] << 16) | (bytes[offset + 3] << 24)) >>> 0;
}
