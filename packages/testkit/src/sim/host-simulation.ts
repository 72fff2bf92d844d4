/**
 * `HostSimulation`: multi-Raft on virtual time. Several hosts each run a replica of many
 * groups (a group's members are host ids, as in raft-io's `RaftHost`); faults strike hosts,
 * not nodes: a host crash crashes every replica on it, a partition cuts every group's traffic
 * between the hosts it separates. Each group is a `Cluster` with all of its checkers (the five
 * Figure 3 properties after every step, linearizability of its own clients at the end), and
 * all groups share one PRNG and one clock, so a seed replays exactly.
 *
 * Quiescence is on (docs/decisions.md D29) and the driver here does what `RaftHost` does:
 * hosts ping each other every tick (over the same cut links, with the same loss), a host that
 * heard nothing from a peer for `hostTimeoutTicks` deems it down, and every quiesced replica
 * on a host whose leader is on a host deemed down is stepped `wake` with `leaderUnreachable`.
 *
 * Phases: faults (host crashes and restarts, partitions, loss, client workloads, snapshots);
 * heal (partitions end, every host comes back, and in most runs one host is then lost for
 * good, typically while its groups are quiesced): within `livenessTicks` every
 * group must have a leader that each live member follows ("no group stays leaderless after
 * healing"); then the last host returns and a marker proposal must commit and be applied
 * by every member of every group; then the clients drain and each group's history is checked.
 */
import type { NodeId } from '@raft-io/core';
import { formatViolation, type Violation } from '../checkers/violation.js';
import { SimulationError } from '../errors.js';
import { checkLinearizability } from '../linearizability/checker.js';
import { kvModel } from '../linearizability/model.js';
import { Prng } from '../prng.js';
import { Cluster, type SimRaftOptions } from './cluster.js';
import { LivenessProbe } from './liveness-probe.js';
import type { NodeFactory } from './sim-node.js';
import { drawAsyncWrites, drawRaftOptions } from './simulation.js';
import { Workload } from './workload.js';

export interface HostSimulationOptions {
  /** The seed: an unsigned 32-bit integer. Everything else follows from it. */
  readonly seed: number;
  /** Hosts (ids 1..n). Default: drawn from 3 to 5. */
  readonly hosts?: number;
  /** Groups. Default 8. */
  readonly groups?: number;
  /** Replicas per group (at most `hosts`). Default 3. */
  readonly replicas?: number;
  /** Ticks of the fault phase. Default 600. */
  readonly faultTicks?: number;
  /** Ticks each heal check may take. Default 60 election timeouts. */
  readonly livenessTicks?: number;
  /** Raft options pinned for every replica; the rest are drawn (quiescence on unless pinned). */
  readonly raft?: SimRaftOptions;
  /** Ticks without a ping after which a host deems a peer down. Default `electionTick`. */
  readonly hostTimeoutTicks?: number;
  /**
   * Wake quiesced followers whose leader's host is deemed down. Default true; false only to
   * show that the rule is what keeps such groups from staying leaderless.
   */
  readonly wakeOnHostDown?: boolean;
  /** Run clients on each group and check each group's history for linearizability. Default true. */
  readonly workload?: boolean;
  /** Clients per group. Default 1. */
  readonly clients?: number;
  /** Builds each replica; swap in a broken core to test the checkers. Default `new RaftNode`. */
  readonly nodeFactory?: NodeFactory;
}

export interface HostSimulationResult {
  readonly seed: number;
  readonly hosts: number;
  readonly groups: number;
  readonly ok: boolean;
  /** Violations of every group, each detail prefixed with its group. */
  readonly violations: readonly Violation[];
  readonly raft: SimRaftOptions;
  readonly ticks: number;
  readonly steps: number;
  /** Replica-ticks spent quiesced (a quiesced replica ignores its ticks). */
  readonly quiescedReplicaTicks: number;
  /** Replica-ticks in all. */
  readonly replicaTicks: number;
  readonly hostCrashes: number;
  readonly partitions: number;
  /** `wake` steps with `leaderUnreachable` taken. */
  readonly leaderDownWakes: number;
  /** The host lost at the heal and kept down through the first heal check. */
  readonly keptDown: readonly NodeId[];
  /** Ticks from the heal until every group had a leader all its live members follow (-1: never). */
  readonly leaderTicks: number;
  readonly linearizableGroups: number;
}

