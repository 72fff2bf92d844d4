/**
 * Generic operations on a node's object graph, so that the model checker needs no knowledge
 * of `RaftNode`'s private fields (which the core may rename or regroup at any time):
 *
 * - `cloneGraph` copies a graph of class instances, arrays, Maps and Sets, keeping each
 *   object's prototype and every sharing and cycle; frozen objects, typed arrays and
 *   functions are shared, not copied (the checker freezes every message and log entry).
 * - `GraphHasher` folds a graph into a 64-bit fingerprint (two independent 32-bit lanes):
 *   object properties, Map entries and Set elements are combined order-independently (so
 *   two states that differ only in insertion order are one state), arrays in order;
 *   functions are skipped; objects the caller marks opaque are hashed as a tag.
 *
 * The graph must be data: a closure over node state would be shared between copies, and an
 * ES `#private` field is invisible to both operations (its absence shows at once: methods
 * of a copy throw on it). The checker's test suite clones and rehashes real nodes along
 * random paths and compares them with fresh replays, so such a change fails loudly.
 */

/**
 * An object may copy itself: `cloneGraph` calls `value[CLONE]()` instead of copying it
 * generically (the checker's copy-on-write log does, in O(1)).
 */
export const CLONE: unique symbol = Symbol('raft-check.clone');

/** Whether `value` is copied by reference: frozen objects, typed arrays, functions. */
function isShared(value: object): boolean {
  return typeof value === 'function' || ArrayBuffer.isView(value) || Object.isFrozen(value);
}

/**
 * A deep copy of `root`. Objects keep their prototype; every own enumerable property is
 * copied; `share` (besides frozen objects, typed arrays and functions) marks objects to keep
 * by reference.
 */
export function cloneGraph<T>(root: T, share?: (value: object) => boolean): T {
  const memo = new Map<object, unknown>();
  const copy = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    if (isShared(value) || share?.(value)) return value;
    const seen = memo.get(value);
    if (seen !== undefined) return seen;
    const own = (value as { [CLONE]?: () => unknown })[CLONE];
    if (typeof own === 'function') {
      const out = own.call(value);
      memo.set(value, out);
      return out;
    }
    if (Array.isArray(value)) {
      const out: unknown[] = new Array(value.length);
      memo.set(value, out);
      for (let i = 0; i < value.length; i++) out[i] = copy(value[i]);
      return out;
    }
    if (value instanceof Map) {
      const out = new Map();
      memo.set(value, out);
      for (const [k, v] of value) out.set(copy(k), copy(v));
      return out;
    }
    if (value instanceof Set) {
      const out = new Set();
      memo.set(value, out);
      for (const v of value) out.add(copy(v));
      return out;
    }
    const out = Object.create(Object.getPrototypeOf(value)) as Record<string, unknown>;
    memo.set(value, out);
    const record = value as Record<string, unknown>;
    // for-in visits inherited enumerable properties too; class methods are not enumerable,
    // and the own check keeps a plain object's prototype chain out.
    for (const key in record) {
      if (!Object.hasOwn(record, key)) continue;
      const v = record[key];
      out[key] = typeof v === 'object' && v !== null ? copy(v) : v;
    }
    return out;
  };
  return copy(root) as T;
}

/** Recursively freeze a message or log record (typed arrays cannot be frozen and are skipped). */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value) || ArrayBuffer.isView(value))
    return value;
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return value;
}

// --- 64-bit hashing: two murmur3-style 32-bit lanes with different seeds. ------------------

