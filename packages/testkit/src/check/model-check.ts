/**
 * `modelCheck`: explore every interleaving of a scenario's events on a small cluster of real
 * `RaftNode`s, up to the scenario's bounds, checking the invariants in every state; and
 * `replayCounterexample`: run a counterexample script through the same driver and checks.
 */
import type { Message } from '@raft-io/core';
import { type CoreModule, installedCore } from '../core-module.js';
import { SimulationError } from '../errors.js';
import { formatClusterLine, parseClusterCommand, SCRIPT_RAFT_OPTIONS } from '../interaction/cluster-line.js';
import { parseScript } from '../interaction/parse-script.js';
import { StepCluster, type StepClusterOptions, type StepRaftOptions } from '../interaction/step-cluster.js';
import { EventTable, MessageTable, scriptLine } from './events.js';
import type { CheckViolation } from './invariants.js';
import { checkLiveness } from './liveness.js';
import { LocalStepCache, type ModelContext } from './model.js';
import type { CheckBounds, CheckScenario } from './scenario.js';
import { getCheckScenario } from './scenarios.js';
import { clusterCommand, runScript } from './script.js';
import { type CheckProgress, search } from './search.js';
import { CheckState, StateHasher } from './state.js';

export interface ModelCheckOptions {
  /** A scenario name (`CHECK_SCENARIO_NAMES`) or your own `CheckScenario`. */
  readonly scenario: string | CheckScenario;
  /** Cluster size; one of the scenario's `sizes`. Default: the scenario's. */
  readonly nodes?: number;
  /** Use the scenario's deeper bounds (`pnpm check:deep`). Default false. */
  readonly deep?: boolean;
  /** Override single bounds (after `deep`). */
  readonly bounds?: Partial<CheckBounds>;
  /** Shorthand for `bounds.depth`. */
  readonly depth?: number;
  /** Stop after this many distinct states (the result is then incomplete). Default 20,000,000. */
  readonly maxStates?: number;
  /** Depth-first with iterative deepening instead of breadth-first. Default false. */
  readonly dfs?: boolean;
  /** The core to check. Default: the installed `@raft-io/core`. */
  readonly core?: CoreModule;
  /** Check bounded liveness (when the scenario has `livenessTicks`). Default true. */
  readonly liveness?: boolean;
  /** BFS: states of the next level kept in memory; the rest are rebuilt by replay. Default 50,000. */
  readonly cachedStates?: number;
  /** Called every `progressIntervalMs` during the search. */
  readonly onProgress?: (p: CheckProgress) => void;
  /** Default 2000 ms. */
  readonly progressIntervalMs?: number;
}

export interface Counterexample {
  /** Events after the setup: the length of the shortest path to the violation. */
  readonly events: number;
  /** The whole path as an interaction script (cluster line, setup, events). */
  readonly script: string;
}

export interface CheckResult {
  readonly scenario: string;
  readonly nodes: number;
  readonly bounds: CheckBounds;
  readonly search: 'bfs' | 'dfs';
  /** No violation found. */
  readonly ok: boolean;
  /** Every state within the bounds was explored. */
  readonly complete: boolean;
  readonly violation: CheckViolation | null;
  readonly counterexample: Counterexample | null;
  /** Distinct states seen. */
  readonly states: number;
  readonly transitions: number;
  /** Transitions that led nowhere (refused by the node, no-ops, beyond `maxInFlight`). */
  readonly refused: number;
  readonly noops: number;
  readonly pruned: number;
  /** The deepest level reached. */
  readonly depth: number;
  readonly maxFrontier: number;
  readonly seconds: number;
  readonly statesPerSecond: number;
}

/** The cluster options of a scenario at a size. */
export function scenarioCluster(
  scenario: CheckScenario,
  nodes: number,
  core?: CoreModule,
  intern?: (m: Message) => Message,
): StepClusterOptions {
  const voters = scenario.voters?.(nodes);
  const learners = scenario.learners?.(nodes);
  return {
    nodes,
    raft: scenario.raft,
    ...(voters ? { voters } : {}),
    ...(learners ? { learners } : {}),
    ...(core ? { core } : {}),
    ...(intern ? { intern } : {}),
    freeze: true,
  };
}

function resolve(options: ModelCheckOptions): {
  scenario: CheckScenario;
  nodes: number;
  bounds: CheckBounds;
} {
  const scenario =
    typeof options.scenario === 'string' ? getCheckScenario(options.scenario) : options.scenario;
  const nodes = options.nodes ?? scenario.nodes;
  if (!scenario.sizes.includes(nodes)) {
    throw new SimulationError(
      `scenario ${scenario.name} runs on ${scenario.sizes.join(', ')} nodes, not ${nodes}`,
    );
  }
  const bounds: CheckBounds = {
    ...scenario.bounds,
    ...(options.deep ? scenario.deep : {}),
    ...options.bounds,
    ...(options.depth === undefined ? {} : { depth: options.depth }),
  };
  for (const [key, value] of Object.entries(bounds)) {
    if (!Number.isInteger(value) || value < 0)
      throw new SimulationError(`bound ${key} must be a non-negative integer, got ${String(value)}`);
  }
  // A counterexample must print as a `cluster` line: only options the script language names.
  for (const key of Object.keys(scenario.raft)) {
    if (!SCRIPT_RAFT_OPTIONS.includes(key as keyof StepRaftOptions))
      throw new SimulationError(
        `scenario ${scenario.name}: the Raft option ${key} cannot be checked (scripts name only ${SCRIPT_RAFT_OPTIONS.join(', ')})`,
      );
  }
  return { scenario, nodes, bounds };
}

