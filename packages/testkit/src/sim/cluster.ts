/**
 * `Cluster`: real nodes on `DurableMemoryLog`s, a `SimNetwork`, virtual time and the safety
 * checkers, driven step by step. It is the mechanism; `Simulation` adds the scenario (what
 * faults, when), the client workload and the phases.
 *
 * Every step follows the driver contract: step the node, then (unless a crash strikes between
 * the step and its sync, losing the unsynced writes and all of the step's actions) sync the
 * log if the step has a `send` or `apply`, then carry out the actions in order. The checkers
 * see every write as it happens and the node's state after every step.
 *
 * With `asyncStorageWrites` in the Raft options the cluster drives the other contract
 * (docs/decisions.md D21): every action is carried out at once, and each node's disk reports
 * durability later: after a step that wrote, a `persisted` report for the node's newest write
 * is scheduled after a random delay (0 to 2 ticks, sometimes up to 6), so reports arrive late
 * and out of order with the messages and with each other. The log's writes become durable
 * when their report is delivered; a crash loses every write not reported (or keeps a random
 * prefix of them: a disk that had them but whose report never arrived).
 */
import {
  type Action,
  type Event,
  type Message,
  type NodeId,
  needsDurableLog,
  type RaftConfig,
  type RaftLog,
} from '@raft-io/core';
import type { Checker } from '../checkers/checker.js';
import { SafetyMonitor } from '../checkers/safety-monitor.js';
import { formatViolation, type Violation } from '../checkers/violation.js';
import { DurableMemoryLog } from '../durable-memory-log.js';
import { SimulationError } from '../errors.js';
import { formatEvent } from '../format.js';
import type { KvResult } from '../kv/kv-state-machine.js';
import { KvStateMachine } from '../kv/kv-state-machine.js';
import { type NetworkFaults, SimNetwork } from '../network/sim-network.js';
import { Prng } from '../prng.js';
import { isRaftError } from '../raft-error.js';
import { type NodeFactory, raftNodeFactory, type SimNode } from './sim-node.js';
import { Trace } from './trace.js';

/** Raft options the simulator passes to every node (id, voters and seed are its own). */
export type SimRaftOptions = Omit<RaftConfig, 'id' | 'voters' | 'seed'>;

export interface ClusterOptions {
  /** Node ids, or a count n for ids 1..n. Default 3. */
  readonly nodes?: number | readonly NodeId[];
  /**
   * The voters of the new cluster. Default: every node. The other nodes start outside the
   * membership (configured with no voters), spare nodes a membership change may add.
   */
  readonly voters?: readonly NodeId[];
  /** Seed of the one PRNG that drives everything. Default 1. */
  readonly seed?: number;
  /** Use this PRNG instead of one seeded from `seed` (to share it with a workload). */
  readonly prng?: Prng;
  /** Raft options for every node (electionTick, preVote, ...). Default: core defaults. */
  readonly raft?: SimRaftOptions;
  /** The network's fault mix at the start. Default: calm (1-5 time units, no loss). */
  readonly network?: Partial<NetworkFaults>;
  /** Virtual time units per tick. Default 10. */
  readonly tickInterval?: number;
  /** Builds each node; swap in a broken node to test the checkers. Default `new RaftNode`. */
  readonly nodeFactory?: NodeFactory;
  /** Run the safety checkers after every step. Default true. */
  readonly check?: boolean;
  /** The checkers to run. Default: the five Figure 3 checkers. */
  readonly checkers?: readonly Checker[];
  /** Trace records kept for a failure report. Default 40. */
  readonly traceCapacity?: number;
  /** Receives every trace line as it happens (for `--trace`). Default none. */
  readonly traceSink?: (line: string) => void;
  /**
   * Probability that a crash strikes between a step and its sync, when the step has writes
   * open and sends or applies to carry out. Default 0.
   */
  readonly syncCrash?: number;
}

/** What a listener hears about. */
export interface ClusterListener {
  /** `node` (in `incarnation`) carried out `action`; `result` is the KV result of an `apply`. */
  onAction?(node: NodeId, incarnation: number, action: Action, result: KvResult | undefined): void;
  /** `node` crashed; its incarnation `incarnation` is gone. */
  onCrash?(node: NodeId, incarnation: number): void;
}

/** One node's place in the cluster. */
export interface NodeRuntime {
  readonly id: NodeId;
  readonly log: DurableMemoryLog;
  /** The running node; null while crashed. */
  node: SimNode | null;
  /** Starts at 1; a restart adds one. */
  incarnation: number;
  paused: boolean;
  /** The tick the node was paused at. */
  pausedAt: number;
  /** Messages that arrived while paused, delivered on resume. */
  inbox: Message[];
  /** The node's state machine, fed by its `apply` and `restore` actions. */
  readonly kv: KvStateMachine;
  /** Asynchronous writes: the newest write number made durable, and scheduled to be, in this incarnation. */
  reportedSeq: number;
  queuedSeq: number;
}

