/**
 * `RaftServer`: the driver that runs a core `RaftNode` for real (etcd's node.go to core's
 * rawnode). It owns the tick timer, the transport, the log and the user's state machine,
 * and turns the node's actions into I/O and the user's calls into events.
 *
 * The driver loop: everything that arrives while the loop is busy (messages, ticks,
 * proposals, reads, requests) waits in bounded queues. One batch takes all of it, steps it
 * into the core (all waiting proposals as one `propose` with `commands`, all waiting reads
 * as one ReadIndex), then makes the log durable with ONE `sync()` (group commit), and only
 * then carries out the actions of those steps, in order: send, apply, membership, restore,
 * accepted, read-ready / read-failed, state-changed. Then the next batch.
 *
 * With asynchronous storage writes (the default on a group-commit log that has `syncAsync`,
 * as `SqliteLog` does; docs/decisions.md D21) the batch does not wait for the disk: its actions
 * are carried out at once (the core holds back what promises durable state), and the log's
 * fsync runs on the thread pool, one at a time; everything written while it runs goes into
 * the next one (group commit). When it ends, the next batch steps `persisted` first, which
 * releases the held answers, counts the leader's own log, and applies what that commits.
 *
 * Invariant (synchronous writes): no `send` or `apply` of a step is carried out before that
 * step's writes are durable. Invariant (asynchronous writes): at most one sync in flight;
 * the core hears `persisted` only for writes that sync covered. Invariant: `smApplied` (the
 * state machine's index) <= the node's applied index, equal between batches.
 */
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  type AcceptedAction,
  type Action,
  type ApplyAction,
  assertNever,
  DEFAULTS,
  type Event,
  InvalidArgumentError,
  InvalidConfigError,
  LeadershipLostError,
  type Logger,
  type MembershipAction,
  type MembershipChange,
  type Message,
  type NodeId,
  NotLeaderError,
  RaftError,
  type RaftLog,
  RaftNode,
  type RaftTransport,
  type Snapshot,
  type StateChangedAction,
  silentLogger,
} from '@raft-io/core';
import { SqliteLog } from '@raft-io/log-sqlite';
import { type PeerAddress, resolveTcpTransportOptions, TcpTransport } from '@raft-io/transport-tcp';
import { DurabilityTracker } from './durability-tracker.js';
import { ForwardToLeaderError, PendingLimitError, ServerClosedError } from './errors.js';
import { METRIC_NAMES as M, type Metrics, noopMetrics } from './metrics.js';
import { NullTransport } from './null-transport.js';
import {
  formatAddress,
  LOG_FILE_NAME,
  type RaftServerOptions,
  type ResolvedServerOptions,
  resolveServerOptions,
} from './options.js';
import type {
  RaftServerEvents,
  RaftServerStats,
  RaftServerStatus,
  ServerLifecycle,
  ServerState,
} from './server-events.js';
import type { StateMachine } from './state-machine.js';
import { TickClock } from './tick-clock.js';
import { Waiter } from './waiter.js';

/** Options of one call: a deadline and a way to give up. */
export interface CallOptions {
  /** Reject with `AbortedError` when this signal fires. */
  readonly signal?: AbortSignal;
  /** Reject with `TimeoutError` after this many ms; 0: none. Default: the server's option. */
  readonly timeoutMs?: number;
}

/** Options of `addVoter` / `addLearner`. */
export interface AddMemberOptions extends CallOptions {
  /** The new member's transport address, handed to the transport (`setPeerAddress`). */
  readonly address?: PeerAddress;
}

interface Proposal<R> {
  readonly command: Uint8Array;
  readonly waiter: Waiter<R>;
  index: number;
  term: number;
  /** `performance.now()` when the proposal was stepped into the core (for the metrics). */
  steppedAt: number;
}

interface PendingRead {
  readonly waiter: Waiter<unknown>;
  /** `read(fn)`: fn's result; `readIndex()`: undefined, resolves with the index. */
  readonly fn: (() => unknown) | undefined;
}

type Request =
  | {
      readonly kind: 'change-membership';
      readonly changes: readonly MembershipChange[];
      readonly waiter: Waiter<void>;
    }
  | { readonly kind: 'transfer'; readonly to: NodeId; readonly waiter: Waiter<void> }
  | { readonly kind: 'campaign'; readonly waiter: Waiter<void> | null }
  | {
      readonly kind: 'snapshot';
      readonly index: number;
      readonly data: Uint8Array;
      readonly waiters: Waiter<number>[];
    }
  /** The answer to a `restore` the core asked to confirm (a snapshot from the leader). */
  | { readonly kind: 'restore-result'; readonly index: number; readonly ok: boolean };

/** Error codes a request step may throw and still leave the node intact. */
const API_ERROR_CODES = new Set([
  'NOT_LEADER',
  'INVALID_ARGUMENT',
  'INVALID_CONFIG',
  'MEMBERSHIP_CHANGE_PENDING',
  'TRANSFER_IN_PROGRESS',
  'UNCOMMITTED_LIMIT',
]);

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A fatal failure as a `RaftError`: storage errors as they are, anything else wrapped. */
function asFatal(error: unknown): RaftError {
  if (error instanceof RaftError && error.code === 'STORAGE') return error;
  return new ServerClosedError(`raft server stopped by a fatal error: ${errorText(error)}`, { cause: error });
}

let serverCount = 0;

export class RaftServer<R = unknown> extends EventEmitter<RaftServerEvents> {
  readonly id: NodeId;
  private readonly options: RaftServerOptions<R>;
  private readonly opts: ResolvedServerOptions;
  private readonly sm: StateMachine<R>;
  private readonly logger: Logger;
  private readonly metrics: Metrics;

  private log!: DurabilityTracker;
  /** Asynchronous storage writes (D21): the core reports what must wait for the disk. */
  private asyncWrites = false;
  /** Asynchronous writes: the sync on the thread pool, at most one. */
  private syncInFlight: Promise<void> | null = null;
  /** Asynchronous writes: the newest write number known durable, and the newest told to the core. */
  private durableSeq = 0;
  private persistedSeq = 0;
  private transport!: RaftTransport;
  private node!: RaftNode;
  private lifecycle: ServerLifecycle = 'new';
  private state: ServerState = { role: 'follower', term: 0, leader: null };
  private timer: NodeJS.Timeout | undefined;
  private fatalError: RaftError | undefined;
  private closePromise: Promise<void> | undefined;
  private startPromise: Promise<this> | undefined;
  private teardownPromise: Promise<void> | undefined;

