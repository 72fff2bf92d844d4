/**
 * The simulator itself: a seed replays bit for bit, the phases do what they say, and the
 * driver contract holds (a crash between a step and its sync loses the step's writes and
 * actions; a restarted node keeps exactly what was synced; a paused node catches up).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeKvCommand } from '../src/kv/kv-command.js';
import { Cluster } from '../src/sim/cluster.js';
import { SCENARIO_NAMES } from '../src/sim/scenarios.js';
import { simulate } from '../src/sim/simulation.js';

function fullTrace(seed: number, scenario: string, nodes: number): { hash: string; lines: string[] } {
  const lines: string[] = [];
  const r = simulate({ seed, scenario, nodes, faultTicks: 150, traceSink: (l) => lines.push(l) });
  return { hash: r.traceHash, lines };
}

describe('replay determinism', () => {
  it('the same seed gives the identical trace, line for line (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.constantFrom(...SCENARIO_NAMES),
        fc.constantFrom(3, 5),
        (seed, scenario, nodes) => {
          const a = fullTrace(seed, scenario, nodes);
          const b = fullTrace(seed, scenario, nodes);
          expect(b.hash).toBe(a.hash);
          expect(b.lines).toEqual(a.lines);
        },
      ),
      { numRuns: 12 },
    );
  });

  it('different seeds take different paths', () => {
    const hashes = new Set(
      [1, 2, 3, 4, 5].map((seed) => simulate({ seed, scenario: 'chaos', faultTicks: 100 }).traceHash),
    );
    expect(hashes.size).toBe(5);
  });
});

describe('phases', () => {
  it('a calm run elects a leader, serves clients linearizably and recovers at once', () => {
    const r = simulate({ seed: 11, nodes: 3, scenario: 'calm', faultTicks: 200 });
    expect(r.violations).toEqual([]);
    expect(r.workload.ok).toBeGreaterThan(50);
    expect(r.linearizability?.verdict).toBe('linearizable');
    expect(r.recovery.ticks).toBeGreaterThanOrEqual(0);
    expect(r.commits).toBeGreaterThan(50);
  });

  it('a chaos run injects every kind of fault', () => {
    let faults = { partitions: 0, crashes: 0, pauses: 0, transfers: 0 };
    for (let seed = 1; seed <= 6; seed++) {
      const r = simulate({ seed, nodes: 5, scenario: 'chaos', faultTicks: 600 });
      expect(r.violations).toEqual([]);
      faults = {
        partitions: faults.partitions + r.faults.partitions,
        crashes: faults.crashes + r.faults.crashes,
        pauses: faults.pauses + r.faults.pauses,
        transfers: faults.transfers + r.faults.transfers,
      };
      expect(r.network.lost).toBeGreaterThan(0);
      expect(r.network.duplicated).toBeGreaterThan(0);
    }
    expect(faults.partitions).toBeGreaterThan(0);
    expect(faults.crashes).toBeGreaterThan(0);
    expect(faults.pauses).toBeGreaterThan(0);
    expect(faults.transfers).toBeGreaterThan(0);
  });

  it('rejects a bad seed and an unknown scenario', () => {
    expect(() => simulate({ seed: -1 })).toThrow(/seed/);
    expect(() => simulate({ seed: 1, scenario: 'nope' })).toThrow(/unknown scenario/);
  });
});

/** Step the cluster until `id` is leader (campaigning it first). */
function electLeader(c: Cluster, id: number): void {
  c.step(id, { type: 'campaign' });
  for (let i = 0; i < 50 && c.leader() !== id; i++) c.tick();
  expect(c.leader()).toBe(id);
}

describe('the driver contract', () => {
  it('a crash between a step and its sync loses the write and every action of the step', () => {
    const c = new Cluster({ nodes: 3, seed: 3, raft: { electionTick: 10, heartbeatTick: 1 } });
    electLeader(c, 1);
    for (let i = 0; i < 5; i++) c.tick();
    const durable = c.runtime(1).log.durableCopy().lastIndex();
    const sent = c.network.stats.sent;
    c.syncCrash = 1;
    const result = c.step(1, {
      type: 'propose',
      command: encodeKvCommand({ kind: 'put', key: 'k', value: 'v' }),
    });
    // The step appended and wanted to send: the crash took the node before the sync.
    expect(result).toBeUndefined();
    expect(c.isUp(1)).toBe(false);
    expect(c.network.stats.sent).toBe(sent);
    // What survives is the durable log plus at most the open writes (a prefix of them).
    expect(c.runtime(1).log.lastIndex()).toBeGreaterThanOrEqual(durable);
    expect(c.runtime(1).log.lastIndex()).toBeLessThanOrEqual(durable + 1);
    c.syncCrash = 0;
    c.restart(1);
    for (let i = 0; i < 60; i++) c.tick();
    expect(c.leader()).not.toBeNull();
    expect(c.violations).toEqual([]);
  });

  it('a restarted node keeps exactly what was synced and catches up', () => {
    const c = new Cluster({ nodes: 3, seed: 5, raft: { electionTick: 10, heartbeatTick: 1 } });
    electLeader(c, 1);
    for (let k = 0; k < 10; k++) {
      c.step(1, { type: 'propose', command: encodeKvCommand({ kind: 'put', key: 'k', value: `v${k}` }) });
      c.tick();
    }
    for (let i = 0; i < 5; i++) c.tick();
    const synced = c.runtime(2).log.durableCopy();
    c.crash(2);
    expect(c.runtime(2).log.lastIndex()).toBe(synced.lastIndex());
    expect(c.runtime(2).log.hardState()).toEqual(synced.hardState());
    c.restart(2);
    for (let i = 0; i < 20; i++) c.tick();
    expect(c.node(2).appliedIndex()).toBe(c.node(1).appliedIndex());
    expect(c.runtime(2).kv.get('k')).toBe('v9');
    expect(c.violations).toEqual([]);
  });

  it('a paused node receives its backlog on resume, in order', () => {
    const c = new Cluster({ nodes: 3, seed: 8, raft: { electionTick: 10, heartbeatTick: 1 } });
    electLeader(c, 1);
    c.pause(3);
    for (let k = 0; k < 5; k++) {
      c.step(1, { type: 'propose', command: encodeKvCommand({ kind: 'put', key: 'k', value: `v${k}` }) });
      c.tick();
    }
    expect(c.runtime(3).inbox.length).toBeGreaterThan(0);
    const applied = c.node(3).appliedIndex();
    c.resume(3);
    for (let i = 0; i < 5; i++) c.tick();
    expect(c.node(3).appliedIndex()).toBeGreaterThan(applied);
    expect(c.runtime(3).kv.get('k')).toBe('v4');
  });

  it('partitions cut messages already in flight', () => {
    const c = new Cluster({ nodes: 3, seed: 9, network: { minDelay: 5, maxDelay: 5 } });
    electLeader(c, 1);
    c.step(1, { type: 'propose', command: encodeKvCommand({ kind: 'put', key: 'k', value: 'v' }) });
    const cutBefore = c.network.stats.cut;
    c.network.partition([[1], [2, 3]]);
    c.tick();
    expect(c.network.stats.cut).toBeGreaterThan(cutBefore);
  });
});
