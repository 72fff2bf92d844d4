/**
 * The shared part of the random schedules that core's property tests draw with fast-check:
 * ticks (one node or all); delivery, loss and duplication of a message picked anywhere in
 * flight (so delivery also reorders); and faults: partitions, healing, crashes, restarts
 * and snapshots. Each test adds its own operations (proposals, membership changes).
 */
import fc from 'fast-check';
import type { TestCluster } from './cluster.js';

export type NetworkOp =
  | { kind: 'tick'; node: number; n: number }
  | { kind: 'tick-all' }
  | { kind: 'deliver'; pick: number; n: number }
  | { kind: 'drop'; pick: number }
  | { kind: 'duplicate'; pick: number };

/** Weighted arbitraries for `NetworkOp`s on nodes `1..nodes`, to spread into `fc.oneof`. */
export function networkOps(
  nodes: number,
  weights: { tick: number; tickAll: number; deliver: number; drop: number; duplicate: number },
): fc.WeightedArbitrary<NetworkOp>[] {
  return [
    {
      weight: weights.tick,
      arbitrary: fc.record({
        kind: fc.constant('tick' as const),
        node: fc.integer({ min: 1, max: nodes }),
        n: fc.integer({ min: 1, max: 5 }),
      }),
    },
    { weight: weights.tickAll, arbitrary: fc.record({ kind: fc.constant('tick-all' as const) }) },
    {
      weight: weights.deliver,
      arbitrary: fc.record({
        kind: fc.constant('deliver' as const),
        pick: fc.nat(),
        n: fc.integer({ min: 1, max: 8 }),
      }),
    },
    { weight: weights.drop, arbitrary: fc.record({ kind: fc.constant('drop' as const), pick: fc.nat() }) },
    {
      weight: weights.duplicate,
      arbitrary: fc.record({ kind: fc.constant('duplicate' as const), pick: fc.nat() }),
    },
  ];
}

/** Carry out a `NetworkOp`; returns false for any other operation. */
export function applyNetworkOp(c: TestCluster, op: { kind: string }): boolean {
  const o = op as NetworkOp;
  switch (o.kind) {
    case 'tick':
      c.tick(o.node, o.n);
      return true;
    case 'tick-all':
      c.tickAll();
      return true;
    case 'deliver':
      for (let i = 0; i < o.n; i++) c.deliverPick(o.pick);
      return true;
    case 'drop':
      c.dropPick(o.pick);
      return true;
    case 'duplicate':
      c.duplicatePick(o.pick);
      return true;
    default:
      return false;
  }
}

export type FaultOp =
  | { kind: 'partition'; mask: number }
  | { kind: 'heal' }
  | { kind: 'crash'; node: number }
  | { kind: 'restart'; node: number }
  | { kind: 'snapshot'; node: number };

/** Weighted arbitraries for `FaultOp`s on nodes `1..nodes`, to spread into `fc.oneof`. */
export function faultOps(
  nodes: number,
  weights: { partition: number; heal: number; crash: number; restart: number; snapshot: number },
): fc.WeightedArbitrary<FaultOp>[] {
  const node = fc.integer({ min: 1, max: nodes });
  return [
    {
      weight: weights.partition,
      arbitrary: fc.record({
        kind: fc.constant('partition' as const),
        mask: fc.integer({ min: 1, max: (1 << nodes) - 2 }),
      }),
    },
    { weight: weights.heal, arbitrary: fc.record({ kind: fc.constant('heal' as const) }) },
    { weight: weights.crash, arbitrary: fc.record({ kind: fc.constant('crash' as const), node }) },
    { weight: weights.restart, arbitrary: fc.record({ kind: fc.constant('restart' as const), node }) },
    { weight: weights.snapshot, arbitrary: fc.record({ kind: fc.constant('snapshot' as const), node }) },
  ];
}

/**
 * Carry out a `FaultOp`; returns false for any other operation. A partition splits the
 * nodes by the bits of `mask`; a snapshot is taken at the node's applied index (if any).
 */
export function applyFaultOp(c: TestCluster, op: { kind: string }): boolean {
  const o = op as FaultOp;
  switch (o.kind) {
    case 'partition': {
      const inMask = (id: number) => (o.mask & (1 << (id - 1))) !== 0;
      c.partition(
        c.ids.filter((id) => inMask(id)),
        c.ids.filter((id) => !inMask(id)),
      );
      return true;
    }
    case 'heal':
      c.heal();
      return true;
    case 'crash':
      c.crash(o.node);
      return true;
    case 'restart':
      if (c.down.has(o.node)) c.restart(o.node);
      return true;
    case 'snapshot':
      if (!c.down.has(o.node) && c.node(o.node).appliedIndex() > 0) c.snapshot(o.node);
      return true;
    default:
      return false;
  }
}
