/**
 * The checkers against deliberately broken nodes inside the simulator: each bug is a small
 * wrapper around a real `RaftNode`, and the run must end with a violation of the property
 * the bug breaks. Seeds are searched (a bounded number) because a bug shows only when the
 * schedule exercises it; the search is deterministic, so the test is too.
 */
import {
  type Action,
  type Event,
  type LogWrite,
  type RaftConfig,
  type RaftLog,
  RaftNode,
} from '@raft-io/core';
import { describe, expect, it } from 'vitest';
import type { SafetyProperty } from '../src/checkers/index.js';
import type { NodeFactory, SimNode } from '../src/sim/sim-node.js';
import { type SimulationOptions, simulate } from '../src/sim/simulation.js';
import { forgetfulVoter } from './helpers/forgetful-voter.js';

/** A real node whose inputs or outputs `tamper` rewrites. */
class Tampered implements SimNode {
  readonly inner: RaftNode;
  constructor(
    config: RaftConfig,
    log: RaftLog,
    private readonly tamper: {
      input?: (e: Event, n: RaftNode) => Event | Action[];
      output?: (a: Action[], n: RaftNode) => Action[];
    },
  ) {
    this.inner = new RaftNode(config, log);
  }
  get id() {
    return this.inner.id;
  }
  step(event: Event): Action[] {
    const input = this.tamper.input ? this.tamper.input(event, this.inner) : event;
    if (Array.isArray(input)) return input;
    const out = this.inner.step(input);
    return this.tamper.output ? this.tamper.output(out, this.inner) : out;
  }
  role() {
    return this.inner.role();
  }
  term() {
    return this.inner.term();
  }
  leader() {
    return this.inner.leader();
  }
  isLeader() {
    return this.inner.isLeader();
  }
  commitIndex() {
    return this.inner.commitIndex();
  }
  appliedIndex() {
    return this.inner.appliedIndex();
  }
}

/** Node `victim` is broken by `tamper`; the others are real. */
function breakNode(victim: number, tamper: ConstructorParameters<typeof Tampered>[2]): NodeFactory {
  return (config, log) =>
    config.id === victim ? new Tampered(config, log, tamper) : new RaftNode(config, log);
}

/** Run seeds until one violates something; returns the properties of the first failing run. */
function firstFailure(
  options: Omit<SimulationOptions, 'seed'>,
  seeds = 40,
): { seed: number; properties: SafetyProperty[] } | null {
  for (let seed = 1; seed <= seeds; seed++) {
    const r = simulate({ ...options, seed });
    if (!r.ok) return { seed, properties: [...new Set(r.violations.map((v) => v.property))] };
  }
  return null;
}