  // The loop. Invariant: at most one `run` is active (`running`).
  private running = false;
  private scheduled = false;
  private idleWaiters: (() => void)[] = [];
  /** `start` waits here for the first batches: restore and re-apply of the committed tail. */
  private caughtUp: (() => void) | null = null;

  // Inbox, drained by each batch.
  private messages: Message[] = [];
  private ticks = 0;
  private requests: Request[] = [];
  private queuedProposals: Proposal<R>[] = [];
  private queuedReads: PendingRead[] = [];
  /** What the batch in progress took from the inbox, until it is stepped (rejected on a fatal error). */
  private taken: { proposals: Proposal<R>[]; reads: PendingRead[]; requests: Request[] } | null = null;

  // Waiting for the core.
  private readonly awaitingApply = new Map<number, Proposal<R>>();
  private readonly readsInFlight = new Map<string, PendingRead[]>();
  /**
   * The leader's read round in flight. One at a time, as group commit does for writes: reads
   * that arrive meanwhile share the next round (one heartbeat to each follower) instead of
   * opening one each. Held at most one tick interval, in case a round never completes.
   */
  private readRound: { readonly id: string; readonly since: number } | null = null;
  private membershipAwaitingAccept: Waiter<void> | null = null;
  private membershipAwaitingApply: { index: number; term: number; waiter: Waiter<void> } | null = null;
  private transfers: { to: NodeId; waiter: Waiter<void> }[] = [];
  private leaderWaiters: Waiter<NodeId>[] = [];
  private snapshotWaiters: Waiter<number>[] = [];
  private pendingProposals = 0;
  private pendingReads = 0;

  // State machine progress. Invariant: smApplied <= node.appliedIndex().
  private smApplied = 0;
  private snapshotIndex = 0;
  private appliedSinceSnapshot = 0;
  private bytesSinceSnapshot = 0;

  private readonly readPrefix =
    `${process.pid.toString(36)}.${(++serverCount).toString(36)}.${Math.floor(Math.random() * 0xffffffff).toString(36)}`;
  private readSeq = 0;
  private batchesSinceSweep = 0;
  private readonly peerAddresses = new Map<NodeId, string>();
  private counters = {
    batches: 0,
    steps: 0,
    proposals: 0,
    proposeSteps: 0,
    applied: 0,
    messagesSent: 0,
    messagesDropped: 0,
    messagesReceived: 0,
  };

  /** Check the options; nothing is opened until `start()`. Throws `InvalidConfigError`. */
  constructor(options: RaftServerOptions<R>) {
    super();
    this.opts = resolveServerOptions(options as RaftServerOptions<unknown>);
    this.options = options;
    this.id = options.id;
    this.sm = options.stateMachine;
    this.logger = options.logger ?? silentLogger;
    this.metrics = options.metrics ?? noopMetrics;
    // The transport's options are checked now, not at start(): a missing cluster secret or
    // `insecure` on a public address is a configuration error of the constructor.
    if (options.tcp && !options.transport) resolveTcpTransportOptions({ ...options.tcp, id: options.id });
    const peers = options.tcp?.peers;
    if (peers) {
      const entries =
        peers instanceof Map
          ? [...peers.entries()]
          : Object.entries(peers).map(([k, v]) => [Number(k), v] as const);
      for (const [peer, address] of entries) this.peerAddresses.set(peer, formatAddress(address));
    }
    for (const [peer, address] of Object.entries(options.peerAddresses ?? {}))
      this.peerAddresses.set(Number(peer), address);
  }

  // ---------------------------------------------------------------------------------------
  // Life cycle

  /**
   * Open the log, build the node on it (a restart if the log holds state), start the
   * transport and the tick timer. Resolves once the state machine has been restored from
   * the last snapshot and the committed entries after it re-applied. A cluster of one
   * voter campaigns at once, so it is the leader when `start` resolves.
   */
  start(): Promise<this> {
    this.startPromise ??= this.doStart();
    return this.startPromise;
  }

  private async doStart(): Promise<this> {
    if (this.lifecycle !== 'new') throw new ServerClosedError('the raft server was closed before it started');
    this.lifecycle = 'starting';
    const o = this.options;
    let inner: RaftLog | undefined;
    try {
      let groupCommit: boolean;
      if (o.log) {
        inner = o.log;
        groupCommit =
          typeof inner.sync === 'function' && !(inner instanceof SqliteLog && !inner.options.groupCommit);
      } else {
        mkdirSync(o.dataDir!, { recursive: true });
        // The log remembers which node of which cluster it belongs to: opening it as another
        // node or cluster fails and changes nothing.
        const identity = o.tcp ? { identity: { nodeId: o.id, clusterId: o.tcp.clusterId } } : {};
        const sqlite = SqliteLog.open(join(o.dataDir!, LOG_FILE_NAME), {
          groupCommit: true,
          ...identity,
          ...o.sqlite,
        });
        inner = sqlite;
        groupCommit = sqlite.options.groupCommit;
      }
      this.log = new DurabilityTracker(inner, groupCommit);
      this.asyncWrites = o.raft?.asyncStorageWrites ?? this.log.canSyncAsync;
      this.node = new RaftNode(
        {
          // A snapshot from the leader is restored before it replaces the log (see restoreReceived).
          confirmRestore: true,
          asyncStorageWrites: this.asyncWrites,
          ...o.raft,
          id: o.id,
          voters: o.voters ?? [o.id],
          ...(o.learners ? { learners: o.learners } : {}),
        },
        this.log,
      );
      this.state = { role: this.node.role(), term: this.node.term(), leader: this.node.leader() };
      this.snapshotIndex = this.log.snapshotMetadata()?.index ?? 0;
      this.transport = this.buildTransport();
      await this.transport.start((message) => this.onMessage(message));
    } catch (error) {
      this.lifecycle = 'failed';
      this.fatalError = error instanceof RaftError ? error : asFatal(error);
      try {
        inner?.close?.();
      } catch {
        /* the start error is the one to report */
      }
      throw error;
    }
    if (this.closePromise) {
      // close() was called while starting: it finishes the job.
      this.lifecycle = 'running';
      return this;
    }
    this.lifecycle = 'running';
    // Ticks come from a monotonic clock: after a pause every tick owed is fed (the lease
    // assumes no lost ticks), at most four election timeouts' worth.
    const electionTick = this.options.raft?.electionTick ?? DEFAULTS.electionTick;
    const clock = new TickClock(this.opts.tickIntervalMs, 4 * electionTick);
    this.timer = setInterval(() => {
      const owed = clock.owed();
      if (owed === 0) return;
      this.ticks += owed;
      this.schedule();
    }, this.opts.tickIntervalMs);
    // The first step restores the last snapshot and re-applies the committed tail. A lone
    // voter campaigns at once instead of waiting out an election timeout.
    const voters = this.node.membership().voters;
    if (voters.length === 1 && voters[0] === this.id && this.node.membership().outgoingVoters.length === 0) {
      this.requests.push({ kind: 'campaign', waiter: null });
    } else {
      this.ticks++;
    }
    await new Promise<void>((resolve) => {
      this.caughtUp = resolve;
      this.schedule();
    });
    if ((this.lifecycle as ServerLifecycle) === 'failed') throw this.fatalError!;
    this.logger.info({ id: this.id, term: this.state.term, role: this.state.role }, 'raft server started');
    return this;
  }

