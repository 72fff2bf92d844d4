/**
 * `Workload`: key-value clients against the simulated cluster, behaving as real clients do.
 * Each client runs one operation at a time on a small key space: puts and compare-and-sets
 * go through `propose` on the node it believes is leader, gets through `read` (ReadIndex),
 * sometimes on a follower. A `NotLeaderError` redirects it to the leader hint and it retries
 * (as a new operation in the history); an operation not answered within `timeoutTicks` is
 * recorded as unknown (it may still take effect) and retried against another node.
 *
 * Outcomes follow the action contract: a proposal succeeded iff an `apply` arrives at its
 * accepted index with its term on the node that accepted it; an `apply` there with another
 * term, or a later index applied without it, means it failed. A restore that skips past it
 * leaves the outcome unknown.
 */
import type { Action, NodeId, RaftError } from '@raft-io/core';
import { encodeKvCommand } from '../kv/kv-command.js';
import type { KvResult } from '../kv/kv-state-machine.js';
import { HistoryRecorder, type KvInput, type KvOutput } from '../linearizability/history.js';
import type { Prng } from '../prng.js';
import { isRaftError } from '../raft-error.js';
import type { Cluster, ClusterListener } from './cluster.js';

export interface WorkloadOptions {
  /** Number of clients, each with at most one operation in flight. Default 3. */
  readonly clients?: number;
  /** Number of keys, `k0` .. `k{n-1}`. Default 3. */
  readonly keys?: number;
  /** Probability that an idle client starts an operation on a given tick. Default 0.5. */
  readonly rate?: number;
  /** Ticks a client waits for an answer before it gives up (outcome unknown). Default 50. */
  readonly timeoutTicks?: number;
  /** Fraction of operations that are gets. Default 0.4. */
  readonly readRatio?: number;
  /** Fraction of operations that are compare-and-sets. Default 0.2. */
  readonly casRatio?: number;
  /** Probability that a get goes to a random node (a follower read via ReadIndex). Default 0.3. */
  readonly followerReads?: number;
}

export interface WorkloadStats {
  invoked: number;
  ok: number;
  fail: number;
  unknown: number;
}

interface Op {
  readonly hid: number;
  readonly input: KvInput;
  readonly node: NodeId;
  readonly incarnation: number;
  readonly deadline: number;
  index?: number;
  term?: number;
  readId?: string;
}

interface Client {
  readonly id: number;
  target: NodeId;
  op: Op | null;
  /** An operation to run again (after a redirect or a timeout). */
  retry: KvInput | null;
  wakeAt: number;
  seq: number;
  /** The last value this client saw per key: what its cas operations expect. */
  readonly seen: Map<string, string | null>;
}

export class Workload implements ClusterListener {
  readonly history = new HistoryRecorder<KvInput, KvOutput>();
  readonly stats: WorkloadStats = { invoked: 0, ok: 0, fail: 0, unknown: 0 };
  private readonly clients: Client[] = [];
  private readonly keys: number;
  private readonly rate: number;
  private readonly timeoutTicks: number;
  private readonly readRatio: number;
  private readonly casRatio: number;
  private readonly followerReads: number;
  private proposing: Op | null = null;
  private stopped = false;

  constructor(
    private readonly cluster: Cluster,
    private readonly prng: Prng,
    options: WorkloadOptions = {},
  ) {
    this.keys = options.keys ?? 3;
    this.rate = options.rate ?? 0.5;
    this.timeoutTicks = options.timeoutTicks ?? 50;
    this.readRatio = options.readRatio ?? 0.4;
    this.casRatio = options.casRatio ?? 0.2;
    this.followerReads = options.followerReads ?? 0.3;
    const n = options.clients ?? 3;
    for (let id = 0; id < n; id++) {
      this.clients.push({
        id,
        target: prng.pick(cluster.ids),
        op: null,
        retry: null,
        wakeAt: 0,
        seq: 0,
        seen: new Map(),
      });
    }
    cluster.addListener(this);
  }

  /** No new operations from now on; those in flight still complete or time out. */
  stop(): void {
    this.stopped = true;
  }

  /** Operations in flight. */
  pending(): number {
    let n = 0;
    for (const c of this.clients) if (c.op !== null) n++;
    return n;
  }

  /** Let every client act once (call at each tick, before the cluster ticks). */
  tick(): void {
    const now = this.cluster.ticks;
    for (const c of this.clients) {
      if (c.op !== null && now >= c.op.deadline) {
        this.cluster.trace.note(this.cluster.time, `client ${c.id} times out on op ${c.op.hid}`);
        this.complete(c, 'unknown');
        c.target = this.prng.pick(this.cluster.ids);
      }
      if (c.op !== null || this.stopped || now < c.wakeAt) continue;
      if (c.retry === null && !this.prng.chance(this.rate)) continue;
      const input = c.retry ? this.again(c, c.retry) : this.randomInput(c);
      c.retry = null;
      this.submit(c, input);
    }
  }

