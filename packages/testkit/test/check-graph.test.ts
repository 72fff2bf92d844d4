/**
 * The generic object-graph operations the model checker rests on: `cloneGraph` must copy a
 * node's state exactly (prototypes, sharing, cycles, Maps and Sets) and `GraphHasher` must
 * give equal fingerprints to equal states however they were built, and different ones to
 * different states; `FingerprintSet` must remember what it was given.
 */
import { describe, expect, it } from 'vitest';
import { FingerprintSet } from '../src/check/fingerprint-set.js';
import { CLONE, cloneGraph, deepFreeze, GraphHasher } from '../src/check/graph.js';

class Counter {
  n = 0;
  readonly tags = new Set<string>();
  bump(): number {
    return ++this.n;
  }
}

class Holder {
  constructor(
    public left: { value: number },
    public right: { value: number },
  ) {}
}

const fp = (h: GraphHasher, v: unknown) => h.fingerprint(v);

describe('cloneGraph', () => {
  it('copies class instances deeply, keeping their prototypes', () => {
    const c = new Counter();
    c.bump();
    c.tags.add('x');
    const copy = cloneGraph(c);
    expect(copy).toBeInstanceOf(Counter);
    expect(copy.bump()).toBe(2);
    copy.tags.add('y');
    expect(c.n).toBe(1);
    expect([...c.tags]).toEqual(['x']);
  });

  it('keeps sharing and cycles: an object reached twice is copied once', () => {
    const shared = { value: 1 };
    const h = new Holder(shared, shared);
    const cyclic: { self?: unknown; list: unknown[] } = { list: [] };
    cyclic.self = cyclic;
    cyclic.list.push(cyclic);
    const copy = cloneGraph({ h, cyclic });
    expect(copy.h.left).toBe(copy.h.right);
    expect(copy.h.left).not.toBe(shared);
    expect(copy.cyclic.self).toBe(copy.cyclic);
    expect(copy.cyclic.list[0]).toBe(copy.cyclic);
  });

  it('copies Maps and Sets with their object keys and values', () => {
    const key = { id: 1 };
    const m = new Map<{ id: number }, { v: number }>([[key, { v: 1 }]]);
    const copy = cloneGraph({ m, s: new Set([key]) });
    const [[k, v]] = [...copy.m];
    expect(k).not.toBe(key);
    expect(copy.s.has(k!)).toBe(true);
    v!.v = 2;
    expect(m.get(key)!.v).toBe(1);
  });

  it('shares frozen objects, typed arrays and functions, and lets an object copy itself', () => {
    const frozen = deepFreeze({ a: [1, 2] });
    const bytes = new Uint8Array([1, 2, 3]);
    const f = () => 1;
    const own = { [CLONE]: () => 'mine' };
    const copy = cloneGraph({ frozen, bytes, f, own });
    expect(copy.frozen).toBe(frozen);
    expect(copy.bytes).toBe(bytes);
    expect(copy.f).toBe(f);
    expect(copy.own).toBe('mine');
  });
});

describe('GraphHasher', () => {
  it('is equal for equal states built in another order', () => {
    const h = new GraphHasher();
    const a = {
      x: 1,
      y: [1, 2],
      m: new Map([
        [1, 'a'],
        [2, 'b'],
      ]),
      s: new Set([3, 4]),
    };
    const b = {
      s: new Set([4, 3]),
      m: new Map([
        [2, 'b'],
        [1, 'a'],
      ]),
      y: [1, 2],
      x: 1,
    };
    expect(fp(h, a)).toEqual(fp(h, b));
    const c1 = new Counter();
    const c2 = new Counter();
    c1.bump();
    c2.bump();
    expect(fp(h, c1)).toEqual(fp(h, c2));
  });

  it('tells apart array order, values, types and classes', () => {
    const h = new GraphHasher();
    const base = fp(h, { y: [1, 2] });
    expect(fp(h, { y: [2, 1] })).not.toEqual(base);
    expect(fp(h, { y: [1, 3] })).not.toEqual(base);
    expect(fp(h, { y: [1, '2'] })).not.toEqual(base);
    expect(fp(h, { z: [1, 2] })).not.toEqual(base);
    expect(fp(h, new Holder({ value: 1 }, { value: 2 }))).not.toEqual(
      fp(h, { left: { value: 1 }, right: { value: 2 } }),
    );
    expect(fp(h, new Holder({ value: 1 }, { value: 2 }))).not.toEqual(
      fp(h, new Holder({ value: 2 }, { value: 1 })),
    );
    expect(fp(h, { n: 2 ** 40 })).not.toEqual(fp(h, { n: 2 ** 40 + 1 }));
    expect(fp(h, { n: 0.5 })).not.toEqual(fp(h, { n: 0.25 }));
    expect(fp(h, { n: null })).not.toEqual(fp(h, { n: undefined }));
    expect(fp(h, new Uint8Array([1, 2]))).not.toEqual(fp(h, new Uint8Array([2, 1])));
  });

  it('leaves out functions, skipped objects and keys, and tags opaque objects', () => {
    const secret = new Counter();
    const h = new GraphHasher({
      skip: (o) => o instanceof Counter,
      skipKeys: new Set(['noise']),
      opaque: (o) => (o === secret ? 7 : -1),
    });
    expect(fp(h, { a: 1, f: () => 2 })).toEqual(fp(h, { a: 1 }));
    expect(fp(h, { a: 1, c: new Counter() })).toEqual(fp(h, { a: 1 }));
    expect(fp(h, { a: 1, noise: 5 })).toEqual(fp(h, { a: 1, noise: 6 }));
    const o = new GraphHasher({ opaque: (x) => (x === secret ? 7 : -1) });
    const before = fp(o, { log: secret });
    secret.bump();
    expect(fp(o, { log: secret })).toEqual(before);
  });

  it('hashes cycles and gives a frozen object the same fingerprint from its cache', () => {
    const h = new GraphHasher();
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    expect(fp(h, cyclic)).toEqual(fp(h, cyclic));
    const frozen = deepFreeze({ entries: [{ index: 1, term: 1 }] });
    expect(fp(h, frozen)).toEqual(fp(h, frozen));
    expect(fp(h, frozen)).toEqual(fp(new GraphHasher(), { entries: [{ index: 1, term: 1 }] }));
  });
});

describe('FingerprintSet', () => {
  it('remembers every fingerprint it was given, through growth', () => {
    const set = new FingerprintSet(4);
    for (let i = 1; i <= 10_000; i++) expect(set.add({ a: i * 7919, b: -i })).toBe(true);
    for (let i = 1; i <= 10_000; i++) expect(set.add({ a: i * 7919, b: -i })).toBe(false);
    expect(set.size).toBe(10_000);
    expect(set.has({ a: 1, b: 1 })).toBe(false);
    expect(set.add({ a: 0, b: 0 })).toBe(true);
    expect(set.has({ a: 0, b: 0 })).toBe(true);
  });

  it('keeps the smallest depth and reports a state reached by a shorter path', () => {
    const set = new FingerprintSet(4, true);
    expect(set.visitAtDepth({ a: 5, b: 5 }, 4)).toBe(true);
    expect(set.visitAtDepth({ a: 5, b: 5 }, 4)).toBe(false);
    expect(set.visitAtDepth({ a: 5, b: 5 }, 6)).toBe(false);
    expect(set.visitAtDepth({ a: 5, b: 5 }, 2)).toBe(true);
    for (let i = 0; i < 1000; i++) set.visitAtDepth({ a: i, b: i + 1 }, i);
    expect(set.visitAtDepth({ a: 5, b: 5 }, 3)).toBe(false);
  });
});
