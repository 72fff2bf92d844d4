/**
 * `FingerprintSet`: the set of visited states, as 64-bit fingerprints in an open-addressing
 * table of two `Int32Array`s (8 bytes a slot, at most half full), so that millions of states
 * fit in tens of megabytes. Two different states with one fingerprint would be taken for
 * one (the second never explored): with n states the chance of any such collision is about
 * n² / 2^65, one in 40 million at a million states.
 */
import type { Fingerprint } from './graph.js';

export class FingerprintSet {
  private lanesA: Int32Array;
  private lanesB: Int32Array;
  private depths: Int32Array | null;
  private mask: number;
  private count = 0;

  /** `withDepths`: also keep the smallest depth each fingerprint was reached at. */
  constructor(initialCapacity = 1 << 16, withDepths = false) {
    let cap = 1;
    while (cap < initialCapacity * 2) cap <<= 1;
    this.lanesA = new Int32Array(cap);
    this.lanesB = new Int32Array(cap);
    this.depths = withDepths ? new Int32Array(cap) : null;
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Adds the fingerprint; returns false if it was already there. */
  add(fp: Fingerprint): boolean {
    return this.addPair(fp.a, fp.b);
  }

  has(fp: Fingerprint): boolean {
    let a = fp.a;
    const b = fp.b;
    if (a === 0 && b === 0) a = 1;
    for (let i = a & this.mask; ; i = (i + 1) & this.mask) {
      const sa = this.lanesA[i]!;
      const sb = this.lanesB[i]!;
      if (sa === 0 && sb === 0) return false;
      if (sa === a && sb === b) return true;
    }
  }

  addPair(a: number, b: number): boolean {
    // (0, 0) marks an empty slot.
    if (a === 0 && b === 0) a = 1;
    for (let i = a & this.mask; ; i = (i + 1) & this.mask) {
      const sa = this.lanesA[i]!;
      const sb = this.lanesB[i]!;
      if (sa === 0 && sb === 0) {
        this.lanesA[i] = a;
        this.lanesB[i] = b;
        this.count++;
        if (this.count * 2 > this.mask) this.grow();
        return true;
      }
      if (sa === a && sb === b) return false;
    }
  }

  /**
   * Records `depth` for the fingerprint, keeping the smallest seen; returns true if the
   * fingerprint is new or now has a smaller depth (iterative deepening revisits such states).
   * Only for sets built with `withDepths`.
   */
  visitAtDepth(fp: Fingerprint, depth: number): boolean {
    const depths = this.depths!;
    let a = fp.a;
    const b = fp.b;
    if (a === 0 && b === 0) a = 1;
    for (let i = a & this.mask; ; i = (i + 1) & this.mask) {
      const sa = this.lanesA[i]!;
      const sb = this.lanesB[i]!;
      if (sa === a && sb === b) {
        if (depths[i]! <= depth) return false;
        depths[i] = depth;
        return true;
      }
      if (sa === 0 && sb === 0) {
        this.lanesA[i] = a;
        this.lanesB[i] = b;
        depths[i] = depth;
        this.count++;
        if (this.count * 2 > this.mask) this.grow();
        return true;
      }
    }
  }

  /** Bytes held by the table. */
  bytes(): number {
    return this.lanesA.byteLength + this.lanesB.byteLength + (this.depths?.byteLength ?? 0);
  }

  private grow(): void {
    const oldA = this.lanesA;
    const oldB = this.lanesB;
    const oldD = this.depths;
    const cap = oldA.length * 2;
    this.lanesA = new Int32Array(cap);
    this.lanesB = new Int32Array(cap);
    this.depths = oldD === null ? null : new Int32Array(cap);
    this.mask = cap - 1;
    for (let j = 0; j < oldA.length; j++) {
      const a = oldA[j]!;
      const b = oldB[j]!;
      if (a === 0 && b === 0) continue;
      let i = a & this.mask;
      while (this.lanesA[i] !== 0 || this.lanesB[i] !== 0) i = (i + 1) & this.mask;
      this.lanesA[i] = a;
      this.lanesB[i] = b;
      if (oldD !== null) this.depths![i] = oldD[j]!;
    }
  }
}