/** A durability report on its way to a node (asynchronous writes). */
interface PersistReport {
  readonly time: number;
  readonly id: NodeId;
  readonly incarnation: number;
  readonly seq: number;
}

/** A line of `Cluster.status()`. */
export interface NodeStatusLine {
  readonly id: NodeId;
  readonly up: boolean;
  readonly paused: boolean;
  readonly role: string;
  readonly term: number;
  readonly leader: NodeId | null;
  readonly commit: number;
  readonly applied: number;
  readonly last: number;
}

const API_EVENTS = new Set([
  'propose',
  'read',
  'campaign',
  'transfer-leadership',
  'change-membership',
  'snapshot',
]);

export class Cluster {
  readonly ids: readonly NodeId[];
  readonly prng: Prng;
  readonly network: SimNetwork;
  readonly trace: Trace;
  /** Null when checking is off. */
  readonly monitor: SafetyMonitor | null;
  readonly tickInterval: number;
  /** Virtual time, in time units. */
  time = 0;
  /** Ticks taken. */
  ticks = 0;
  /** Node steps taken. */
  steps = 0;
  /** The trace as it was when the first violation was found. */
  violationTrace: string[] | undefined;
  /** See `ClusterOptions.syncCrash`. */
  syncCrash: number;
  private readonly runtimes = new Map<NodeId, NodeRuntime>();
  private readonly listeners: ClusterListener[] = [];
  private readonly factory: NodeFactory;
  private readonly raft: SimRaftOptions;
  private readonly initialVoters: readonly NodeId[];
  /** Work to run once the step being carried out has finished (see `afterStep`). */
  private deferred: (() => void)[] = [];
  /** Asynchronous storage writes: the driver mode of D21. */
  readonly asyncWrites: boolean;
  /** Durability reports not yet delivered, by time (ties in the order scheduled). */
  private reports: PersistReport[] = [];
  private stepping = 0;
  /** A message the network dropped at delivery time: for trace observers only (not hashed). */
  private readonly onCut = (message: Message) =>
    this.trace.observe({ kind: 'net', time: this.time, message, fate: 'cut in flight' });

  constructor(options: ClusterOptions = {}) {
    const nodes = options.nodes ?? 3;
    this.ids = typeof nodes === 'number' ? Array.from({ length: nodes }, (_, i) => i + 1) : [...nodes];
    if (this.ids.length === 0) throw new SimulationError('a cluster needs at least one node');
    this.prng = options.prng ?? new Prng(options.seed ?? 1);
    this.network = new SimNetwork(this.prng, options.network);
    this.tickInterval = options.tickInterval ?? 10;
    this.trace = new Trace(options.traceCapacity ?? 40, options.traceSink ?? null, this.tickInterval);
    this.monitor =
      options.check === false
        ? null
        : new SafetyMonitor({
            seed: options.seed ?? 0,
            ...(options.checkers ? { checkers: options.checkers } : {}),
            onViolation: (v) => {
              this.trace.note(this.time, `VIOLATION ${formatViolation(v)}`);
              this.violationTrace ??= this.trace.lines();
            },
          });
    this.factory = options.nodeFactory ?? raftNodeFactory;
    this.raft = options.raft ?? {};
    this.syncCrash = options.syncCrash ?? 0;
    this.asyncWrites = this.raft.asyncStorageWrites === true;
    this.initialVoters = options.voters ? [...options.voters] : this.ids;
    for (const id of this.initialVoters) {
      if (!this.ids.includes(id)) throw new SimulationError(`voter ${id} is not a node of the cluster`);
    }
    for (const id of this.ids) {
      const log = new DurableMemoryLog();
      const rt: NodeRuntime = {
        id,
        log,
        node: null,
        incarnation: 1,
        paused: false,
        pausedAt: 0,
        inbox: [],
        kv: new KvStateMachine(),
        reportedSeq: 0,
        queuedSeq: 0,
      };
      this.runtimes.set(id, rt);
      this.watch(rt);
      rt.node = this.factory(this.config(id), log);
    }
  }

  /** The violations found so far (empty when checking is off). */
  get violations(): readonly Violation[] {
    return this.monitor?.violations ?? [];
  }

  addListener(listener: ClusterListener): void {
    this.listeners.push(listener);
  }