interface HostState {
  readonly id: NodeId;
  up: boolean;
  /** The tick it comes back, while down. */
  upAt: number;
}

export class HostSimulation {
  readonly seed: number;
  readonly raft: SimRaftOptions;
  readonly hostIds: readonly NodeId[];
  readonly clusters: readonly Cluster[];
  private readonly prng: Prng;
  private readonly options: HostSimulationOptions;
  private readonly workloads: Workload[] = [];
  private readonly hosts = new Map<NodeId, HostState>();
  /** `lastHeard.get(a).get(b)`: the last tick host `a` heard a ping from host `b`. */
  private readonly lastHeard = new Map<NodeId, Map<NodeId, number>>();
  /** Cut host links, `from>to`. */
  private readonly cut = new Set<string>();
  private partitionEndsAt = -1;
  private loss = 0;
  private ticks = 0;
  private readonly hostTimeout: number;
  private readonly snapshotEvery: number;
  private readonly snapMarks = new Map<string, number>();
  private stats = { quiesced: 0, replicaTicks: 0, crashes: 0, partitions: 0, wakes: 0 };

  constructor(options: HostSimulationOptions) {
    if (!Number.isInteger(options.seed) || options.seed < 0 || options.seed > 0xffffffff) {
      throw new SimulationError(`seed must be an unsigned 32-bit integer, got ${options.seed}`);
    }
    this.options = options;
    this.seed = options.seed;
    this.prng = new Prng(options.seed);
    const hosts = options.hosts ?? this.prng.range(3, 5);
    const replicas = options.replicas ?? 3;
    const groups = options.groups ?? 8;
    if (replicas < 1 || replicas > hosts) throw new SimulationError('replicas must be within 1..hosts');
    const drawn = drawRaftOptions(this.prng, options.raft);
    const electionTick = drawn.electionTick ?? 10;
    this.raft = {
      ...drawn,
      quiesce: true,
      quiesceAfterTicks: this.prng.range(1, electionTick),
      ...(drawAsyncWrites(options.seed) ? { asyncStorageWrites: true } : {}),
      ...options.raft,
    };
    this.hostTimeout = options.hostTimeoutTicks ?? electionTick;
    this.snapshotEvery = this.prng.chance(0.5) ? this.prng.range(4, 16) : 0;
    this.hostIds = Array.from({ length: hosts }, (_, i) => i + 1);
    for (const id of this.hostIds) {
      this.hosts.set(id, { id, up: true, upAt: 0 });
      this.lastHeard.set(id, new Map(this.hostIds.map((p) => [p, 0])));
    }
    const clusters: Cluster[] = [];
    for (let g = 0; g < groups; g++) {
      // Replicas spread round-robin, so every host leads and follows some groups.
      const members = Array.from({ length: replicas }, (_, i) => ((g + i) % hosts) + 1).sort((a, b) => a - b);
      const cluster = new Cluster({
        nodes: members,
        seed: options.seed,
        prng: this.prng,
        raft: this.raft,
        ...(options.nodeFactory ? { nodeFactory: options.nodeFactory } : {}),
      });
      clusters.push(cluster);
      if (options.workload ?? true) {
        this.workloads.push(
          new Workload(cluster, this.prng, { clients: options.clients ?? 1, keys: 2, rate: 0.05 }),
        );
      }
    }
    this.clusters = clusters;
  }

