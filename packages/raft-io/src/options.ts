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
  checkSessionLimits,
  DEFAULT_SESSION_LIMITS,
  DEFAULTS,
  InvalidConfigError,
  type Logger,
  type MemberInfo,
  type NodeId,
  type RaftConfig,
  type RaftLog,
  type RaftTransport,
  resolveConfig,
  type SessionLimits,
  silentLogger,
} from '@raft-io/core';
import type { SqliteLogOptions } from '@raft-io/log-sqlite';
import {
  type PeerAddress,
  resolveTcpTransportOptions,
  type TcpTransportOptions,
} from '@raft-io/transport-tcp';
import type { Metrics } from './metrics.js';
import { checkKeys } from './option-keys.js';
import { formatAddress, parseAddress } from './peer-directory.js';
import type { PeerHealthOptions } from './peer-health.js';
import type { ResultCodec } from './result-codec.js';
import type { StateMachine } from './state-machine.js';
import { createStderrLogger } from './stderr-logger.js';

export { formatAddress } from './peer-directory.js';

/** Protocol tuning passed to core's `RaftNode` (see core's `RaftConfig` for each default). */
export type RaftTuning = Omit<RaftConfig, 'id' | 'voters' | 'learners' | 'memberInfo'>;

/**
 * The TCP transport's options without those the server fills in (`id`, `logger`). `listen`
 * may be left out when `voters` gives this node's address: it listens there.
 */
export type ServerTcpOptions = Omit<TcpTransportOptions, 'id' | 'logger' | 'listen' | 'peers'> & {
  readonly listen?: PeerAddress;
  /**
   * Bootstrap addresses of peers (`PeerAddress` or `'host:port'`): dialled while this node
   * knows no voter (a new node: give it every current member), and used for members whose
   * membership carries no address.
   */
  readonly peers?: ReadonlyMap<NodeId, PeerAddress | string> | Readonly<Record<number, PeerAddress | string>>;
};

/**
 * An initial member with its address: `'host:port'`, a `PeerAddress`, or both an address and
 * the application's opaque metadata (printable ASCII, at most 4096 characters; the kv demo
 * puts the member's HTTP URL there).
 */
export type MemberSpec =
  | string
  | PeerAddress
  | { readonly address?: string | PeerAddress; readonly metadata?: string };

/** Initial members: ids, or ids with their addresses (`{ 1: '10.0.0.1:7001', ... }`). */
export type InitialMembers = readonly NodeId[] | Readonly<Record<number, MemberSpec>>;

