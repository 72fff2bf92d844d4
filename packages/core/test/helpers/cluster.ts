/**
 * A tiny in-test cluster for core's own tests: real `RaftNode`s on `MemoryLog`s and a
 * message queue that the test delivers, drops, duplicates or reorders by hand. (The full
 * simulator with fault injection and checkers lives in @raft-io/testkit; core cannot depend
 * on it.)
 *
 * With `asyncStorageWrites` in the options, each node runs on a `VolatileLog`: every action is
 * carried out at once, and each step that wrote queues a durability report (`persisted`) that
 * the test delivers like a message (`deliverPick` picks among messages and reports, so reports
 * come late and out of order); a crash loses every write not reported durable.
 */
import {
  type Action,
  MemoryLog,
  type Message,
  type NodeId,
  type RaftConfig,
  type RaftLog,
  RaftNode,
} from '../../src/index.js';
import { VolatileLog } from './volatile-log.js';

/** A durability report waiting to be delivered to node `id`. */
export interface PersistReport {
  readonly id: NodeId;
  readonly seq: number;
}

export interface Applied {
  index: number;
  term: number;
  command: string;
}

export class TestCluster {
  readonly nodes = new Map<NodeId, RaftNode>();
  readonly logs = new Map<NodeId, RaftLog>();
  /** With async writes: durability reports not yet delivered, oldest first. */
  persistQueue: PersistReport[] = [];
  /** With async writes: the newest write of each node reported durable, and queued. */
  private readonly reported = new Map<NodeId, number>();
  private readonly queued = new Map<NodeId, number>();
  readonly asyncWrites: boolean;
  readonly applied = new Map<NodeId, Applied[]>();
  /** Each node's state machine: the commands applied since its last restore, after the restored ones. */
  readonly machines = new Map<NodeId, string[]>();
  readonly actions = new Map<NodeId, Action[]>();
  /** Messages in flight, in send order. */
  queue: Message[] = [];
  /** Pairs that cannot talk: `${from}->${to}`. */
  readonly cut = new Set<string>();
  readonly down = new Set<NodeId>();
  /** Every leader ever seen, by term. */
  readonly leadersByTerm = new Map<number, Set<NodeId>>();
  /** The voters each node is configured with: the initial ids, or what `addNode` was given. */
  private readonly startVoters = new Map<NodeId, NodeId[]>();

  constructor(
    readonly ids: NodeId[],
    private readonly options: Partial<RaftConfig> = {},
  ) {
    this.asyncWrites = options.asyncStorageWrites === true;
    for (const id of ids) {
      this.startVoters.set(id, [...ids]);
      this.logs.set(id, this.newLog());
      this.applied.set(id, []);
      this.machines.set(id, []);
      this.actions.set(id, []);
      this.start(id);
    }
  }

  config(id: NodeId): RaftConfig {
    return { seed: id * 7919, ...this.options, id, voters: this.startVoters.get(id) ?? this.ids };
  }

  private newLog(): RaftLog {
    return this.asyncWrites ? new VolatileLog() : new MemoryLog();
  }

  private start(id: NodeId): void {
    this.reported.set(id, 0);
    this.queued.set(id, 0);
    this.nodes.set(id, new RaftNode(this.config(id), this.logs.get(id)!));
  }

  node(id: NodeId): RaftNode {
    return this.nodes.get(id)!;
  }

  /** Step one node and route its actions. */
  step(id: NodeId, event: Parameters<RaftNode['step']>[0]): Action[] {
    const node = this.node(id);
    const actions = node.step(event);
    this.actions.get(id)!.push(...actions);
    for (const a of actions) {
      if (a.type === 'send') {
        if (!this.cut.has(`${id}->${a.to}`)) this.queue.push(a.message);
      } else if (a.type === 'apply') {
        const command = new TextDecoder().decode(a.command);
        this.applied.get(id)!.push({ index: a.index, term: a.term, command });
        this.machines.get(id)!.push(command);
      } else if (a.type === 'restore') {
        // Snapshots in these tests hold the comma-joined list of applied commands.
        const text = new TextDecoder().decode(this.restoreData(id, a));
        this.machines.set(id, text === '' ? [] : text.split(','));
      } else {
        this.onAction(id, a);
      }
    }
    this.afterStep(id);
    if (this.asyncWrites && node.writeSeq() > this.queued.get(id)!) {
      this.queued.set(id, node.writeSeq());
      this.persistQueue.push({ id, seq: node.writeSeq() });
    }
    if (node.isLeader()) {
      const set = this.leadersByTerm.get(node.term()) ?? new Set();
      set.add(id);
      this.leadersByTerm.set(node.term(), set);
    }
    return actions;
  }