  private buildTransport(): RaftTransport {
    const o = this.options;
    if (o.transport) return o.transport;
    if (o.tcp) return new TcpTransport({ ...o.tcp, id: o.id, logger: this.logger });
    const voters = this.node.membership().voters;
    if (voters.length === 1 && voters[0] === o.id && this.node.membership().learners.length === 0) {
      return new NullTransport(o.id);
    }
    throw new InvalidConfigError('tcp', 'a cluster of more than one member needs tcp or transport');
  }

  /**
   * Stop: the tick timer stops, the batch in progress finishes (its actions carried out),
   * everything pending rejects with `ServerClosedError`, then the transport and the log
   * close. Idempotent; resolves when every handle is released.
   */
  close(): Promise<void> {
    this.closePromise ??= this.doClose();
    return this.closePromise;
  }

  private async doClose(): Promise<void> {
    if (this.lifecycle === 'new') {
      this.lifecycle = 'closed';
      this.emitSafe('close');
      return;
    }
    if (this.startPromise) await this.startPromise.catch(() => {});
    if (this.lifecycle === 'failed') {
      await this.teardownPromise;
      this.emitSafe('close');
      return;
    }
    this.lifecycle = 'closing';
    this.stopTimer();
    await this.whenIdle();
    this.rejectAll(new ServerClosedError());
    await this.teardown();
    this.lifecycle = 'closed';
    this.logger.info({ id: this.id }, 'raft server closed');
    this.emitSafe('close');
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private teardown(): Promise<void> {
    this.teardownPromise ??= (async () => {
      // The log's descriptors stay open until the fsync on the thread pool is done with them.
      await this.syncInFlight?.catch(() => {});
      try {
        await this.transport?.close();
      } catch (error) {
        this.logger.warn({ err: error }, 'closing the transport failed');
      }
      try {
        this.log?.close();
      } catch (error) {
        this.logger.warn({ err: error }, 'closing the log failed');
      }
    })();
    return this.teardownPromise;
  }

  /** A fatal error: stop at once, reject everything, release the transport and log. */
  private fail(error: RaftError): void {
    if (this.lifecycle === 'closed' || this.lifecycle === 'failed') return;
    this.lifecycle = 'failed';
    this.fatalError = error;
    this.stopTimer();
    this.logger.error({ err: error, id: this.id }, 'raft server stopped by a fatal error');
    this.rejectAll(error);
    void this.teardown();
    if (this.listenerCount('error') > 0) this.emitSafe('error', error);
  }

  /** The error a call gets when the server cannot take it, or undefined. */
  private unavailable(): RaftError | undefined {
    if (this.lifecycle === 'running') return undefined;
    if (this.lifecycle === 'failed') {
      return new ServerClosedError('the raft server stopped after a fatal error', { cause: this.fatalError });
    }
    if (this.lifecycle === 'new' || this.lifecycle === 'starting') {
      return new ServerClosedError('the raft server is not started');
    }
    return new ServerClosedError();
  }

  // ---------------------------------------------------------------------------------------
  // The user's calls

  /**
   * Propose `command`. Resolves with the state machine's result once the command is
   * committed and applied on this node; rejects with `ForwardToLeaderError` on a follower
   * (`leader`, `leaderAddress` say where to go), `LeadershipLostError` if this node lost
   * leadership before the command applied (outcome unknown: it may still commit),
   * `TimeoutError` / `AbortedError` (outcome unknown once appended), `PendingLimitError`
   * when too many proposals wait, `ServerClosedError` on close, the `StorageError` that
   * stopped the server, or the value the state machine's `apply` threw.
   */
  propose(command: Uint8Array, options: CallOptions = {}): Promise<R> {
    if (!(command instanceof Uint8Array)) {
      return Promise.reject(new InvalidArgumentError('a proposed command must be a Uint8Array'));
    }
    const unavailable = this.unavailable();
    if (unavailable) return Promise.reject(unavailable);
    if (!this.node.isLeader()) return Promise.reject(this.notLeader());
    if (this.pendingProposals >= this.opts.maxPendingProposals) {
      this.metrics.increment(M.proposalsFailed);
      return Promise.reject(new PendingLimitError(this.opts.maxPendingProposals, 'proposals'));
    }
    this.pendingProposals++;
    this.metrics.increment(M.proposals);
    const waiter: Waiter<R> = new Waiter<R>({
      timeoutMs: options.timeoutMs ?? this.opts.proposalTimeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
      what: 'proposal',
      onSettle: (ok) => {
        this.pendingProposals--;
        if (ok) this.metrics.observe(M.proposeLatency, (performance.now() - waiter.startedAt) / 1000);
        else this.metrics.increment(M.proposalsFailed);
      },
    });
    if (!waiter.done) {
      this.queuedProposals.push({ command, waiter, index: 0, term: 0, steppedAt: 0 });
      this.schedule();
    }
    return waiter.promise;
  }

  /**
   * A linearizable read: resolves with `fn()` run against the state machine once it has
   * applied everything committed before the call (ReadIndex, §6.4). `fn` runs inside the
   * driver loop, between two applies: read the state machine synchronously in it. Works on
   * followers (the leader confirms the read index); rejects with `NotLeaderError` when no
   * leader is known, `LeadershipLostError` when leadership changed before confirmation
   * (retry), `TimeoutError`, `AbortedError`, `PendingLimitError`, `ServerClosedError`.
   */
  read<T>(fn: () => T, options: CallOptions = {}): Promise<T> {
    if (typeof fn !== 'function') return Promise.reject(new InvalidArgumentError('read needs a function'));
    return this.enqueueRead(fn, options) as Promise<T>;
  }

  /** `read` without a function: resolves with the read index once it is applied here. */
  readIndex(options: CallOptions = {}): Promise<number> {
    return this.enqueueRead(undefined, options) as Promise<number>;
  }

  private enqueueRead(fn: (() => unknown) | undefined, options: CallOptions): Promise<unknown> {
    const unavailable = this.unavailable();
    if (unavailable) return Promise.reject(unavailable);
    if (this.pendingReads >= this.opts.maxPendingReads) {
      this.metrics.increment(M.readsFailed);
      return Promise.reject(new PendingLimitError(this.opts.maxPendingReads, 'reads'));
    }
    this.pendingReads++;
    this.metrics.increment(M.reads);
    const waiter: Waiter<unknown> = new Waiter<unknown>({
      timeoutMs: options.timeoutMs ?? this.opts.readTimeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
      what: 'read',
      onSettle: (ok) => {
        this.pendingReads--;
        if (ok) this.metrics.observe(M.readLatency, (performance.now() - waiter.startedAt) / 1000);
        else this.metrics.increment(M.readsFailed);
      },
    });
    if (!waiter.done) {
      this.queuedReads.push({ waiter, fn });
      this.schedule();
    }
    return waiter.promise;
  }

  /** Add `id` as a voter (single-server change). Resolves once the change is committed and in force. */
  addVoter(id: NodeId, options: AddMemberOptions = {}): Promise<void> {
    if (options.address) this.setPeerAddress(id, options.address);
    return this.changeMembership([{ type: 'add-voter', id }], options);
  }

  /** Add `id` as a learner (receives the log, never votes). Resolves once in force. */
  addLearner(id: NodeId, options: AddMemberOptions = {}): Promise<void> {
    if (options.address) this.setPeerAddress(id, options.address);
    return this.changeMembership([{ type: 'add-learner', id }], options);
  }

  /** Remove voter or learner `id` (the leader itself included). Resolves once in force. */
  removeMember(id: NodeId, options: CallOptions = {}): Promise<void> {
    return this.changeMembership([{ type: 'remove', id }], options);
  }

  /**
   * Change the membership on the leader. One change is a single-server change; several go
   * through joint consensus, and this resolves once the joint configuration is committed (the
   * leader then leaves the joint state by itself). Rejects with `ForwardToLeaderError`,
   * `MembershipChangePendingError` (one change at a time), `LeadershipLostError`, ...
   */
  changeMembership(changes: readonly MembershipChange[], options: CallOptions = {}): Promise<void> {
    return this.request('membership change', options, (waiter) => ({
      kind: 'change-membership',
      changes,
      waiter,
    }));
  }

  /**
   * Hand leadership to voter `to` (§3.10). Resolves once this node sees `to` as leader;
   * `TimeoutError` if that does not happen in time (the core abandons a transfer after an
   * election timeout).
   */
  transferLeadership(to: NodeId, options: CallOptions = {}): Promise<void> {
    return this.request('leadership transfer', options, (waiter) => ({ kind: 'transfer', to, waiter }));
  }

  /** Start an election now (pre-vote first), as if the election timeout fired. Resolves once stepped. */
  campaign(): Promise<void> {
    const unavailable = this.unavailable();
    if (unavailable) return Promise.reject(unavailable);
    const waiter = new Waiter<void>({ what: 'campaign' });
    this.requests.push({ kind: 'campaign', waiter });
    this.schedule();
    return waiter.promise;
  }

  private request(
    what: string,
    options: CallOptions,
    build: (waiter: Waiter<void>) => Request,
  ): Promise<void> {
    const unavailable = this.unavailable();
    if (unavailable) return Promise.reject(unavailable);
    if (!this.node.isLeader()) return Promise.reject(this.notLeader());
    const waiter = new Waiter<void>({
      timeoutMs: options.timeoutMs ?? this.opts.adminTimeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
      what,
    });
    if (!waiter.done) {
      this.requests.push(build(waiter));
      this.schedule();
    }
    return waiter.promise;
  }

  /**
   * Take a snapshot of the state machine now and compact the log behind it (besides the
   * automatic policy). Resolves with the snapshot's index.
   */
  snapshot(options: CallOptions = {}): Promise<number> {
    const unavailable = this.unavailable();
    if (unavailable) return Promise.reject(unavailable);
    const waiter = new Waiter<number>({
      timeoutMs: options.timeoutMs ?? this.opts.adminTimeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
      what: 'snapshot',
    });
    if (!waiter.done) {
      this.snapshotWaiters.push(waiter);
      this.schedule();
    }
    return waiter.promise;
  }

  /** Resolves with the leader's id once one is known (at once if it is). */
  waitForLeader(options: CallOptions = {}): Promise<NodeId> {
    const unavailable = this.unavailable();
    if (unavailable) return Promise.reject(unavailable);
    if (this.state.leader !== null) return Promise.resolve(this.state.leader);
    const waiter = new Waiter<NodeId>({
      timeoutMs: options.timeoutMs ?? this.opts.adminTimeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
      what: 'wait for a leader',
    });
    if (!waiter.done) this.leaderWaiters.push(waiter);
    return waiter.promise;
  }

  /**
   * Tell the server (and its transport, if it has `setPeer`, as `TcpTransport` does) where
   * peer `id` listens.
   */
  setPeerAddress(id: NodeId, address: PeerAddress): void {
    this.peerAddresses.set(id, formatAddress(address));
    const transport = (this.transport ?? this.options.transport) as
      | { setPeer?: (id: NodeId, address: PeerAddress) => void }
      | undefined;
    if (this.lifecycle === 'running' || this.lifecycle === 'starting') transport?.setPeer?.(id, address);
  }

  /** The address the built-in `TcpTransport` listens on (port 0 resolved), or null. */
  address(): PeerAddress | null {
    const transport = this.transport as { address?: () => PeerAddress | null } | undefined;
    return transport?.address?.() ?? null;
  }

  /** Whether this node is the leader. */
  isLeader(): boolean {
    return this.state.role === 'leader';
  }

  /** The leader this node knows of, or null. */
  leader(): NodeId | null {
    return this.state.leader;
  }

  /** The index applied to the state machine (cheap; `status()` builds a whole view). */
  appliedIndex(): number {
    return this.smApplied;
  }

  /** A point-in-time view of the node and the driver. */
  status(): RaftServerStatus {
    const node = this.node?.status();
    const leaderAddress =
      this.state.leader === null ? null : (this.peerAddresses.get(this.state.leader) ?? null);
    const base = node ?? {
      id: this.id,
      role: this.state.role,
      term: this.state.term,
      vote: null,
      leader: null,
      commitIndex: 0,
      appliedIndex: 0,
      firstIndex: 1,
      lastIndex: 0,
      membership: { voters: [], learners: [], outgoingVoters: [] },
      leadTransferee: null,
      removed: false,
      malformedMessages: 0,
      ignoredFromRemoved: 0,
      termExhausted: false,
    };
    return {
      ...base,
      appliedIndex: this.smApplied,
      lifecycle: this.lifecycle,
      leaderAddress,
      pendingProposals: this.pendingProposals,
      pendingReads: this.pendingReads,
      snapshotIndex: this.snapshotIndex,
    };
  }

  /** Driver counters (see `RaftServerStats`). */
  stats(): RaftServerStats {
    return {
      ...this.counters,
      logWrites: this.log?.writes ?? 0,
      durableWrites: this.log?.durableWrites ?? 0,
    };
  }

  // ---------------------------------------------------------------------------------------
  // The loop

  private onMessage(message: Message): void {
    if (this.lifecycle !== 'running') return;
    this.counters.messagesReceived++;
    this.metrics.increment(M.messagesReceived);
    if (this.messages.length >= this.opts.maxQueuedMessages) {
      this.metrics.increment(M.messagesDropped);
      return;
    }
    this.messages.push(message);
    this.schedule();
  }

  /**
   * Committed entries the core has not handed out yet (it bounds the apply work of a step);
   * with asynchronous writes only those it may apply now (up to its durable index).
   */
  private applyBacklog(): boolean {
    return this.node.appliedIndex() < Math.min(this.node.commitIndex(), this.node.durableIndex());
  }

  private hasWork(): boolean {
    return (
      this.applyBacklog() ||
      this.durableSeq > this.persistedSeq ||
      this.snapshotWaiters.length > 0 ||
      this.messages.length > 0 ||
      this.ticks > 0 ||
      this.requests.length > 0 ||
      this.queuedProposals.length > 0 ||
      (this.queuedReads.length > 0 && !this.readsHeld())
    );
  }

  /** Whether waiting reads wait for the leader's read round in flight (see `readRound`). */
  private readsHeld(): boolean {
    const round = this.readRound;
    if (round === null) return false;
    if (this.state.role === 'leader' && performance.now() - round.since < this.opts.tickIntervalMs)
      return true;
    this.readRound = null;
    return false;
  }

  private schedule(): void {
    if (this.scheduled || this.running || this.lifecycle !== 'running') return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.run();
    });
  }

  /** Resolves once no batch is running. */
  private whenIdle(): Promise<void> {
    if (!this.running && !this.scheduled) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.lifecycle === 'running' && this.hasWork()) {
        await this.runBatch();
        // Let I/O in: what arrives meanwhile forms the next batch.
        if (this.lifecycle === 'running' && this.hasWork()) await new Promise<void>((r) => setImmediate(r));
      }
    } catch (error) {
      this.fail(asFatal(error));
    } finally {
      this.running = false;
      if (this.lifecycle !== 'running') this.releaseCaughtUp();
      if (!this.scheduled) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
    }
  }

  /** One batch: step everything waiting, one durable write, then carry out the actions. */
  private async runBatch(): Promise<void> {
    const steps: Action[][] = [];
    const stepsBefore = this.counters.steps;
    const writesBefore = this.log.writes;

    if (this.durableSeq > this.persistedSeq) {
      // The disk caught up: held answers leave, the leader counts its log, commits apply.
      this.persistedSeq = this.durableSeq;
      steps.push(this.step({ type: 'persisted', seq: this.persistedSeq }));
    }

    const messages = this.messages;
    this.messages = [];
    for (const message of messages) steps.push(this.step({ type: 'message', message }));

    let ticks = this.ticks;
    this.ticks = 0;
    for (; ticks > 0; ticks--) steps.push(this.step({ type: 'tick' }));
    this.batchesSinceSweep++;

    const requests = this.requests;
    this.requests = [];
    const proposals = this.queuedProposals;
    this.queuedProposals = [];
    const held = this.readsHeld();
    const reads = held ? [] : this.queuedReads.filter((r) => !r.waiter.done);
    if (!held) this.queuedReads = [];
    this.taken = { proposals, reads, requests };

    for (const request of requests) {
      const actions = this.stepRequest(request);
      if (actions) steps.push(actions);
    }

    let next = 0;
    while (next < proposals.length) {
      const chunk: Proposal<R>[] = [];
      let bytes = 0;
      for (; next < proposals.length && chunk.length < this.opts.maxBatchCommands; next++) {
        const p = proposals[next]!;
        if (p.waiter.done) continue;
        if (chunk.length > 0 && bytes + p.command.length > this.opts.maxBatchBytes) break;
        chunk.push(p);
        bytes += p.command.length;
      }
      if (chunk.length > 0) {
        const actions = this.stepProposals(chunk);
        if (actions) steps.push(actions);
      }
    }

    if (reads.length > 0) {
      const actions = this.stepReads(reads);
      if (actions) steps.push(actions);
    }
    this.taken = null;

    if (steps.length === 0 && this.applyBacklog()) {
      // Nothing arrived but committed entries wait: `advance` hands out the next applies.
      steps.push(this.step({ type: 'advance' }));
    }

    if (this.asyncWrites) {
      // The disk works in parallel: the actions go out now, the core holds back the rest.
      this.startSync();
    } else {
      // Group commit: one durable write for every step of the batch, before any send or apply.
      const syncStart = performance.now();
      if (this.log.sync()) {
        this.metrics.observe(M.syncDuration, (performance.now() - syncStart) / 1000);
        this.metrics.increment(M.durableWrites);
      } else if (!this.log.groupCommit && this.log.writes > writesBefore) {
        this.metrics.increment(M.durableWrites, this.log.writes - writesBefore);
      }
    }
    this.counters.batches++;
    this.metrics.increment(M.batches);
    this.metrics.observe(M.batchEvents, this.counters.steps - stepsBefore);

    const appliedBefore = this.smApplied;
    for (const actions of steps) {
      for (const action of actions) {
        const pending = this.carryOut(action);
        if (pending) await pending;
      }
    }
    // Every action is carried out: the state machine is at the node's applied index (entries
    // without an action, such as a new leader's empty entry, change nothing).
    this.smApplied = Math.max(this.smApplied, this.node.appliedIndex());
    if (this.smApplied !== appliedBefore) this.emitSafe('applied', this.smApplied);
    await this.afterBatch();
    // Caught up: nothing committed left to apply and, with asynchronous writes, the disk has
    // reported everything (a lone voter's self-vote counts only then).
    if (!this.applyBacklog() && this.syncInFlight === null && this.durableSeq === this.persistedSeq) {
      this.releaseCaughtUp();
    }
  }

  /**
   * Asynchronous writes: start a sync of everything written so far unless one is in flight
   * (when it ends, the batch that reports it starts the next one: group commit). A log that
   * cannot sync in the background syncs here, or is durable on write already.
   */
  private startSync(): void {
    if (this.syncInFlight !== null) return;
    const seq = this.node.writeSeq();
    if (seq <= this.durableSeq) return;
    const started = performance.now();
    if (!this.log.canSyncAsync) {
      const writesBefore = this.log.durableWrites;
      if (this.log.sync()) this.metrics.observe(M.syncDuration, (performance.now() - started) / 1000);
      this.metrics.increment(M.durableWrites, this.log.durableWrites - writesBefore);
      this.durableSeq = seq;
      return;
    }
    this.syncInFlight = this.log.syncInBackground().then(
      (ran) => {
        this.syncInFlight = null;
        if (ran) {
          this.metrics.observe(M.syncDuration, (performance.now() - started) / 1000);
          this.metrics.increment(M.durableWrites);
        }
        this.durableSeq = seq;
        this.schedule();
      },
      (error: unknown) => {
        this.syncInFlight = null;
        this.fail(asFatal(error));
      },
    );
  }

  private releaseCaughtUp(): void {
    const resolve = this.caughtUp;
    this.caughtUp = null;
    resolve?.();
  }

  /** Step a message or tick: any throw is fatal. */
  private step(event: Event): Action[] {
    this.counters.steps++;
    return this.node.step(event);
  }

  /** Step a user's event: an API error rejects the caller; anything else is fatal. */
  private tryStep(event: Event): { actions: Action[] } | { error: RaftError } {
    try {
      return { actions: this.step(event) };
    } catch (error) {
      if (error instanceof RaftError && API_ERROR_CODES.has(error.code)) {
        return { error: error instanceof NotLeaderError ? this.notLeader() : error };
      }
      throw error;
    }
  }

  private stepRequest(request: Request): Action[] | null {
    switch (request.kind) {
      case 'snapshot': {
        const result = this.tryStep({ type: 'snapshot', index: request.index, data: request.data });
        if ('error' in result) {
          for (const w of request.waiters) w.reject(result.error);
          return null;
        }
        this.snapshotIndex = Math.max(this.snapshotIndex, this.log.snapshotMetadata()?.index ?? 0);
        this.metrics.increment(M.snapshots);
        this.logger.debug({ index: request.index, bytes: request.data.length }, 'snapshot taken');
        this.emitSafe('snapshot', request.index, request.data.length);
        for (const w of request.waiters) w.resolve(request.index);
        return result.actions;
      }
      case 'restore-result': {
        const result = this.tryStep({ type: 'restore-result', index: request.index, ok: request.ok });
        return 'error' in result ? null : result.actions;
      }
      case 'campaign': {
        const result = this.tryStep({ type: 'campaign' });
        if ('error' in result) {
          request.waiter?.reject(result.error);
          return null;
        }
        request.waiter?.resolve();
        return result.actions;
      }
      case 'transfer': {
        if (request.waiter.done) return null;
        const result = this.tryStep({ type: 'transfer-leadership', to: request.to });
        if ('error' in result) {
          request.waiter.reject(result.error);
          return null;
        }
        if (request.to === this.id) request.waiter.resolve();
        else this.transfers.push({ to: request.to, waiter: request.waiter });
        return result.actions;
      }
      case 'change-membership': {
        if (request.waiter.done) return null;
        const result = this.tryStep({ type: 'change-membership', changes: request.changes });
        if ('error' in result) {
          request.waiter.reject(result.error);
          return null;
        }
        const accepted = result.actions.find(
          (a): a is AcceptedAction => a.type === 'accepted' && a.kind === 'membership',
        );
        if (accepted) {
          this.membershipAwaitingApply = {
            index: accepted.firstIndex,
            term: accepted.term,
            waiter: request.waiter,
          };
        } else {
          // Queued by the core until this leader commits an entry of its term.
          this.membershipAwaitingAccept = request.waiter;
        }
        return result.actions;
      }
    }
  }

  private stepProposals(chunk: Proposal<R>[]): Action[] | null {
    const result =
      chunk.length === 1
        ? this.tryStep({ type: 'propose', command: chunk[0]!.command })
        : this.tryStep({ type: 'propose', commands: chunk.map((p) => p.command) });
    if ('error' in result) {
      for (const p of chunk) p.waiter.reject(result.error);
      return null;
    }
    const accepted = result.actions.find(
      (a): a is AcceptedAction => a.type === 'accepted' && a.kind === 'commands',
    );
    if (!accepted) {
      throw new RaftError('INVALID_ARGUMENT', 'the core accepted a proposal without an accepted action');
    }
    this.counters.proposals += chunk.length;
    this.counters.proposeSteps++;
    this.metrics.observe(M.proposeBatch, chunk.length);
    const now = performance.now();
    for (let i = 0; i < chunk.length; i++) {
      const p = chunk[i]!;
      p.index = accepted.firstIndex + i;
      p.term = accepted.term;
      p.steppedAt = now;
      this.metrics.observe(M.proposeQueue, (now - p.waiter.startedAt) / 1000);
      this.awaitingApply.set(p.index, p);
    }
    return result.actions;
  }

  /** All reads of a batch share one ReadIndex: its index is taken after all of them arrived. */
  private stepReads(reads: PendingRead[]): Action[] | null {
    const id = `${this.readPrefix}.${(++this.readSeq).toString(36)}`;
    const result = this.tryStep({ type: 'read', id });
    if ('error' in result) {
      for (const r of reads) r.waiter.reject(result.error);
      return null;
    }
    this.readsInFlight.set(id, reads);
    if (this.node.isLeader()) this.readRound = { id, since: performance.now() };
    return result.actions;
  }

  // ---------------------------------------------------------------------------------------
  // Carrying out actions

  private carryOut(action: Action): Promise<void> | undefined {
    switch (action.type) {
      case 'send':
        this.sendMessage(action.message);
        return undefined;
      case 'apply':
        return this.apply(action);
      case 'membership':
        this.onMembership(action);
        return undefined;
      case 'restore':
        return action.confirm ? this.restoreReceived(action.snapshot) : this.restore(action.snapshot);
      case 'accepted':
        if (action.kind === 'membership' && this.membershipAwaitingAccept) {
          this.membershipAwaitingApply = {
            index: action.firstIndex,
            term: action.term,
            waiter: this.membershipAwaitingAccept,
          };
          this.membershipAwaitingAccept = null;
        }
        return undefined;
      case 'read-ready':
        this.onReadReady(action.id, action.index);
        return undefined;
      case 'read-failed':
        this.onReadFailed(action.id, action.error);
        return undefined;
      case 'state-changed':
        this.onStateChanged(action);
        return undefined;
      case 'removed':
        this.logger.warn(
          { index: action.index, term: action.term },
          'this node was removed from the cluster',
        );
        this.emitSafe('removed', action.index);
        return undefined;
      default:
        return assertNever(action, 'action type');
    }
  }

  private sendMessage(message: Message): void {
    let sent: boolean;
    try {
      sent = this.transport.send(message);
    } catch (error) {
      this.logger.warn({ err: error, to: message.to, type: message.type }, 'transport.send threw');
      sent = false;
    }
    if (sent) {
      this.counters.messagesSent++;
      this.metrics.increment(M.messagesSent);
    } else {
      this.counters.messagesDropped++;
      this.metrics.increment(M.messagesDropped);
    }
  }

  private apply(action: ApplyAction): Promise<void> | undefined {
    const started = performance.now();
    const proposal = this.awaitingApply.get(action.index);
    if (proposal !== undefined) this.metrics.observe(M.proposeCommit, (started - proposal.steppedAt) / 1000);
    let result: R | Promise<R>;
    try {
      result = this.sm.apply(action.command, action.index);
    } catch (error) {
      this.applied(action, false, error, started);
      return undefined;
    }
    if (isPromiseLike(result)) {
      return Promise.resolve(result).then(
        (value) => this.applied(action, true, value, started),
        (error: unknown) => this.applied(action, false, error, started),
      );
    }
    this.applied(action, true, result, started);
    return undefined;
  }

  private applied(action: ApplyAction, ok: boolean, value: unknown, started: number): void {
    this.metrics.observe(M.applyDuration, (performance.now() - started) / 1000);
    this.smApplied = action.index;
    this.appliedSinceSnapshot++;
    this.bytesSinceSnapshot += action.command.length;
    this.counters.applied++;
    this.metrics.increment(M.applied);
    if (!ok)
      this.logger.debug({ index: action.index, err: value }, 'apply threw; the proposal rejects with it');
    const proposal = this.awaitingApply.get(action.index);
    if (!proposal) return;
    this.awaitingApply.delete(action.index);
    if (proposal.term !== action.term) proposal.waiter.reject(new LeadershipLostError());
    else if (ok) proposal.waiter.resolve(value as R);
    else proposal.waiter.reject(value);
  }

  private onMembership(action: MembershipAction): void {
    this.smApplied = action.index;
    const proposal = this.awaitingApply.get(action.index);
    if (proposal) {
      this.awaitingApply.delete(action.index);
      proposal.waiter.reject(new LeadershipLostError());
    }
    const waiting = this.membershipAwaitingApply;
    if (waiting && waiting.index === action.index) {
      this.membershipAwaitingApply = null;
      if (waiting.term === action.term) waiting.waiter.resolve();
      else waiting.waiter.reject(new LeadershipLostError());
    }
    this.logger.info({ index: action.index, membership: action.membership }, 'membership changed');
    this.emitSafe('membership', action.membership, action.index);
  }

  /**
   * A snapshot from the leader: restored before the core stores it. If the state machine
   * refuses it (its `restore` throws, keeping the old state), the core rejects it and keeps
   * its log; either way the core hears the result in the next batch.
   */
  private async restoreReceived(snapshot: Snapshot): Promise<void> {
    const { index } = snapshot.metadata;
    let ok = true;
    try {
      await this.restore(snapshot);
    } catch (error) {
      ok = false;
      this.metrics.increment(M.restoresRefused);
      this.logger.error(
        { err: error, index },
        'the state machine refused a snapshot from the leader; keeping the old state',
      );
    }
    this.requests.push({ kind: 'restore-result', index, ok });
    this.schedule();
  }

  private async restore(snapshot: Snapshot): Promise<void> {
    await this.sm.restore(snapshot.data);
    const { index } = snapshot.metadata;
    this.smApplied = index;
    this.snapshotIndex = index;
    this.appliedSinceSnapshot = 0;
    this.bytesSinceSnapshot = 0;
    for (const [i, p] of this.awaitingApply) {
      if (i > index) continue;
      this.awaitingApply.delete(i);
      p.waiter.reject(new LeadershipLostError());
    }
    this.metrics.increment(M.restores);
    this.logger.info({ index }, 'state machine restored from a snapshot');
    this.emitSafe('restore', index);
  }

  private onReadReady(id: string, index: number): void {
    if (this.readRound?.id === id) this.readRound = null;
    const reads = this.readsInFlight.get(id);
    if (!reads) return;
    this.readsInFlight.delete(id);
    for (const read of reads) {
      if (read.waiter.done) continue;
      if (!read.fn) {
        read.waiter.resolve(index);
        continue;
      }
      try {
        read.waiter.resolve(read.fn());
      } catch (error) {
        read.waiter.reject(error);
      }
    }
  }

  private onReadFailed(id: string, error: RaftError): void {
    if (this.readRound?.id === id) this.readRound = null;
    const reads = this.readsInFlight.get(id);
    if (!reads) return;
    this.readsInFlight.delete(id);
    const reason = error instanceof NotLeaderError ? this.notLeader() : error;
    for (const read of reads) read.waiter.reject(reason);
  }

  private onStateChanged(action: StateChangedAction): void {
    const previous = this.state;
    const state: ServerState = { role: action.role, term: action.term, leader: action.leader };
    this.state = state;
    if (previous.role === 'leader' && state.role !== 'leader') this.failLeaderWork(new LeadershipLostError());
    if (previous.leader !== state.leader) {
      this.metrics.increment(M.leaderChanges);
      this.logger.info({ id: this.id, leader: state.leader, term: state.term }, 'leader changed');
      if (state.leader !== null) {
        const waiters = this.leaderWaiters;
        this.leaderWaiters = [];
        for (const w of waiters) w.resolve(state.leader);
        const transfers = this.transfers;
        this.transfers = [];
        for (const t of transfers) {
          if (t.waiter.done) continue;
          if (t.to === state.leader) t.waiter.resolve();
          else this.transfers.push(t);
        }
      }
    }
    if (previous.role !== state.role) {
      this.logger.info({ id: this.id, role: state.role, term: state.term }, 'role changed');
    }
    this.emitSafe('state-changed', state, previous);
    if (previous.role !== state.role) this.emitSafe('role', state.role, previous.role);
    if (previous.leader !== state.leader) this.emitSafe('leader', state.leader, previous.leader);
    if (previous.term !== state.term) this.emitSafe('term', state.term, previous.term);
  }

  /** Leadership lost: every proposal and change in flight has an unknown outcome. */
  private failLeaderWork(error: RaftError): void {
    const proposals = [...this.awaitingApply.values()];
    this.awaitingApply.clear();
    for (const p of proposals) p.waiter.reject(error);
    this.membershipAwaitingAccept?.reject(error);
    this.membershipAwaitingAccept = null;
    this.membershipAwaitingApply?.waiter.reject(error);
    this.membershipAwaitingApply = null;
  }

  /** After a batch: gauges, housekeeping, and the snapshot policy. */
  private async afterBatch(): Promise<void> {
    const m = this.metrics;
    if (m.gauge) {
      m.gauge(M.term, this.state.term);
      m.gauge(M.commitIndex, this.node.commitIndex());
      m.gauge(M.appliedIndex, this.smApplied);
      m.gauge(M.isLeader, this.state.role === 'leader' ? 1 : 0);
    }
    if (this.batchesSinceSweep >= 50) {
      this.batchesSinceSweep = 0;
      for (const [id, reads] of this.readsInFlight) {
        if (reads.every((r) => r.waiter.done)) this.readsInFlight.delete(id);
      }
      // Proposals that timed out or were aborted while their entry waits to commit.
      for (const [index, p] of this.awaitingApply) if (p.waiter.done) this.awaitingApply.delete(index);
      this.transfers = this.transfers.filter((t) => !t.waiter.done);
      this.leaderWaiters = this.leaderWaiters.filter((w) => !w.done);
      this.snapshotWaiters = this.snapshotWaiters.filter((w) => !w.done);
    }
    const o = this.opts;
    const due =
      (o.snapshotEveryEntries > 0 && this.appliedSinceSnapshot >= o.snapshotEveryEntries) ||
      (o.snapshotEveryBytes > 0 && this.bytesSinceSnapshot >= o.snapshotEveryBytes);
    const waiters = this.snapshotWaiters.filter((w) => !w.done);
    this.snapshotWaiters = [];
    if (!due && waiters.length === 0) return;
    const index = this.smApplied;
    if (index === 0 || index <= this.snapshotIndex) {
      for (const w of waiters) w.resolve(this.snapshotIndex);
      return;
    }
    const data = await this.sm.snapshot();
    if (!(data instanceof Uint8Array))
      throw new InvalidArgumentError('stateMachine.snapshot() must return a Uint8Array');
    this.appliedSinceSnapshot = 0;
    this.bytesSinceSnapshot = 0;
    this.requests.push({ kind: 'snapshot', index, data, waiters });
  }

  // ---------------------------------------------------------------------------------------
  // Helpers

  private notLeader(): ForwardToLeaderError {
    const leader = this.state.leader === this.id ? null : this.state.leader;
    return new ForwardToLeaderError(
      leader,
      this.id,
      leader === null ? null : (this.peerAddresses.get(leader) ?? null),
    );
  }

  /** Reject everything queued or in flight (close, fatal error). */
  private rejectAll(error: RaftError): void {
    const taken = this.taken;
    this.taken = null;
    if (taken) {
      // Rejecting a settled waiter is a no-op, so those already answered are unaffected.
      this.queuedProposals.push(...taken.proposals);
      this.queuedReads.push(...taken.reads);
      this.requests.push(...taken.requests);
    }
    const proposals = [...this.queuedProposals, ...this.awaitingApply.values()];
    this.queuedProposals = [];
    this.awaitingApply.clear();
    for (const p of proposals) p.waiter.reject(error);
    const reads = [...this.queuedReads, ...[...this.readsInFlight.values()].flat()];
    this.queuedReads = [];
    this.readsInFlight.clear();
    for (const r of reads) r.waiter.reject(error);
    for (const request of this.requests) {
      if (request.kind === 'snapshot') for (const w of request.waiters) w.reject(error);
      else if (request.kind !== 'restore-result') request.waiter?.reject(error);
    }
    this.requests = [];
    this.membershipAwaitingAccept?.reject(error);
    this.membershipAwaitingAccept = null;
    this.membershipAwaitingApply?.waiter.reject(error);
    this.membershipAwaitingApply = null;
    for (const t of this.transfers) t.waiter.reject(error);
    this.transfers = [];
    for (const w of this.leaderWaiters) w.reject(error);
    this.leaderWaiters = [];
    for (const w of this.snapshotWaiters) w.reject(error);
    this.snapshotWaiters = [];
    this.messages = [];
    this.ticks = 0;
  }

  /** Emit without letting a listener's throw reach the driver loop. */
  private emitSafe<K extends keyof RaftServerEvents>(event: K, ...args: RaftServerEvents[K]): void {
    try {
      (this.emit as (event: K, ...args: RaftServerEvents[K]) => boolean)(event, ...args);
    } catch (error) {
      this.logger.error({ err: error, event }, 'an event listener threw');
    }
  }
}

/** Build a `RaftServer` and start it (see `RaftServer.start`). */
export async function createRaftServer<R = unknown>(options: RaftServerOptions<R>): Promise<RaftServer<R>> {
  const server = new RaftServer<R>(options);
  await server.start();
  return server;
}
