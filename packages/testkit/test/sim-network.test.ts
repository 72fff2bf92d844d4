/**
 * `SimNetwork` on its own: delays within bounds, loss and duplication at their rates, cut
 * links in one or both directions, the partial partition shape, and heal.
 */
import type { Message } from '@raft-io/core';
import { describe, expect, it } from 'vitest';
import { SimNetwork } from '../src/network/sim-network.js';
import { Prng } from '../src/prng.js';

const hb = (from: number, to: number, commit = 0): Message => ({
  type: 'heartbeat',
  from,
  to,
  term: 1,
  commit,
  context: 0,
});

function drain(net: SimNetwork, until = 1e9): { time: number; message: Message }[] {
  const out: { time: number; message: Message }[] = [];
  for (let m = net.pop(until); m; m = net.pop(until)) out.push({ time: m.time, message: m.message });
  return out;
}

describe('SimNetwork', () => {
  it('delivers every message once within [minDelay, maxDelay] when calm', () => {
    const net = new SimNetwork(new Prng(1), { minDelay: 2, maxDelay: 7 });
    for (let i = 0; i < 200; i++) net.send(hb(1, 2), 100);
    const got = drain(net);
    expect(got).toHaveLength(200);
    for (const g of got) {
      expect(g.time).toBeGreaterThanOrEqual(102);
      expect(g.time).toBeLessThanOrEqual(107);
    }
  });

  it('reorders: random delays deliver out of send order', () => {
    const net = new SimNetwork(new Prng(2), { minDelay: 1, maxDelay: 20 });
    for (let i = 0; i < 50; i++) net.send(hb(1, 2, i), i);
    const order = drain(net).map((g) => (g.message as { commit: number }).commit);
    expect(order).not.toEqual([...order].sort((a, b) => a - b));
  });

  it('loses and duplicates at roughly the configured rates', () => {
    const net = new SimNetwork(new Prng(3), { loss: 0.3, duplicate: 0.2 });
    for (let i = 0; i < 5000; i++) net.send(hb(1, 2), 0);
    expect(net.stats.lost / 5000).toBeGreaterThan(0.25);
    expect(net.stats.lost / 5000).toBeLessThan(0.35);
    expect(net.stats.duplicated / (5000 - net.stats.lost)).toBeGreaterThan(0.15);
    expect(drain(net).length).toBe(5000 - net.stats.lost + net.stats.duplicated);
  });

  it('cuts one direction only', () => {
    const net = new SimNetwork(new Prng(4));
    net.cut(1, 2);
    expect(net.send(hb(1, 2), 0)).toBe('cut');
    expect(net.send(hb(2, 1), 0)).toBe('queued');
    net.heal();
    expect(net.send(hb(1, 2), 0)).toBe('queued');
  });

  it('partial partition: the node reaches its one peer and nobody else', () => {
    const net = new SimNetwork(new Prng(5));
    net.isolate(1, [1, 2, 3, 4, 5], 2);
    expect(net.send(hb(1, 2), 0)).toBe('queued');
    expect(net.send(hb(2, 1), 0)).toBe('queued');
    for (const x of [3, 4, 5]) {
      expect(net.send(hb(1, x), 0)).toBe('cut');
      expect(net.send(hb(x, 1), 0)).toBe('cut');
      expect(net.send(hb(x, 2), 0)).toBe('queued');
    }
    expect(net.cutLinks()).toEqual(['1->3', '1->4', '1->5', '3->1', '4->1', '5->1']);
  });

  it('a partition drops messages that were in flight across it', () => {
    const net = new SimNetwork(new Prng(6), { minDelay: 10, maxDelay: 10 });
    net.send(hb(1, 2), 0);
    net.send(hb(2, 3), 0);
    net.partition([[1], [2, 3]]);
    expect(drain(net).map((g) => g.message.from)).toEqual([2]);
    expect(net.stats.cut).toBe(1);
  });
});
