/**
 * The network and clock part of the random schedules that core's property tests draw with
 * fast-check: ticks (one node or all), and delivery, loss and duplication of a message
 * picked anywhere in flight (so delivery also reorders). Each test adds its own operations.
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
