/**
 * @raft-io/testkit: a deterministic whole-cluster simulator for `RaftNode` (seeded network
 * faults, crashes that lose unsynced writes, pauses, a KV client workload), the Raft safety
 * checkers of Figure 3, a linearizability checker for key-value histories, an in-memory
 * `RaftTransport`, interaction scripts with golden transcripts, and `raft-check`, an
 * exhaustive model checker of the real core (`modelCheck`). The compliance suites
 * are on their own subpath, `@raft-io/testkit/compliance` (they import vitest).
 */

export {
  CHECK_SCENARIO_NAMES,
  CHECK_SCENARIOS,
  type ChangeKinds,
  type CheckBounds,
  type CheckProgress,
  type CheckProperty,
  type CheckResult,
  type CheckScenario,
  type CheckViolation,
  type Counterexample,
  CowLog,
  getCheckScenario,
  type LogImage,
  type ModelCheckOptions,
  modelCheck,
  type ReplayResult,
  replayCounterexample,
} from './check/index.js';
export {
  type Checker,
  defaultCheckers,
  ElectionSafety,
  formatViolation,
  LeaderAppendOnly,
  LeaderCompleteness,
  LogMatching,
  type NodeSnapshot,
  type Report,
  SAFETY_PROPERTIES,
  SafetyMonitor,
  type SafetyMonitorOptions,
  type SafetyProperty,
  StateMachineSafety,
  termAt,
  type Violation,
  type WriteContext,
} from './checkers/index.js';
export { type CoreModule, type CoreNode, installedCore } from './core-module.js';
export { cloneMemoryLog, DurableMemoryLog, type LogWriteObserver } from './durable-memory-log.js';
export { ScriptError, SimulationError, type TestkitErrorCode } from './errors.js';
export { formatAction, formatBytes, formatEntry, formatEvent, formatMessage } from './format.js';
export {
  type InteractionOptions,
  parseScript,
  runInteraction,
  type ScriptCommand,
  type ScriptLine,
  StepCluster,
  type StepClusterOptions,
  type StepClusterSpec,
  type StepMember,
  type StepRaftOptions,
} from './interaction/index.js';
export { decodeKvCommand, encodeKvCommand, type KvCommand } from './kv/kv-command.js';
export { type KvResult, KvStateMachine } from './kv/kv-state-machine.js';
export {
  Bitset,
  checkKvHistory,
  checkLinearizability,
  describeKvOperation,
  type GenerateKvHistoryOptions,
  generateKvHistory,
  HistoryRecorder,
  type KvInput,
  type KvOperation,
  type KvOutput,
  type KvState,
  kvModel,
  type LinearizabilityFailure,
  type LinearizabilityOptions,
  type LinearizabilityResult,
  type Model,
  type Operation,
  type Outcome,
} from './linearizability/index.js';
export {
  MemoryNetwork,
  type MemoryNetworkOptions,
  type MemoryNetworkStats,
} from './network/memory-network.js';
export {
  CALM_NETWORK,
  type InFlight,
  type NetworkFaults,
  type NetworkStats,
  type SendFate,
  SimNetwork,
} from './network/sim-network.js';
export { Prng } from './prng.js';
export type {
  ReplayDoc,
  ReplayMessage,
  ReplayNetEvent,
  ReplayNodePatch,
  ReplayNodeState,
  ReplayStep,
  ReplayViolation,
} from './replay/replay-format.js';
export { type RecordedReplay, recordReplay, renderReplayHtml } from './replay/replay-html.js';
export { applyPatch, SimRecorder, type SimRecorderOptions } from './replay/sim-recorder.js';
export {
  Cluster,
  type ClusterListener,
  type ClusterOptions,
  type NodeRuntime,
  type NodeStatusLine,
  type SimRaftOptions,
} from './sim/cluster.js';
export { FaultScheduler, type FaultStats } from './sim/fault-scheduler.js';
export {
  formatHostViolations,
  HostSimulation,
  type HostSimulationOptions,
  type HostSimulationResult,
  simulateHosts,
} from './sim/host-simulation.js';
export { LivenessProbe } from './sim/liveness-probe.js';
export {
  MIXED_NODE_COUNTS,
  planOptions,
  planSeed,
  type RunSeedsOptions,
  type RunSeedsSummary,
  replayCommand,
  runSeeds,
  type SeedPlan,
  type SeedPlanOptions,
} from './sim/run-seeds.js';
export {
  type FaultProfile,
  getScenario,
  type PartitionKind,
  SCENARIO_NAMES,
  SCENARIOS,
  type Scenario,
} from './sim/scenarios.js';
export { type NodeFactory, raftNodeFactory, type SimNode } from './sim/sim-node.js';
export {
  drawRaftOptions,
  Simulation,
  type SimulationOptions,
  type SimulationResult,
  simulate,
} from './sim/simulation.js';
export { formatTraceRecord, Trace, type TraceObserver, type TraceRecord } from './sim/trace.js';
export { Workload, type WorkloadOptions, type WorkloadStats } from './sim/workload.js';