  runtime(id: NodeId): NodeRuntime {
    const rt = this.runtimes.get(id);
    if (rt === undefined) throw new SimulationError(`no node ${id} in the cluster`);
    return rt;
  }

  /**
   * Run `fn` once the step now being carried out has finished (at once if none is): a
   * listener that reacts to an action (say, a leader elected) by stepping a node again.
   */
  afterStep(fn: () => void): void {
    if (this.stepping === 0) fn();
    else this.deferred.push(fn);
  }

  /**
   * The members (voters and learners) of the membership in force on the leader, or on the
   * live node with the highest term when there is no leader; every node if none tells.
   */
  members(): NodeId[] {
    let best: SimNode | null = null;
    const leader = this.leader();
    if (leader !== null) best = this.node(leader);
    else {
      for (const rt of this.runtimes.values()) {
        if (rt.node && (best === null || rt.node.term() > best.term())) best = rt.node;
      }
    }
    const m = best?.membership?.();
    if (!m) return [...this.ids];
    return this.ids.filter(
      (id) => m.voters.includes(id) || m.outgoingVoters.includes(id) || m.learners.includes(id),
    );
  }

  /** The running node `id`; throws if it is crashed. */
  node(id: NodeId): SimNode {
    const node = this.runtime(id).node;
    if (node === null) throw new SimulationError(`node ${id} is crashed`);
    return node;
  }

  isUp(id: NodeId): boolean {
    return this.runtime(id).node !== null;
  }

  /** Up and not paused: it steps. */
  isLive(id: NodeId): boolean {
    const rt = this.runtime(id);
    return rt.node !== null && !rt.paused;
  }

  /** The live node that is leader in the highest term, or null. */
  leader(): NodeId | null {
    let best: NodeId | null = null;
    let bestTerm = -1;
    for (const rt of this.runtimes.values()) {
      if (rt.node?.isLeader() && !rt.paused && rt.node.term() > bestTerm) {
        best = rt.id;
        bestTerm = rt.node.term();
      }
    }
    return best;
  }

  /**
   * Step node `id` with `event` under the driver contract. Returns the actions carried out, or
   * undefined if the node crashed in the step. A `RaftError` from an application request
   * (propose on a follower, ...) is rethrown to the caller; any throw on a tick or message is
   * a `node-error` violation and crashes the node.
   */
  step(id: NodeId, event: Event): Action[] | undefined {
    this.stepping++;
    try {
      return this.stepNode(id, event);
    } finally {
      this.stepping--;
      if (this.stepping === 0 && this.deferred.length > 0) {
        const work = this.deferred;
        this.deferred = [];
        for (const fn of work) fn();
      }
    }
  }

  private stepNode(id: NodeId, event: Event): Action[] | undefined {
    const rt = this.runtime(id);
    const node = rt.node;
    if (node === null) throw new SimulationError(`node ${id} is crashed`);
    if (rt.paused) throw new SimulationError(`node ${id} is paused`);
    this.steps++;
    const monitor = this.monitor;
    if (monitor) {
      monitor.step = this.steps;
      monitor.time = this.time;
      monitor.beginStep(
        id,
        { role: node.role(), term: node.term(), commitIndex: node.commitIndex() },
        rt.log,
      );
    }
    let actions: Action[];
    try {
      actions = node.step(event);
    } catch (err) {
      if (API_EVENTS.has(event.type) && isRaftError(err) && err.code !== 'STORAGE') {
        this.trace.record({ kind: 'step', time: this.time, node: id, event });
        this.trace.note(this.time, `n${id}   -> ${err.code}`);
        throw err;
      }
      const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      this.trace.record({ kind: 'step', time: this.time, node: id, event });
      this.trace.note(this.time, `n${id}   threw ${text}`);
      if (monitor === null) throw err;
      monitor.report('node-error', `node ${id} threw on ${formatEvent(event)}: ${text}`, id);
      this.crash(id);
      return undefined;
    }
    // Idle ticks only feed the trace hash: they would drown the readable trace.
    this.trace.record(
      { kind: 'step', time: this.time, node: id, event },
      actions.length > 0 || event.type !== 'tick',
    );
    if (this.asyncWrites) {
      // Every action at once; the disk reports later (see the module comment). The commit
      // index is the node's own: with async writes it rests only on durable copies.
      monitor?.endStep(id, { role: node.role(), term: node.term(), commitIndex: node.commitIndex() }, rt.log);
      for (const a of actions) this.carryOut(rt, a);
      if (actions.length > 0 && rt.log.hasPending() && this.prng.chance(this.syncCrash)) {
        // Power fails right after the step, its messages already sent, its writes still open.
        this.trace.note(this.time, `n${id} crashes with ${rt.log.pendingWrites()} writes not durable`);
        this.crash(id);
        return actions;
      }
      this.scheduleReport(rt, node);
      return actions;
    }
    const needsSync = actions.some(needsDurableLog);
    if (needsSync && rt.log.hasPending() && this.prng.chance(this.syncCrash)) {
      // Power fails after the step wrote but before its sync: some prefix of the open writes
      // reaches the disk, and nothing of the step leaves the node.
      const pending = rt.log.pendingWrites();
      const keep = this.prng.int(pending + 1);
      this.trace.note(this.time, `n${id} crashes before its sync (keeps ${keep} of ${pending} open writes)`);
      this.crash(id, keep);
      return undefined;
    }
    if (needsSync) rt.log.sync();
    // What a node knows committed counts once it is durable: a crash may still undo a commit
    // index written but not synced (nothing acted on it: every action that would waits for
    // the sync).
    const commitIndex = rt.log.hasPending()
      ? Math.min(node.commitIndex(), rt.log.durableHardState().commit)
      : node.commitIndex();
    monitor?.endStep(id, { role: node.role(), term: node.term(), commitIndex }, rt.log);
    for (const a of actions) this.carryOut(rt, a);
    return actions;
  }

