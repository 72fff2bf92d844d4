/** Reconnect backoff: exponential, capped, jittered within [step/2, step]. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../src/index.js';

describe('backoffDelay', () => {
  it('stays within [step/2, step] with step = min(max, initial * 2^attempt)', () => {
    fc.assert(
      fc.property(
        fc.nat(200),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, initial, extra, r) => {
          const max = initial + extra;
          const step = Math.min(max, initial * 2 ** attempt);
          const d = backoffDelay(attempt, initial, max, () => r);
          expect(d).toBeGreaterThanOrEqual(Math.floor(step / 2));
          expect(d).toBeLessThanOrEqual(step);
        },
      ),
    );
  });

  it('doubles per attempt until the cap', () => {
    const top = (n: number) => backoffDelay(n, 50, 5000, () => 1 - Number.EPSILON);
    expect([0, 1, 2, 3, 6, 7, 50, 5000].map(top)).toEqual([50, 100, 200, 400, 3200, 5000, 5000, 5000]);
    expect(backoffDelay(3, 50, 5000, () => 0)).toBe(200);
  });
});