describe('the simulator catches broken nodes', () => {
  it('Log Matching: a leader that corrupts the entries it sends', () => {
    const enc = new TextEncoder();
    const factory = breakNode(1, {
      output: (actions) =>
        actions.map((a) =>
          a.type === 'send' && a.message.type === 'append-entries' && a.message.entries.length > 0
            ? {
                ...a,
                message: {
                  ...a.message,
                  entries: a.message.entries.map((en) =>
                    en.type === 'command' ? { ...en, data: enc.encode('put k0 forged') } : en,
                  ),
                },
              }
            : a,
        ),
    });
    const found = firstFailure({ nodes: 3, scenario: 'calm', faultTicks: 300, nodeFactory: factory });
    expect(found?.properties).toContain('log-matching');
  });

  it('Election Safety: a voter that forgets whom it voted for', () => {
    // It still checks that the candidate is up to date, but grants a second vote in a term.
    const factory = forgetfulVoter(3);
    const found = firstFailure({
      nodes: 3,
      scenario: 'partition',
      faultTicks: 600,
      raft: { preVote: false, checkQuorum: false, electionTick: 4, heartbeatTick: 1 },
      nodeFactory: factory,
    });
    expect(found?.properties).toContain('election-safety');
  });

  it('Leader Append-Only: a leader whose log rewrites its last entry on every append', () => {
    const enc = new TextEncoder();
    const factory: NodeFactory = (config, log) => {
      let node: RaftNode | null = null;
      const rewriting: RaftLog = {
        hardState: () => log.hardState(),
        snapshotMetadata: () => log.snapshotMetadata(),
        snapshot: () => log.snapshot(),
        firstIndex: () => log.firstIndex(),
        lastIndex: () => log.lastIndex(),
        term: (i) => log.term(i),
        entries: (lo, hi, max) => log.entries(lo, hi, max),
        write(w: LogWrite) {
          const last = log.lastIndex();
          const first = w.entries?.[0];
          if (
            node?.isLeader() &&
            first &&
            w.truncateFrom === undefined &&
            last >= log.firstIndex() &&
            first.index === last + 1
          ) {
            // Same index and term, other bytes: the node's cached view does not notice.
            const old = log.entries(last, last + 1)[0]!;
            log.write({
              ...w,
              truncateFrom: last,
              entries: [{ ...old, data: enc.encode('put k0 rewritten') }, ...w.entries!],
            });
            return;
          }
          log.write(w);
        },
      };
      node = new RaftNode(config, rewriting);
      return node;
    };
    const found = firstFailure({ nodes: 3, scenario: 'calm', faultTicks: 200, nodeFactory: factory }, 3);
    expect(found?.properties).toContain('leader-append-only');
  });

  it('Leader Completeness: a voter that believes every candidate is up to date', () => {
    const factory = breakNode(3, {
      input: (e) =>
        e.type === 'message' && e.message.type === 'request-vote'
          ? {
              type: 'message',
              message: { ...e.message, lastLogTerm: e.message.term, lastLogIndex: Number.MAX_SAFE_INTEGER },
            }
          : e,
    });
    const found = firstFailure({
      nodes: 3,
      scenario: 'partition',
      faultTicks: 600,
      raft: { preVote: false, checkQuorum: false },
      nodeFactory: factory,
    });
    expect(found?.properties).toContain('leader-completeness');
  });

  it('State Machine Safety: a node that applies something else than it committed', () => {
    const enc = new TextEncoder();
    const factory = breakNode(2, {
      output: (actions) =>
        actions.map((a) => (a.type === 'apply' ? { ...a, command: enc.encode('put k0 bogus') } : a)),
    });
    const found = firstFailure({ nodes: 3, scenario: 'calm', faultTicks: 200, nodeFactory: factory }, 3);
    expect(found?.properties).toContain('state-machine-safety');
  });

  it('Linearizability: a node that serves reads at once from whatever state it has', () => {
    const factory: NodeFactory = (config, log) =>
      new Tampered(config, log, {
        input: (e, n) =>
          e.type === 'read' ? [{ type: 'read-ready', id: e.id, index: n.appliedIndex() }] : e,
      });
    const found = firstFailure({
      nodes: 5,
      scenario: 'partition',
      faultTicks: 600,
      workload: { clients: 4, keys: 2, followerReads: 0.8, readRatio: 0.5 },
      nodeFactory: factory,
    });
    expect(found?.properties).toEqual(['linearizability']);
  });

  it('Liveness: nodes that never send anything elect no leader', () => {
    const factory: NodeFactory = (config, log) =>
      new Tampered(config, log, { output: (actions) => actions.filter((a) => a.type !== 'send') });
    const r = simulate({
      seed: 1,
      nodes: 3,
      scenario: 'calm',
      faultTicks: 50,
      livenessTicks: 100,
      nodeFactory: factory,
    });
    expect(r.violations.map((v) => v.property)).toEqual(['liveness']);
    expect(r.violations[0]!.detail).toContain('no leader elected');
  });

  it('node-error: a node that throws on a message', () => {
    const factory = breakNode(2, {
      input: (e) => {
        if (e.type === 'message') throw new TypeError('boom');
        return e;
      },
    });
    const r = simulate({ seed: 1, nodes: 3, scenario: 'calm', faultTicks: 100, nodeFactory: factory });
    expect(r.violations[0]).toMatchObject({ property: 'node-error', node: 2 });
  });
});
