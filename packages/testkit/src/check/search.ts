/**
 * The search over the transition relation of `model.ts`. Breadth-first by default: states
 * are expanded level by level, so the first violation found is at the smallest depth and its
 * path is a shortest counterexample. Depth-first with iterative deepening (`dfs`) keeps only
 * the current path of states in memory, at the cost of re-exploring the levels above each
 * new depth limit; its first counterexample is shortest too (the smallest limit that shows
 * it), though which one of equal length may differ.
 *
 * Each state is visited once: the fingerprint set remembers every state seen (BFS), or the
 * smallest depth it was seen at (DFS, which re-expands a state reached by a shorter path).
 * A transition is checked even when it leads to a state already seen, since some checks
 * (leader-append-only, read-safety, commit-quorum) are about the step, not the state.
 */
import type { CheckEvent } from './events.js';
import { FingerprintSet } from './fingerprint-set.js';
import type { CheckViolation } from './invariants.js';
import { checkLiveness, LivenessMemo } from './liveness.js';
import { applyEvent, enabledEvents, type ModelContext } from './model.js';
import type { CheckState } from './state.js';

/** Progress of a running search, for a progress line. */
export interface CheckProgress {
  readonly states: number;
  readonly transitions: number;
  /** The level being expanded (BFS) or the current depth limit (DFS). */
  readonly depth: number;
  /** States waiting to be expanded (BFS) or on the current path (DFS). */
  readonly frontier: number;
  readonly seconds: number;
  readonly statesPerSecond: number;
}

export interface SearchOptions {
  readonly ctx: ModelContext;
  readonly root: CheckState;
  readonly mode: 'bfs' | 'dfs';
  /** Stop (incomplete) once this many distinct states were seen. */
  readonly maxStates: number;
  /** Bounded liveness from every state reached, within this many ticks; 0: off. */
  readonly livenessTicks: number;
  readonly onProgress?: (p: CheckProgress) => void;
  /** Milliseconds between progress reports. Default 2000. */
  readonly progressIntervalMs?: number;
  /** BFS: states of the next level kept in memory (the rest are rebuilt). Default 50,000. */
  readonly cachedStates?: number;
}

export interface SearchOutcome {
  readonly violation: CheckViolation | null;
  /** The events from the root to the violation. */
  readonly path: readonly CheckEvent[] | null;
  readonly states: number;
  readonly transitions: number;
  /** Transitions that led nowhere: refused requests, no-ops, beyond `maxInFlight`. */
  readonly refused: number;
  readonly noops: number;
  readonly pruned: number;
  /** The deepest level reached. */
  readonly depth: number;
  readonly maxFrontier: number;
  /** Every state within the bounds was explored (no `maxStates` cut-off). */
  readonly complete: boolean;
  readonly seconds: number;
}

class Stats {
  states = 1;
  transitions = 0;
  refused = 0;
  noops = 0;
  pruned = 0;
  depth = 0;
  maxFrontier = 1;
  private readonly t0 = performance.now();
  private lastReport = this.t0;

  constructor(private readonly options: SearchOptions) {}

  seconds(): number {
    return (performance.now() - this.t0) / 1000;
  }

  maybeReport(frontier: number, force = false): void {
    const cb = this.options.onProgress;
    if (cb === undefined || ((this.transitions & 1023) !== 0 && !force)) return;
    const now = performance.now();
    if (!force && now - this.lastReport < (this.options.progressIntervalMs ?? 2000)) return;
    this.lastReport = now;
    const seconds = (now - this.t0) / 1000;
    cb({
      states: this.states,
      transitions: this.transitions,
      depth: this.depth,
      frontier,
      seconds,
      statesPerSecond: seconds > 0 ? this.states / seconds : 0,
    });
  }

  outcome(violation: CheckViolation | null, path: CheckEvent[] | null, complete: boolean): SearchOutcome {
    return {
      violation,
      path,
      states: this.states,
      transitions: this.transitions,
      refused: this.refused,
      noops: this.noops,
      pruned: this.pruned,
      depth: this.depth,
      maxFrontier: this.maxFrontier,
      complete,
      seconds: this.seconds(),
    };
  }
}

export function search(options: SearchOptions): SearchOutcome {
  const root = options.root;
  if (options.livenessTicks > 0) {
    const v = checkLiveness(root, options.livenessTicks, options.ctx, livenessMemo(options));
    if (v) return new Stats(options).outcome(v, [], false);
  }
  return options.mode === 'dfs' ? dfs(options) : bfs(options);
}

const memos = new WeakMap<SearchOptions, LivenessMemo>();

/** One liveness memo per search. */
function livenessMemo(options: SearchOptions): LivenessMemo {
  let memo = memos.get(options);
  if (memo === undefined) {
    memo = new LivenessMemo();
    memos.set(options, memo);
  }
  return memo;
}

/** Expand one transition; returns the new state, or null when it led nowhere. */
function step(
  stats: Stats,
  options: SearchOptions,
  state: CheckState,
  event: CheckEvent,
): { state: CheckState; violation: CheckViolation | null } | null {
  stats.transitions++;
  const t = applyEvent(state, event, options.ctx);
  if (t.kind === 'none') {
    if (t.why === 'refused') stats.refused++;
    else if (t.why === 'no-op') stats.noops++;
    else stats.pruned++;
    return null;
  }
  return t;
}

