/**
 * Replication safety under random schedules (Raft paper §5.3–5.4, Figure 3): with message
 * loss, duplication, reordering, partitions and crash/restart, the cluster keeps Election
 * Safety, Log Matching, Leader Completeness and State Machine Safety; after healing, every
 * proposal that was acknowledged (applied by its leader) is applied on every node.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RaftError } from '../src/index.js';
import { TestCluster } from './helpers/cluster.js';
import { checkAll } from './helpers/invariants.js';
import { propertyRuns } from './helpers/property-runs.js';
import {
  applyFaultOp,
  applyNetworkOp,
  type FaultOp,
  faultOps,
  type NetworkOp,
  networkOps,
} from './helpers/schedule.js';

type Op = NetworkOp | { kind: 'propose'; node: number; count: number } | FaultOp;

const op = (n: number, withSnapshots: boolean): fc.Arbitrary<Op> =>
  fc.oneof(
    ...networkOps(n, { tick: 8, tickAll: 6, deliver: 14, drop: 1, duplicate: 1 }),
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constant('propose' as const),
        node: fc.integer({ min: 1, max: 2 * n }),
        count: fc.integer({ min: 1, max: 3 }),
      }),
    },
    ...faultOps(n, { partition: 1, heal: 2, crash: 1, restart: 2, snapshot: withSnapshots ? 1 : 0 }),
  );

let counter = 0;
const stats = { commands: 0 };

function run(
  size: number,
  ops: Op[],
  options: { preVote: boolean; checkQuorum: boolean; asyncStorageWrites: boolean },
) {
  const ids = Array.from({ length: size }, (_, i) => i + 1);
  const c = new TestCluster(ids, {
    electionTick: 5,
    maxSizePerMsg: 64,
    maxInflightMsgs: 4,
    snapshotChunkSize: 8,
    ...options,
  });
  const state = {
    smHistory: new Map<number, string>(),
    committed: new Map<number, { term: number; seenIn: number }>(),
    acknowledged: new Set<string>(),
  };
  const check = () => {
    for (const applied of c.applied.values()) for (const a of applied) state.acknowledged.add(a.command);
    const v = checkAll(c, state);
    if (v) throw new Error(v);
  };
  for (const o of ops) {
    if (o.kind === 'propose') {
      // Mostly at the leader, as a client would; sometimes at a follower (which refuses).
      const target = o.node > size ? (c.leader()?.id ?? 1) : o.node;
      const commands = Array.from({ length: o.count }, () => new TextEncoder().encode(`c${counter++}`));
      try {
        if (!c.down.has(target)) c.step(target, { type: 'propose', commands });
      } catch (e) {
        if (!(e instanceof RaftError)) throw e;
      }
    } else {
      if (!applyNetworkOp(c, o)) applyFaultOp(c, o);
    }
    check();
  }
  return { c, check, state };
}

describe('replication safety under random schedules', () => {
  for (const size of [3, 5]) {
    for (const snapshots of [false, true]) {
      it(`${size} nodes${snapshots ? ' with snapshots' : ''}: safety holds and acknowledged proposals survive healing`, () => {
        fc.assert(
          fc.property(
            fc.array(op(size, snapshots), { minLength: 200, maxLength: 600, size: 'max' }),
            fc.boolean(),
            // Asynchronous storage writes (D21): late, reordered durability reports; crashes
            // lose what was not reported.
            fc.boolean(),
            (ops, preVote, asyncStorageWrites) => {
              const { c, check, state } = run(size, ops, { preVote, checkQuorum: true, asyncStorageWrites });
              // Heal: everyone up, network reliable, then let it settle.
              c.heal();
              for (const id of c.ids) if (c.down.has(id)) c.restart(id);
              const leader = c.elect();
              // A proposal in the new term commits everything before it (Figure 8 rule).
              c.propose('final');
              const lastIndex = () => c.leader()?.lastIndex() ?? -1;
              const settled = c.runUntil(
                () =>
                  c.ids.every((id) => c.node(id).appliedIndex() === lastIndex() && c.leader() !== undefined),
                400,
              );
              check();
              expect(settled).toBe(true);
              expect(leader).toBeDefined();
              // Every node's state machine holds the same commands in the same order, and every
              // command that any node applied (an acknowledged proposal) is among them.
              const reference = c.machines.get(c.leader()!.id)!;
              for (const id of c.ids) expect(c.machines.get(id)).toEqual(reference);
              const held = new Set(reference);
              for (const applied of state.acknowledged) expect(held.has(applied)).toBe(true);
              stats.commands += reference.length;
            },
          ),
          { numRuns: propertyRuns(40) },
        );
        // The schedules must actually replicate something for the property to mean anything.
        expect(stats.commands).toBeGreaterThan(propertyRuns(40) * 4);
        stats.commands = 0;
      });
    }
  }
});
