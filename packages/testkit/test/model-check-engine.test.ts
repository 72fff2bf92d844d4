/**
 * The model checker's machinery, against the real core: copied states behave like states
 * rebuilt from scratch (so the generic copy and fingerprint survive any refactoring of the
 * core's fields, or fail loudly), searches are deterministic, breadth-first and depth-first
 * agree, bounds and cut-offs are honoured, and each invariant the teeth do not cover catches
 * a core broken for it.
 */
import { RaftNode } from '@raft-io/core';
import { afterAll, describe, expect, it } from 'vitest';
import { EventTable, MessageTable, scriptLine } from '../src/check/events.js';
import { applyEvent, enabledEvents, LocalStepCache, type ModelContext } from '../src/check/model.js';
import { modelCheck, replayCounterexample, scenarioCluster } from '../src/check/model-check.js';
import { getCheckScenario } from '../src/check/scenarios.js';
import { clusterCommand, runScript } from '../src/check/script.js';
import { CheckState, HASH_HINTS, StateHasher } from '../src/check/state.js';
import type { CoreModule } from '../src/core-module.js';
import { formatClusterLine } from '../src/interaction/cluster-line.js';
import { parseScript } from '../src/interaction/parse-script.js';
import { StepCluster } from '../src/interaction/step-cluster.js';
import { Prng } from '../src/prng.js';
import { type CorePatch, loadPatchedCore } from './helpers/patched-core.js';

const removals: (() => void)[] = [];
afterAll(() => {
  for (const r of removals) r();
});

async function broken(name: string, patch: CorePatch): Promise<CoreModule> {
  const { core, remove } = await loadPatchedCore(`engine-${name}`, [patch]);
  removals.push(remove);
  return core as unknown as CoreModule;
}

function context(scenarioName: string, options: { intern?: boolean } = {}) {
  const scenario = getCheckScenario(scenarioName);
  const hasher = new StateHasher({ ticks: scenario.bounds.ticks > 0 });
  const messages = new MessageTable(hasher.graph);
  const ctx: ModelContext = {
    scenario,
    bounds: scenario.bounds,
    hasher,
    events: new EventTable(),
    cache: new LocalStepCache(),
  };
  const clusterOptions = scenarioCluster(
    scenario,
    scenario.nodes,
    undefined,
    options.intern === false ? undefined : (m) => messages.intern(m),
  );
  const header = [formatClusterLine(clusterOptions), ...(scenario.setup?.(scenario.nodes) ?? [])];
  const setup = parseScript(header.join('\n')).flatMap((l) => (l.kind === 'command' ? [l.command] : []));
  const root = runScript(
    CheckState.initial(new StepCluster(clusterOptions)),
    setup.slice(1),
    ctx,
    true,
  ).state;
  return { ctx, root, header };
}

describe('copied states', () => {
  it.each(['replication', 'membership-joint', 'snapshots', 'transfer', 'election'])(
    '%s: a state reached through copies and cached steps equals the same path replayed from scratch',
    (name) => {
      // init: random walks through the real transition function (copies, the step cache)
      const prng = new Prng(7);
      for (let walk = 0; walk < 12; walk++) {
        const { ctx, root, header } = context(name);
        let state = root;
        const lines: string[] = [];
        for (let depth = 0; depth < 14; depth++) {
          // Every sibling from the same parent (a copy that shared the parent's data with a
          // sibling would corrupt the one we go on with), then one of them at random.
          const children = enabledEvents(state, ctx).flatMap((event) => {
            const t = applyEvent(state, event, ctx, true);
            return t.kind === 'state' && t.violation === null ? [{ event, state: t.state }] : [];
          });
          if (children.length === 0) break;
          const next = children[prng.int(children.length)]!;
          state = next.state;
          lines.push(scriptLine(next.event));
          // act: rebuild the same path in a fresh cluster, with fresh caches and hasher
          const fresh = context(name, { intern: false });
          const { rest } = clusterCommand([...header, ...lines].join('\n'));
          const again = runScript(fresh.root, rest.slice(header.length - 1), fresh.ctx, true);
          // check: the same state, to the fingerprint
          expect(again.violation).toBeNull();
          expect(again.state.fingerprint(fresh.ctx.hasher)).toEqual(state.fingerprint(ctx.hasher));
        }
      }
    },
  );

  it('the fingerprint hints still name what they abstract in the real node', () => {
    // Renaming the PRNG class or the randomized timeout field silently makes searches slower:
    // re-point HASH_HINTS at the new names when this fails.
    const node = new RaftNode({ id: 1, voters: [1, 2, 3] });
    const classes = new Set<string>();
    const keys = new Set<string>();
    const seen = new Set<object>();
    const walk = (v: unknown): void => {
      if (v === null || typeof v !== 'object' || seen.has(v) || ArrayBuffer.isView(v)) return;
      seen.add(v);
      classes.add((v as { constructor?: { name?: string } }).constructor?.name ?? '');
      const values = v instanceof Map ? [...v.values()] : v instanceof Set ? [...v] : Object.values(v);
      if (!(v instanceof Map) && !(v instanceof Set)) for (const k of Object.keys(v)) keys.add(k);
      for (const x of values) walk(x);
    };
    walk(node);
    for (const c of HASH_HINTS.prngClasses) expect(classes, `class ${c}`).toContain(c);
    for (const k of HASH_HINTS.timerKeys) expect(keys, `field ${k}`).toContain(k);
  });
});