/**
 * Breadth-first. Every state found is stored as its parent's id and the event that led to it
 * (12 bytes); the states themselves are kept only for the first `cachedStates` of the next
 * level. Any other state is rebuilt when its turn comes by replaying its path from the
 * deepest state it shares with the path rebuilt last (states of one level come in the
 * order of their parents, so that is usually one or two steps).
 */
function bfs(options: SearchOptions): SearchOutcome {
  const { ctx, maxStates } = options;
  const cachedStates = options.cachedStates ?? 50_000;
  const stats = new Stats(options);
  const seen = new FingerprintSet();
  seen.add(options.root.fingerprint(ctx.hasher));
  let parents = new Int32Array(1 << 16);
  const events: (CheckEvent | null)[] = [null];
  parents[0] = -1;
  const pathTo = (id: number): CheckEvent[] => {
    const path: CheckEvent[] = [];
    for (let i = id; i > 0; i = parents[i]!) path.push(events[i]!);
    return path.reverse();
  };
  const record = (parent: number, event: CheckEvent): number => {
    const id = events.length;
    if (id >= parents.length) {
      const bigger = new Int32Array(parents.length * 2);
      bigger.set(parents);
      parents = bigger;
    }
    parents[id] = parent;
    events.push(event);
    return id;
  };
  // The path rebuilt last: ids and states from the root down.
  const pathIds: number[] = [0];
  const pathStates: CheckState[] = [options.root];
  const rebuild = (id: number, depth: number): CheckState => {
    const chain = new Array<number>(depth + 1);
    for (let i = id, d = depth; d >= 0; i = parents[i]!, d--) chain[d] = i;
    let k = 0;
    while (k < pathIds.length && k <= depth && pathIds[k] === chain[k]) k++;
    pathIds.length = k;
    pathStates.length = k;
    for (let d = k; d <= depth; d++) {
      const t = applyEvent(pathStates[d - 1]!, events[chain[d]!]!, ctx);
      if (t.kind !== 'state')
        throw new Error(`raft-check: replaying the path to state ${id} diverged at depth ${d}`);
      pathIds.push(chain[d]!);
      pathStates.push(t.state);
    }
    return pathStates[depth]!;
  };
  let levelStart = 0;
  let levelEnd = 1;
  let cache = new Map<number, CheckState>([[0, options.root]]);
  for (let depth = 0; depth < ctx.bounds.depth && levelEnd > levelStart; depth++) {
    stats.depth = depth + 1;
    const next = new Map<number, CheckState>();
    for (let id = levelStart; id < levelEnd; id++) {
      const state = cache.get(id) ?? rebuild(id, depth);
      cache.delete(id);
      for (const event of enabledEvents(state, ctx)) {
        const r = step(stats, options, state, event);
        stats.maybeReport(levelEnd - id + events.length - levelEnd);
        if (r === null) continue;
        if (r.violation) return stats.outcome(r.violation, pathTo(record(id, event)), false);
        if (!seen.add(r.state.fingerprint(ctx.hasher))) continue;
        const childId = record(id, event);
        stats.states++;
        if (options.livenessTicks > 0) {
          const v = checkLiveness(r.state, options.livenessTicks, options.ctx, livenessMemo(options));
          if (v) return stats.outcome(v, pathTo(childId), false);
        }
        if (next.size < cachedStates) next.set(childId, r.state);
        if (stats.states >= maxStates) return stats.outcome(null, null, false);
      }
    }
    cache = next;
    levelStart = levelEnd;
    levelEnd = events.length;
    if (levelEnd - levelStart > stats.maxFrontier) stats.maxFrontier = levelEnd - levelStart;
  }
  stats.maybeReport(levelEnd - levelStart, true);
  return stats.outcome(null, null, true);
}

function dfs(options: SearchOptions): SearchOutcome {
  const { ctx, maxStates } = options;
  const stats = new Stats(options);
  for (let limit = 1; limit <= ctx.bounds.depth; limit++) {
    stats.depth = limit;
    const seen = new FingerprintSet(1 << 16, true);
    seen.visitAtDepth(options.root.fingerprint(ctx.hasher), 0);
    const path: CheckEvent[] = [];
    const stack: { state: CheckState; events: CheckEvent[]; next: number }[] = [
      { state: options.root, events: enabledEvents(options.root, ctx), next: 0 },
    ];
    let reachedLimit = false;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.next >= top.events.length) {
        stack.pop();
        path.pop();
        continue;
      }
      const event = top.events[top.next++]!;
      const r = step(stats, options, top.state, event);
      stats.maybeReport(stack.length);
      if (r === null) continue;
      if (r.violation) return stats.outcome(r.violation, [...path, event], false);
      // The new state's depth: the states on the stack are at depths 0 .. stack.length - 1.
      const depth = stack.length;
      if (!seen.visitAtDepth(r.state.fingerprint(ctx.hasher), depth)) continue;
      stats.states = seen.size;
      if (options.livenessTicks > 0) {
        const v = checkLiveness(r.state, options.livenessTicks, options.ctx, livenessMemo(options));
        if (v) return stats.outcome(v, [...path, event], false);
      }
      if (stats.states >= maxStates) return stats.outcome(null, null, false);
      if (depth === limit) {
        reachedLimit = true;
        continue;
      }
      path.push(event);
      stack.push({ state: r.state, events: enabledEvents(r.state, ctx), next: 0 });
      if (stack.length > stats.maxFrontier) stats.maxFrontier = stack.length;
    }
    // No state at this depth: deeper limits find nothing more.
    if (!reachedLimit) break;
  }
  stats.maybeReport(0, true);
  return stats.outcome(null, null, true);
}
