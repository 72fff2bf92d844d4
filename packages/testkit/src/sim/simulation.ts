/**
 * `Simulation`: one seeded run of a whole cluster. From the seed it draws the Raft options
 * (unless pinned), builds the `Cluster`, and runs three phases:
 *
 * 1. faults: `faultTicks` ticks of the scenario's faults with the client workload running;
 * 2. heal: every fault ends; within `livenessTicks` a leader must be elected and a fresh
 *    proposal must commit and be applied by every node, else a `liveness` violation;
 * 3. drain: clients stop issuing; their last operations complete or time out.
 *
 * The safety checkers run after every step throughout, and the client history is checked
 * for linearizability at the end. The same options give the same run, bit for bit.
 */
import type { NodeId } from '@raft-io/core';
import type { Checker } from '../checkers/checker.js';
import type { Violation } from '../checkers/violation.js';
import { SimulationError } from '../errors.js';
import { checkLinearizability } from '../linearizability/checker.js';
import { describeKvOperation } from '../linearizability/history.js';
import { kvModel } from '../linearizability/model.js';
import { Prng } from '../prng.js';
import { Cluster, type SimRaftOptions } from './cluster.js';
import { FaultScheduler, type FaultStats } from './fault-scheduler.js';
import { LivenessProbe } from './liveness-probe.js';
import { getScenario, type Scenario } from './scenarios.js';
import type { NodeFactory } from './sim-node.js';
import { Workload, type WorkloadOptions, type WorkloadStats } from './workload.js';

export interface SimulationOptions {
  /** The seed: an unsigned 32-bit integer. Everything else follows from it. */
  readonly seed: number;
  /** Number of nodes. Default 3. */
  readonly nodes?: number;
  /** A scenario name (see `SCENARIOS`) or a scenario object. Default `'chaos'`. */
  readonly scenario?: string | Scenario;
  /** Ticks of the fault phase. Default 1000. */
  readonly faultTicks?: number;
  /** Ticks the heal phase may take before liveness is violated. Default 60 election timeouts. */
  readonly livenessTicks?: number;
  /** Raft options; fields given here are pinned, the rest are drawn from the seed (see `randomizeRaft`). */
  readonly raft?: SimRaftOptions;
  /** Draw unpinned Raft options from the seed (election/heartbeat ticks, pre-vote, check-quorum, batching limits). Default true. */
  readonly randomizeRaft?: boolean;
  /** The client workload, or false for none. Default: 3 clients on 3 keys. */
  readonly workload?: WorkloadOptions | false;
  /** Check the client history for linearizability at the end. Default true. */
  readonly linearizability?: boolean;
  /** Stop the fault phase at the first violation. Default true. */
  readonly stopOnViolation?: boolean;
  /** Builds each node; swap in a broken node to test the checkers. Default `new RaftNode`. */
  readonly nodeFactory?: NodeFactory;
  /** The checkers to run. Default: the five Figure 3 checkers. */
  readonly checkers?: readonly Checker[];
  /** Run the safety checkers at all (off only to measure their cost). Default true. */
  readonly check?: boolean;
  /** Trace records kept for the failure report. Default 40. */
  readonly traceCapacity?: number;
  /** Receives every trace line as it happens. Default none. */
  readonly traceSink?: (line: string) => void;
}

export interface SimulationResult {
  readonly seed: number;
  readonly scenario: string;
  readonly nodes: number;
  /** No violation of any kind. */
  readonly ok: boolean;
  readonly violations: readonly Violation[];
  /** The Raft options every node ran with (pinned and drawn). */
  readonly raft: SimRaftOptions;
  readonly ticks: number;
  readonly steps: number;
  /** The highest commit index reached. */
  readonly commits: number;
  /** Ticks from the heal to a leader, and to full recovery (-1: never). */
  readonly recovery: { readonly leaderTicks: number; readonly ticks: number };
  readonly workload: WorkloadStats;
  readonly faults: FaultStats;
  readonly linearizability: {
    readonly verdict: string;
    readonly operations: number;
    readonly ms: number;
  } | null;
  readonly network: {
    readonly sent: number;
    readonly delivered: number;
    readonly lost: number;
    readonly cut: number;
    readonly duplicated: number;
  };
  /** The hash of the whole trace: equal for two runs iff they did the same thing. */
  readonly traceHash: string;
  /** The last trace lines: up to the first violation when there is one, else up to the end. */
  readonly trace: readonly string[];
  readonly elapsedMs: number;
}

