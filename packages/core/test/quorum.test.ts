/**
 * Quorum arithmetic against a deliberately naive version (etcd's quorum/quick_test.go).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jointCommitted } from '../src/quorum/joint.js';
import { majorityCommitted, majorityVoteResult } from '../src/quorum/majority.js';

/** The largest index such that a majority acknowledged at least it, by trying every candidate. */
function naiveCommitted(acks: number[]): number {
  if (acks.length === 0) return Number.POSITIVE_INFINITY;
  let best = 0;
  for (const candidate of acks) {
    const count = acks.filter((a) => a >= candidate).length;
    if (count > acks.length / 2 && candidate > best) best = candidate;
  }
  return best;
}

const voterAcks = fc
  .uniqueArray(fc.integer({ min: 1, max: 50 }), { maxLength: 9 })
  .chain((ids) =>
    fc.tuple(fc.constant(ids), fc.array(fc.nat(100), { minLength: ids.length, maxLength: ids.length })),
  );

describe('quorum', () => {
  it('majorityCommitted equals the naive definition', () => {
    fc.assert(
      fc.property(voterAcks, ([ids, acks]) => {
        const map = new Map(ids.map((id, i) => [id, acks[i]!]));
        expect(majorityCommitted(ids, (id) => map.get(id)!)).toBe(naiveCommitted(acks));
      }),
    );
  });

  it('a joint commit index is the minimum of both halves', () => {
    fc.assert(
      fc.property(voterAcks, voterAcks, ([a, acksA], [b, acksB]) => {
        const map = new Map<number, number>();
        for (const [i, id] of a.entries()) map.set(id, acksA[i]!);
        for (const [i, id] of b.entries()) if (!map.has(id)) map.set(id, acksB[i]!);
        const get = (id: number) => map.get(id)!;
        const expected = Math.min(naiveCommitted(a.map(get)), naiveCommitted(b.map(get)));
        const got = jointCommitted({ voters: a, outgoingVoters: b, learners: [] }, get);
        expect(got).toBe(expected);
      }),
    );
  });

  it('vote results: won with a majority of grants, lost once a majority is impossible, pending otherwise', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.array(fc.constantFrom(true, false, undefined), { minLength: 9, maxLength: 9 }),
        (n, answers) => {
          const ids = Array.from({ length: n }, (_, i) => i + 1);
          const votes = new Map<number, boolean>();
          ids.forEach((id, i) => {
            if (answers[i] !== undefined) votes.set(id, answers[i]!);
          });
          const granted = [...votes.values()].filter(Boolean).length;
          const missing = n - votes.size;
          const expected = granted > n / 2 ? 'won' : granted + missing > n / 2 ? 'pending' : 'lost';
          expect(majorityVoteResult(ids, votes)).toBe(expected);
        },
      ),
    );
  });
});