export function modelCheck(options: ModelCheckOptions): CheckResult {
  const { scenario, nodes, bounds } = resolve(options);
  const hasher = new StateHasher({ ticks: bounds.ticks > 0 });
  const messages = new MessageTable(hasher.graph);
  const clusterOptions = scenarioCluster(scenario, nodes, options.core, (m) => messages.intern(m));
  const ctx: ModelContext = {
    scenario,
    bounds,
    hasher,
    events: new EventTable(),
    cache: new LocalStepCache(),
  };
  const setupLines = scenario.setup?.(nodes) ?? [];
  const header = [formatClusterLine(clusterOptions), ...setupLines];
  const setup = parseScript(header.join('\n')).flatMap((l) => (l.kind === 'command' ? [l.command] : []));
  const initial = CheckState.initial(new StepCluster(clusterOptions));
  const start = runScript(initial, setup.slice(1), ctx, true);
  const base = {
    scenario: scenario.name,
    nodes,
    bounds,
    search: options.dfs ? ('dfs' as const) : ('bfs' as const),
  };
  if (start.violation) {
    return {
      ...base,
      ok: false,
      complete: false,
      violation: start.violation,
      counterexample: { events: 0, script: renderScript(scenario, nodes, header, [], start.violation) },
      states: 1,
      transitions: 0,
      refused: 0,
      noops: 0,
      pruned: 0,
      depth: 0,
      maxFrontier: 0,
      seconds: 0,
      statesPerSecond: 0,
    };
  }
  const livenessTicks = options.liveness === false ? 0 : (scenario.livenessTicks ?? 0);
  const out = search({
    ctx,
    root: start.state,
    mode: options.dfs ? 'dfs' : 'bfs',
    maxStates: options.maxStates ?? 20_000_000,
    ...(options.cachedStates === undefined ? {} : { cachedStates: options.cachedStates }),
    livenessTicks,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.progressIntervalMs === undefined ? {} : { progressIntervalMs: options.progressIntervalMs }),
  });
  const lines = out.path?.map(scriptLine) ?? [];
  return {
    ...base,
    ok: out.violation === null,
    complete: out.complete,
    violation: out.violation,
    counterexample:
      out.violation === null
        ? null
        : { events: lines.length, script: renderScript(scenario, nodes, header, lines, out.violation) },
    states: out.states,
    transitions: out.transitions,
    refused: out.refused,
    noops: out.noops,
    pruned: out.pruned,
    depth: out.depth,
    maxFrontier: out.maxFrontier,
    seconds: out.seconds,
    statesPerSecond: out.seconds > 0 ? out.states / out.seconds : 0,
  };
}

function renderScript(
  scenario: CheckScenario,
  nodes: number,
  header: readonly string[],
  events: readonly string[],
  v: CheckViolation,
): string {
  const lines = [
    `# raft-check: ${v.property} after ${events.length} events (scenario ${scenario.name}, ${nodes} nodes)`,
    `# ${v.detail}`,
    ...(v.property === 'liveness' ? ['# (the liveness run starts from the state after the last event)'] : []),
    header[0]!,
    ...(header.length > 1 ? ['# setup', ...header.slice(1)] : []),
    `# the ${events.length} events found by the search`,
    ...events,
    'status',
  ];
  return `${lines.join('\n')}\n`;
}

export interface ReplayResult {
  readonly violation: CheckViolation | null;
  /** The script line during which the violation appeared (0 if none). */
  readonly line: number;
  /** Node steps taken. */
  readonly steps: number;
}

/**
 * Replay a counterexample (or any script in the checker's subset of the language) through
 * the model checker's driver with every invariant checked after every step. A liveness
 * counterexample is checked with `livenessTicks` from the state the script ends in.
 */
export function replayCounterexample(
  script: string,
  options: { core?: CoreModule; livenessTicks?: number } = {},
): ReplayResult {
  const { command, rest } = clusterCommand(script);
  const clusterOptions: StepClusterOptions = {
    ...parseClusterCommand(command),
    core: options.core ?? installedCore,
    freeze: true,
  };
  const scenario: CheckScenario = {
    name: 'replay',
    description: 'a replayed script',
    nodes: clusterOptions.nodes,
    sizes: [clusterOptions.nodes],
    raft: clusterOptions.raft ?? {},
    bounds: { ...UNBOUNDED },
  };
  const ctx: ModelContext = {
    scenario,
    bounds: scenario.bounds,
    hasher: new StateHasher({ ticks: true }),
    events: new EventTable(),
    cache: new LocalStepCache(),
  };
  const run = runScript(CheckState.initial(new StepCluster(clusterOptions)), rest, ctx, true);
  if (run.violation === null && options.livenessTicks) {
    const v = checkLiveness(run.state, options.livenessTicks, ctx);
    if (v) return { violation: v, line: rest.at(-1)?.line ?? 0, steps: run.steps };
  }
  return { violation: run.violation, line: run.violation ? run.line : 0, steps: run.steps };
}

const UNBOUNDED: CheckBounds = {
  depth: Number.MAX_SAFE_INTEGER,
  ticks: Number.MAX_SAFE_INTEGER,
  campaigns: Number.MAX_SAFE_INTEGER,
  crashes: Number.MAX_SAFE_INTEGER,
  proposals: Number.MAX_SAFE_INTEGER,
  changes: Number.MAX_SAFE_INTEGER,
  transfers: Number.MAX_SAFE_INTEGER,
  reads: Number.MAX_SAFE_INTEGER,
  snapshots: Number.MAX_SAFE_INTEGER,
  drops: Number.MAX_SAFE_INTEGER,
  duplicates: Number.MAX_SAFE_INTEGER,
  maxInFlight: Number.MAX_SAFE_INTEGER,
};