/** Draw the Raft options not pinned in `pinned` from `prng`. */
export function drawRaftOptions(prng: Prng, pinned: SimRaftOptions = {}, randomize = true): SimRaftOptions {
  if (!randomize) return { electionTick: 10, heartbeatTick: 1, ...pinned };
  const electionTick = pinned.electionTick ?? prng.range(5, 15);
  const drawn: SimRaftOptions = {
    electionTick,
    heartbeatTick: prng.range(1, Math.max(1, Math.min(3, Math.floor(electionTick / 3)))),
    preVote: prng.chance(0.75),
    checkQuorum: prng.chance(0.75),
    maxSizePerMsg: prng.chance(0.3) ? prng.range(16, 128) : 1024 * 1024,
    maxInflightMsgs: prng.chance(0.3) ? prng.range(1, 8) : 256,
    snapshotChunkSize: prng.chance(0.5) ? prng.range(8, 64) : 1024 * 1024,
    compactionTail: prng.chance(0.5) ? prng.range(0, 8) : 0,
    maxApplyBytesPerStep: prng.chance(0.3) ? prng.range(16, 256) : 64 * 1024 * 1024,
  };
  // Lease reads need check-quorum; drawn last so earlier draws stay as they were.
  const leaseRead = prng.chance(0.3);
  if (leaseRead && (pinned.checkQuorum ?? drawn.checkQuorum)) return { ...drawn, leaseRead: true, ...pinned };
  return { ...drawn, ...pinned };
}

/**
 * Whether seed `seed` runs the driver with asynchronous storage writes (D21): half the seeds
 * do (unless the options pin the mode or plant a node factory). Drawn from a stream of its own, so the seeds that run without keep every other draw,
 * and with it their trace, as they were.
 */
export function drawAsyncWrites(seed: number): boolean {
  return new Prng((seed ^ 0xa5f00d5a) >>> 0).chance(0.5);
}

export class Simulation {
  readonly seed: number;
  readonly scenario: Scenario;
  readonly cluster: Cluster;
  readonly workload: Workload | null;
  readonly faults: FaultScheduler;
  readonly raft: SimRaftOptions;
  private readonly options: SimulationOptions;
  private readonly prng: Prng;
  private readonly snapMarks = new Map<NodeId, number>();

  constructor(options: SimulationOptions) {
    if (!Number.isInteger(options.seed) || options.seed < 0 || options.seed > 0xffffffff) {
      throw new SimulationError(`seed must be an unsigned 32-bit integer, got ${options.seed}`);
    }
    const nodes = options.nodes ?? 3;
    if (!Number.isInteger(nodes) || nodes < 1)
      throw new SimulationError(`nodes must be a positive integer, got ${nodes}`);
    this.options = options;
    this.seed = options.seed;
    this.scenario =
      typeof options.scenario === 'object' ? options.scenario : getScenario(options.scenario ?? 'chaos');
    this.prng = new Prng(options.seed);
    const raft = drawRaftOptions(this.prng, options.raft, options.randomizeRaft ?? true);
    this.raft =
      raft.asyncStorageWrites === undefined &&
      (options.randomizeRaft ?? true) &&
      // A planted node factory (a broken node, another build of the core) is written for the
      // synchronous contract; it runs asynchronous writes only when the test pins them.
      options.nodeFactory === undefined &&
      drawAsyncWrites(options.seed)
        ? { ...raft, asyncStorageWrites: true }
        : raft;
    const spares = Math.min(this.scenario.faults.spareNodes, nodes - 1);
    this.cluster = new Cluster({
      nodes,
      voters: Array.from({ length: nodes - spares }, (_, i) => i + 1),
      seed: options.seed,
      prng: this.prng,
      raft: this.raft,
      ...(options.nodeFactory ? { nodeFactory: options.nodeFactory } : {}),
      ...(options.checkers ? { checkers: options.checkers } : {}),
      check: options.check ?? true,
      traceCapacity: options.traceCapacity ?? 40,
      ...(options.traceSink ? { traceSink: options.traceSink } : {}),
    });
    this.workload =
      options.workload === false
        ? null
        : new Workload(this.cluster, this.prng, options.workload ?? this.scenario.workload ?? {});
    this.faults = new FaultScheduler(this.cluster, this.prng, this.scenario.faults);
  }

