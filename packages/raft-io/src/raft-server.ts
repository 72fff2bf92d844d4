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
  encodeCommandEntry,
  InvalidArgumentError,
  InvalidConfigError,
  LeadershipLostError,
  type Logger,
  type Membership,
  type MembershipAction,
  type MembershipChange,
  type Message,
  type NodeId,
  NotLeaderError,
  RaftError,
  type RaftLog,
  RaftNode,
  type RaftStatus,
  type RaftTransport,
  type SendSnapshotChunkAction,
  type SessionRef,
  type Snapshot,
  type SnapshotMetadata,
  type StateChangedAction,
  StorageError,
  silentLogger,
} from '@raft-io/core';
import type { DriverChannel } from '@raft-io/framing';
import { SqliteLog } from '@raft-io/log-sqlite';
import { type PeerAddress, TcpTransport } from '@raft-io/transport-tcp';
import {
  type BackupInfo,
  type BackupSink,
  chunksOf,
  type RestoreBackupOptions,
  type RestoreReport,
  restoreBackup,
  streamSink,
  writeBackup,
  writeBackupFile,
} from './backup.js';
import { DurabilityTracker } from './durability-tracker.js';
import {
  ForwardToLeaderError,
  PendingLimitError,
  ProposalError,
  ResultNotKeptError,
  ServerClosedError,
} from './errors.js';
import { type Applied, type Proposal, ProposalRouter } from './forwarding.js';
import { HOST_QUIESCED, HOST_TICK, HOST_WAKE, HOSTED, type HostedHooks } from './hosted.js';
import { LogBytes } from './log-bytes.js';
import { type ChangeStepResult, MembershipCalls, type MembershipOp } from './membership-calls.js';
import { METRIC_NAMES as M, type Metrics, noopMetrics } from './metrics.js';
import { NullTransport } from './null-transport.js';
import {
  LOG_FILE_NAME,
  type RaftServerOptions,
  type ResolvedMembers,
  type ResolvedServerOptions,
  resolveLogger,
  resolveMembers,
  resolveServerOptions,
  SNAPSHOT_DIR_NAME,
  STREAMED_MAX_SNAPSHOT_BYTES,
} from './options.js';
import { formatAddress, PeerDirectory, type PeerLinks } from './peer-directory.js';
import {
  deliverHealthEvents,
  type HealthInput,
  PeerHealthMonitor,
  resolveHealthOptions,
} from './peer-health.js';
import {
  inspectDataDir,
  type LogInspection,
  type OfflineLogOptions,
  type RecoverOptions,
  type RecoveryReport,
  recover,
} from './recovery.js';
import {
  type ApplyOutcome,
  decodeStoredError,
  MAX_SESSION_TABLE_BYTES,
  ReplicatedMachine,
} from './replicated-machine.js';
import { type ResultCodec, valueCodec } from './result-codec.js';
import type {
  RaftServerEvents,
  RaftServerStats,
  RaftServerStatus,
  ServerLifecycle,
  ServerState,
} from './server-events.js';
import { SnapshotFiles, type StreamedFacts, snapshotFileName } from './snapshot-files.js';
import type { StateMachine } from './state-machine.js';
import { decodeDescriptor, StreamedSnapshotLog } from './streamed-snapshot-log.js';
import { TickClock } from './tick-clock.js';
import { Waiter } from './waiter.js';

/** Options of one call: a deadline and a way to give up. */
export interface CallOptions {
  /** Reject with `AbortedError` when this signal fires. */
  readonly signal?: AbortSignal;
  /** Reject with `TimeoutError` after this many ms; 0: none. Default: the server's option. */
  readonly timeoutMs?: number;
}

/** Options of `propose` / `proposeWithIndex`. */
export interface ProposeOptions extends CallOptions {
  /**
   * Exactly-once: the proposing client's id and this proposal's sequence number. Retry a
   * proposal whose outcome is unknown (a timeout, `LeadershipLostError`) with the same
   * session: if the first attempt was applied, the retry is not applied again and resolves
   * with the first result (`duplicate: true`). Sequence numbers of one client grow (1, 2,
   * ...); one proposal at a time per client id. The session table is replicated and bounded
   * (see `sessionLimits`): retry within those bounds.
   */
  readonly session?: SessionRef;
}

/** Options of `backup` / `backupTo`. */
export interface BackupOptions extends CallOptions {
  /**
   * Confirm a read index with the leader first (ReadIndex), so that the backup holds every
   * write acknowledged before the call. Default true. False backs up this node's applied
   * state as it is, with no leader needed (e.g. while a quorum is lost).
   */
  readonly linearizable?: boolean;
}

/** What `proposeWithIndex` resolves with. */
export interface ProposalResult<R> {
  /** The state machine's result (the first one, for a duplicate). */
  readonly result: R;
  /** The log index the command committed and was applied at (the first one, for a duplicate). */
  readonly index: number;
  /** A retried session proposal that had been applied before: it was not applied again. */
  readonly duplicate: boolean;
}

/** Options of `addVoter` / `addLearner`. */
export interface AddMemberOptions extends CallOptions {
  /**
   * The new member's Raft transport address. It is replicated in the membership, so every
   * node (restarted or not, or installed from a snapshot) dials the member.
   */
  readonly address?: PeerAddress | string;
  /** Opaque metadata replicated with the membership (printable ASCII, at most 4096 characters). */
  readonly metadata?: string;
  /**
   * `addLearner`: resolve only once the learner has answered the leader and is within
   * `catchUpLagEntries` of its log. `addVoter` always does so before it promotes the learner,
   * unless this is false (then it adds a voter in one step: not recommended, see the README).
   * Default: false for `addLearner`, true for `addVoter`.
   */
  readonly catchUp?: boolean;
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
      readonly done: (result: ChangeStepResult) => void;
    }
  | { readonly kind: 'transfer'; readonly to: NodeId; readonly waiter: Waiter<void> }
  | { readonly kind: 'campaign'; readonly waiter: Waiter<void> | null }
  | {
      readonly kind: 'snapshot';
      readonly index: number;
      /** The bytes, or with `snapshotStreaming` the facts of the file written. */
      readonly data: Uint8Array | StreamedFacts;
      readonly waiters: Waiter<number>[];
    }
  /** The answer to a `restore` the core asked to confirm (a snapshot from the leader). */
  | { readonly kind: 'restore-result'; readonly index: number; readonly ok: boolean }
  /** A host woke this group's node (see `RaftHost`): its leader's host is gone, say. */
  | { readonly kind: 'wake'; readonly leaderUnreachable: boolean };