  /** The bytes a `restore` loads (a driver that streams snapshots reads them from its files). */
  protected restoreData(_id: NodeId, action: Extract<Action, { type: 'restore' }>): Uint8Array {
    return action.snapshot.data;
  }

  /** Any other action a subclass carries out (the streaming driver's chunk actions). */
  protected onAction(_id: NodeId, _action: Action): void {}

  /** After a step's actions were routed (a subclass may step the node again). */
  protected afterStep(_id: NodeId): void {}

  tick(id: NodeId, n = 1): void {
    for (let i = 0; i < n; i++) if (!this.down.has(id)) this.step(id, { type: 'tick' });
  }

  tickAll(n = 1): void {
    for (let i = 0; i < n; i++) for (const id of this.ids) this.tick(id);
  }

  /** Deliver one message (index into the queue). */
  deliverAt(i: number): void {
    const [m] = this.queue.splice(i, 1);
    if (!m || this.down.has(m.to) || this.cut.has(`${m.from}->${m.to}`)) return;
    this.step(m.to, { type: 'message', message: m });
  }

  /**
   * Deliver the message at `pick` (modulo the queue): any message, so delivery reorders. With
   * async writes the pick ranges over the durability reports too.
   */
  deliverPick(pick: number): void {
    const total = this.queue.length + this.persistQueue.length;
    if (total === 0) return;
    const i = pick % total;
    if (i < this.queue.length) this.deliverAt(i);
    else this.persistAt(i - this.queue.length);
  }

  /**
   * Deliver the durability report at `i` of `persistQueue`: the node's writes up to its
   * `seq` become durable (if not already), then the node hears `persisted`.
   */
  persistAt(i: number): void {
    const [report] = this.persistQueue.splice(i, 1);
    if (!report || this.down.has(report.id)) return;
    const done = this.reported.get(report.id)!;
    if (report.seq > done) {
      (this.logs.get(report.id) as VolatileLog).syncFirst(report.seq - done);
      this.reported.set(report.id, report.seq);
    }
    this.step(report.id, { type: 'persisted', seq: report.seq });
  }

  /** Deliver every durability report, oldest first. */
  persistAll(): void {
    while (this.persistQueue.length > 0) this.persistAt(0);
  }

  /** Lose the message at `pick` (modulo the queue). */
  dropPick(pick: number): void {
    if (this.queue.length > 0) this.queue.splice(pick % this.queue.length, 1);
  }

  /** Duplicate the message at `pick` (modulo the queue). */
  duplicatePick(pick: number): void {
    if (this.queue.length > 0) this.queue.push(this.queue[pick % this.queue.length]!);
  }

  /** Deliver until the network is quiet (bounded). */
  deliverAll(limit = 100_000): void {
    for (let i = 0; i < limit && this.queue.length + this.persistQueue.length > 0; i++) {
      if (this.persistQueue.length > 0) this.persistAt(0);
      else this.deliverAt(0);
    }
  }

  /** Tick everyone and deliver, until `pred` holds or `rounds` pass. */
  runUntil(pred: () => boolean, rounds = 500): boolean {
    for (let r = 0; r < rounds; r++) {
      if (pred()) return true;
      this.tickAll();
      this.deliverAll();
    }
    return pred();
  }

  leader(): RaftNode | undefined {
    let best: RaftNode | undefined;
    for (const [id, n] of this.nodes) {
      if (!this.down.has(id) && n.isLeader() && (!best || n.term() > best.term())) best = n;
    }
    return best;
  }