  /** Run all three phases and check the history. */
  run(): SimulationResult {
    const start = performance.now();
    const c = this.cluster;
    const o = this.options;
    const stop = o.stopOnViolation ?? true;
    const faultTicks = o.faultTicks ?? 1000;
    const electionTick = this.raft.electionTick ?? 10;
    const livenessTicks = o.livenessTicks ?? 60 * electionTick;
    c.trace.note(
      c.time,
      `seed ${this.seed}: ${c.ids.length} nodes, scenario ${this.scenario.name}, raft ${JSON.stringify(this.raft)}`,
    );

    // 1. Faults.
    for (let i = 0; i < faultTicks; i++) {
      if (stop && c.violations.length > 0) break;
      this.faults.tick();
      this.workload?.tick();
      c.tick();
      this.maybeSnapshot();
    }

    // 2. Heal, and liveness.
    let leaderTicks = -1;
    let recoveryTicks = -1;
    if (!(stop && c.violations.length > 0)) {
      this.faults.healAll();
      const healedAt = c.ticks;
      const probe = new LivenessProbe(c);
      for (let i = 0; i <= livenessTicks; i++) {
        probe.tick();
        if (probe.done()) break;
        this.workload?.tick();
        c.tick();
        this.maybeSnapshot();
        if (stop && c.violations.length > 0) break;
      }
      if (probe.leaderSeenAt >= 0) leaderTicks = probe.leaderSeenAt - healedAt;
      if (probe.done()) recoveryTicks = c.ticks - healedAt;
      else if (c.violations.length === 0 || !stop) {
        c.monitor?.report('liveness', `${livenessTicks} ticks after the faults stopped: ${probe.explain()}`);
      }
    }

    // 3. Drain the clients.
    if (this.workload && !(stop && c.violations.length > 0)) {
      this.workload.stop();
      const limit = (o.workload === false ? 0 : (o.workload?.timeoutTicks ?? 50)) + 1;
      for (let i = 0; i < limit && this.workload.pending() > 0; i++) {
        this.workload.tick();
        c.tick();
      }
    }

    let linearizability: SimulationResult['linearizability'] = null;
    if (this.workload && (o.linearizability ?? true) && !(stop && c.violations.length > 0)) {
      const t0 = performance.now();
      const history = this.workload.history.operations();
      const r = checkLinearizability(history, kvModel);
      linearizability = { verdict: r.verdict, operations: r.operations, ms: performance.now() - t0 };
      if (r.verdict === 'not-linearizable' && r.failure) {
        const f = r.failure;
        const stuck = f.stuck.map(describeKvOperation).join('; ');
        const prefix = f.longestPrefix.slice(-5).map(describeKvOperation).join('; ');
        c.monitor?.report(
          'linearizability',
          `key ${f.partition}: ${f.operations.length} operations, no linearization; stuck at: ${stuck}; last linearized: ${prefix}`,
        );
      }
    }

    let commits = 0;
    for (const s of c.status()) commits = Math.max(commits, s.commit);
    return {
      seed: this.seed,
      scenario: this.scenario.name,
      nodes: c.ids.length,
      ok: c.violations.length === 0,
      violations: c.violations,
      raft: this.raft,
      ticks: c.ticks,
      steps: c.steps,
      commits,
      recovery: { leaderTicks, ticks: recoveryTicks },
      workload: this.workload?.stats ?? { invoked: 0, ok: 0, fail: 0, unknown: 0 },
      faults: this.faults.stats,
      linearizability,
      network: { ...c.network.stats },
      traceHash: c.trace.hash(),
      trace: c.violationTrace ?? c.trace.lines(),
      elapsedMs: performance.now() - start,
    };
  }

  private maybeSnapshot(): void {
    const every = this.scenario.faults.snapshotEvery;
    if (every <= 0) return;
    const c = this.cluster;
    for (const id of c.ids) {
      if (!c.isLive(id)) continue;
      const kv = c.runtime(id).kv;
      const mark = this.snapMarks.get(id) ?? 0;
      if (kv.applied < mark) this.snapMarks.set(id, 0);
      else if (kv.applied - mark >= every) {
        this.snapMarks.set(id, kv.applied);
        c.snapshot(id);
      }
    }
  }
}

/** Run one simulation. */
export function simulate(options: SimulationOptions): SimulationResult {
  return new Simulation(options).run();
}