/** Error codes a request step may throw and still leave the node intact. */
/**
 * Syncs a hosted group may have asked for at once: the one its host's store runs and the one
 * that joins the store's next fsync (a third would join that same fsync).
 */
const MAX_HOSTED_SYNCS = 2;

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

/** A call in progress, as far as waiting for a leader is concerned. */
interface PendingCall {
  readonly done: boolean;
  readonly promise: Promise<unknown>;
}

/** The proposal's outcome as `proposeWithIndex` gives it. */
function toResult<R>(applied: Applied<R>, codec: ResultCodec<R>): ProposalResult<R> {
  const result = 'value' in applied ? applied.value : codec.decode(applied.encoded);
  return { result, index: applied.index, duplicate: applied.duplicate };
}

/** The transport's driver-message channel, when it has one. */
function driverChannel(transport: RaftTransport): DriverChannel | null {
  const t = transport as Partial<DriverChannel>;
  return typeof t.sendDriver === 'function' && typeof t.onDriverMessage === 'function'
    ? (t as DriverChannel)
    : null;
}

/** A fatal failure as a `RaftError`: storage errors as they are, anything else wrapped. */
function asFatal(error: unknown): RaftError {
  // Storage and configuration errors are the fatal error themselves (a log that cannot be
  // read, or one written with another setting: the start rejects with it).
  if (error instanceof StorageError || error instanceof InvalidConfigError) return error;
  return new ServerClosedError(`raft server stopped by a fatal error: ${errorText(error)}`, { cause: error });
}

let serverCount = 0;

export class RaftServer<R = unknown> extends EventEmitter<RaftServerEvents> {
  readonly id: NodeId;
  private readonly options: RaftServerOptions<R>;
  private readonly opts: ResolvedServerOptions;
  private readonly sm: StateMachine<R>;
  /** The user's state machine with the replicated client-session table. */
  private readonly machine: ReplicatedMachine<R>;
  private readonly codec: ResultCodec<R>;
  private readonly logger: Logger;
  private readonly metrics: Metrics;
  private readonly members: ResolvedMembers;
  /** Where peers are (membership, overrides, bootstrap) and which the transport links to. */
  private readonly directory: PeerDirectory;
  private readonly membershipCalls: MembershipCalls;
  /** Set when a `RaftHost` runs this server as one of its groups (see hosted.ts). */
  private readonly hosted: HostedHooks | null;
  private router!: ProposalRouter<R>;
  /** The committed membership before the last one applied (to forget removed members). */
  private committedMembership: Membership | null = null;
  /** The membership in force after the last batch. */
  private lastMembership: Membership | null = null;
  /** Per-peer health (peer-health.ts): fed by arriving messages and assessed after each batch. */
  private readonly health: PeerHealthMonitor;
  /** Bytes of entry data per index range of the log, for the health's lag in bytes. */
  private logBytes: LogBytes | undefined;

  private log!: DurabilityTracker;
  /** Asynchronous storage writes (D21): the core reports what must wait for the disk. */
  private asyncWrites = false;
  /** Asynchronous writes: the newest sync on the thread pool, and how many run or wait. */
  private syncInFlight: Promise<void> | null = null;
  private syncsInFlight = 0;
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
  private transfers: { to: NodeId; waiter: Waiter<void> }[] = [];
  private leaderWaiters: Waiter<NodeId>[] = [];
  /** Calls waiting for a leader to be known before they go on. */
  private leaderKnownWaits: { waiter: PendingCall; go: () => void }[] = [];
  /** Reads waiting for a leader, or for the next tick after their leader failed them. */
  private parkedReads: PendingRead[] = [];
  private snapshotWaiters: Waiter<number>[] = [];
  private pendingProposals = 0;
  private pendingReads = 0;

  // State machine progress. Invariant: smApplied <= node.appliedIndex().
  private smApplied = 0;
  private snapshotIndex = 0;
  private appliedSinceSnapshot = 0;
  private bytesSinceSnapshot = 0;

  /**
   * Streaming snapshots (D28): the files, the snapshot being written in the background (one
   * at a time; `snapshot()` calls meanwhile wait for it), whether a received snapshot is
   * being restored (no snapshot is taken meanwhile), and which files a crash or a transfer
   * may still need: the log's snapshot once durable, the newest one written, the pinned one.
   */
  private files: SnapshotFiles | null = null;
  private take: { readonly index: number; readonly waiters: Waiter<number>[]; stop: boolean } | null = null;
  private restoring = false;
  /** A snapshot chunk held while the received bytes wait for the disk (see onMessage). */
  private heldChunk: Message | null = null;
  /** `snapshot()` calls that arrived while restoring: asked again once it ends. */
  private afterRestoreWaiters: Waiter<number>[] = [];
  private snapshotFilesState: {
    durable: string | null;
    current: string | null;
    /** Log snapshots written but maybe not durable yet, with the write that made them. */
    pending: { readonly name: string; readonly seq: number }[];
    pinned: string | null;
    pruning: boolean;
    due: boolean;
  } = { durable: null, current: null, pending: [], pinned: null, pruning: false, due: false };

  private readonly readPrefix =
    `${process.pid.toString(36)}.${(++serverCount).toString(36)}.${Math.floor(Math.random() * 0xffffffff).toString(36)}`;
  private readSeq = 0;
  private batchesSinceSweep = 0;
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

  /** Whether snapshots are files, streamed (the `snapshotStreaming` option, D28). */
  private get streaming(): boolean {
    return this.options.snapshotStreaming === true;
  }

