/**
 * Linearizable reads (dissertation §6.4) under random schedules: a read answered with
 * `read-ready` at index i must see every write that completed before the read started, so i is
 * at least every commit index any node knew when the read was issued. Time is modelled as the
 * lease assumes it: every node ticks at the same rate (`tick-all` only), while messages are
 * delivered, dropped, duplicated and reordered at will, and the schedule mixes partitions,
 * crash and restart, leadership transfers and membership changes (removals of the leader
 * included). Run with ReadIndex alone and with the lease.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type MembershipChange, RaftError, type RaftNode } from '../src/index.js';
import { bytes, TestCluster } from './helpers/cluster.js';
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

type Op =
  | NetworkOp
  | FaultOp
  | { kind: 'propose'; node: number }
  | { kind: 'read'; node: number }
  /** A read on a node that believes it leads (a stale leader too, if there is one). */
  | { kind: 'read-on-leader'; pick: number }
  /** Cut the leader off with at most one other node: the others may elect a new one. */
  | { kind: 'isolate-leader'; with: number }
  /**
   * The same, held for `ticks` ticks of lockstep time with every message delivered, while
   * the newest leader writes and every node that believes it leads serves a read each tick:
   * the window where a stale leader's lease would be read from.
   */
  | { kind: 'isolated-leader-run'; with: number; ticks: number }
  | { kind: 'transfer'; to: number }
  | { kind: 'member'; change: 'remove' | 'add-voter' | 'add-learner'; id: number };

const NODES = 4;

const op = (): fc.Arbitrary<Op> => {
  const node = fc.integer({ min: 1, max: NODES });
  return fc.oneof(
    // Lockstep time only: `tick` (one node alone) would break the clock assumption of the lease.
    ...networkOps(NODES, { tick: 0, tickAll: 14, deliver: 16, drop: 2, duplicate: 1 }),
    ...faultOps(NODES, { partition: 1, heal: 1, crash: 1, restart: 2, snapshot: 1 }),
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('propose' as const), node }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('read' as const), node }) },
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('read-on-leader' as const), pick: fc.nat() }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('isolate-leader' as const),
        with: fc.integer({ min: 0, max: NODES }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('isolated-leader-run' as const),
        with: fc.integer({ min: 0, max: NODES }),
        ticks: fc.integer({ min: 1, max: 16 }),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('transfer' as const), to: node }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('member' as const),
        change: fc.constantFrom('remove' as const, 'add-voter' as const, 'add-learner' as const),
        id: node,
      }),
    },
  );
};

interface Outcome {
  served: number;
  failed: number;
  refused: number;
  issued: number;
}

