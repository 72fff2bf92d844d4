/**
 * Exactly-once proposals under the simulator (issue 13): clients propose with a session
 * (client id, sequence) and retry every proposal whose outcome they cannot learn (no leader,
 * the leader lost the entry, the node crashed, no answer in time) until it succeeds, on a
 * network that loses, duplicates and delays messages while leaders crash, are partitioned
 * off and restart. Every node's state machine counts applications: each proposal is applied
 * exactly once on every node, however often it was retried. Without sessions the same run
 * applies some commands twice (the test's own control).
 */
import { type AcceptedAction, DEFAULT_SESSION_LIMITS, encodeCommandEntry, type NodeId } from '@raft-io/core';
import { describe, expect, it } from 'vitest';
import { isRaftError } from '../src/raft-error.js';
import { Cluster } from '../src/sim/cluster.js';
import { CountingMachine } from './helpers/counting-machine.js';

interface Client {
  readonly id: string;
  sequence: number;
  /** The attempt in flight: where it was accepted and until when the client waits. */
  attempt: { node: NodeId; incarnation: number; index: number; term: number; until: number } | null;
  attempts: number;
  done: boolean;
}

interface RunResult {
  /** Applications per command on each node, once all caught up. */
  counts: Map<NodeId, Map<string, number>>;
  succeeded: string[];
  retries: number;
  duplicates: number;
  leaderChanges: number;
  ticks: number;
}

const enc = new TextEncoder();