describe('searches', () => {
  it('are deterministic: the same states, transitions and result on every run', () => {
    const a = modelCheck({ scenario: 'membership-joint', depth: 5 });
    const b = modelCheck({ scenario: 'membership-joint', depth: 5 });
    expect(a.ok).toBe(true);
    expect([a.states, a.transitions, a.complete]).toEqual([b.states, b.transitions, true]);
  });

  it('breadth-first and depth-first explore the same states and find equally short counterexamples', async () => {
    const fine = [
      modelCheck({ scenario: 'reads', depth: 6 }),
      modelCheck({ scenario: 'reads', depth: 6, dfs: true }),
    ];
    expect(fine.map((r) => [r.ok, r.complete])).toEqual([
      [true, true],
      [true, true],
    ]);
    expect(fine[1]!.states).toBe(fine[0]!.states);
    const core = await broken('no-up-to-date', {
      file: 'raft-node.ts',
      search: '    if (canVote && upToDate) {',
      replace: '    if (canVote) {',
    });
    const bfs = modelCheck({ scenario: 'replication', core });
    const dfs = modelCheck({ scenario: 'replication', core, dfs: true });
    expect(bfs.violation?.property).toBe('leader-completeness');
    expect(dfs.violation?.property).toBe(bfs.violation?.property);
    expect(dfs.counterexample?.events).toBe(bfs.counterexample?.events);
  });

  it('stop at --max-states and say the result is incomplete', () => {
    const r = modelCheck({ scenario: 'replication', maxStates: 500 });
    expect(r.ok).toBe(true);
    expect(r.complete).toBe(false);
    expect(r.states).toBe(500);
  });

  it('rebuild states they did not keep: the same result with almost no states kept', () => {
    const kept = modelCheck({ scenario: 'figure-8', depth: 7 });
    const rebuilt = modelCheck({ scenario: 'figure-8', depth: 7, cachedStates: 1 });
    expect([rebuilt.states, rebuilt.transitions]).toEqual([kept.states, kept.transitions]);
  });

  it('refuse a scenario they could not print or bound', () => {
    const base = getCheckScenario('reads');
    expect(() =>
      modelCheck({ scenario: { ...base, raft: { ...base.raft, maxApplyBytesPerStep: 1 } } }),
    ).toThrow(/the Raft option maxApplyBytesPerStep cannot be checked/);
    expect(() => modelCheck({ scenario: 'reads', bounds: { reads: -1 } })).toThrow(/bound reads must be/);
    expect(() => modelCheck({ scenario: 'figure-8', nodes: 5 })).toThrow(/runs on 3 nodes, not 5/);
    expect(() => modelCheck({ scenario: 'nope' })).toThrow(/unknown check scenario "nope"/);
  });

  it('use up no bound in the setup, and honour the bounds after it', () => {
    // The reads setup campaigns (node 1 wins): with every bound at 0 nothing can happen after
    // it; with one campaign allowed, one can, so the setup's campaign was not counted.
    const none = { campaigns: 0, proposals: 0, reads: 0 };
    expect(modelCheck({ scenario: 'reads', depth: 3, bounds: none }).states).toBe(1);
    const one = modelCheck({ scenario: 'reads', depth: 3, bounds: { ...none, campaigns: 1 } });
    expect(one.states).toBeGreaterThan(1);
    expect(
      modelCheck({ scenario: 'reads', depth: 4, bounds: { ...none, campaigns: 1 } }).states,
    ).toBeGreaterThan(one.states);
  });
});

describe('the invariants the teeth do not cover catch a core broken for them', () => {
  it("log-matching: a follower that appends without checking the previous entry's term", async () => {
    const core = await broken('no-prev-term-check', {
      file: 'raft-node.ts',
      search: '    if (this.log.matchTerm(m.prevLogIndex, m.prevLogTerm)) {',
      replace: '    if (m.prevLogIndex <= this.log.lastIndex()) {',
    });
    const r = modelCheck({ scenario: 'figure-8', core });
    expect(r.violation?.property).toBe('log-matching');
  });

  it('leader-append-only: a leader whose proposal overwrites its own uncommitted entry', async () => {
    const core = await broken('overwrite-tail', {
      file: 'raft-node.ts',
      search:
        '    const first = this.log.lastIndex() + 1;\n    const entries: Entry[] = new Array(items.length);',
      replace:
        '    const first = Math.max(this.commit + 1, this.log.lastIndex());\n    const entries: Entry[] = new Array(items.length);',
    });
    const r = modelCheck({ scenario: 'replication', core });
    expect(r.violation?.property).toBe('leader-append-only');
  });

  it('node-error: a node that throws on a tick', async () => {
    const core = await broken('tick-throws', {
      file: 'raft-node.ts',
      search: '  private tick(): void {',
      replace: "  private tick(): void {\n    if (this.currentTerm >= 1) throw new Error('broken tick');",
    });
    const r = modelCheck({ scenario: 'election', core, liveness: false });
    expect(r.violation?.property).toBe('node-error');
    expect(r.violation?.detail).toContain('broken tick');
  });

  it('liveness: a cluster whose voters never grant a vote', async () => {
    const core = await broken('no-votes', {
      file: 'raft-node.ts',
      search: '    if (canVote && upToDate) {',
      replace: '    if (false) {',
    });
    const r = modelCheck({ scenario: 'election', core });
    expect(r.violation?.property).toBe('liveness');
    expect(r.counterexample?.events).toBe(0);
    // The printed script replays, and the replay's liveness check fails the same way.
    expect(
      replayCounterexample(r.counterexample!.script, { core, livenessTicks: 30 }).violation?.property,
    ).toBe('liveness');
  });
});