  private carryOut(rt: NodeRuntime, a: Action): void {
    this.trace.record({ kind: 'action', time: this.time, node: rt.id, action: a });
    let result: KvResult | undefined;
    switch (a.type) {
      case 'send': {
        const fate = this.network.send(a.message, this.time);
        if (fate !== 'queued') this.trace.record({ kind: 'net', time: this.time, message: a.message, fate });
        break;
      }
      case 'apply':
        result = rt.kv.apply(a.index, a.command);
        this.monitor?.onApply(rt.id, rt.incarnation, a);
        break;
      case 'restore':
        rt.kv.restore(a.snapshot.data, a.snapshot.metadata.index);
        this.monitor?.onRestore(rt.id, rt.incarnation, a);
        break;
      default:
        break;
    }
    for (const l of this.listeners) l.onAction?.(rt.id, rt.incarnation, a, result);
  }

  /**
   * Deliver every message (and, with asynchronous writes, every durability report) due at or
   * before `time`, in time order, advancing the clock to each.
   */
  deliverUntil(time: number): void {
    for (;;) {
      const report = this.reports[0];
      if (report !== undefined && report.time <= time) {
        const next = this.network.nextTime();
        if (next === undefined || report.time <= next) {
          this.reports.shift();
          if (report.time > this.time) this.time = report.time;
          this.persist(report);
          continue;
        }
      }
      const m = this.network.pop(time, this.onCut);
      if (m === undefined) {
        if (this.reports[0] !== undefined && this.reports[0].time <= time) continue;
        break;
      }
      if (m.time > this.time) this.time = m.time;
      this.deliver(m.message);
    }
    if (time > this.time) this.time = time;
  }

  /** Asynchronous writes: after a step that wrote, schedule the report of its newest write. */
  private scheduleReport(rt: NodeRuntime, node: SimNode): void {
    const seq = node.writeSeq?.() ?? 0;
    if (seq <= rt.queuedSeq) return;
    rt.queuedSeq = seq;
    const slow = this.prng.chance(0.1);
    const delay = this.prng.int((slow ? 6 : 2) * this.tickInterval + 1);
    this.enqueueReport({ time: this.time + delay, id: rt.id, incarnation: rt.incarnation, seq });
  }

  /** Deliver a durability report: the writes it covers become durable, the node hears of it. */
  private persist(report: PersistReport): void {
    const rt = this.runtime(report.id);
    if (rt.node === null || rt.incarnation !== report.incarnation) return;
    if (rt.paused) {
      // The disk finished, but the driver is stopped: it hears of it after the pause.
      this.enqueueReport({ ...report, time: this.time + this.tickInterval });
      return;
    }
    if (report.seq > rt.reportedSeq) {
      rt.log.syncFirst(report.seq - rt.reportedSeq);
      rt.reportedSeq = report.seq;
    }
    this.step(report.id, { type: 'persisted', seq: report.seq });
  }

  private enqueueReport(report: PersistReport): void {
    let i = this.reports.length;
    while (i > 0 && this.reports[i - 1]!.time > report.time) i--;
    this.reports.splice(i, 0, report);
  }

