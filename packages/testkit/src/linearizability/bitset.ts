/**
 * A fixed-size bitset over 32-bit words, with the hash and equality the linearizability
 * search needs to memoize (linearized set, state) pairs.
 */
export class Bitset {
  readonly words: Uint32Array;

  constructor(size: number, words?: Uint32Array) {
    this.words = words ?? new Uint32Array(Math.ceil(size / 32) || 1);
  }

  set(bit: number): this {
    this.words[bit >>> 5]! |= 1 << (bit & 31);
    return this;
  }

  clear(bit: number): this {
    this.words[bit >>> 5]! &= ~(1 << (bit & 31));
    return this;
  }

  has(bit: number): boolean {
    return (this.words[bit >>> 5]! & (1 << (bit & 31))) !== 0;
  }

  clone(): Bitset {
    return new Bitset(0, this.words.slice());
  }

  /** Number of bits set. */
  count(): number {
    let n = 0;
    for (let i = 0; i < this.words.length; i++) {
      let w = this.words[i]!;
      w -= (w >>> 1) & 0x55555555;
      w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
      n += (Math.imul((w + (w >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
    }
    return n;
  }

  /** A 32-bit hash of the words (FNV-1a over words). */
  hash(): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < this.words.length; i++) h = Math.imul(h ^ this.words[i]!, 0x01000193);
    return h >>> 0;
  }

  equals(other: Bitset): boolean {
    const a = this.words;
    const b = other.words;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
}