  /**
   * Check every option (an unknown key, a bad value, the transport's and the core's options
   * included); nothing is opened until `start()`. Throws `InvalidConfigError`.
   */
  constructor(options: RaftServerOptions<R>) {
    super();
    this.opts = resolveServerOptions(options as RaftServerOptions<unknown>);
    this.members = resolveMembers(options as RaftServerOptions<unknown>);
    this.options = options;
    this.hosted = (options as { [HOSTED]?: HostedHooks })[HOSTED] ?? null;
    this.id = options.id;
    this.sm = options.stateMachine;
    this.codec = options.resultCodec ?? (valueCodec as ResultCodec<R>);
    this.machine = new ReplicatedMachine(this.sm, this.codec);
    this.logger = resolveLogger(options.logger);
    this.metrics = options.metrics ?? noopMetrics;
    this.directory = new PeerDirectory(this.id, this.members.addresses, this.logger);
    this.membershipCalls = new MembershipCalls(
      {
        id: this.id,
        tickIntervalMs: this.opts.tickIntervalMs,
        isLeader: () => this.lifecycle === 'running' && this.node.isLeader(),
        membership: () => this.node.membership(),
        lastIndex: () => this.node.lastIndex(),
        progress: (id) => this.node.status().progress?.[id],
        submit: (changes, done) => {
          this.requests.push({ kind: 'change-membership', changes, done });
          this.schedule();
        },
        leaderKnown: (waiter) => this.leaderKnown(waiter),
        notLeader: () => this.notLeader(),
      },
      this.opts.catchUpLagEntries,
    );
    this.health = new PeerHealthMonitor(
      resolveHealthOptions(options.health, options.raft?.electionTick ?? DEFAULTS.electionTick),
      this.metrics,
      this.opts.tickIntervalMs,
    );
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
      if (this.streaming) {
        // The log keeps the files' sizes and checksums; the files live beside it.
        const streamed = new StreamedSnapshotLog(inner);
        inner = streamed;
        const dir = o.snapshotDir ?? join(o.dataDir!, SNAPSHOT_DIR_NAME);
        this.files = await SnapshotFiles.open(dir, streamed.snapshotMetadata());
        this.files.onDrained = () => {
          const held = this.heldChunk;
          this.heldChunk = null;
          if (held !== null) this.onMessage(held);
        };
        const name = nameOf(streamed.snapshotMetadata());
        this.snapshotFilesState.durable = name;
        this.snapshotFilesState.current = name;
      }
      this.log = new DurabilityTracker(inner, groupCommit);
      const members = this.members;
      const logBytes = new LogBytes(this.log);
      this.logBytes = logBytes;
      this.log.onWrite = (write) => logBytes.observe(write);
      this.asyncWrites = o.raft?.asyncStorageWrites ?? this.log.canSyncAsync;
      this.node = new RaftNode(
        {
          // A snapshot from the leader is restored before it replaces the log (see restoreReceived).
          confirmRestore: true,
          asyncStorageWrites: this.asyncWrites,
          ...(this.streaming ? { maxSnapshotBytes: STREAMED_MAX_SNAPSHOT_BYTES } : {}),
          ...o.raft,
          ...(this.streaming ? { snapshotStreaming: true } : {}),
          id: o.id,
          voters: members.voters,
          learners: members.learners,
          ...(Object.keys(members.memberInfo).length > 0 ? { memberInfo: members.memberInfo } : {}),
        },
        this.log,
      );
      this.state = { role: this.node.role(), term: this.node.term(), leader: this.node.leader() };
      this.snapshotIndex = this.log.snapshotMetadata()?.index ?? 0;
      this.transport = this.buildTransport();
      // Peers come from the membership in the log (and the bootstrap addresses): a restarted
      // node dials every member without being told.
      this.committedMembership = this.node.membership();
      this.directory.update(this.node.membership());
      this.directory.attach(this.transport as PeerLinks);
      this.router = this.buildRouter();
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
    // assumes no lost ticks), at most four election timeouts' worth. A hosted server gets
    // them from its host's one clock instead ([HOST_TICK]).
    if (this.hosted === null) {
      const electionTick = this.options.raft?.electionTick ?? DEFAULTS.electionTick;
      const clock = new TickClock(this.opts.tickIntervalMs, 4 * electionTick);
      this.timer = setInterval(() => this[HOST_TICK](clock.owed()), this.opts.tickIntervalMs);
    }
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
    if (o.tcp) {
      // No peers of its own: the directory tells it every peer it should link to.
      const { peers: _bootstrap, ...tcp } = o.tcp;
      return new TcpTransport({ ...tcp, listen: this.members.listen!, id: o.id, logger: this.logger });
    }
    const voters = this.node.membership().voters;
    if (voters.length === 1 && voters[0] === o.id && this.node.membership().learners.length === 0) {
      return new NullTransport(o.id);
    }
    throw new InvalidConfigError('tcp', 'a cluster of more than one member needs tcp or transport');
  }

  /** Proposals go to the leader: queued here, or forwarded over the transport's driver channel. */
  private buildRouter(): ProposalRouter<R> {
    const channel = this.opts.forwarding ? driverChannel(this.transport) : null;
    return new ProposalRouter<R>(
      {
        id: this.id,
        tickIntervalMs: this.opts.tickIntervalMs,
        proposalTimeoutMs: this.opts.proposalTimeoutMs || 10_000,
        codec: this.codec,
        logger: this.logger,
        isLeader: () => this.lifecycle === 'running' && this.node.isLeader(),
        leader: () => this.state.leader,
        enqueue: (p) => {
          this.queuedProposals.push(p);
          this.schedule();
        },
        notLeader: () => this.notLeader(),
        applied: () => this.smApplied,
        admitForwarded: () => {
          if (this.lifecycle !== 'running' || this.pendingProposals >= this.opts.maxPendingProposals)
            return false;
          this.pendingProposals++;
          return true;
        },
        releaseForwarded: () => {
          this.pendingProposals--;
        },
      },
      channel,
    );
  }

  /** `owed` ticks of the clock passed (the timer's, or a host's): step them in the next batch. */
  [HOST_TICK](owed: number): void {
    if (owed === 0 || this.lifecycle !== 'running') return;
    this.ticks += owed;
    this.onTick();
    this.schedule();
  }

  /** A host wakes this server's quiesced node (`leaderUnreachable`: its leader's host is gone). */
  [HOST_WAKE](leaderUnreachable: boolean): void {
    if (this.lifecycle !== 'running') return;
    this.requests.push({ kind: 'wake', leaderUnreachable });
    this.schedule();
  }

  /** Whether the node is quiesced: it ignores ticks, so its host stops feeding them. */
  [HOST_QUIESCED](): boolean {
    return this.lifecycle === 'running' && this.node.quiesced();
  }

  /** Every tick of the timer: retries that wait a tick. */
  private onTick(): void {
    this.router?.tick();
    if (this.state.leader !== null && this.parkedReads.length > 0) this.releaseParkedReads();
  }

