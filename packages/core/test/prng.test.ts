/**
 * The election timeout's PRNG (mulberry32) is pinned: a recorded failing run replays only if
 * the same seed gives the same numbers on every platform and in every version. And the
 * silent logger is silent.
 */
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../src/index.js';
import { Prng } from '../src/prng.js';

describe('Prng', () => {
  it('gives the same sequence for a seed, taken modulo 2^32', () => {
    const p = new Prng(42);
    expect([1, 2, 3, 4, 5].map(() => p.nextU32())).toEqual([
      2581720956, 1925393290, 3661312704, 2876485805, 750819978,
    ]);
    expect(new Prng(2 ** 32 + 42).nextU32()).toBe(2581720956);
    expect(new Prng(0).nextU32()).toBe(1144304738);
  });

  it('intBetween stays in [lo, hi) and reaches both ends', () => {
    const p = new Prng(7);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const n = p.intBetween(10, 13);
      expect(n >= 10 && n < 13).toBe(true);
      seen.add(n);
    }
    expect([...seen].sort()).toEqual([10, 11, 12]);
  });
});

it('silentLogger takes every level and does nothing', () => {
  for (const level of ['debug', 'info', 'warn', 'error'] as const)
    expect(silentLogger[level]({ a: 1 }, 'x')).toBeUndefined();
  expect(Object.isFrozen(silentLogger)).toBe(true);
});