  elect(): RaftNode {
    if (!this.runUntil(() => this.leader() !== undefined)) throw new Error('no leader elected');
    return this.leader()!;
  }

  propose(command: string): void {
    const leader = this.leader();
    if (!leader) throw new Error('no leader');
    this.step(leader.id, { type: 'propose', command: new TextEncoder().encode(command) });
  }

  isolate(id: NodeId): void {
    for (const other of this.ids) {
      if (other === id) continue;
      this.cut.add(`${id}->${other}`);
      this.cut.add(`${other}->${id}`);
    }
  }

  partition(...groups: NodeId[][]): void {
    this.cut.clear();
    for (const a of groups)
      for (const b of groups) if (a !== b) for (const x of a) for (const y of b) this.cut.add(`${x}->${y}`);
  }

  heal(): void {
    this.cut.clear();
  }

  crash(id: NodeId): void {
    this.down.add(id);
    this.queue = this.queue.filter((m) => m.to !== id);
    if (this.asyncWrites) {
      // Power fails: what was not reported durable is gone, and so are the reports.
      (this.logs.get(id) as VolatileLog).crash();
      this.persistQueue = this.persistQueue.filter((r) => r.id !== id);
    }
  }

  /**
   * Restart on the same log (MemoryLog keeps every write: a crash with a durable disk; a
   * VolatileLog keeps what was reported durable).
   */
  restart(id: NodeId): void {
    this.down.delete(id);
    this.applied.set(id, []);
    this.machines.set(id, []);
    this.start(id);
  }

  commands(id: NodeId): string[] {
    return this.applied.get(id)!.map((a) => a.command);
  }

  /**
   * Start a node that is not in the initial configuration (on a new MemoryLog), configured
   * with `voters` (default: none, so the log's membership entries decide what it is). It
   * joins `ids`, so `tickAll` and `partition` include it from now on.
   */
  addNode(id: NodeId, voters: NodeId[] = []): RaftNode {
    if (this.nodes.has(id)) throw new Error(`node ${id} exists`);
    this.ids.push(id);
    this.startVoters.set(id, [...voters]);
    this.logs.set(id, this.newLog());
    this.applied.set(id, []);
    this.machines.set(id, []);
    this.actions.set(id, []);
    this.start(id);
    return this.node(id);
  }

  /** The node snapshots its state machine at its applied index (data: the comma-joined commands). */
  snapshot(id: NodeId): Action[] {
    const node = this.node(id);
    const data = bytes(this.machines.get(id)!.join(','));
    return this.step(id, { type: 'snapshot', index: node.appliedIndex(), data });
  }

  /** Deliver `m` now, as if it had just arrived (unless its receiver is down or cut off). */
  deliver(m: Message): void {
    if (this.down.has(m.to) || this.cut.has(`${m.from}->${m.to}`)) return;
    this.step(m.to, { type: 'message', message: m });
  }

  /** Deliver queued messages matching `pred`, in queue order, until none is left (bounded). */
  deliverWhere(pred: (m: Message) => boolean, limit = 100_000): void {
    for (let n = 0; n < limit; n++) {
      const i = this.queue.findIndex(pred);
      if (i < 0) return;
      this.deliverAt(i);
    }
  }

  /** Every action of `type` that node `id` returned so far. */
  actionsOf<T extends Action['type']>(id: NodeId, type: T): Extract<Action, { type: T }>[] {
    return this.actions.get(id)!.filter((a): a is Extract<Action, { type: T }> => a.type === type);
  }

  /** Every message node `id` sent so far (whether or not it was delivered). */
  sentBy(id: NodeId): Message[] {
    return this.actionsOf(id, 'send').map((a) => a.message);
  }

  /** Whether every listed node that is up has applied the leader's whole log. */
  caughtUp(ids: readonly NodeId[] = this.ids): boolean {
    const leader = this.leader();
    if (!leader) return false;
    return ids.every((id) => this.down.has(id) || this.node(id).appliedIndex() === leader.lastIndex());
  }
}

export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