function run(ops: Op[], leaseRead: boolean, asyncStorageWrites: boolean, outcome: Outcome): void {
  const ids = Array.from({ length: NODES }, (_, i) => i + 1);
  // Three voters and a spare that membership changes may add.
  const c = new TestCluster(ids.slice(0, 3), {
    electionTick: 6,
    heartbeatTick: 1,
    checkQuorum: true,
    leaseRead,
    asyncStorageWrites,
    snapshotChunkSize: 16,
  });
  c.addNode(4);
  // Start from a working cluster: a leader that committed an entry of its term.
  c.elect();
  c.propose('init');
  c.runUntil(() => c.caughtUp(ids.slice(0, 3)));
  const state = {
    smHistory: new Map<number, string>(),
    committed: new Map<number, { term: number; seenIn: number }>(),
  };
  /** For each read in flight: the highest commit index any node knew when it was issued. */
  const floor = new Map<string, number>();
  const seen = new Map<number, number>();
  let reads = 0;
  let proposals = 0;
  const maxCommit = () => Math.max(...[...c.nodes.values()].map((n: RaftNode) => n.commitIndex()));
  const leader = () => c.leader();
  const guarded = (fn: () => void) => {
    try {
      fn();
    } catch (err) {
      if (!(err instanceof RaftError) || err.code === 'INVARIANT' || err.code === 'STORAGE') throw err;
    }
  };
  const checkAnswers = () => {
    for (const id of c.ids) {
      const actions = c.actions.get(id)!;
      for (let i = seen.get(id) ?? 0; i < actions.length; i++) {
        const a = actions[i]!;
        if (a.type === 'read-ready') {
          const min = floor.get(a.id);
          expect(min, `read ${a.id} answered once, on the node that issued it`).toBeDefined();
          expect(
            a.index,
            `read ${a.id} served at ${a.index}, below a commit (${min}) completed before it`,
          ).toBeGreaterThanOrEqual(min!);
          floor.delete(a.id);
          outcome.served++;
        } else if (a.type === 'read-failed') {
          floor.delete(a.id);
          outcome.failed++;
        }
      }
      seen.set(id, actions.length);
    }
  };
  const issueRead = (node: number) => {
    const id = `r${++reads}`;
    floor.set(id, maxCommit());
    outcome.issued++;
    try {
      c.step(node, { type: 'read', id });
    } catch (err) {
      if (!(err instanceof RaftError) || err.code !== 'NOT_LEADER') throw err;
      floor.delete(id);
      outcome.refused++;
    }
  };
  const isolateLeader = (other: number) => {
    const l = leader();
    if (!l) return;
    const side = other === 0 || other === l.id ? [l.id] : [l.id, other];
    c.partition(
      side,
      c.ids.filter((id) => !side.includes(id)),
    );
  };
  for (const o of ops) {
    if (applyNetworkOp(c, o) || applyFaultOp(c, o)) {
      // handled
    } else if (o.kind === 'propose') {
      const l = leader();
      if (l) guarded(() => c.step(l.id, { type: 'propose', command: bytes(`p${++proposals}`) }));
    } else if (o.kind === 'isolate-leader') {
      isolateLeader(o.with);
    } else if (o.kind === 'isolated-leader-run') {
      isolateLeader(o.with);
      for (let t = 0; t < o.ticks; t++) {
        c.tickAll();
        c.deliverAll();
        const l = leader();
        if (l) guarded(() => c.step(l.id, { type: 'propose', command: bytes(`p${++proposals}`) }));
        c.deliverAll();
        for (const id of c.ids) if (!c.down.has(id) && c.node(id).isLeader()) issueRead(id);
        checkAnswers();
      }
      c.heal();
    } else if (o.kind === 'read') {
      if (!c.down.has(o.node)) issueRead(o.node);
    } else if (o.kind === 'read-on-leader') {
      const leaders = c.ids.filter((id) => !c.down.has(id) && c.node(id).isLeader());
      if (leaders.length > 0) issueRead(leaders[o.pick % leaders.length]!);
    } else if (o.kind === 'transfer') {
      const l = leader();
      if (l) guarded(() => c.step(l.id, { type: 'transfer-leadership', to: o.to }));
    } else if (o.kind === 'member') {
      const l = leader();
      const change = { type: o.change, id: o.id } as MembershipChange;
      if (l) guarded(() => c.step(l.id, { type: 'change-membership', changes: [change] }));
    }
    checkAnswers();
    const v = checkAll(c, state);
    if (v) throw new Error(v);
  }
}

describe('§6.4 reads: never below a commit that completed before the read started', () => {
  for (const leaseRead of [false, true]) {
    it(`random schedules with transfers, removals, restarts and partitions (${leaseRead ? 'lease' : 'ReadIndex'})`, {
      timeout: 60_000,
    }, () => {
      const outcome: Outcome = { served: 0, failed: 0, refused: 0, issued: 0 };
      fc.assert(
        fc.property(
          fc.array(op(), { minLength: 100, maxLength: 500, size: 'max' }),
          fc.boolean(),
          (ops, asyncStorageWrites) => run(ops, leaseRead, asyncStorageWrites, outcome),
        ),
        { numRuns: propertyRuns(200) },
      );
      // The property must have had reads to judge: most runs serve some.
      expect(outcome.served).toBeGreaterThan(propertyRuns(200) * 2);
    });
  }
});
