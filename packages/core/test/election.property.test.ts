/**
 * Election under random schedules (Raft paper §5.2, Election Safety): three- and five-node
 * clusters, driven by fast-check schedules of ticks, deliveries, losses, duplicates and
 * reorderings, never have two leaders in one term; once delivery is reliable a leader is
 * elected.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TestCluster } from './helpers/cluster.js';
import { electionSafety } from './helpers/invariants.js';
import { propertyRuns } from './helpers/property-runs.js';
import { applyNetworkOp, type NetworkOp, networkOps } from './helpers/schedule.js';

const op = (n: number): fc.Arbitrary<NetworkOp> =>
  fc.oneof(...networkOps(n, { tick: 4, tickAll: 0, deliver: 6, drop: 1, duplicate: 1 }));

function run(
  size: number,
  ops: NetworkOp[],
  options: { preVote: boolean; checkQuorum: boolean; asyncStorageWrites: boolean },
): TestCluster {
  const ids = Array.from({ length: size }, (_, i) => i + 1);
  const c = new TestCluster(ids, { electionTick: 5, ...options });
  for (const o of ops) {
    applyNetworkOp(c, o);
    const violation = electionSafety(c);
    if (violation) throw new Error(violation);
  }
  return c;
}

describe('election safety under random schedules', () => {
  for (const size of [3, 5]) {
    for (const preVote of [true, false]) {
      it(`${size} nodes, preVote=${preVote}: at most one leader per term, and a leader once delivery is reliable`, () => {
        fc.assert(
          fc.property(
            fc.array(op(size), { minLength: 50, maxLength: 600, size: 'max' }),
            fc.boolean(),
            fc.boolean(),
            (ops, checkQuorum, asyncStorageWrites) => {
              const c = run(size, ops, { preVote, checkQuorum, asyncStorageWrites });
              // Liveness: with reliable delivery the cluster elects a leader.
              const elected = c.runUntil(() => c.leader() !== undefined, 300);
              expect(electionSafety(c)).toBeNull();
              expect(elected).toBe(true);
            },
          ),
          { numRuns: propertyRuns(60) },
        );
      });
    }
  }
});