  /** Run every phase; see the module comment. */
  run(): HostSimulationResult {
    const o = this.options;
    const electionTick = this.raft.electionTick ?? 10;
    const faultTicks = o.faultTicks ?? 600;
    const livenessTicks = o.livenessTicks ?? 60 * electionTick;
    const violated = () => this.clusters.some((c) => c.violations.length > 0);

    // 1. Faults.
    for (let i = 0; i < faultTicks && !violated(); i++) {
      this.faults();
      this.tick(true);
    }

    // 2. Heal: partitions end, all hosts but at most one come back; every group must elect.
    let leaderTicks = -1;
    const keptDown: NodeId[] = [];
    if (!violated()) {
      this.healNetwork();
      for (const id of this.hostIds) this.startHost(id);
      // Most runs lose one host for good at the heal: its groups' quiesced followers must
      // notice through host liveness alone.
      if (this.prng.chance(0.75)) {
        const keep = this.prng.pick(this.hostIds);
        this.stopHost(keep, Number.POSITIVE_INFINITY);
        keptDown.push(keep);
      }
      const healedAt = this.ticks;
      for (let i = 0; i <= livenessTicks && !violated(); i++) {
        if (this.clusters.every((c) => this.followsOneLeader(c))) {
          leaderTicks = this.ticks - healedAt;
          break;
        }
        this.tick(true);
      }
      if (leaderTicks < 0 && !violated()) {
        this.clusters.forEach((c, g) => {
          if (!this.followsOneLeader(c)) {
            c.monitor?.report(
              'liveness',
              `group ${g} has no leader that every live member follows ${livenessTicks} ticks after the heal` +
                ` (host ${keptDown.join(',') || 'none'} down): ${this.describe(c)}`,
            );
          }
        });
      }
    }

    // 2b. The last host comes back: every group commits a marker that every member applies.
    if (!violated()) {
      for (const id of keptDown) this.startHost(id);
      const probes = this.clusters.map((c) => new LivenessProbe(c));
      let done = false;
      for (let i = 0; i <= livenessTicks && !violated(); i++) {
        for (const p of probes) p.tick();
        if (probes.every((p) => p.done())) {
          done = true;
          break;
        }
        this.tick(true);
      }
      if (!done && !violated()) {
        probes.forEach((p, g) => {
          if (!p.done()) this.clusters[g]!.monitor?.report('liveness', `group ${g}: ${p.explain()}`);
        });
      }
    }

    // 3. Drain the clients and check each group's history.
    let linearizableGroups = 0;
    if (!violated()) {
      for (const w of this.workloads) w.stop();
      for (let i = 0; i < 51 && this.workloads.some((w) => w.pending() > 0); i++) this.tick(false);
      this.workloads.forEach((w, g) => {
        const r = checkLinearizability(w.history.operations(), kvModel);
        if (r.verdict === 'not-linearizable') {
          this.clusters[g]!.monitor?.report('linearizability', `group ${g}: key ${r.failure?.partition}`);
        } else linearizableGroups++;
      });
    }

    const violations: Violation[] = [];
    this.clusters.forEach((c, g) => {
      for (const v of c.violations) violations.push({ ...v, detail: `group ${g}: ${v.detail}` });
    });
    return {
      seed: this.seed,
      hosts: this.hostIds.length,
      groups: this.clusters.length,
      ok: violations.length === 0,
      violations,
      raft: this.raft,
      ticks: this.ticks,
      steps: this.clusters.reduce((n, c) => n + c.steps, 0),
      quiescedReplicaTicks: this.stats.quiesced,
      replicaTicks: this.stats.replicaTicks,
      hostCrashes: this.stats.crashes,
      partitions: this.stats.partitions,
      leaderDownWakes: this.stats.wakes,
      keptDown,
      leaderTicks,
      linearizableGroups,
    };
  }

  /** One tick of the whole system: pings, wakes, clients, every group's tick, snapshots. */
  private tick(clients: boolean): void {
    this.ticks++;
    if (this.partitionEndsAt === this.ticks) this.healNetwork();
    this.ping();
    if (this.options.wakeOnHostDown ?? true) this.wakeOrphans();
    if (clients) for (const w of this.workloads) w.tick();
    for (const c of this.clusters) {
      c.tick();
      for (const id of c.ids) {
        if (!c.isLive(id)) continue;
        this.stats.replicaTicks++;
        if (this.quiesced(c, id)) this.stats.quiesced++;
      }
    }
    this.maybeSnapshot();
  }

  private quiesced(c: Cluster, id: NodeId): boolean {
    return c.node(id).quiesced?.() === true;
  }

  /** Every up host pings every other; a ping crosses a link that is not cut, unless lost. */
  private ping(): void {
    for (const a of this.hostIds) {
      if (!this.hosts.get(a)!.up) continue;
      for (const b of this.hostIds) {
        if (a === b || !this.hosts.get(b)!.up || this.cut.has(`${a}>${b}`)) continue;
        if (this.loss > 0 && this.prng.chance(this.loss)) continue;
        this.lastHeard.get(b)!.set(a, this.ticks);
      }
    }
  }

  /** Whether host `a` deems host `b` down. */
  private deemsDown(a: NodeId, b: NodeId): boolean {
    return this.ticks - this.lastHeard.get(a)!.get(b)! > this.hostTimeout;
  }