function run(seed: number, useSessions: boolean): RunResult {
  const cluster = new Cluster({
    nodes: 3,
    seed,
    network: { loss: 0.1, duplicate: 0.05, slow: 0.1, slowDelay: 60 },
  });
  const ids = cluster.ids;
  const prng = cluster.prng;
  const machines = new Map<NodeId, CountingMachine>(ids.map((id) => [id, new CountingMachine()]));
  const clients: Client[] = Array.from({ length: 4 }, (_, i) => ({
    id: `client-${i}`,
    sequence: 1,
    attempt: null,
    attempts: 0,
    done: false,
  }));
  const succeeded: string[] = [];
  let retries = 0;
  let leaderChanges = 0;
  const payload = (c: Client) => `${c.id}#${c.sequence}`;

  cluster.addListener({
    onAction(node, incarnation, action) {
      const machine = machines.get(node)!;
      if (action.type === 'restore') machine.restore(action.snapshot.data);
      if (action.type !== 'apply') return;
      machine.apply(action.index, action.command);
      for (const c of clients) {
        const a = c.attempt;
        if (a === null || a.node !== node || a.incarnation !== incarnation || a.index !== action.index)
          continue;
        c.attempt = null;
        if (a.term !== action.term) continue; // lost in a leader change: retry
        succeeded.push(payload(c));
        c.sequence++;
        c.attempts = 0;
        // Once the faults are over, a client finishes what it had started and stops.
        if (calm) c.done = true;
      }
    },
    onCrash(node) {
      machines.set(node, new CountingMachine());
      for (const c of clients) if (c.attempt?.node === node) c.attempt = null;
    },
  });

  const propose = (c: Client) => {
    const leader = cluster.leader();
    if (leader === null) return;
    const command = enc.encode(payload(c));
    const data = useSessions
      ? encodeCommandEntry(command, { clientId: c.id, sequence: c.sequence, limits: DEFAULT_SESSION_LIMITS })
      : command;
    let actions: ReturnType<Cluster['step']>;
    try {
      actions = cluster.step(leader, { type: 'propose', command: data });
    } catch (error) {
      if (isRaftError(error)) return; // refused (not appended): try again later
      throw error;
    }
    const accepted = actions?.find((a): a is AcceptedAction => a.type === 'accepted');
    if (!accepted) return;
    if (c.attempts++ > 0) retries++;
    c.attempt = {
      node: leader,
      incarnation: cluster.runtime(leader).incarnation,
      index: accepted.firstIndex,
      term: accepted.term,
      until: cluster.ticks + 8,
    };
  };

  let lastLeader: NodeId | null = null;
  let down: { id: NodeId; at: number } | null = null;
  let calm = false;
  for (let tick = 0; tick < 3000 && !clients.every((c) => c.done); tick++) {
    if (tick === 1000) {
      // The faults end: heal, bring everyone back; clients finish their last proposal.
      calm = true;
      cluster.network.heal();
      for (const id of ids) if (!cluster.isUp(id)) cluster.restart(id);
      down = null;
      for (const c of clients) if (c.attempt === null && c.attempts === 0) c.done = true;
    }
    cluster.tick();
    const leader = cluster.leader();
    if (leader !== lastLeader && leader !== null) {
      leaderChanges++;
      lastLeader = leader;
    }
    // Faults: crash the leader, or cut it off, now and then; bring it back later.
    if (calm) {
      // no faults
    } else if (down !== null && tick >= down.at) {
      if (!cluster.isUp(down.id)) cluster.restart(down.id);
      cluster.network.heal();
      down = null;
    } else if (down === null && leader !== null && prng.chance(0.05)) {
      if (prng.chance(0.5)) cluster.crash(leader);
      else cluster.network.isolate(leader, ids);
      down = { id: leader, at: tick + 15 + prng.int(30) };
    }
    // Snapshots now and then, so restarts and laggards restore the session table too.
    if (!calm && prng.chance(0.02)) {
      const id = ids[prng.int(ids.length)]!;
      if (cluster.isLive(id)) {
        const index = cluster.node(id).appliedIndex();
        if (index > 0) cluster.step(id, { type: 'snapshot', index, data: machines.get(id)!.snapshot() });
      }
    }
    for (const c of clients) {
      if (c.done) continue;
      // No answer in time (a lost message, a partitioned leader): the outcome is unknown.
      if (c.attempt !== null && cluster.ticks > c.attempt.until) c.attempt = null;
      if (c.attempt === null) propose(c);
    }
  }
  // Heal, bring everyone back, and let every node catch up.
  cluster.network.heal();
  for (const id of ids) if (!cluster.isUp(id)) cluster.restart(id);
  for (let t = 0; t < 400; t++) cluster.tick();
  expect(cluster.violations).toEqual([]);
  expect(clients.every((c) => c.done)).toBe(true);
  const applied = new Set(ids.map((id) => cluster.node(id).appliedIndex()));
  expect(applied.size).toBe(1);
  return {
    counts: new Map(ids.map((id) => [id, machines.get(id)!.counts])),
    succeeded,
    retries,
    duplicates: Math.max(...ids.map((id) => machines.get(id)!.duplicates)),
    leaderChanges,
    ticks: cluster.ticks,
  };
}

describe('exactly-once proposals (client sessions) under the simulator', () => {
  it('every proposal retried until it succeeds is applied exactly once on every node', () => {
    let retries = 0;
    let duplicates = 0;
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const r = run(seed, true);
      expect(r.succeeded.length).toBeGreaterThan(100);
      for (const [, counts] of r.counts) {
        for (const p of r.succeeded) expect({ seed, p, n: counts.get(p) }).toEqual({ seed, p, n: 1 });
        expect([...counts.values()].every((n) => n === 1)).toBe(true);
      }
      expect(r.leaderChanges).toBeGreaterThan(3);
      retries += r.retries;
      duplicates += r.duplicates;
    }
    // The runs did retry proposals that had been applied: the sessions were put to work.
    expect(retries).toBeGreaterThan(0);
    expect(duplicates).toBeGreaterThan(0);
  });

  it('control: the same runs without sessions apply some retried commands twice', () => {
    let twice = 0;
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const r = run(seed, false);
      for (const [, counts] of r.counts) twice += [...counts.values()].filter((n) => n > 1).length;
    }
    expect(twice).toBeGreaterThan(0);
  });
});
