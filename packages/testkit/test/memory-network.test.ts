/**
 * `MemoryNetwork` passes the `RaftTransport` compliance suite, in both delivery modes and
 * with loss off; plus what the suite does not cover: loss, cut links, copies, and a real
 * three-node cluster electing a leader over it.
 */
import { type Message, RaftNode } from '@raft-io/core';
import { afterEach, describe, expect, it } from 'vitest';
import { runRaftTransportCompliance } from '../src/compliance/raft-transport-compliance.js';
import { MemoryNetwork } from '../src/network/memory-network.js';

for (const delivery of ['immediate', 'microtask'] as const) {
  runRaftTransportCompliance(`MemoryNetwork (${delivery})`, {
    create(ids) {
      const network = new MemoryNetwork({ delivery });
      return {
        transports: ids.map((id) => network.transport(id)),
        settle: () => network.settle(),
        close: () => network.close(),
      };
    },
  });
}

const networks: MemoryNetwork[] = [];
afterEach(async () => {
  await Promise.all(networks.splice(0).map((n) => n.close()));
});
function net(options?: ConstructorParameters<typeof MemoryNetwork>[0]): MemoryNetwork {
  const n = new MemoryNetwork(options);
  networks.push(n);
  return n;
}
const hb = (from: number, to: number, context: number): Message => ({
  type: 'heartbeat',
  from,
  to,
  term: 1,
  commit: 0,
  context,
});

describe('MemoryNetwork', () => {
  it('delivers asynchronously, never inside send', async () => {
    const n = net();
    const a = n.transport(1);
    const b = n.transport(2);
    const got: Message[] = [];
    await a.start(() => {});
    await b.start((m) => got.push(m));
    a.send(hb(1, 2, 1));
    expect(got).toEqual([]);
    await n.settle();
    expect(got).toHaveLength(1);
  });

  it('hands the receiver a copy', async () => {
    const n = net();
    const a = n.transport(1);
    const b = n.transport(2);
    const got: Message[] = [];
    await a.start(() => {});
    await b.start((m) => got.push(m));
    const data = new Uint8Array([1, 2, 3]);
    const m: Message = {
      type: 'append-entries',
      from: 1,
      to: 2,
      term: 1,
      prevLogIndex: 0,
      prevLogTerm: 0,
      commit: 0,
      entries: [{ index: 1, term: 1, type: 'command', data }],
    };
    a.send(m);
    data[0] = 9;
    await n.settle();
    expect(got[0]).not.toBe(m);
    expect((got[0] as typeof m).entries[0]!.data).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('loses about the configured share of messages, and says true anyway', async () => {
    const n = net({ loss: 0.5, seed: 3 });
    const a = n.transport(1);
    const b = n.transport(2);
    let got = 0;
    await a.start(() => {});
    await b.start(() => got++);
    for (let i = 0; i < 1000; i++) expect(a.send(hb(1, 2, i))).toBe(true);
    await n.settle();
    expect(got).toBeGreaterThan(400);
    expect(got).toBeLessThan(600);
    expect(n.stats.dropped + n.stats.delivered).toBe(1000);
  });

  it('cuts links one way and heals them', async () => {
    const n = net();
    const a = n.transport(1);
    const b = n.transport(2);
    const got: number[] = [];
    await a.start((m) => got.push(m.from));
    await b.start((m) => got.push(m.from));
    n.cut(1, 2);
    a.send(hb(1, 2, 1));
    b.send(hb(2, 1, 1));
    await n.settle();
    expect(got).toEqual([2]);
    n.heal();
    a.send(hb(1, 2, 2));
    await n.settle();
    expect(got).toEqual([2, 1]);
  });

  it('keeps messages for a transport that has not started yet', async () => {
    const n = net();
    const a = n.transport(1);
    const b = n.transport(2);
    await a.start(() => {});
    a.send(hb(1, 2, 1));
    await n.settle();
    const got: Message[] = [];
    await b.start((m) => got.push(m));
    expect(got).toHaveLength(1);
  });

  it('refuses a second transport for one id', () => {
    const n = net();
    n.transport(1);
    expect(() => n.transport(1)).toThrow(/already has a transport/);
  });

  it('carries a real three-node cluster to a leader', async () => {
    const n = net();
    const ids = [1, 2, 3];
    const nodes = ids.map((id) => new RaftNode({ id, voters: ids, electionTick: 5 }));
    const transports = ids.map((id) => n.transport(id));
    const carryOut = (i: number, actions: ReturnType<RaftNode['step']>) => {
      for (const a of actions) if (a.type === 'send') transports[i]!.send(a.message);
    };
    await Promise.all(
      transports.map((t, i) =>
        t.start((message) => carryOut(i, nodes[i]!.step({ type: 'message', message }))),
      ),
    );
    for (let tick = 0; tick < 200 && !nodes.some((x) => x.isLeader()); tick++) {
      for (const [i, node] of nodes.entries()) carryOut(i, node.step({ type: 'tick' }));
      await n.settle();
    }
    expect(nodes.filter((x) => x.isLeader())).toHaveLength(1);
  });
});
