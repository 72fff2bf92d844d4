/**
 * `raft-check`: exhaustive model checking of the real core. Every interleaving of a small
 * cluster's events (deliveries, losses, duplicates, ticks, elections, crashes, proposals,
 * membership changes, transfers, reads, snapshots), within a scenario's bounds, with the
 * safety invariants checked in every state; counterexamples are interaction scripts.
 */
export { CowLog, type LogImage } from './cow-log.js';
export type { CheckEvent } from './events.js';
export type { CheckProperty, CheckViolation } from './invariants.js';
export {
  type CheckResult,
  type Counterexample,
  type ModelCheckOptions,
  modelCheck,
  type ReplayResult,
  replayCounterexample,
} from './model-check.js';
export type { ChangeKinds, CheckBounds, CheckScenario } from './scenario.js';
export { CHECK_SCENARIO_NAMES, CHECK_SCENARIOS, getCheckScenario } from './scenarios.js';
export type { CheckProgress } from './search.js';
