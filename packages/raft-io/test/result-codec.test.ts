/**
 * `valueCodec`, the default result codec (forwarded results, results kept for retried
 * session proposals): exact round trips of what a state machine returns, refusal of what it
 * cannot carry, and hostile bytes that can only make it throw `InvalidArgumentError`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, valueCodec } from '../src/index.js';

const value = fc.letrec((tie) => ({
  any: fc.oneof(
    { depthSize: 'small' },
    fc.constant(undefined),
    fc.constant(null),
    fc.boolean(),
    fc.double(),
    fc.string(),
    fc.bigInt(),
    fc.uint8Array({ maxLength: 16 }),
    fc.array(tie('any'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 6 }), tie('any'), { maxKeys: 4, noNullPrototype: true }),
  ),
})).any;

describe('valueCodec', () => {
  it('round-trips JSON-like values, Uint8Arrays and bigints exactly', () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(valueCodec.decode(valueCodec.encode(v))).toStrictEqual(v);
      }),
      { numRuns: 300 },
    );
    expect(valueCodec.decode(valueCodec.encode(Buffer.from('hi')))).toStrictEqual(new Uint8Array([104, 105]));
  });

  it('is deterministic: equal values give equal bytes', () => {
    const a = valueCodec.encode({ op: 'put', index: 3, current: new Uint8Array([1]) });
    const b = valueCodec.encode({ op: 'put', index: 3, current: new Uint8Array([1]) });
    expect(a).toEqual(b);
  });

  it('refuses what it cannot carry', () => {
    for (const bad of [new Map(), new Date(), () => 1, Symbol('s'), new (class X {})()]) {
      expect(() => valueCodec.encode(bad)).toThrow(InvalidArgumentError);
    }
  });

  it('keeps a "__proto__" key as data, never as the prototype', () => {
    const bytes = valueCodec.encode(JSON.parse('{"__proto__": {"polluted": true}}'));
    const decoded = valueCodec.decode(bytes) as Record<string, unknown>;
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(decoded)).toEqual(['__proto__']);
  });

  it('hostile bytes only throw InvalidArgumentError, and counts cannot outgrow the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          valueCodec.decode(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidArgumentError);
        }
      }),
      { numRuns: 2000 },
    );
    // An array announcing 2^32 - 1 items in five bytes is refused before any is read.
    expect(() => valueCodec.decode(Uint8Array.of(7, 0xff, 0xff, 0xff, 0xff))).toThrow(/cannot fit/);
    // Nesting beyond 64 is refused.
    expect(() =>
      valueCodec.decode(
        new Uint8Array(Array.from({ length: 200 }, (_, i) => (i % 5 === 0 ? 7 : i % 5 === 4 ? 1 : 0))),
      ),
    ).toThrow(InvalidArgumentError);
  });
});