  /**
   * Resolves once a leader is known (at once if one is), so that calls ride out an election;
   * rejects with the waiter's error if it settles first (deadline, abort, close).
   */
  private leaderKnown(waiter: PendingCall): Promise<void> {
    if (this.state.leader !== null) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.leaderKnownWaits.push({ waiter, go: resolve });
      waiter.promise.then(
        () => {},
        (error: unknown) => reject(error),
      );
    });
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
      if (this.take) this.take.stop = true;
      await this.files?.close();
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
    this.hosted?.failed(error);
    if (this.listenerCount('error') > 0) this.emitSafe('error', error);
    else if (this.logger === silentLogger && this.hosted === null) {
      // (A hosted server's host reports it, see RaftHost.)
      // Nobody listens and the logger is silenced: a stopped server must still not go unseen.
      process.emitWarning(`raft server ${this.id} stopped by a fatal error: ${error.message}`, {
        type: 'RaftServerFatalError',
        code: error.code,
      });
    }
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
   * Propose `command` on any node. Resolves with the state machine's result once the command
   * is committed and applied on this node. On a follower the proposal is forwarded to the
   * leader over the Raft transport (`forwarding`, on by default); while no leader is known
   * (an election, a node that just started) it waits for one, within its deadline.
   *
   * Rejects with `LeadershipLostError` if leadership changed after the command was appended
   * (outcome unknown: it may still commit), `TimeoutError` / `AbortedError` (outcome unknown
   * once sent), `PendingLimitError` when too many proposals wait, `ProposalError` for an
   * error raised on the leader of a forwarded proposal, `SessionRefusedError` for a session
   * proposal that cannot be applied, `ForwardToLeaderError` on a follower that cannot
   * forward, `ServerClosedError` on close, the `StorageError` that stopped the server, or
   * the value the state machine's `apply` threw. With `session`, a retry after an unknown
   * outcome is safe: it is applied once.
   */
  propose(command: Uint8Array, options: ProposeOptions = {}): Promise<R> {
    return this.proposeWithIndex(command, options).then((r) => r.result);
  }

  /**
   * `propose`, resolving with the log index the command committed at (and, for a retried
   * session proposal, whether it had been applied before).
   */
  proposeWithIndex(command: Uint8Array, options: ProposeOptions = {}): Promise<ProposalResult<R>> {
    if (!(command instanceof Uint8Array)) {
      return Promise.reject(new InvalidArgumentError('a proposed command must be a Uint8Array'));
    }
    const unavailable = this.unavailable();
    if (unavailable) return Promise.reject(unavailable);
    let data: Uint8Array;
    try {
      data =
        options.session === undefined
          ? encodeCommandEntry(command)
          : encodeCommandEntry(command, { ...options.session, limits: this.opts.sessionLimits });
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.pendingProposals >= this.opts.maxPendingProposals) {
      this.metrics.increment(M.proposalsFailed);
      return Promise.reject(new PendingLimitError(this.opts.maxPendingProposals, 'proposals'));
    }
    this.pendingProposals++;
    this.metrics.increment(M.proposals);
    const timeoutMs = options.timeoutMs ?? this.opts.proposalTimeoutMs;
    const waiter: Waiter<Applied<R>> = new Waiter<Applied<R>>({
      timeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
      what: 'proposal',
      onSettle: (ok) => {
        this.pendingProposals--;
        if (ok) this.metrics.observe(M.proposeLatency, (performance.now() - waiter.startedAt) / 1000);
        else this.metrics.increment(M.proposalsFailed);
      },
    });
    this.router.dispatch({
      command: data,
      waiter,
      deadline: timeoutMs > 0 ? waiter.startedAt + timeoutMs : 0,
      index: 0,
      term: 0,
    });
    return waiter.promise.then((applied) => toResult(applied, this.codec));
  }

  /**
   * A linearizable read: resolves with `fn()` run against the state machine once it has
   * applied everything committed before the call (ReadIndex, §6.4). `fn` runs inside the
   * driver loop, between two applies: read the state machine synchronously in it. Works on
   * followers (the core asks the leader to confirm the read index); while no leader is known,
   * or when a leader change fails the round, the read waits and goes again, within its
   * deadline (a read is always safe to retry). Rejects with `TimeoutError`, `AbortedError`,
   * `PendingLimitError`, `ServerClosedError`.
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
      if (this.state.leader === null) this.parkedReads.push({ waiter, fn });
      else {
        this.queuedReads.push({ waiter, fn });
        this.schedule();
      }
    }
    return waiter.promise;
  }

  /** Parked reads go again (a leader is known). */
  private releaseParkedReads(): void {
    const reads = this.parkedReads.filter((r) => !r.waiter.done);
    this.parkedReads = [];
    if (reads.length === 0) return;
    this.queuedReads.push(...reads);
    this.schedule();
  }

  /**
   * Add `id` as a voter, safely: as a learner first, then, once it has caught up with the
   * leader's log (within `catchUpLagEntries`), promoted to voter. Resolves once the
   * promotion is committed. `address` (and `metadata`) are replicated with the membership, so
   * every node dials the new member. An `id` that is a learner already is caught up and
   * promoted; a voter already (with that address) resolves at once. Waits for a leader;
   * rejects with `ForwardToLeaderError` on a follower, `LeadershipLostError` if leadership
   * changed before the change committed (retry on the new leader: it goes on from where it
   * got), `TimeoutError`, `AbortedError`.
   */
  addVoter(id: NodeId, options: AddMemberOptions = {}): Promise<void> {
    return this.memberCall(options, 'add voter', (info) => ({
      kind: 'add-voter',
      id,
      info,
      catchUp: options.catchUp ?? true,
    }));
  }

  /**
   * Add `id` as a learner (it receives the log, never votes). Resolves once the change is
   * committed, and with `catchUp` once the learner has caught up. See `addVoter`.
   */
  addLearner(id: NodeId, options: AddMemberOptions = {}): Promise<void> {
    return this.memberCall(options, 'add learner', (info) => ({
      kind: 'add-learner',
      id,
      info,
      catchUp: options.catchUp ?? false,
    }));
  }

  private memberCall(
    options: AddMemberOptions,
    what: string,
    op: (info: { address?: string; metadata?: string }) => MembershipOp,
  ): Promise<void> {
    const address = options.address;
    const info = {
      ...(address !== undefined
        ? { address: typeof address === 'string' ? address : formatAddress(address) }
        : {}),
      ...(options.metadata !== undefined ? { metadata: options.metadata } : {}),
    };
    return this.membershipCall(op(info), what, options);
  }

  /**
   * Remove voter or learner `id` (the leader itself included: it hands leadership over).
   * Resolves once the change is committed; the member is then forgotten by every node.
   */
  removeMember(id: NodeId, options: CallOptions = {}): Promise<void> {
    return this.membershipCall(
      { kind: 'change', changes: [{ type: 'remove', id }] },
      'remove member',
      options,
    );
  }

  /**
   * Change the membership. One change is a single-server change; several go through joint
   * consensus, and this resolves once the joint configuration has been left. Calls run one
   * at a time in the order made: a change made while another runs waits its turn (within
   * its deadline). Waits for a leader; rejects with `ForwardToLeaderError` on a follower,
   * `LeadershipLostError`, `InvalidArgumentError`, `TimeoutError`, `AbortedError`.
   */
  changeMembership(changes: readonly MembershipChange[], options: CallOptions = {}): Promise<void> {
    return this.membershipCall({ kind: 'change', changes }, 'membership change', options);
  }

  private membershipCall(op: MembershipOp, what: string, options: CallOptions): Promise<void> {
    const unavailable = this.unavailable();
    if (unavailable) return Promise.reject(unavailable);
    return this.membershipCalls.enqueue(op, what, {
      timeoutMs: options.timeoutMs ?? this.opts.adminTimeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  /**
   * Hand leadership to voter `to` (§3.10). Resolves once this node sees `to` as leader (at
   * once if it is already); `TimeoutError` if that does not happen in time (the core
   * abandons a transfer after an election timeout). Waits for a leader; rejects with
   * `ForwardToLeaderError` on a follower.
   */
  transferLeadership(to: NodeId, options: CallOptions = {}): Promise<void> {
    const unavailable = this.unavailable();
    if (unavailable) return Promise.reject(unavailable);
    const waiter = new Waiter<void>({
      timeoutMs: options.timeoutMs ?? this.opts.adminTimeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
      what: 'leadership transfer',
    });
    if (waiter.done) return waiter.promise;
    this.leaderKnown(waiter).then(
      () => {
        if (waiter.done) return;
        if (this.state.leader === to) waiter.resolve();
        else if (!this.node.isLeader()) waiter.reject(this.notLeader());
        else {
          this.requests.push({ kind: 'transfer', to, waiter });
          this.schedule();
        }
      },
      () => {},
    );
    return waiter.promise;
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

  /**
   * Back up the state machine to the file `path` (written to a temporary file, fsynced, then
   * renamed into place): a consistent snapshot of the state with the membership and the log
   * index and term it stands at, checksummed (SHA-256). The snapshot is taken in the driver
   * loop like `snapshot()` (the log is compacted behind it, as hashicorp's user snapshots
   * do); with `linearizable` (the default) after a read index, so it holds every write
   * acknowledged before the call. Restore it into a new cluster with `restoreBackup`.
   * Resolves with what was written (`BackupInfo`). Rejects as `readIndex` and `snapshot` do.
   */
  async backup(path: string, options: BackupOptions = {}): Promise<BackupInfo> {
    if (typeof path !== 'string' || path === '') throw new InvalidArgumentError('backup needs a file path');
    const { header, data } = await this.backupSnapshot(options);
    return writeBackupFile(path, (sink) => writeBackup(sink, header, data));
  }

  /**
   * `backup` to a stream or a sink function instead of a file (e.g. an HTTP response): the
   * bytes go out in chunks as they are written, each awaited (a stream's `drain` included).
   */
  async backupTo(sink: BackupSink | NodeJS.WritableStream, options: BackupOptions = {}): Promise<BackupInfo> {
    const write = typeof sink === 'function' ? sink : streamSink(sink);
    const { header, data } = await this.backupSnapshot(options);
    return writeBackup(write, header, data);
  }

  /** A snapshot of the state at an index at least the read index (or as it is), and its header. */
  private async backupSnapshot(options: BackupOptions): Promise<{
    header: Parameters<typeof writeBackup>[1];
    data: Iterable<Uint8Array> | AsyncIterable<Uint8Array>;
  }> {
    const call = {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    };
    if (options.linearizable !== false) await this.readIndex(call);
    await this.snapshot(call);
    const unavailable = this.unavailable();
    if (unavailable) throw unavailable;
    // The log's snapshot is consistent with itself (state, index, term, membership), and at
    // least as new as the one just asked for.
    const stored = this.log.snapshot();
    if (stored === null)
      throw new InvalidArgumentError('nothing has been applied yet: there is no state to back up');
    const { index, term, membership } = stored.metadata;
    let inner = this.log.inner;
    if (inner instanceof StreamedSnapshotLog) inner = inner.inner;
    const clusterId =
      (inner instanceof SqliteLog ? inner.identity()?.clusterId : undefined) ??
      this.options.tcp?.clusterId ??
      null;
    return {
      header: { index, term, membership, nodeId: this.id, clusterId, createdAt: new Date().toISOString() },
      // Streaming: the file, read chunk by chunk (and checked) as the backup is written.
      data: this.files !== null ? this.files.read(stored.metadata) : chunksOf(stored.data),
    };
  }

  /**
   * Offline, on a stopped node's data directory: force a new membership after the loss of a
   * quorum (hashicorp's `RecoverCluster`, etcd's `--force-new-cluster`). See `recover` in
   * recovery.ts and the operations guide for what it does, what is lost and how to tell.
   */
  static recover(options: RecoverOptions): Promise<RecoveryReport> {
    return recover(options);
  }

  /** Offline: what a stopped node's log holds (to pick the survivor to recover). */
  static inspect(options: OfflineLogOptions): Promise<LogInspection> {
    return inspectDataDir(options);
  }

  /** Offline: seed a member of a new cluster from a backup (see `restoreBackup`). */
  static restoreBackup(options: RestoreBackupOptions): Promise<RestoreReport> {
    return restoreBackup(options);
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
   * Override where peer `id` listens, over what the membership says (for instance a member
   * that moved before a membership change could say so, or ports bound to 0 in tests). The
   * transport (if it has `setPeer`, as `TcpTransport` does) dials it there. Removing the
   * member forgets the override too.
   */
  setPeerAddress(id: NodeId, address: PeerAddress | string): void {
    this.directory.override(id, typeof address === 'string' ? address : formatAddress(address));
  }

  /** The peers this node's transport links to now, with their addresses (`host:port`). */
  peers(): ReadonlyMap<NodeId, string> {
    return this.directory.peers();
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
    const leaderAddress = this.state.leader === null ? null : this.directory.address(this.state.leader);
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
      ignoredFromNonVoters: 0,
      termExhausted: false,
      quiesced: false,
    };
    return {
      ...base,
      appliedIndex: this.smApplied,
      lifecycle: this.lifecycle,
      leaderAddress,
      pendingProposals: this.pendingProposals,
      pendingReads: this.pendingReads,
      snapshotIndex: this.snapshotIndex,
      ...(node === undefined
        ? {}
        : node.role === 'leader'
          ? { peers: this.health.peers(this.healthInput(node)) }
          : { leaderContact: this.health.leaderContact(node.leader) }),
    };
  }

  /** Whether the log can still be read (not once the server closed or failed). */
  private logOpen(): boolean {
    return this.lifecycle === 'starting' || this.lifecycle === 'running';
  }

  /** What the health monitor reads of the node (see peer-health.ts). */
  private healthInput(node: RaftStatus): HealthInput {
    return {
      progress: node.progress,
      lastIndex: node.lastIndex,
      membership: node.membership,
      address: (id) => this.directory.address(id),
      // A closed server's log is closed too: status() then answers without lag in bytes.
      bytesBetween: (from, to) => (this.logOpen() ? (this.logBytes?.between(from, to) ?? null) : null),
    };
  }

  /** After a batch: per-peer health changes become events (and metrics). */
  private reportHealth(): void {
    // Only a leader has peers to assess; a follower skips building the core's status.
    const leading = this.node.isLeader();
    const input: HealthInput = leading
      ? this.healthInput(this.node.status())
      : {
          progress: undefined,
          lastIndex: 0,
          membership: this.node.membership(),
          address: (id) => this.directory.address(id),
          bytesBetween: () => null,
        };
    const events = this.health.update(input, leading, this.node.leader());
    if (events.length > 0)
      deliverHealthEvents(events, (event, ...args) => this.emitSafe(event, ...args), this.logger);
  }

  /** Driver counters (see `RaftServerStats`). */
  stats(): RaftServerStats {
    return {
      ...this.counters,
      logWrites: this.log?.writes ?? 0,
      durableWrites: this.log?.durableWrites ?? 0,
      proposalsForwarded: this.router?.forwarded ?? 0,
      forwardedProposalsServed: this.router?.served ?? 0,
    };
  }

  // ---------------------------------------------------------------------------------------
  // The loop

  private onMessage(message: Message): void {
    if (this.lifecycle !== 'running') return;
    if (
      message.type === 'install-snapshot' &&
      this.files !== null &&
      this.files.receiveBacklog() > RECEIVE_BACKLOG
    ) {
      // Backpressure: the core answers a chunk at once, so the leader would run ahead of our
      // disk. Hold the newest chunk until the writes drain (the leader sends one at a time).
      this.heldChunk = message;
      return;
    }
    this.health.contact(message.from);
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

    if (this.options.raft?.applyBudgetUntilAdvance === true && this.applyBacklog()) {
      // One apply budget for the whole batch, however many steps it has (a hosted group
      // shares the event loop with many others): renewed here, spent by the steps below.
      steps.push(this.step({ type: 'advance' }));
    }

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
    if (!this.applyBacklog() && this.syncsInFlight === 0 && this.durableSeq === this.persistedSeq) {
      this.releaseCaughtUp();
    }
    this.hosted?.afterBatch();
  }

  /**
   * Asynchronous writes: start a sync of everything written so far unless one is in flight
   * (when it ends, the batch that reports it starts the next one: group commit). A hosted
   * group may ask again while its sync runs: the host's store runs one fsync at a time and
   * joins every request made meanwhile into the next, so asking at once only joins that
   * next fsync, instead of waiting a whole fsync to ask for it (MAX_HOSTED_SYNCS). A log
   * that cannot sync in the background syncs here, or is durable on write already.
   */
  private startSync(): void {
    if (this.syncsInFlight >= (this.hosted === null ? 1 : MAX_HOSTED_SYNCS)) return;
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
    this.syncsInFlight++;
    const sync: Promise<void> = this.log.syncInBackground().then(
      (ran) => {
        this.syncEnded(sync);
        if (ran) {
          this.metrics.observe(M.syncDuration, (performance.now() - started) / 1000);
          this.metrics.increment(M.durableWrites);
        }
        // Syncs end in order (one log, one fsync at a time), but never move durability back.
        this.durableSeq = Math.max(this.durableSeq, seq);
        this.schedule();
      },
      (error: unknown) => {
        this.syncEnded(sync);
        this.fail(asFatal(error));
      },
    );
    this.syncInFlight = sync;
  }

  private syncEnded(sync: Promise<void>): void {
    this.syncsInFlight--;
    if (this.syncInFlight === sync) this.syncInFlight = null;
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
        const { index, data } = request;
        const result = this.tryStep(
          data instanceof Uint8Array
            ? { type: 'snapshot', index, data }
            : { type: 'snapshot', index, bytes: data.bytes, checksum: data.checksum },
        );
        if ('error' in result) {
          for (const w of request.waiters) w.reject(result.error);
          return null;
        }
        const bytes = data instanceof Uint8Array ? data.length : data.bytes;
        this.snapshotIndex = Math.max(this.snapshotIndex, this.log.snapshotMetadata()?.index ?? 0);
        this.metrics.increment(M.snapshots);
        this.logger.debug({ index, bytes }, 'snapshot taken');
        this.emitSafe('snapshot', index, bytes);
        for (const w of request.waiters) w.resolve(request.index);
        return result.actions;
      }
      case 'restore-result': {
        const result = this.tryStep({ type: 'restore-result', index: request.index, ok: request.ok });
        return 'error' in result ? null : result.actions;
      }
      case 'wake':
        return this.step({ type: 'wake', leaderUnreachable: request.leaderUnreachable });
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
        const result = this.tryStep({ type: 'change-membership', changes: request.changes });
        if ('error' in result) {
          request.done({ error: result.error });
          return null;
        }
        const accepted = result.actions.find(
          (a): a is AcceptedAction => a.type === 'accepted' && a.kind === 'membership',
        );
        if (!accepted)
          throw new RaftError('INVARIANT', 'the core took a membership change without an accepted action');
        request.done({ index: accepted.firstIndex, term: accepted.term });
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
      // Not appended: a node that lost leadership before the batch sends them on instead.
      if (result.error.code === 'NOT_LEADER') for (const p of chunk) this.router.dispatch(p);
      else for (const p of chunk) p.waiter.reject(result.error);
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
      if (p.waiter.startedAt !== undefined)
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
      // No leader to ask (an election): the reads wait for one.
      if (result.error.code === 'NOT_LEADER') this.parkedReads.push(...reads);
      else for (const r of reads) r.waiter.reject(result.error);
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
        if (this.files !== null) return this.restoreStreamed(action.snapshot, action.confirm === true);
        if (action.confirm) return this.restoreReceived(action.snapshot);
        if (decodeDescriptor(action.snapshot.data) !== null) {
          // A streaming directory: the log holds a descriptor, the bytes are a file (D30).
          throw new InvalidConfigError(
            'snapshotStreaming',
            `the log's snapshot at index ${action.snapshot.metadata.index} is a streamed one (its bytes are a file in the snapshot directory): start with snapshotStreaming: true`,
          );
        }
        return this.restore(action.snapshot);
      case 'send-snapshot-chunk':
        this.sendSnapshotChunk(action);
        return undefined;
      case 'write-snapshot-chunk':
        this.streamingFiles().receiveChunk(action.metadata, action.offset, action.data);
        return undefined;
      case 'accepted':
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
    if (proposal?.steppedAt !== undefined) {
      this.metrics.observe(M.proposeCommit, (started - proposal.steppedAt) / 1000);
    }
    const outcome = this.machine.apply(action.command, action.index);
    if (isPromiseLike(outcome)) return outcome.then((o) => this.applied(action, o, started));
    this.applied(action, outcome, started);
    return undefined;
  }

  private applied(action: ApplyAction, outcome: ApplyOutcome<R>, started: number): void {
    this.metrics.observe(M.applyDuration, (performance.now() - started) / 1000);
    this.smApplied = action.index;
    this.appliedSinceSnapshot++;
    this.bytesSinceSnapshot += action.command.length;
    this.counters.applied++;
    this.metrics.increment(M.applied);
    if (outcome.kind === 'threw')
      this.logger.debug(
        { index: action.index, err: outcome.error },
        'apply threw; the proposal rejects with it',
      );
    const proposal = this.awaitingApply.get(action.index);
    if (!proposal) return;
    this.awaitingApply.delete(action.index);
    const { index, term } = action;
    if (proposal.term !== term) {
      proposal.waiter.reject(new LeadershipLostError());
      return;
    }
    switch (outcome.kind) {
      case 'value':
        proposal.waiter.resolve({ index, term, duplicate: false, value: outcome.value });
        return;
      case 'threw':
        proposal.waiter.reject(outcome.error);
        return;
      case 'refused':
        proposal.waiter.reject(outcome.error);
        return;
      case 'duplicate': {
        const first = outcome.outcome;
        if (first.kind === 'ok') {
          proposal.waiter.resolve({ index: outcome.index, term, duplicate: true, encoded: first.result });
        } else if (first.kind === 'error') {
          const e = decodeStoredError(first.result);
          proposal.waiter.reject(new ProposalError(e.code ?? 'APPLY_FAILED', e.message, e.name, this.id));
        } else {
          proposal.waiter.reject(new ResultNotKeptError(outcome.index));
        }
        return;
      }
      default:
        assertNever(outcome, 'apply outcome');
    }
  }

  private onMembership(action: MembershipAction): void {
    this.smApplied = action.index;
    const proposal = this.awaitingApply.get(action.index);
    if (proposal) {
      this.awaitingApply.delete(action.index);
      proposal.waiter.reject(new LeadershipLostError());
    }
    this.membershipCalls.applied(action);
    // Members the committed membership dropped are forgotten (links, overrides, bootstrap).
    if (this.committedMembership !== null) {
      this.directory.committed(this.committedMembership, action.membership, this.node.membership());
    }
    this.committedMembership = action.membership;
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
    await this.machine.restore(snapshot.data);
    this.restored(snapshot);
  }

  /** The state machine now holds `snapshot`: bookkeeping, metrics, the event. */
  private restored(snapshot: Snapshot): void {
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

  // ---------------------------------------------------------------------------------------
  // Streaming snapshots (D28)

  private streamingFiles(): SnapshotFiles {
    if (this.files === null) throw new RaftError('INVARIANT', 'a streaming action without snapshotStreaming');
    return this.files;
  }

  /** Read the chunk from the file and send it; a file that cannot be read stops the server. */
  private sendSnapshotChunk(action: SendSnapshotChunkAction): void {
    const { message, length } = action;
    this.streamingFiles()
      .readChunk(message.metadata, message.offset, length)
      .then(
        (data) => {
          if (this.lifecycle === 'running') this.sendMessage({ ...message, data });
        },
        (error: unknown) => this.fail(new StorageError('reading a snapshot chunk failed', { cause: error })),
      );
  }

  /**
   * A `restore` with streaming. At start-up (`confirm` false) the loop waits for it, as for
   * any restore: the log's file, read chunk by chunk. A snapshot from the leader (`confirm`)
   * is restored in the background from the received file while the loop goes on (the core
   * applies nothing meanwhile); if that works the file gets its final name before the core
   * hears `ok` and the log names it. A damaged or refused one is answered `ok: false`.
   */
  private restoreStreamed(snapshot: Snapshot, confirm: boolean): Promise<void> | undefined {
    const files = this.streamingFiles();
    const maxTable = MAX_SESSION_TABLE_BYTES;
    if (!confirm) {
      return this.machine
        .restoreStream(files.read(snapshot.metadata), maxTable)
        .then(() => this.restored(snapshot));
    }
    const { index } = snapshot.metadata;
    this.restoring = true;
    void (async () => {
      let ok = true;
      try {
        await this.machine.restoreStream(await files.finishReceiving(snapshot.metadata), maxTable);
        await files.keepReceived(snapshot.metadata);
        this.restored(snapshot);
      } catch (error) {
        ok = false;
        files.discardReceived();
        if (error instanceof StorageError && this.smApplied > 0) {
          this.fail(error);
          return;
        }
        this.metrics.increment(M.restoresRefused);
        this.logger.error(
          { err: error, index },
          'a snapshot from the leader could not be restored; keeping the old state',
        );
      } finally {
        this.restoring = false;
        this.snapshotWaiters.push(...this.afterRestoreWaiters);
        this.afterRestoreWaiters = [];
      }
      this.requests.push({ kind: 'restore-result', index, ok });
      this.schedule();
    })();
    return undefined;
  }

  /**
   * Streaming: capture the state now (in the loop), write it to a file in the background,
   * then step the snapshot with the file's size and checksum.
   */
  private async takeStreamed(index: number, waiters: Waiter<number>[]): Promise<void> {
    const term = this.termAt(index);
    const chunks = await this.machine.snapshotStream();
    const take = { index, waiters, stop: false };
    this.take = take;
    this.appliedSinceSnapshot = 0;
    this.bytesSinceSnapshot = 0;
    const files = this.streamingFiles();
    const started = performance.now();
    const stoppable = (async function* () {
      for await (const chunk of chunks) {
        if (take.stop) throw new ServerClosedError();
        yield chunk;
      }
    })();
    files.write(index, term, stoppable).then(
      (facts) => {
        this.take = null;
        this.logger.info(
          { index, bytes: facts.bytes, ms: Math.round(performance.now() - started) },
          'snapshot file written',
        );
        this.requests.push({ kind: 'snapshot', index, data: facts, waiters: take.waiters });
        this.schedule();
      },
      (error: unknown) => {
        this.take = null;
        if (take.stop) return;
        // Not fatal: the log is simply not compacted; the policy tries again later.
        this.logger.error({ err: error, index }, 'writing a snapshot file failed');
        for (const w of take.waiters) w.reject(error);
      },
    );
  }

  /** The term of the entry at `index` (the log's snapshot's term at its index). */
  private termAt(index: number): number {
    const stored = this.log.snapshotMetadata();
    if (stored !== null && stored.index === index) return stored.term;
    return this.log.term(index);
  }

  /**
   * After a batch: follow which files the log and the transfers name, and remove the others
   * once the log's newer snapshot is durable (a crash must find the file its log names).
   */
  private trackSnapshotFiles(): void {
    const st = this.snapshotFilesState;
    const current = nameOf(this.log.snapshotMetadata());
    if (current !== st.current) {
      st.current = current;
      if (current !== null)
        st.pending.push({ name: current, seq: this.asyncWrites ? this.node.writeSeq() : 0 });
      st.due = true;
    }
    // Without asynchronous writes the batch's sync made everything durable already.
    const durableSeq = this.asyncWrites ? this.durableSeq : Number.POSITIVE_INFINITY;
    while (st.pending.length > 0 && st.pending[0]!.seq <= durableSeq) {
      st.durable = st.pending.shift()!.name;
      st.due = true;
    }
    const pinned = nameOf(this.node.pinnedSnapshot());
    if (pinned !== st.pinned) {
      st.pinned = pinned;
      st.due = true;
    }
    if (!st.due || st.pruning) return;
    st.due = false;
    st.pruning = true;
    const keep = new Set<string>();
    for (const name of [st.durable, st.current, st.pinned, ...st.pending.map((p) => p.name)]) {
      if (name !== null) keep.add(name);
    }
    this.streamingFiles()
      .prune(keep)
      .then(
        (removed) => {
          st.pruning = false;
          if (removed.length > 0) this.logger.debug({ removed }, 'old snapshot files removed');
        },
        (error: unknown) => {
          st.pruning = false;
          this.logger.warn({ err: error }, 'removing old snapshot files failed');
        },
      );
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
        // Calls that rode out the election go on.
        const known = this.leaderKnownWaits;
        this.leaderKnownWaits = [];
        for (const k of known) if (!k.waiter.done) k.go();
        this.router.leaderChanged();
        this.releaseParkedReads();
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
    this.membershipCalls.leadershipLost();
  }

  /**
   * After every batch: links follow the membership in force (and, on a leader, the members
   * it still tells of their removal), membership calls check their learner's catch-up, and
   * answered forwards resolve once applied here.
   */
  private afterBatchHooks(): void {
    // A leader keeps links to the members it still tells of their removal: looked up when the
    // membership changed and while any are kept (a scan of the progress, so not every batch).
    const membership = this.node.membership();
    let leaving: NodeId[] = [];
    if (this.node.isLeader() && (membership !== this.lastMembership || this.directory.keeping)) {
      const progress = this.node.status().progress ?? {};
      leaving = Object.keys(progress)
        .map(Number)
        .filter((id) => progress[id]!.leaving);
    }
    this.lastMembership = membership;
    this.directory.update(membership, leaving);
    this.membershipCalls.afterBatch();
    this.router.appliedUpTo(this.smApplied);
  }

  /** After a batch: gauges, housekeeping, and the snapshot policy. */
  private async afterBatch(): Promise<void> {
    this.afterBatchHooks();
    const m = this.metrics;
    if (m.gauge) {
      m.gauge(M.term, this.state.term);
      m.gauge(M.commitIndex, this.node.commitIndex());
      m.gauge(M.appliedIndex, this.smApplied);
      m.gauge(M.isLeader, this.state.role === 'leader' ? 1 : 0);
    }
    this.reportHealth();
    if (this.files !== null) this.trackSnapshotFiles();
    if (this.batchesSinceSweep >= 50) {
      this.batchesSinceSweep = 0;
      for (const [id, reads] of this.readsInFlight) {
        if (reads.every((r) => r.waiter.done)) this.readsInFlight.delete(id);
      }
      // Proposals that timed out or were aborted while their entry waits to commit.
      for (const [index, p] of this.awaitingApply) if (p.waiter.done) this.awaitingApply.delete(index);
      this.transfers = this.transfers.filter((t) => !t.waiter.done);
      this.leaderWaiters = this.leaderWaiters.filter((w) => !w.done);
      this.leaderKnownWaits = this.leaderKnownWaits.filter((k) => !k.waiter.done);
      this.parkedReads = this.parkedReads.filter((r) => !r.waiter.done);
      this.snapshotWaiters = this.snapshotWaiters.filter((w) => !w.done);
    }
    const o = this.opts;
    const due =
      (o.snapshotEveryEntries > 0 && this.appliedSinceSnapshot >= o.snapshotEveryEntries) ||
      (o.snapshotEveryBytes > 0 && this.bytesSinceSnapshot >= o.snapshotEveryBytes);
    const waiters = this.snapshotWaiters.filter((w) => !w.done);
    this.snapshotWaiters = [];
    if (!due && waiters.length === 0) return;
    if (this.take !== null) {
      // One file at a time: callers get the one being written.
      this.take.waiters.push(...waiters);
      return;
    }
    const index = this.smApplied;
    if (index === 0 || index <= this.snapshotIndex) {
      for (const w of waiters) w.resolve(this.snapshotIndex);
      return;
    }
    if (this.files !== null) {
      // Not while a received snapshot replaces the state: the state machine is in flux.
      if (this.restoring) {
        this.afterRestoreWaiters.push(...waiters);
        return;
      }
      await this.takeStreamed(index, waiters);
      return;
    }
    const data = await this.machine.snapshot();
    this.appliedSinceSnapshot = 0;
    this.bytesSinceSnapshot = 0;
    this.requests.push({ kind: 'snapshot', index, data, waiters });
  }

  // ---------------------------------------------------------------------------------------
  // Helpers

  private notLeader(): ForwardToLeaderError {
    const leader = this.state.leader === this.id ? null : this.state.leader;
    return new ForwardToLeaderError(leader, this.id, leader === null ? null : this.directory.address(leader));
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
      else if (request.kind === 'change-membership') request.done({ error });
      else if (request.kind !== 'restore-result' && request.kind !== 'wake') request.waiter?.reject(error);
    }
    this.requests = [];
    this.membershipCalls.rejectAll(error);
    this.router?.rejectAll(error);
    const parked = this.parkedReads;
    this.parkedReads = [];
    for (const r of parked) r.waiter.reject(error);
    for (const t of this.transfers) t.waiter.reject(error);
    this.transfers = [];
    for (const w of this.leaderWaiters) w.reject(error);
    this.leaderWaiters = [];
    for (const w of [...this.snapshotWaiters, ...this.afterRestoreWaiters]) w.reject(error);
    this.snapshotWaiters = [];
    this.afterRestoreWaiters = [];
    if (this.take) for (const w of this.take.waiters.splice(0)) w.reject(error);
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

/** Received snapshot bytes waiting for the disk past which further chunks are held. */
const RECEIVE_BACKLOG = 4 * 1024 * 1024;

function nameOf(m: SnapshotMetadata | null): string | null {
  return m === null ? null : snapshotFileName(m);
}
