/**
 * `TailCache` against a plain array model under random appends, truncations and
 * compactions: it always holds a contiguous suffix of the log, within its limits, with
 * the right entries.
 */
import type { Entry } from '@raft-io/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TailCache } from '../src/tail-cache.js';

type Op =
  | { kind: 'append'; sizes: number[] }
  | { kind: 'truncate'; at: number }
  | { kind: 'compact'; at: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('append' as const),
    sizes: fc.array(fc.nat({ max: 40 }), { maxLength: 12 }),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat({ max: 1000 }) }),
  fc.record({ kind: fc.constant('compact' as const), at: fc.nat({ max: 1000 }) }),
);

describe('TailCache', () => {
  it('holds a contiguous suffix of the log within maxEntries and maxBytes', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 20 }),
        fc.nat({ max: 200 }),
        fc.array(op, { maxLength: 60 }),
        (maxEntries, maxBytes, ops) => {
          const cache = new TailCache(maxEntries, maxBytes, 0);
          let log: Entry[] = [];
          let offset = 0;
          const last = () => offset + log.length;
          for (const o of ops) {
            if (o.kind === 'append') {
              const added = o.sizes.map((size, i) => ({
                index: last() + 1 + i,
                term: 1,
                type: 'command' as const,
                data: new Uint8Array(size),
              }));
              log = [...log, ...added];
              cache.append(added);
            } else if (o.kind === 'truncate') {
              const from = offset + 1 + Math.floor(((log.length + 2) * o.at) / 1001);
              log = log.filter((e) => e.index < from);
              cache.truncateFrom(from);
            } else {
              const index = offset + 1 + Math.floor(((log.length + 3) * o.at) / 1001);
              log = log.filter((e) => e.index > index);
              offset = index;
              cache.compact(index, Math.max(index, last()));
            }
            const first = cache.first();
            expect(first).toBeGreaterThan(offset);
            expect(first + cache.size() - 1).toBe(last());
            expect(cache.size()).toBeLessThanOrEqual(maxEntries);
            const cached = log.filter((e) => e.index >= first);
            expect(cached.reduce((n, e) => n + e.data.length, 0)).toBeLessThanOrEqual(maxBytes);
            expect(cached.map((e) => cache.get(e.index))).toEqual(cached);
            expect(cache.get(first - 1)).toBeUndefined();
            expect(cache.get(last() + 1)).toBeUndefined();
            if (cache.size() > 0)
              expect(cache.slice(first, last() + 1, Number.POSITIVE_INFINITY)).toEqual(cached);
          }
        },
      ),
    );
  });
});