  /** Hand `message` to its node now: dropped if it is crashed, held if it is paused. */
  deliver(message: Message): void {
    const rt = this.runtimes.get(message.to);
    if (rt === undefined || rt.node === null) {
      this.trace.record({ kind: 'net', time: this.time, message, fate: 'dropped (down)' }, false);
      return;
    }
    if (rt.paused) {
      rt.inbox.push(message);
      return;
    }
    this.step(message.to, { type: 'message', message });
  }

  /**
   * One tick: deliver what is due up to the tick's time, then tick every live node (in a
   * random order, drawn from the PRNG).
   */
  tick(): void {
    const at = (this.ticks + 1) * this.tickInterval;
    this.deliverUntil(at);
    this.ticks++;
    this.time = at;
    for (const id of this.prng.shuffle(this.ids)) {
      if (this.isLive(id)) this.step(id, { type: 'tick' });
    }
  }

  /** Crash `id`: its unsynced writes are lost except the first `keep`; its state machine is gone. */
  crash(id: NodeId, keep = 0): void {
    const rt = this.runtime(id);
    if (rt.node === null) return;
    const open = rt.log.pendingWrites();
    if (this.asyncWrites && keep === 0 && open > 0 && this.prng.chance(0.5)) {
      // Some writes reached the disk but their report never arrived.
      keep = this.prng.int(open + 1);
    }
    rt.log.crash(keep);
    rt.node = null;
    rt.paused = false;
    rt.inbox = [];
    rt.kv.reset();
    this.monitor?.onCrash(id);
    this.trace.note(this.time, `n${id} CRASH`);
    for (const l of this.listeners) l.onCrash?.(id, rt.incarnation);
  }

  /** Restart a crashed node on what its log made durable; its PRNG seed is drawn anew. */
  restart(id: NodeId): void {
    const rt = this.runtime(id);
    if (rt.node !== null) throw new SimulationError(`node ${id} is not crashed`);
    rt.incarnation++;
    rt.reportedSeq = 0;
    rt.queuedSeq = 0;
    rt.kv.reset();
    rt.node = this.factory(this.config(id), rt.log);
    this.trace.note(this.time, `n${id} RESTART (incarnation ${rt.incarnation}, term ${rt.node.term()})`);
    this.monitor?.onRestart(id, rt.incarnation, rt.log);
  }

  /** Stop stepping `id` (a GC pause, a stopped VM): no ticks, messages wait in its inbox. */
  pause(id: NodeId): void {
    const rt = this.runtime(id);
    if (rt.node === null || rt.paused) return;
    rt.paused = true;
    rt.pausedAt = this.ticks;
    this.trace.note(this.time, `n${id} PAUSE`);
  }

  /** Resume a paused node: it first receives what arrived meanwhile, in order. */
  resume(id: NodeId): void {
    const rt = this.runtime(id);
    if (!rt.paused) return;
    rt.paused = false;
    this.trace.note(this.time, `n${id} RESUME (${rt.inbox.length} messages waiting)`);
    if (this.raft.leaseRead) {
      // A driver that serves lease reads must catch its clock up after a pause before it
      // handles anything else (RaftServer does: it feeds the ticks that real time owes).
      for (let t = rt.pausedAt; t < this.ticks && this.isLive(id); t++) this.step(id, { type: 'tick' });
    }
    const inbox = rt.inbox;
    rt.inbox = [];
    for (const message of inbox) {
      if (!this.isLive(id)) break;
      this.step(id, { type: 'message', message });
    }
  }

  /** Have node `id` snapshot its state machine at its applied index (compacting its log). */
  snapshot(id: NodeId): void {
    const rt = this.runtime(id);
    const node = this.node(id);
    const index = node.appliedIndex();
    if (index === 0) return;
    this.step(id, { type: 'snapshot', index, data: rt.kv.snapshot() });
  }

  /** One line per node. */
  status(): NodeStatusLine[] {
    return this.ids.map((id) => {
      const rt = this.runtime(id);
      const n = rt.node;
      return {
        id,
        up: n !== null,
        paused: rt.paused,
        role: n?.role() ?? 'down',
        term: n?.term() ?? rt.log.hardState().term,
        leader: n?.leader() ?? null,
        commit: n?.commitIndex() ?? 0,
        applied: n?.appliedIndex() ?? 0,
        last: rt.log.lastIndex(),
      };
    });
  }

  /** The config node `id` is built with (a fresh PRNG seed each time). */
  private config(id: NodeId): RaftConfig {
    const voters = this.initialVoters.includes(id) ? this.initialVoters : [];
    return { ...this.raft, id, voters, seed: this.prng.u32() };
  }

  private watch(rt: NodeRuntime): void {
    const log: RaftLog = rt.log;
    rt.log.observe((write, prior) => this.monitor?.onWrite(rt.id, write, log, prior));
  }
}
