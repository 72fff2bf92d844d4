/**
 * `StepCluster`: real nodes on crash-aware logs (`CowLog`) and one list of messages in flight, with
 * nothing random and nothing automatic: the caller picks every step (which node ticks, which
 * message is delivered, dropped or duplicated, who crashes). The interaction scripts and the
 * model checker both drive nodes through it, so a counterexample the checker prints replays
 * through exactly the same driver code.
 *
 * It keeps the driver contract: a step whose actions include one that acts on durable state
 * (`needsDurableLog`: a send, an apply, ...) has its log synced before they are carried out
 * (a crash loses only what nobody has acted on); messages go
 * into the list unchanged; each node's state machine is the list of commands it applied, as
 * text, and a snapshot of it is that list as JSON.
 */
import {
  type Action,
  type Event,
  type Message,
  type NodeId,
  needsDurableLog,
  type RaftConfig,
  type SnapshotEvent,
} from '@raft-io/core';
import { CowLog } from '../check/cow-log.js';
import { cloneGraph, deepFreeze } from '../check/graph.js';
import { type CoreModule, type CoreNode, installedCore } from '../core-module.js';
import { SimulationError } from '../errors.js';

/** Raft options for every node of a `StepCluster` (it sets `id`, `voters`, `learners`, `seed`). */
export type StepRaftOptions = Omit<RaftConfig, 'id' | 'voters' | 'learners' | 'seed'>;

export interface StepClusterOptions {
  /** Number of nodes; their ids are 1..nodes. */
  readonly nodes: number;
  /** The voters of the new cluster. Default: every node. */
  readonly voters?: readonly NodeId[];
  /** The learners of the new cluster. Default: none. */
  readonly learners?: readonly NodeId[];
  /** Raft options for every node. Default: the core's defaults. */
  readonly raft?: StepRaftOptions;
  /** One election-timeout PRNG seed for every node. Default: 7919 × id, different per node. */
  readonly seed?: number;
  /** The core to run. Default: the installed `@raft-io/core`. */
  readonly core?: CoreModule;
  /**
   * Freeze every message sent and every log write (the model checker shares them between
   * states, so nothing may change them; a node that tried would throw). Default false.
   */
  readonly freeze?: boolean;
  /**
   * With `freeze`: replaces each message sent by a canonical equal copy, so that the model
   * checker holds one object per distinct message however many states carry it.
   */
  readonly intern?: (message: Message) => Message;
}

/** One node: its log outlives crashes; `node` is null while it is down. */
export interface StepMember {
  readonly id: NodeId;
  log: CowLog;
  node: CoreNode | null;
  /** The state machine: the commands applied, as text. */
  applied: string[];
}