  /** `RaftHost`'s rule: a quiesced replica whose leader's host is deemed down is woken. */
  private wakeOrphans(): void {
    for (const c of this.clusters) {
      for (const id of c.ids) {
        if (!c.isLive(id) || !this.quiesced(c, id)) continue;
        const leader = c.node(id).leader();
        if (leader === null || leader === id || !this.deemsDown(id, leader)) continue;
        this.stats.wakes++;
        c.step(id, { type: 'wake', leaderUnreachable: true });
      }
    }
  }

  /** Host faults: crashes and restarts, partitions, loss. */
  private faults(): void {
    const p = this.prng;
    for (const h of this.hosts.values()) {
      if (!h.up && this.ticks >= h.upAt) this.startHost(h.id);
    }
    const up = this.hostIds.filter((id) => this.hosts.get(id)!.up);
    // At most one host down at a time: every group keeps a quorum of hosts (3 replicas).
    if (up.length === this.hostIds.length && p.chance(0.004)) {
      const victim = p.pick(up);
      this.stopHost(victim, this.ticks + p.range(10, 80));
    }
    if (this.partitionEndsAt < this.ticks && this.cut.size === 0 && p.chance(0.005)) {
      this.stats.partitions++;
      const hosts = p.shuffle(this.hostIds);
      if (p.chance(0.5)) {
        // One host alone.
        for (const other of hosts.slice(1)) this.cutBoth(hosts[0]!, other);
      } else {
        // Two sides.
        const split = p.range(1, hosts.length - 1);
        for (const a of hosts.slice(0, split)) for (const b of hosts.slice(split)) this.cutBoth(a, b);
      }
      this.partitionEndsAt = this.ticks + p.range(10, 100);
    }
    if (p.chance(0.01)) {
      this.loss = p.chance(0.5) ? 0 : p.range(1, 20) / 100;
      for (const c of this.clusters)
        c.network.setFaults({ loss: this.loss, duplicate: this.loss / 2, slow: this.loss });
    }
  }

  private cutBoth(a: NodeId, b: NodeId): void {
    this.cut.add(`${a}>${b}`);
    this.cut.add(`${b}>${a}`);
    for (const c of this.clusters) c.network.cutBoth(a, b);
  }

  private healNetwork(): void {
    this.cut.clear();
    this.partitionEndsAt = -1;
    this.loss = 0;
    for (const c of this.clusters) {
      c.network.heal();
      c.network.setFaults({ loss: 0, duplicate: 0, slow: 0 });
    }
  }

  private stopHost(id: NodeId, upAt: number): void {
    const h = this.hosts.get(id)!;
    h.up = false;
    h.upAt = upAt;
    this.stats.crashes++;
    for (const c of this.clusters) if (c.ids.includes(id) && c.isUp(id)) c.crash(id);
  }

  private startHost(id: NodeId): void {
    const h = this.hosts.get(id)!;
    if (h.up) return;
    h.up = true;
    for (const c of this.clusters) if (c.ids.includes(id) && !c.isUp(id)) c.restart(id);
  }

  /** A leader exists and every live member follows it in its term. */
  private followsOneLeader(c: Cluster): boolean {
    const leader = c.leader();
    if (leader === null) return false;
    const term = c.node(leader).term();
    return c.ids.every(
      (id) => !c.isLive(id) || (c.node(id).leader() === leader && c.node(id).term() === term),
    );
  }

  private describe(c: Cluster): string {
    return c
      .status()
      .map(
        (s) =>
          `n${s.id} ${s.up ? s.role : 'down'} term=${s.term} leader=${s.leader ?? '-'}${s.up && this.quiesced(c, s.id) ? ' quiesced' : ''}`,
      )
      .join('; ');
  }

  private maybeSnapshot(): void {
    if (this.snapshotEvery <= 0) return;
    this.clusters.forEach((c, g) => {
      for (const id of c.ids) {
        if (!c.isLive(id)) continue;
        const key = `${g}:${id}`;
        const kv = c.runtime(id).kv;
        const mark = this.snapMarks.get(key) ?? 0;
        if (kv.applied < mark) this.snapMarks.set(key, 0);
        else if (kv.applied - mark >= this.snapshotEvery) {
          this.snapMarks.set(key, kv.applied);
          c.snapshot(id);
        }
      }
    });
  }
}

/** Run one host-level simulation. */
export function simulateHosts(options: HostSimulationOptions): HostSimulationResult {
  return new HostSimulation(options).run();
}

/** The violations of a result, one line each. */
export function formatHostViolations(result: HostSimulationResult): string {
  return result.violations.map(formatViolation).join('\n');
}
