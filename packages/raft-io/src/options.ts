/**
 * `RaftServerOptions`: every knob of `RaftServer` with its default and unit, and
 * `resolveServerOptions`, which checks them (throwing core's `InvalidConfigError` naming the
 * field) and fills in the defaults. Where the log and the transport come from:
 *
 * - log: `log` (any `RaftLog`, e.g. core's `MemoryLog`) wins; else a `SqliteLog` at
 *   `<dataDir>/raft-log.sqlite` with group commit; one of the two is required.
 * - transport: `transport` (any `RaftTransport`) wins; else a `TcpTransport` from `tcp`;
 *   else, for a cluster of one voter only, a transport that drops everything.
 */
import {
  InvalidConfigError,
  type Logger,
  type NodeId,
  type RaftConfig,
  type RaftLog,
  type RaftTransport,
} from '@raft-io/core';
import type { SqliteLogOptions } from '@raft-io/log-sqlite';
import type { PeerAddress, TcpTransportOptions } from '@raft-io/transport-tcp';
import type { Metrics } from './metrics.js';
import type { PeerHealthOptions } from './peer-health.js';
import type { StateMachine } from './state-machine.js';

/** Protocol tuning passed to core's `RaftNode` (see core's `RaftConfig` for each default). */
export type RaftTuning = Omit<RaftConfig, 'id' | 'voters' | 'learners'>;

/** The TCP transport's options without those the server fills in (`id`, `logger`). */
export type ServerTcpOptions = Omit<TcpTransportOptions, 'id' | 'logger'>;

export interface RaftServerOptions<R = unknown> {
  /** This node's id: a positive safe integer, unique in the cluster. Required. */
  readonly id: NodeId;
  /**
   * The voters of a new cluster (this node among them). Used only when the log holds no
   * membership yet; afterwards the log's membership wins. Default `[id]`: a cluster of one.
   */
  readonly voters?: readonly NodeId[];
  /** The learners of a new cluster. Default `[]`. */
  readonly learners?: readonly NodeId[];
  /** The user's state machine (see `StateMachine` for its rules). Required. */
  readonly stateMachine: StateMachine<R>;
  /**
   * Protocol tuning handed to the core: `electionTick` (default 10 ticks), `heartbeatTick`
   * (1 tick), `preVote` (true), `checkQuorum` (true), `seed`, `maxSizePerMsg`, ... .
   */
  readonly raft?: RaftTuning;
  /** The log. Default: a `SqliteLog` under `dataDir`. The server closes it on `close()`. */
  readonly log?: RaftLog;
  /**
   * Directory of the durable log (created if missing); the log is the SQLite file
   * `raft-log.sqlite` in it. Required unless `log` is given.
   */
  readonly dataDir?: string;
  /**
   * Options of the `SqliteLog` opened under `dataDir`. Default `{ groupCommit: true }`: one
   * fsync per driver batch (see the README's "group commit").
   */
  readonly sqlite?: SqliteLogOptions;
  /** The transport. Default: a `TcpTransport` from `tcp`. The server closes it on `close()`. */
  readonly transport?: RaftTransport;
  /**
   * Options of the `TcpTransport` the server builds (`clusterId`, `listen`, `peers`, `tls`,
   * queue bounds, ...), without `id` and `logger`, which the server fills in. Required
   * unless `transport` is given or the cluster is this node alone.
   */
  readonly tcp?: ServerTcpOptions;
  /**
   * Transport addresses of peers, used only to tell callers where the leader is
   * (`ForwardToLeaderError.leaderAddress`). Default: `tcp.peers`. `setPeerAddress` adds more.
   */
  readonly peerAddresses?: Readonly<Record<number, string>>;
  /** Milliseconds between two ticks of the core's logical clock. Default 100 ms. */
  readonly tickIntervalMs?: number;
  /** Deadline of `propose` when the call gives none, in ms; 0: none. Default 10000 ms. */
  readonly proposalTimeoutMs?: number;
  /** Deadline of `read` / `readIndex` when the call gives none, in ms; 0: none. Default 10000 ms. */
  readonly readTimeoutMs?: number;
  /**
   * Deadline of `addVoter`, `addLearner`, `removeMember`, `changeMembership` and
   * `transferLeadership` when the call gives none, in ms; 0: none. Default 10000 ms.
   */
  readonly adminTimeoutMs?: number;
  /**
   * Most proposals waiting at once (queued or appended and not yet applied); beyond it
   * `propose` rejects with `PendingLimitError`. Default 8192 proposals.
   */
  readonly maxPendingProposals?: number;
  /** Most reads waiting at once; beyond it `read` rejects with `PendingLimitError`. Default 8192 reads. */
  readonly maxPendingReads?: number;
  /** Most commands in one `propose` step (one log append). Default 1024 commands. */
  readonly maxBatchCommands?: number;
  /** Most command bytes in one `propose` step (at least one command). Default 1 MiB (1048576 bytes). */
  readonly maxBatchBytes?: number;
  /**
   * Most incoming messages queued while the driver is busy; beyond it messages are dropped
   * (Raft tolerates loss). Default 16384 messages.
   */
  readonly maxQueuedMessages?: number;
  /**
   * Snapshot policy: take `stateMachine.snapshot()` and compact the log after this many
   * applied commands since the last snapshot; 0: never by count. Default 10000 commands.
   */
  readonly snapshotEveryEntries?: number;
  /**
   * Snapshot policy by size: after this many applied command bytes since the last snapshot;
   * 0: never by size. Default 64 MiB (67108864 bytes).
   */
  readonly snapshotEveryBytes?: number;
  /** A pino-compatible logger. Default: silent. */
  readonly logger?: Logger;
  /** Metrics sink (see `Metrics`, `METRIC_NAMES`). Default: drops everything. */
  readonly metrics?: Metrics;
  /**
   * Thresholds of the per-peer health events (see `PeerHealthOptions`): a peer is unreachable
   * after `unreachableAfterTicks` ticks without an answer (default `raft.electionTick`), a
   * follower is lagging beyond `laggingEntries` (default 1000) or `laggingBytes` (default 8 MiB).
   */
  readonly health?: PeerHealthOptions;
}