/** What every copy of a cluster shares: how to build its nodes. Frozen. */
export interface StepClusterSpec {
  readonly ids: readonly NodeId[];
  readonly voters: readonly NodeId[];
  readonly learners: readonly NodeId[];
  readonly raft: StepRaftOptions;
  readonly seed: number | undefined;
  readonly core: CoreModule;
  readonly freeze: boolean;
  /** Maps each frozen message sent to one canonical copy (the checker's hash-consing). */
  readonly intern: ((message: Message) => Message) | undefined;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export class StepCluster {
  readonly spec: StepClusterSpec;
  readonly members: StepMember[];
  /** Messages in flight, in the order they were sent. */
  queue: Message[] = [];

  constructor(options: StepClusterOptions) {
    const n = options.nodes;
    if (!Number.isInteger(n) || n < 1)
      throw new SimulationError(`a cluster needs at least one node, got ${n}`);
    const ids = Array.from({ length: n }, (_, i) => i + 1);
    this.spec = Object.freeze({
      ids: Object.freeze(ids),
      voters: Object.freeze([...(options.voters ?? ids)]),
      learners: Object.freeze([...(options.learners ?? [])]),
      raft: Object.freeze({ ...(options.raft ?? {}) }),
      seed: options.seed,
      core: options.core ?? installedCore,
      freeze: options.freeze ?? false,
      intern: options.intern,
    });
    this.members = ids.map((id) => ({ id, log: this.newLog(), node: null, applied: [] }));
    for (const m of this.members) restartMember(this.spec, m);
  }

  get ids(): readonly NodeId[] {
    return this.spec.ids;
  }

  /** The member with this id (throws `SimulationError` for an unknown id). */
  member(id: NodeId): StepMember {
    const m = this.members[id - 1];
    if (m === undefined || m.id !== id) throw new SimulationError(`no node ${id}`);
    return m;
  }

  has(id: NodeId): boolean {
    return Number.isInteger(id) && id >= 1 && id <= this.members.length;
  }

  /** The config node `id` is built with. */
  config(id: NodeId): RaftConfig {
    return memberConfig(this.spec, id);
  }

  newLog(): CowLog {
    return new CowLog();
  }

  /**
   * Step node `id` and carry out its actions (sync, queue the sends, apply, restore); returns
   * them. Whatever the node throws is thrown on, with nothing carried out.
   */
  step(id: NodeId, event: Event): Action[] {
    const { actions, sends } = stepMember(this.spec, this.member(id), event);
    for (const m of sends) this.queue.push(m);
    return actions;
  }

  /** The `snapshot` event for node `id`: its state machine at its applied index. */
  snapshotEvent(id: NodeId): SnapshotEvent {
    return snapshotEventOf(this.member(id));
  }

  /** Node `id` loses power: unsynced writes and its state machine are gone. */
  crash(id: NodeId): void {
    crashMember(this.member(id));
  }

  /** Node `id` starts again on its log (the constructor may throw: a node error). */
  restart(id: NodeId): void {
    restartMember(this.spec, this.member(id));
  }

  /** Node `id` restarts on `log` (a hand-made log); messages to it are dropped. */
  replaceLog(id: NodeId, log: CowLog): void {
    const m = this.member(id);
    this.queue = this.queue.filter((msg) => msg.to !== id);
    m.log = log;
    m.applied = [];
    m.node = null;
    restartMember(this.spec, m);
  }

  /**
   * A copy for the model checker: member `index` (its node, log and state machine) is
   * deep-copied, every other member is shared with this cluster, and the queue is copied
   * (messages are frozen, so shared). One event changes one node, so a state costs one
   * node's copy; the caller must never change a shared member through either cluster.
   * Without `index`, every member is copied. With `replacement`, member `index` becomes that
   * object instead of a copy (a result the checker cached; it is never changed again).
   */
  fork(index?: number, replacement?: StepMember): StepCluster {
    const copy = Object.create(StepCluster.prototype) as StepCluster;
    const members =
      index === undefined
        ? this.members.map((m) => cloneGraph(m))
        : this.members.map((m, i) => (i === index ? (replacement ?? cloneGraph(m)) : m));
    Object.assign(copy, { spec: this.spec, members, queue: this.queue.slice() });
    return copy;
  }
}

// Member-level operations: everything an event does to one node, apart from the queue. The
// model checker runs them on a copy of a member and caches the result.

export function memberConfig(spec: StepClusterSpec, id: NodeId): RaftConfig {
  return {
    ...spec.raft,
    id,
    voters: spec.voters,
    ...(spec.learners.length > 0 ? { learners: spec.learners } : {}),
    seed: spec.seed ?? id * 7919,
  };
}

/**
 * Step member `m` with `event` and carry out the actions on it: sync its log if one needs
 * it (`needsDurableLog`), apply commands, restore snapshots. Returns the actions and the
 * messages to send (frozen and interned when the spec says so).
 */
export function stepMember(
  spec: StepClusterSpec,
  m: StepMember,
  event: Event,
): { actions: Action[]; sends: Message[] } {
  if (m.node === null) throw new SimulationError(`node ${m.id} is down`);
  const actions = m.node.step(event);
  if (actions.some(needsDurableLog)) m.log.sync();
  const sends: Message[] = [];
  for (const a of actions) {
    if (a.type === 'send') {
      if (!spec.freeze) sends.push(a.message);
      else {
        const frozen = deepFreeze(a.message);
        sends.push(spec.intern ? spec.intern(frozen) : frozen);
      }
    } else if (a.type === 'apply') m.applied.push(decoder.decode(a.command));
    else if (a.type === 'restore') {
      const data = decoder.decode(a.snapshot.data);
      m.applied = data === '' ? [] : (JSON.parse(data) as string[]);
    }
  }
  return { actions, sends };
}

/** The `snapshot` event for member `m`: its state machine at its applied index. */
export function snapshotEventOf(m: StepMember): SnapshotEvent {
  if (m.node === null) throw new SimulationError(`node ${m.id} is down`);
  return {
    type: 'snapshot',
    index: m.node.status().appliedIndex,
    data: encoder.encode(JSON.stringify(m.applied)),
  };
}

/** Member `m` loses power: unsynced writes and its state machine are gone. */
export function crashMember(m: StepMember): void {
  if (m.node === null) throw new SimulationError(`node ${m.id} is down`);
  m.log.crash();
  m.node = null;
  m.applied = [];
}

/** Member `m` starts again on its log (the constructor may throw: a node error). */
export function restartMember(spec: StepClusterSpec, m: StepMember): void {
  if (m.node !== null) throw new SimulationError(`node ${m.id} is running`);
  m.node = new spec.core.RaftNode(memberConfig(spec, m.id), m.log);
}
