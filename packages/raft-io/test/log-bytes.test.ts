/**
 * `LogBytes` (the leader's lag in bytes) against a deliberately naive version: the sum of
 * the data sizes of the entries the log holds, read from the log each time. Random writes
 * of every shape the core makes (appends, truncations of a suffix, compactions, snapshot
 * installs past the end), a tracker started on a log that already holds entries, and a
 * small bound on tracked entries: every answer is exact, or null only past the bound.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Entry, MemoryLog } from '../src/index.js';
import { LogBytes } from '../src/log-bytes.js';

type Op =
  | { kind: 'append'; sizes: number[] }
  | { kind: 'truncate'; at: number; append: boolean }
  | { kind: 'compact'; at: number }
  | { kind: 'install'; beyond: number }
  | { kind: 'ask'; from: number };

const fraction = fc.double({ min: 0, max: 1, noNaN: true });

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('append' as const),
      sizes: fc.array(fc.nat(300), { minLength: 1, maxLength: 12 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fraction, append: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('compact' as const), at: fraction }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('install' as const), beyond: fc.integer({ min: 0, max: 5 }) }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('ask' as const), from: fraction }) },
);

/** The naive answer: sum the sizes of the entries the log holds in `(from, to]`. */
function naive(log: MemoryLog, from: number, to: number): number {
  const lo = Math.max(from, log.firstIndex() - 1) + 1;
  if (lo > to) return 0;
  return log.entries(lo, to + 1).reduce((sum, e) => sum + e.data.length, 0);
}

const ONE = { voters: [1], learners: [], outgoingVoters: [] };

function entries(start: number, sizes: number[], term: number): Entry[] {
  return sizes.map((n, i) => ({ index: start + i, term, type: 'command', data: new Uint8Array(n) }));
}

/** An index in `[lo, hi]` from a fraction in `[0, 1]`. */
function pick(x: number, lo: number, hi: number): number {
  return hi <= lo ? lo : Math.min(hi, lo + Math.floor(x * (hi - lo + 1)));
}

describe('LogBytes', () => {
  it('answers exactly what a naive sum over the log answers, or null only beyond its bound', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(200), { maxLength: 30 }),
        fc.array(op, { maxLength: 60 }),
        fc.integer({ min: 2, max: 64 }),
        (preexisting, ops, maxEntries) => {
          // init: a log that already holds entries when the tracker starts.
          const log = new MemoryLog();
          if (preexisting.length > 0) log.write({ entries: entries(1, preexisting, 1) });
          const bytes = new LogBytes(log, maxEntries);
          const write = (w: Parameters<MemoryLog['write']>[0]) => {
            log.write(w);
            bytes.observe(w);
          };
          let term = 1;
          for (const o of ops) {
            const first = log.firstIndex();
            const last = log.lastIndex();
            switch (o.kind) {
              case 'append':
                write({ entries: entries(last + 1, o.sizes, term) });
                break;
              case 'truncate': {
                if (last < first) break;
                const at = pick(o.at, first, last);
                term++;
                write({ truncateFrom: at, ...(o.append ? { entries: entries(at, [7], term) } : {}) });
                break;
              }
              case 'compact': {
                const at = pick(o.at, first - 1, last);
                if (at < first) break;
                write({
                  snapshot: {
                    metadata: {
                      index: at,
                      term: log.term(at),
                      membership: ONE,
                    },
                    data: new Uint8Array(0),
                  },
                  compact: { index: at, term: log.term(at) },
                });
                break;
              }
              case 'install': {
                const at = last + o.beyond;
                write({
                  snapshot: {
                    metadata: {
                      index: at,
                      term,
                      membership: ONE,
                    },
                    data: new Uint8Array(0),
                  },
                  truncateFrom: first,
                  compact: { index: at, term },
                });
                break;
              }
              case 'ask': {
                // Ask about ranges that start anywhere, below the log included.
                const from = pick(o.from, 0, last);
                const to = last;
                const answer = bytes.between(from, to);
                if (answer !== null) expect(answer).toBe(naive(log, from, to));
                else expect(to - Math.max(from, first - 1)).toBeGreaterThan(maxEntries / 2);
                break;
              }
            }
          }
          // check: a question about the newest entries always has an exact answer.
          const last = log.lastIndex();
          const from = Math.max(log.firstIndex() - 1, last - Math.floor(maxEntries / 2));
          expect(bytes.between(from, last)).toBe(naive(log, from, last));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('forgets a truncated suffix, also of entries that were in the log before it started', () => {
    // init: ten entries of 1..10 bytes, there before the tracker.
    const log = new MemoryLog();
    log.write({ entries: entries(1, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 1) });
    const bytes = new LogBytes(log);
    // act: a conflicting suffix from index 5 goes (no new entries yet), then one entry comes.
    const cut = { truncateFrom: 5 };
    log.write(cut);
    bytes.observe(cut);
    // check
    expect(bytes.between(0, 4)).toBe(10);
    const append = { entries: entries(5, [100], 2) };
    log.write(append);
    bytes.observe(append);
    expect(bytes.between(2, 5)).toBe(3 + 4 + 100);
  });
});