/** The server's own options with every default filled in. */
export interface ResolvedServerOptions {
  readonly tickIntervalMs: number;
  readonly proposalTimeoutMs: number;
  readonly readTimeoutMs: number;
  readonly adminTimeoutMs: number;
  readonly maxPendingProposals: number;
  readonly maxPendingReads: number;
  readonly maxBatchCommands: number;
  readonly maxBatchBytes: number;
  readonly maxQueuedMessages: number;
  readonly snapshotEveryEntries: number;
  readonly snapshotEveryBytes: number;
}

export const SERVER_DEFAULTS: ResolvedServerOptions = Object.freeze({
  tickIntervalMs: 100,
  proposalTimeoutMs: 10_000,
  readTimeoutMs: 10_000,
  adminTimeoutMs: 10_000,
  maxPendingProposals: 8192,
  maxPendingReads: 8192,
  maxBatchCommands: 1024,
  maxBatchBytes: 1024 * 1024,
  maxQueuedMessages: 16_384,
  snapshotEveryEntries: 10_000,
  snapshotEveryBytes: 64 * 1024 * 1024,
});

/** The name of the SQLite file under `dataDir`. */
export const LOG_FILE_NAME = 'raft-log.sqlite';

function int(field: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new InvalidConfigError(field, `must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

/** Check the server's own options and fill in defaults (the core checks `raft`). */
export function resolveServerOptions(options: RaftServerOptions<unknown>): ResolvedServerOptions {
  if (options === null || typeof options !== 'object')
    throw new InvalidConfigError('options', 'must be an object');
  const sm = options.stateMachine as Partial<StateMachine> | undefined;
  if (
    sm === null ||
    typeof sm !== 'object' ||
    typeof sm.apply !== 'function' ||
    typeof sm.snapshot !== 'function' ||
    typeof sm.restore !== 'function'
  ) {
    throw new InvalidConfigError('stateMachine', 'must have apply, snapshot and restore methods');
  }
  if (options.log === undefined && (typeof options.dataDir !== 'string' || options.dataDir === '')) {
    throw new InvalidConfigError('dataDir', 'give dataDir (a durable SQLite log) or log');
  }
  const d = SERVER_DEFAULTS;
  return {
    tickIntervalMs: int('tickIntervalMs', options.tickIntervalMs ?? d.tickIntervalMs, 1),
    proposalTimeoutMs: int('proposalTimeoutMs', options.proposalTimeoutMs ?? d.proposalTimeoutMs, 0),
    readTimeoutMs: int('readTimeoutMs', options.readTimeoutMs ?? d.readTimeoutMs, 0),
    adminTimeoutMs: int('adminTimeoutMs', options.adminTimeoutMs ?? d.adminTimeoutMs, 0),
    maxPendingProposals: int('maxPendingProposals', options.maxPendingProposals ?? d.maxPendingProposals, 1),
    maxPendingReads: int('maxPendingReads', options.maxPendingReads ?? d.maxPendingReads, 1),
    maxBatchCommands: int('maxBatchCommands', options.maxBatchCommands ?? d.maxBatchCommands, 1),
    maxBatchBytes: int('maxBatchBytes', options.maxBatchBytes ?? d.maxBatchBytes, 1),
    maxQueuedMessages: int('maxQueuedMessages', options.maxQueuedMessages ?? d.maxQueuedMessages, 1),
    snapshotEveryEntries: int(
      'snapshotEveryEntries',
      options.snapshotEveryEntries ?? d.snapshotEveryEntries,
      0,
    ),
    snapshotEveryBytes: int('snapshotEveryBytes', options.snapshotEveryBytes ?? d.snapshotEveryBytes, 0),
  };
}

/** `host:port` of a peer address, for `ForwardToLeaderError.leaderAddress`. */
export function formatAddress(address: PeerAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