  private randomInput(c: Client): KvInput {
    const key = `k${this.prng.int(this.keys)}`;
    const r = this.prng.float();
    if (r < this.readRatio) return { kind: 'get', key };
    const value = `c${c.id}.${c.seq++}`;
    if (r < this.readRatio + this.casRatio) {
      const expected = c.seen.has(key) ? c.seen.get(key)! : null;
      return { kind: 'cas', key, expected, value };
    }
    return { kind: 'put', key, value };
  }

  /** The same request again, with a fresh value so every write in the history is unique. */
  private again(c: Client, input: KvInput): KvInput {
    if (input.kind === 'get') return input;
    return { ...input, value: `c${c.id}.${c.seq++}` };
  }

  private submit(c: Client, input: KvInput): void {
    const cluster = this.cluster;
    const now = cluster.ticks;
    let target = c.target;
    if (input.kind === 'get' && this.prng.chance(this.followerReads)) target = this.prng.pick(cluster.ids);
    if (!cluster.isLive(target)) {
      // Connection refused (crashed) or no answer to connect (paused): nothing was sent.
      c.target = this.pickOther(target);
      c.retry = input;
      c.wakeAt = now + 1;
      return;
    }
    const hid = this.history.invoke(c.id, input);
    this.stats.invoked++;
    const op: Op = {
      hid,
      input,
      node: target,
      incarnation: cluster.runtime(target).incarnation,
      deadline: now + this.timeoutTicks,
    };
    c.op = op;
    try {
      if (input.kind === 'get') {
        op.readId = `c${c.id}.r${hid}`;
        cluster.step(target, { type: 'read', id: op.readId });
      } else {
        const command = encodeKvCommand(
          input.kind === 'put'
            ? { kind: 'put', key: input.key, value: input.value }
            : { kind: 'cas', key: input.key, expected: input.expected, value: input.value },
        );
        this.proposing = op;
        try {
          cluster.step(target, { type: 'propose', command });
        } finally {
          this.proposing = null;
        }
      }
    } catch (err) {
      if (!isRaftError(err)) throw err;
      // Rejected before anything happened: it definitely took no effect.
      if (c.op === op) this.complete(c, 'fail');
      const hint = err.code === 'NOT_LEADER' ? (err as RaftError & { leader: NodeId | null }).leader : null;
      c.target = hint ?? this.pickOther(target);
      c.retry = input;
      c.wakeAt = now + (hint === null ? 2 : 0);
    }
  }

  private pickOther(id: NodeId): NodeId {
    const others = this.cluster.ids.filter((x) => x !== id);
    return others.length === 0 ? id : this.prng.pick(others);
  }

  onAction(node: NodeId, incarnation: number, action: Action, result: KvResult | undefined): void {
    switch (action.type) {
      case 'accepted': {
        const op = this.proposing;
        if (op !== null && op.node === node && op.index === undefined) {
          op.index = action.firstIndex;
          op.term = action.term;
        }
        return;
      }
      case 'apply':
        for (const c of this.clients) {
          const op = c.op;
          if (op === null || op.index === undefined || op.node !== node || op.incarnation !== incarnation)
            continue;
          if (action.index === op.index) {
            if (action.term === op.term) this.completeOk(c, result);
            else this.complete(c, 'fail');
          } else if (action.index > op.index) {
            // Applies come in order: the entry at our index was not our command.
            this.complete(c, 'fail');
          }
        }
        return;
      case 'restore':
        for (const c of this.clients) {
          const op = c.op;
          if (op === null || op.index === undefined || op.node !== node || op.incarnation !== incarnation)
            continue;
          // The snapshot may or may not include our entry.
          if (op.index <= action.snapshot.metadata.index) this.complete(c, 'unknown');
        }
        return;
      case 'read-ready':
      case 'read-failed':
        for (const c of this.clients) {
          const op = c.op;
          if (op === null || op.readId !== action.id || op.node !== node || op.incarnation !== incarnation)
            continue;
          if (action.type === 'read-failed') {
            this.complete(c, 'fail');
          } else {
            const value = this.cluster.runtime(node).kv.get(op.input.key);
            this.history.ok(op.hid, { kind: 'get', value });
            this.stats.ok++;
            c.seen.set(op.input.key, value);
            c.op = null;
          }
        }
        return;
      default:
        return;
    }
  }

  private completeOk(c: Client, result: KvResult | undefined): void {
    const op = c.op!;
    const input = op.input;
    let output: KvOutput;
    if (input.kind === 'cas') {
      const swapped = result?.kind === 'cas' && result.swapped;
      output = { kind: 'cas', swapped };
      if (swapped) c.seen.set(input.key, input.value);
    } else {
      output = { kind: 'put' };
      if (input.kind === 'put') c.seen.set(input.key, input.value);
    }
    this.history.ok(op.hid, output);
    this.stats.ok++;
    c.op = null;
  }

  private complete(c: Client, outcome: 'fail' | 'unknown'): void {
    const op = c.op!;
    if (outcome === 'fail') {
      this.history.fail(op.hid);
      this.stats.fail++;
    } else {
      this.history.timeout(op.hid);
      this.stats.unknown++;
    }
    // A real client tries again (a new operation in the history).
    c.retry = op.input;
    c.op = null;
  }
}