function mixA(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function mixB(h: number, k: number): number {
  k = Math.imul(k, 0x85ebca6b);
  k = (k << 13) | (k >>> 19);
  h ^= Math.imul(k, 0xc2b2ae35);
  h = (h << 17) | (h >>> 15);
  return (Math.imul(h, 9) + 0x7f4a7c15) | 0;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

const T_NULL = 1;
const T_UNDEF = 2;
const T_TRUE = 3;
const T_FALSE = 4;
const T_INT = 5;
const T_NUM = 6;
const T_STR = 7;
const T_ARRAY = 8;
const T_MAP = 9;
const T_SET = 10;
const T_OBJ = 11;
const T_BYTES = 12;
const T_CYCLE = 13;
const T_OPAQUE = 14;
const T_BIGINT = 15;

/** A 64-bit fingerprint as two signed 32-bit lanes. */
export interface Fingerprint {
  readonly a: number;
  readonly b: number;
}

export interface GraphHasherOptions {
  /**
   * Objects to hash as an opaque tag (`opaque` returns a small integer naming it, or -1 to
   * walk it). The checker marks each node's `RaftLog` this way and hashes the log's contents
   * separately, through its public methods.
   */
  readonly opaque?: (value: object) => number;
  /** Objects to leave out entirely (as if the property were absent). */
  readonly skip?: (value: object) => boolean;
  /** Property names to leave out entirely (on every object). */
  readonly skipKeys?: ReadonlySet<string>;
}

/**
 * Folds values into 64-bit fingerprints. Frozen objects and typed arrays are immutable, so
 * their fingerprints are cached by identity: messages and entries shared by thousands of
 * states are hashed once.
 */
export class GraphHasher {
  /** Lane b of the last `hash` call (lane a is its return value). */
  b = 0;
  private readonly cache = new WeakMap<object, Fingerprint>();
  private readonly strings = new Map<string, Fingerprint>();
  private readonly protoNames = new Map<object, Fingerprint>();
  private readonly path: object[] = [];
  private readonly opaque: ((value: object) => number) | undefined;
  private readonly skip: ((value: object) => boolean) | undefined;
  private readonly skipKeys: ReadonlySet<string> | undefined;

  constructor(options: GraphHasherOptions = {}) {
    this.opaque = options.opaque;
    this.skip = options.skip;
    this.skipKeys = options.skipKeys;
  }

  /** The fingerprint of `value` as a pair. */
  fingerprint(value: unknown): Fingerprint {
    const a = this.hash(value);
    return { a, b: this.b };
  }

  /** Lane a of the fingerprint of `value`; lane b is left in `this.b`. */
  hash(value: unknown): number {
    switch (typeof value) {
      case 'number':
        return this.number(value);
      case 'string':
        return this.string(value);
      case 'boolean':
        return this.tag(value ? T_TRUE : T_FALSE);
      case 'undefined':
        return this.tag(T_UNDEF);
      case 'bigint':
        return this.combine(T_BIGINT, this.string(value.toString()), this.b);
      case 'function':
      case 'symbol':
        return this.tag(T_UNDEF);
      default:
        break;
    }
    if (value === null) return this.tag(T_NULL);
    return this.object(value as object);
  }

  /**
   * Hash a sequence: `init` then `add` each part, then `done`. One sequence at a time: a
   * nested `init` (from anything that hashes a sequence) restarts it, so compute the parts
   * first. (`hash` itself never uses the sequence.)
   */
  init(tag: number): void {
    this.seqA = mixA(0x12345678, tag);
    this.seqB = mixB(0x9abcdef0, tag);
  }
  private seqA = 0;
  private seqB = 0;

  add(a: number, b: number): void {
    this.seqA = mixA(this.seqA, a);
    this.seqB = mixB(this.seqB, b);
  }

  addNumber(n: number): void {
    const a = this.number(n);
    this.add(a, this.b);
  }

  /** Ends the sequence: returns lane a and leaves lane b in `this.b`. */
  done(): number {
    this.b = fmix(this.seqB);
    return fmix(this.seqA);
  }

  private tag(t: number): number {
    this.b = fmix(mixB(0x3c6ef372, t));
    return fmix(mixA(0x6a09e667, t));
  }

  private combine(tag: number, a: number, b: number): number {
    this.b = fmix(mixB(mixB(0x3c6ef372, tag), b));
    return fmix(mixA(mixA(0x6a09e667, tag), a));
  }

  private number(n: number): number {
    if ((n | 0) === n && !Object.is(n, -0)) return this.combine(T_INT, n, ~n);
    const lo = n >>> 0;
    const hi = Math.floor(n / 4294967296) | 0;
    if (Number.isSafeInteger(n)) return this.combine(T_NUM, mixA(lo, hi), mixB(hi, lo));
    const s = this.string(String(n));
    return this.combine(T_NUM, s, this.b);
  }

  private string(s: string): number {
    const cached = this.strings.get(s);
    if (cached !== undefined) {
      this.b = cached.b;
      return cached.a;
    }
    let a = mixA(0x243f6a88, T_STR);
    let b = mixB(0x85a308d3, T_STR);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      a = mixA(a, c);
      b = mixB(b, c);
    }
    a = fmix(a ^ s.length);
    b = fmix(b ^ s.length);
    if (s.length <= 64 && this.strings.size < 100_000) this.strings.set(s, { a, b });
    this.b = b;
    return a;
  }

  private bytes(bytes: ArrayBufferView): number {
    const u8 = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let a = mixA(0x13198a2e, T_BYTES);
    let b = mixB(0x03707344, T_BYTES);
    for (let i = 0; i < u8.length; i++) {
      a = mixA(a, u8[i]!);
      b = mixB(b, u8[i]!);
    }
    this.b = fmix(b ^ u8.length);
    return fmix(a ^ u8.length);
  }

  private object(value: object): number {
    const frozen = ArrayBuffer.isView(value) || Object.isFrozen(value);
    if (frozen) {
      const cached = this.cache.get(value);
      if (cached !== undefined) {
        this.b = cached.b;
        return cached.a;
      }
    }
    const opaque = this.opaque?.(value) ?? -1;
    if (opaque >= 0) return this.combine(T_OPAQUE, opaque, opaque);
    const at = this.path.lastIndexOf(value);
    if (at >= 0) {
      const up = this.path.length - at;
      return this.combine(T_CYCLE, up, up);
    }
    let a: number;
    if (ArrayBuffer.isView(value)) {
      a = this.bytes(value);
    } else {
      this.path.push(value);
      try {
        a = this.walk(value);
      } finally {
        this.path.pop();
      }
    }
    if (frozen) this.cache.set(value, { a, b: this.b });
    return a;
  }

  private walk(value: object): number {
    if (Array.isArray(value)) {
      let a = mixA(0x452821e6, T_ARRAY);
      let b = mixB(0x38d01377, T_ARRAY);
      for (let i = 0; i < value.length; i++) {
        const v = value[i];
        if (typeof v === 'object' && v !== null && this.skip?.(v)) continue;
        a = mixA(a, this.hash(v));
        b = mixB(b, this.b);
      }
      this.b = fmix(b ^ value.length);
      return fmix(a ^ value.length);
    }
    if (value instanceof Map) {
      let sa = 0;
      let sb = 0;
      for (const [k, v] of value) {
        if (typeof v === 'object' && v !== null && this.skip?.(v)) continue;
        const ka = this.hash(k);
        const kb = this.b;
        const va = this.hash(v);
        const vb = this.b;
        sa = (sa + fmix(mixA(mixA(0x0bad5eed, ka), va))) | 0;
        sb = (sb + fmix(mixB(mixB(0x5eed0bad, kb), vb))) | 0;
      }
      return this.combine(T_MAP, sa ^ value.size, sb);
    }
    if (value instanceof Set) {
      let sa = 0;
      let sb = 0;
      for (const v of value) {
        sa = (sa + fmix(mixA(0x1badb002, this.hash(v)))) | 0;
        sb = (sb + fmix(mixB(0x2badb001, this.b))) | 0;
      }
      return this.combine(T_SET, sa ^ value.size, sb);
    }
    // A class instance or a plain object: the prototype's name, then the own properties
    // order-independently (two code paths may build the same record in another key order).
    const proto = this.protoName(value);
    let sa = proto.a;
    let sb = proto.b;
    const record = value as Record<string, unknown>;
    for (const key in record) {
      if (!Object.hasOwn(record, key) || this.skipKeys?.has(key)) continue;
      const v = record[key];
      if (typeof v === 'function') continue;
      if (typeof v === 'object' && v !== null && this.skip?.(v)) continue;
      const ka = this.string(key);
      const kb = this.b;
      const va = this.hash(v);
      const vb = this.b;
      sa = (sa + fmix(mixA(mixA(0x0ddba11, ka), va))) | 0;
      sb = (sb + fmix(mixB(mixB(0x0ba11dd, kb), vb))) | 0;
    }
    return this.combine(T_OBJ, sa, sb);
  }

  private protoName(value: object): Fingerprint {
    const proto = Object.getPrototypeOf(value) as object | null;
    const key = proto ?? Object.prototype;
    let fp = this.protoNames.get(key);
    if (fp === undefined) {
      const name = (proto as { constructor?: { name?: string } } | null)?.constructor?.name ?? '';
      const a = this.string(`class:${name}`);
      fp = { a, b: this.b };
      this.protoNames.set(key, fp);
    }
    return fp;
  }
}