export interface RaftServerOptions<R = unknown> {
  /** This node's id: a positive safe integer, unique in the cluster. Required. */
  readonly id: NodeId;
  /**
   * The voters of a new cluster (this node among them), used only while the log holds no
   * membership (afterwards the log's membership wins): ids, or better ids with their
   * addresses, `{ 1: '10.0.0.1:7001', 2: '10.0.0.2:7001', 3: '10.0.0.3:7001' }`, the same on
   * every node. The addresses become part of the replicated membership, so every node dials
   * every member from its log, restarted or not. Default `[id]`: a cluster of one. A node that
   * joins an existing cluster gives `[]` (it never campaigns; the leader adds it) and the
   * current members' addresses in `tcp.peers`.
   */
  readonly voters?: InitialMembers;
  /** The learners of a new cluster, like `voters`. Default `[]`. */
  readonly learners?: InitialMembers;
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
   * Options of the `TcpTransport` the server builds (`clusterId`, `listen`, `clusterSecret`,
   * `tls`, queue bounds, ...), without `id` and `logger`, which the server fills in. `peers`
   * are bootstrap addresses: dialled while this node knows no voter (a new node joining),
   * and used for members whose membership entry carries no address. Required unless
   * `transport` is given or the cluster is this node alone.
   */
  readonly tcp?: ServerTcpOptions;
  /**
   * Bootstrap addresses of peers (`{ id: 'host:port' }`), like `tcp.peers`: for a transport
   * of your own, and for `ForwardToLeaderError.leaderAddress`. Default none.
   */
  readonly peerAddresses?: Readonly<Record<number, string>>;
  /**
   * Forward proposals made on a follower to the leader over the Raft transport (driver
   * messages; needs a transport that carries them, as `TcpTransport` does). Off: a follower
   * rejects with `ForwardToLeaderError`. Default true.
   */
  readonly forwarding?: boolean;
  /**
   * How a state machine result travels (forwarded proposals, the session table of
   * exactly-once proposals). Default `valueCodec`: JSON-like values and `Uint8Array`s.
   */
  readonly resultCodec?: ResultCodec<R>;
  /**
   * Bounds of the replicated client-session table of exactly-once proposals: `maxSessions`
   * (default 50000 clients, least recently used forgotten first), `expiryEntries` (default
   * 1000000: a client unused for that many log entries is forgotten), `maxResultBytes`
   * (default 1024: a larger result is not kept; a retry learns only where it applied).
   * They ride in each session entry, so nodes decide alike even when configured apart.
   */
  readonly sessionLimits?: Partial<SessionLimits>;
  /**
   * `addVoter` (and `addLearner` with `catchUp`) wait until the learner has answered the
   * leader and is at most this many entries behind its log. Default 64 entries.
   */
  readonly catchUpLagEntries?: number;
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
  /**
   * Streaming snapshots (docs/decisions.md D28, the operations guide's "Snapshots and their
   * sizing"): snapshots are files in `snapshotDir`, taken in the background while the server
   * goes on committing (the state machine's `snapshotStream`), sent to followers chunk by
   * chunk from disk, received into a file and restored from it (`restoreStream`), so their
   * size is bounded by the disk, not by memory. The log stores only their metadata. A log
   * written with the other setting is refused at start. With it, `raft.maxSnapshotBytes`
   * (the largest snapshot a follower accepts) defaults to `STREAMED_MAX_SNAPSHOT_BYTES`,
   * 64 GiB, instead of the in-memory 256 MiB. Default false (a snapshot is one buffer,
   * stored in the log).
   */
  readonly snapshotStreaming?: boolean;
  /**
   * Directory of the snapshot files with `snapshotStreaming` (created if missing; keep it on
   * the log's file system and back it up with it). Default `<dataDir>/snapshots`; required
   * with `log` and no `dataDir`.
   */
  readonly snapshotDir?: string;
  /**
   * A pino-compatible logger. Default: warnings and errors as pino-shaped JSON lines on
   * stderr (`createStderrLogger()`); `'silent'` (or core's `silentLogger`) drops everything.
   */
  readonly logger?: Logger | 'silent';
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
  readonly forwarding: boolean;
  readonly catchUpLagEntries: number;
  readonly sessionLimits: SessionLimits;
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
  forwarding: true,
  catchUpLagEntries: 64,
  sessionLimits: DEFAULT_SESSION_LIMITS,
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

/**
 * The default `raft.maxSnapshotBytes` with `snapshotStreaming`: a received snapshot is written
 * to disk as it arrives, so the bound is the disk's, not memory's (the core's own default,
 * 256 MiB, is for snapshots assembled in memory).
 */
export const STREAMED_MAX_SNAPSHOT_BYTES = 64 * 1024 ** 3;

/** The name of the SQLite file under `dataDir`. */
export const LOG_FILE_NAME = 'raft-log.sqlite';
/** The directory of snapshot files under `dataDir` with `snapshotStreaming` (D28). */
export const SNAPSHOT_DIR_NAME = 'snapshots';

function int(field: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new InvalidConfigError(field, `must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

/** Every option key `RaftServerOptions` knows (a missing one is a compile error below). */
const SERVER_KEYS = [
  'id',
  'voters',
  'learners',
  'stateMachine',
  'raft',
  'log',
  'dataDir',
  'sqlite',
  'transport',
  'tcp',
  'peerAddresses',
  'forwarding',
  'resultCodec',
  'sessionLimits',
  'catchUpLagEntries',
  'tickIntervalMs',
  'proposalTimeoutMs',
  'readTimeoutMs',
  'adminTimeoutMs',
  'maxPendingProposals',
  'maxPendingReads',
  'maxBatchCommands',
  'maxBatchBytes',
  'maxQueuedMessages',
  'snapshotEveryEntries',
  'snapshotEveryBytes',
  'snapshotStreaming',
  'snapshotDir',
  'logger',
  'metrics',
  'health',
] as const satisfies readonly (keyof RaftServerOptions)[];
const RAFT_KEYS = [...Object.keys(DEFAULTS), 'seed', 'quiesceAfterTicks'] as readonly string[];
const TCP_KEYS = [
  'clusterId',
  'listen',
  'peers',
  'tls',
  'clusterSecret',
  'insecure',
  'maxInboundConnections',
  'maxInboundConnectionsPerAddress',
  'maxConnectionsPerPeer',
  'idleTimeoutMs',
  'frameTimeoutMs',
  'maxInboundBufferedBytes',
  'maxQueueMessages',
  'maxQueueBytes',
  'reconnect',
  'handshakeTimeoutMs',
  'maxFrameBytes',
  'socket',
] as const satisfies readonly (keyof ServerTcpOptions)[];
const TLS_KEYS = [
  'key',
  'cert',
  'ca',
  'checkServerIdentity',
  'peerFingerprints',
  'verifyPeerIdentity',
] as const satisfies readonly (keyof NonNullable<ServerTcpOptions['tls']>)[];
const RECONNECT_KEYS = ['initialDelayMs', 'maxDelayMs'] as const satisfies readonly (keyof NonNullable<
  ServerTcpOptions['reconnect']
>)[];
const SOCKET_KEYS = [
  'noDelay',
  'keepAlive',
  'keepAliveInitialDelayMs',
] as const satisfies readonly (keyof NonNullable<ServerTcpOptions['socket']>)[];
const SQLITE_KEYS = [
  'synchronous',
  'groupCommit',
  'quickCheck',
  'tailCacheEntries',
  'tailCacheBytes',
  'pageCacheKiB',
  'create',
  'highWaterMarkFlushMs',
  'identity',
] as const satisfies readonly (keyof SqliteLogOptions)[];
const SESSION_KEYS = [
  'maxSessions',
  'expiryEntries',
  'maxResultBytes',
] as const satisfies readonly (keyof SessionLimits)[];
const HEALTH_KEYS = [
  'unreachableAfterTicks',
  'laggingEntries',
  'laggingBytes',
] as const satisfies readonly (keyof PeerHealthOptions)[];

// Each list names every key of its type: adding an option without listing it fails to compile.
type Missing<T, K extends readonly PropertyKey[]> = Exclude<keyof T, K[number]>;
const complete: [
  Missing<RaftServerOptions, typeof SERVER_KEYS>,
  Missing<ServerTcpOptions, typeof TCP_KEYS>,
  Missing<NonNullable<ServerTcpOptions['tls']>, typeof TLS_KEYS>,
  Missing<SqliteLogOptions, typeof SQLITE_KEYS>,
  Missing<SessionLimits, typeof SESSION_KEYS>,
  Missing<PeerHealthOptions, typeof HEALTH_KEYS>,
] extends [never, never, never, never, never, never]
  ? true
  : false = true;
void complete;

function isObject(value: unknown): value is object {
  return value !== null && typeof value === 'object';
}

/** Every options object checked against the keys it may hold (see `option-keys.ts`). */
function checkAllKeys(options: RaftServerOptions<unknown>): void {
  checkKeys(options, SERVER_KEYS);
  if (isObject(options.raft)) checkKeys(options.raft, RAFT_KEYS, 'raft');
  if (isObject(options.sqlite)) checkKeys(options.sqlite, SQLITE_KEYS, 'sqlite');
  if (isObject(options.sessionLimits)) checkKeys(options.sessionLimits, SESSION_KEYS, 'sessionLimits');
  if (isObject(options.health)) checkKeys(options.health, HEALTH_KEYS, 'health');
  const tcp = options.tcp;
  if (isObject(tcp)) {
    checkKeys(tcp, TCP_KEYS, 'tcp');
    if (isObject(tcp.tls)) checkKeys(tcp.tls, TLS_KEYS, 'tcp.tls');
    if (isObject(tcp.reconnect)) checkKeys(tcp.reconnect, RECONNECT_KEYS, 'tcp.reconnect');
    if (isObject(tcp.socket)) checkKeys(tcp.socket, SOCKET_KEYS, 'tcp.socket');
  }
}

/**
 * Check the server's own options and fill in defaults. Every key must be known (an unknown
 * one names the nearest known key), the core's tuning and the TCP transport's options are
 * checked too: everything `start()` would refuse is refused here.
 */
export function resolveServerOptions(options: RaftServerOptions<unknown>): ResolvedServerOptions {
  if (options === null || typeof options !== 'object')
    throw new InvalidConfigError('options', 'must be an object');
  checkAllKeys(options);
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
  if (options.snapshotStreaming !== undefined && typeof options.snapshotStreaming !== 'boolean') {
    throw new InvalidConfigError('snapshotStreaming', 'must be a boolean');
  }
  if (
    options.snapshotDir !== undefined &&
    (typeof options.snapshotDir !== 'string' || options.snapshotDir === '')
  ) {
    throw new InvalidConfigError('snapshotDir', 'must be a directory path');
  }
  if (
    options.snapshotStreaming === true &&
    options.snapshotDir === undefined &&
    options.dataDir === undefined
  ) {
    throw new InvalidConfigError('snapshotDir', 'snapshotStreaming needs snapshotDir (or dataDir)');
  }
  if (options.raft?.snapshotStreaming !== undefined) {
    throw new InvalidConfigError('raft.snapshotStreaming', 'set the server option snapshotStreaming instead');
  }
  const identity = options.sqlite?.identity;
  if (identity !== undefined && isObject(identity) && identity.nodeId !== options.id)
    throw new InvalidConfigError(
      'sqlite.identity',
      `names node ${String(identity.nodeId)}, but this is node ${options.id}`,
    );
  const members = resolveMembers(options);
  // The core's tuning too (electionTick, heartbeatTick, ...), as the node will see it.
  resolveConfig({ ...options.raft, id: options.id, voters: members.voters, learners: members.learners });
  // The transport's options now, not at start(): a missing cluster secret or `insecure` on a
  // public address is a configuration error of the constructor.
  if (options.tcp && !options.transport) {
    if (members.listen === undefined)
      throw new InvalidConfigError('tcp.listen', "give tcp.listen, or this node's address in voters");
    // `peers` are bootstrap addresses (also `host:port` strings), checked by resolveMembers.
    const { peers: _bootstrap, ...tcp } = options.tcp;
    resolveTcpTransportOptions({ ...tcp, id: options.id, listen: members.listen });
  }
  if (options.forwarding !== undefined && typeof options.forwarding !== 'boolean')
    throw new InvalidConfigError('forwarding', 'must be a boolean');
  const codec = options.resultCodec as Partial<ResultCodec<unknown>> | undefined;
  if (
    codec !== undefined &&
    (!isObject(codec) || typeof codec.encode !== 'function' || typeof codec.decode !== 'function')
  )
    throw new InvalidConfigError('resultCodec', 'must have encode and decode methods');
  if (options.logger !== undefined && options.logger !== 'silent') {
    const l = options.logger as Partial<Logger>;
    if (
      !isObject(l) ||
      typeof l.warn !== 'function' ||
      typeof l.error !== 'function' ||
      typeof l.info !== 'function' ||
      typeof l.debug !== 'function'
    )
      throw new InvalidConfigError(
        'logger',
        "must be a pino-compatible logger ({ debug, info, warn, error }) or 'silent'",
      );
  }
  let sessionLimits: SessionLimits;
  try {
    sessionLimits = checkSessionLimits({ ...DEFAULT_SESSION_LIMITS, ...options.sessionLimits });
  } catch (error) {
    throw new InvalidConfigError('sessionLimits', (error as Error).message);
  }
  const d = SERVER_DEFAULTS;
  return {
    forwarding: options.forwarding ?? d.forwarding,
    catchUpLagEntries: int('catchUpLagEntries', options.catchUpLagEntries ?? d.catchUpLagEntries, 0),
    sessionLimits,
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

/** The logger the server uses: the given one, none for `'silent'`, else the stderr logger. */
export function resolveLogger(logger: Logger | 'silent' | undefined): Logger {
  if (logger === 'silent') return silentLogger;
  return logger ?? createStderrLogger();
}

/** The initial members and everything the options say about where peers are. */
export interface ResolvedMembers {
  readonly voters: NodeId[];
  readonly learners: NodeId[];
  /** `RaftConfig.memberInfo` of a new cluster: the initial members' addresses and metadata. */
  readonly memberInfo: Record<NodeId, MemberInfo>;
  /** Bootstrap addresses (`host:port`) by peer: initial members, `tcp.peers`, `peerAddresses`. */
  readonly addresses: Map<NodeId, string>;
  /** Where this node listens: `tcp.listen`, else its own address among the initial members. */
  readonly listen: PeerAddress | undefined;
}

function addressText(field: string, value: unknown): string {
  if (typeof value === 'string') {
    if (parseAddress(value) === null)
      throw new InvalidConfigError(field, `must be host:port, got ${JSON.stringify(value)}`);
    return value;
  }
  const a = value as Partial<PeerAddress> | null;
  if (
    !isObject(a) ||
    typeof a.host !== 'string' ||
    a.host === '' ||
    typeof a.port !== 'number' ||
    !Number.isInteger(a.port) ||
    a.port < 1 ||
    a.port > 65535
  ) {
    throw new InvalidConfigError(field, 'must be host:port or { host, port }');
  }
  return formatAddress({ host: a.host, port: a.port });
}

function memberList(
  field: string,
  value: InitialMembers | undefined,
  info: Record<NodeId, MemberInfo>,
): NodeId[] | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return [...value];
  if (!isObject(value)) throw new InvalidConfigError(field, 'must be an array of ids or { id: address }');
  const ids: NodeId[] = [];
  for (const [key, spec] of Object.entries(value as Record<string, MemberSpec>)) {
    const id = Number(key);
    if (!Number.isSafeInteger(id) || id <= 0 || String(id) !== key)
      throw new InvalidConfigError(`${field}.${key}`, 'is not a node id');
    ids.push(id);
    const s = spec as { address?: unknown; metadata?: unknown; host?: unknown };
    const withInfo = isObject(s) && !('host' in s);
    const address = withInfo ? s.address : spec;
    const metadata = withInfo ? s.metadata : undefined;
    if (metadata !== undefined && (typeof metadata !== 'string' || metadata.length > 4096))
      throw new InvalidConfigError(`${field}.${key}.metadata`, 'must be a string of at most 4096 characters');
    info[id] = {
      ...(address !== undefined ? { address: addressText(`${field}.${key}`, address) } : {}),
      ...(metadata !== undefined ? { metadata: metadata as string } : {}),
    };
  }
  return ids;
}

/**
 * The initial members (`voters`, `learners` as ids or with addresses) and the bootstrap
 * addresses. Throws `InvalidConfigError`.
 */
export function resolveMembers(options: RaftServerOptions<unknown>): ResolvedMembers {
  const info: Record<NodeId, MemberInfo> = {};
  const voters = memberList('voters', options.voters, info) ?? [options.id];
  const learners = memberList('learners', options.learners, info) ?? [];
  const addresses = new Map<NodeId, string>();
  for (const [peer, address] of Object.entries(options.peerAddresses ?? {}))
    addresses.set(Number(peer), addressText(`peerAddresses.${peer}`, address));
  const peers = options.tcp?.peers;
  if (peers) {
    const entries =
      peers instanceof Map
        ? [...peers.entries()]
        : Object.entries(peers).map(([k, v]) => [Number(k), v] as const);
    for (const [peer, address] of entries) addresses.set(peer, addressText(`tcp.peers.${peer}`, address));
  }
  for (const [id, i] of Object.entries(info))
    if (i.address !== undefined) addresses.set(Number(id), i.address);
  const own = info[options.id]?.address;
  const listen = options.tcp?.listen ?? (own === undefined ? undefined : (parseAddress(own) ?? undefined));
  return { voters, learners, memberInfo: info, addresses, listen };
}
