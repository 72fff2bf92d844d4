/**
 * Chunked InstallSnapshot under random schedules (Raft paper §7): while a lagging follower
 * installs the leader's snapshot in 4-byte chunks, fast-check picks which chunks and chunk
 * answers are delivered, lost, duplicated or held back (reordered), interleaved with ticks,
 * new proposals and newer snapshots on the leader. Safety holds after every step, and once
 * delivery is reliable the follower's state machine equals the leader's.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Message, type NodeId, RaftError } from '../src/index.js';
import { TestCluster } from './helpers/cluster.js';
import { checkAll, machinesAgree } from './helpers/invariants.js';
import { propertyRuns } from './helpers/property-runs.js';

type Op =
  | { kind: 'deliver-chunk'; pick: number }
  | { kind: 'drop-chunk'; pick: number }
  | { kind: 'duplicate-chunk'; pick: number }
  | { kind: 'deliver-other' }
  | { kind: 'tick-leader'; n: number }
  | { kind: 'tick-all' }
  | { kind: 'propose' }
  | { kind: 'leader-snapshot' };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 36, arbitrary: fc.record({ kind: fc.constant('deliver-chunk' as const), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('drop-chunk' as const), pick: fc.nat() }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('duplicate-chunk' as const), pick: fc.nat() }) },
  { weight: 12, arbitrary: fc.record({ kind: fc.constant('deliver-other' as const) }) },
  {
    weight: 9,
    arbitrary: fc.record({ kind: fc.constant('tick-leader' as const), n: fc.integer({ min: 1, max: 2 }) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('tick-all' as const) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('propose' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('leader-snapshot' as const) }) },
);

/** Snapshot traffic: the chunks and their answers. */
const isChunkTraffic = (m: Message): boolean =>
  m.type === 'install-snapshot' || m.type === 'install-snapshot-response';

const stats = { installs: 0, installsUnderFaults: 0, chunks: 0 };

/**
 * Init: three nodes; follower `lagging` misses 12 commands that the leader then compacts
 * into a snapshot of about 60 bytes (15 chunks of 4 bytes); the partition heals and the
 * leader sends the first chunk.
 */
function setup() {
  const c = new TestCluster([1, 2, 3], { electionTick: 5, snapshotChunkSize: 4 });
  const leader = c.elect();
  const [lagging, other] = c.ids.filter((id) => id !== leader.id) as [NodeId, NodeId];
  for (let i = 0; i < 3; i++) c.propose(`p${i}`);
  expect(c.runUntil(() => c.caughtUp())).toBe(true);
  c.isolate(lagging);
  for (let i = 3; i < 15; i++) c.propose(`p${i}`);
  expect(c.runUntil(() => c.caughtUp([leader.id, other]))).toBe(true);
  c.snapshot(leader.id);
  c.heal();
  // Run until the leader has found out and sends the first chunk.
  for (let i = 0; i < 20 && !c.queue.some((m) => m.type === 'install-snapshot'); i++) {
    c.tick(leader.id);
    c.deliverWhere((m) => m.type !== 'install-snapshot');
  }
  expect(c.queue.filter((m) => m.type === 'install-snapshot')).toHaveLength(1);
  return { c, leader: leader.id, lagging };
}

function run(ops: Op[]): void {
  const { c, leader, lagging } = setup();
  const state = {
    smHistory: new Map<number, string>(),
    committed: new Map<number, { term: number; seenIn: number }>(),
  };
  const check = () => {
    const violation = checkAll(c, state) ?? machinesAgree(c);
    if (violation) throw new Error(violation);
  };
  const chunkAt = (pick: number): number => {
    const at = c.queue.flatMap((m, i) => (isChunkTraffic(m) ? [i] : []));
    return at.length === 0 ? -1 : at[pick % at.length]!;
  };
  let proposed = 15;
  for (const o of ops) {
    switch (o.kind) {
      case 'deliver-chunk': {
        // Any chunk or answer in flight, not only the oldest: a reordering.
        const i = chunkAt(o.pick);
        if (i >= 0) c.deliverAt(i);
        break;
      }
      case 'drop-chunk': {
        const i = chunkAt(o.pick);
        if (i >= 0) c.queue.splice(i, 1);
        break;
      }
      case 'duplicate-chunk': {
        const i = chunkAt(o.pick);
        if (i >= 0) c.queue.push(c.queue[i]!);
        break;
      }
      case 'deliver-other': {
        const others = c.queue.filter((m) => !isChunkTraffic(m));
        c.queue = c.queue.filter(isChunkTraffic);
        for (const m of others) c.deliver(m);
        break;
      }
      case 'tick-leader':
        c.tick(leader, o.n);
        break;
      case 'tick-all':
        c.tickAll();
        break;
      case 'propose':
        try {
          c.step(leader, { type: 'propose', command: new TextEncoder().encode(`p${proposed}`) });
          proposed++;
        } catch (e) {
          // The leader may have stepped down (check-quorum) while its answers were held back.
          if (!(e instanceof RaftError)) throw e;
        }
        break;
      case 'leader-snapshot':
        // A newer snapshot replaces the one being sent.
        if (c.node(leader).appliedIndex() > 0) c.snapshot(leader);
        break;
    }
    check();
  }

  if (c.actionsOf(lagging, 'restore').length > 0) stats.installsUnderFaults++;

  // Reliable delivery from here on: the follower must converge on the leader's state.
  const settled = c.runUntil(() => c.caughtUp(), 300);
  check();
  expect(settled).toBe(true);
  const reference = c.machines.get(c.leader()!.id)!;
  for (const id of c.ids) expect(c.machines.get(id)).toEqual(reference);
  expect(reference).toEqual(Array.from({ length: proposed }, (_, i) => `p${i}`).slice(0, reference.length));
  expect(reference.length).toBeGreaterThanOrEqual(15);
  if (c.actionsOf(lagging, 'restore').length > 0) stats.installs++;
  stats.chunks += c.sentBy(leader).filter((m) => m.type === 'install-snapshot').length;
}

describe('§7 chunked InstallSnapshot under random chunk schedules', () => {
  it('§7: lost, duplicated and reordered chunks never corrupt the follower; it ends equal to the leader', () => {
    Object.assign(stats, { installs: 0, installsUnderFaults: 0, chunks: 0 });
    const numRuns = propertyRuns(60, 'SNAPSHOT_RUNS');
    fc.assert(
      fc.property(fc.array(op, { minLength: 100, maxLength: 600, size: 'max' }), (ops) => run(ops)),
      { numRuns },
    );
    // The property means something only if the schedules really install snapshots in many chunks.
    expect(stats.installs).toBeGreaterThan(numRuns / 2);
    expect(stats.installsUnderFaults).toBeGreaterThan(numRuns / 4);
    expect(stats.chunks).toBeGreaterThan(numRuns * 15);
  });
});
