/**
 * Running many seeds: `planSeed` fixes what one seed runs (a node count and scenario drawn
 * from the seed when not given, so a mixed soak covers every combination and a replay of a
 * seed alone runs the same thing), `runSeeds` runs a range and totals the results, and
 * `replayCommand` prints the exact command that reproduces a run.
 */
import { Prng } from '../prng.js';
import { SCENARIO_NAMES } from './scenarios.js';
import { type SimulationOptions, type SimulationResult, simulate } from './simulation.js';

/** Node counts a mixed run draws from. */
export const MIXED_NODE_COUNTS: readonly number[] = Object.freeze([3, 5, 7]);

export interface SeedPlanOptions {
  /** Node count; drawn from 3, 5, 7 by the seed when left out. */
  readonly nodes?: number;
  /** Scenario name; drawn from `SCENARIO_NAMES` by the seed when left out. */
  readonly scenario?: string;
  /** Fault-phase ticks. Default 1000. */
  readonly steps?: number;
}

export interface SeedPlan {
  readonly seed: number;
  readonly nodes: number;
  readonly scenario: string;
  readonly steps: number;
}

/** What seed `seed` runs. The mixed draws use their own PRNG stream, not the simulation's. */
export function planSeed(seed: number, options: SeedPlanOptions = {}): SeedPlan {
  const pick = new Prng((seed ^ 0x5eed5eed) >>> 0);
  const nodes = pick.pick(MIXED_NODE_COUNTS);
  const scenario = pick.pick(SCENARIO_NAMES);
  return {
    seed,
    nodes: options.nodes ?? nodes,
    scenario: options.scenario ?? scenario,
    steps: options.steps ?? 1000,
  };
}

/** The simulation options for a plan. */
export function planOptions(plan: SeedPlan, extra: Partial<SimulationOptions> = {}): SimulationOptions {
  return { ...extra, seed: plan.seed, nodes: plan.nodes, scenario: plan.scenario, faultTicks: plan.steps };
}

/** The command line that replays `plan` exactly (`asyncWrites`: the storage-write mode, when pinned). */
export function replayCommand(plan: SeedPlan, trace = true, asyncWrites?: boolean): string {
  const mode = asyncWrites === undefined ? '' : asyncWrites ? ' --async-writes' : ' --sync-writes';
  return `raft-sim --replay ${plan.seed} --nodes ${plan.nodes} --scenario ${plan.scenario} --steps ${plan.steps}${mode}${trace ? ' --trace' : ''}`;
}

export interface RunSeedsOptions extends SeedPlanOptions {
  /** First seed. Default 1. */
  readonly start?: number;
  /** Number of seeds. */
  readonly seeds: number;
  /** Stop at the first failing seed. Default true. */
  readonly stopOnFailure?: boolean;
  /** Extra simulation options for every seed (e.g. a node factory in tests). */
  readonly overrides?: Partial<SimulationOptions>;
  /** Called after each seed. */
  readonly onResult?: (result: SimulationResult, plan: SeedPlan) => void;
}

export interface RunSeedsSummary {
  readonly seeds: number;
  readonly steps: number;
  readonly commits: number;
  readonly violations: number;
  readonly failures: readonly { readonly plan: SeedPlan; readonly result: SimulationResult }[];
  readonly seconds: number;
}

/** Run seeds `start .. start + seeds - 1`. */
export function runSeeds(options: RunSeedsOptions): RunSeedsSummary {
  const t0 = performance.now();
  const start = options.start ?? 1;
  let seeds = 0;
  let steps = 0;
  let commits = 0;
  let violations = 0;
  const failures: { plan: SeedPlan; result: SimulationResult }[] = [];
  for (let i = 0; i < options.seeds; i++) {
    const plan = planSeed((start + i) >>> 0, options);
    const result = simulate(planOptions(plan, options.overrides));
    seeds++;
    steps += result.steps;
    commits += result.commits;
    violations += result.violations.length;
    options.onResult?.(result, plan);
    if (!result.ok) {
      failures.push({ plan, result });
      if (options.stopOnFailure ?? true) break;
    }
  }
  return { seeds, steps, commits, violations, failures, seconds: (performance.now() - t0) / 1000 };
}
