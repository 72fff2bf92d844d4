/**
 * Node configuration. A plain object with `id` and `voters` is a complete config; every
 * other field has a documented default. `resolveConfig` checks it and fills the defaults.
 */
import { InvalidConfigError } from './errors.js';
import type { MemberInfo, NodeId } from './types.js';

export interface RaftConfig {
  /** This node's id: a positive safe integer. */
  readonly id: NodeId;
  /**
   * The voters of a new cluster. Used only when the log holds no membership yet (no
   * snapshot, no membership entry); afterwards the log's membership wins.
   */
  readonly voters: readonly NodeId[];
  /** The learners of a new cluster (non-voting members). Default `[]`. */
  readonly learners?: readonly NodeId[];
  /**
   * The addresses and metadata of a new cluster's members (see `Membership.info`), used like
   * `voters`: only while the log holds no membership. Default none.
   */
  readonly memberInfo?: Readonly<Record<NodeId, MemberInfo>>;
  /**
   * Election timeout base, in ticks. The randomized timeout is drawn from
   * `[electionTick, 2 * electionTick)`. Default 10; at least 2.
   */
  readonly electionTick?: number;
  /** Ticks between leader heartbeats. Default 1; less than `electionTick`. */
  readonly heartbeatTick?: number;
  /** Run a pre-vote round before raising the term (dissertation §9.6). Default true. */
  readonly preVote?: boolean;
  /**
   * A leader steps down when it has not heard from a quorum within an election timeout,
   * and followers that heard from a leader within one ignore vote requests (leader
   * stickiness). Default true.
   */
  readonly checkQuorum?: boolean;
  /** Seed of the election-timeout PRNG: an unsigned 32-bit integer. Default derived from `id`. */
  readonly seed?: number;
  /** Max bytes of entry data in one AppendEntries (at least one entry is always sent). Default 1 MiB. */
  readonly maxSizePerMsg?: number;
  /** Max AppendEntries in flight to one follower while replicating. Default 256. */
  readonly maxInflightMsgs?: number;
  /** Max entry bytes in flight to one follower; 0 for no byte limit. Default 32 MiB. */
  readonly maxInflightBytes?: number;
  /** Max bytes of uncommitted entries on the leader before `propose` fails; 0: no limit. Default 64 MiB. */
  readonly maxUncommittedEntriesSize?: number;
  /** Max bytes of snapshot data per InstallSnapshot chunk. Default 1 MiB. */
  readonly snapshotChunkSize?: number;
  /**
   * Max bytes of a snapshot this node receives from a leader (it is assembled in memory); a
   * larger one is refused. Default 256 MiB.
   */
  readonly maxSnapshotBytes?: number;
  /**
   * Install a snapshot received from the leader only after the driver restored it: the node
   * emits `restore` with `confirm: true` and waits for a `restore-result` event before it
   * replaces its log (and applies nothing meanwhile). A snapshot the state machine refuses is
   * then rejected and the old state kept. Default false (the snapshot is stored at once).
   */
  readonly confirmRestore?: boolean;
  /**
   * Streaming snapshots (docs/decisions.md D28): snapshot bytes never stay in the core. The
   * driver keeps each snapshot in a file of its own and the log stores only its metadata
   * (with `bytes` and `checksum`, which the log must keep); the leader asks the driver to send
   * chunks read from the file (`send-snapshot-chunk`), a follower hands each received chunk to
   * the driver (`write-snapshot-chunk`) and checks the CRC32C as they pass, and the driver
   * takes snapshots with the `snapshot` event's `bytes` and `checksum`. Implies
   * `confirmRestore` (a file is restored and kept before the log names it; setting it false is
   * an error). `maxSnapshotBytes` still bounds what a follower accepts. Default false.
   */
  readonly snapshotStreaming?: boolean;
  /**
   * Entries kept before a snapshot's index when the log is compacted, so a follower that is
   * only slightly behind is caught up from the log, not with a snapshot. Default 0.
   */
  readonly compactionTail?: number;
  /**
   * Max bytes of committed entries handed out as `apply` actions in one step; the rest
   * follow in later steps, so a restart with a long committed tail does not build one huge
   * action list. 0: no limit. Default 64 MiB (at least one entry per step always).
   */
  readonly maxApplyBytesPerStep?: number;
  /**
   * Count `maxApplyBytesPerStep` across steps until the next `advance` event (or until every
   * committed entry is handed out), instead of per step. A driver that runs many steps per
   * batch (ticks, messages) and steps `advance` first in every batch that starts with entries
   * waiting then hands out at most about one budget per batch, however many steps the batch
   * has: that bounds the work of one group per turn when many share an event loop
   * (`RaftHost`). A driver with this option must step `advance` while entries wait, or they
   * wait for ever. Default false.
   */
  readonly applyBudgetUntilAdvance?: boolean;
  /**
   * Serve reads from a leader lease instead of a heartbeat round. Opt-in: safe only if
   * clocks on all nodes tick at the same rate within a bound (ticks are the lease clock) and
   * `checkQuorum` is on. Default false.
   */
  readonly leaseRead?: boolean;
  /**
   * Asynchronous storage writes (etcd's `AsyncStorageWrites`; docs/decisions.md D21). The
   * driver carries out every action at once and reports durability with
   * `{ type: 'persisted', seq }`; the node withholds the messages that promise durable state
   * until then, counts its own vote and its own log only once durable, and applies nothing
   * beyond its durable index. Default false: sync before every action for which
   * `needsDurableLog` is true.
   */
  readonly asyncStorageWrites?: boolean;
  /**
   * Quiescence (docs/decisions.md D29): a leader whose group has had nothing to do for
   * `quiesceAfterTicks` ticks sends one last heartbeat that puts the group to sleep; asleep,
   * nodes ignore ticks (no heartbeats, no election timer) until any other event wakes them.
   * The driver must then tick only awake nodes if it wants the saving, and must wake a
   * quiesced follower with `{ type: 'wake', leaderUnreachable: true }` when its leader's host
   * is gone (a follower without this option never quiesces, so a driver that knows nothing of
   * it is safe). Every member of a group should use the same setting. A quiescing leader gives
   * up its lease for the rest of its term. Default false.
   */
  readonly quiesce?: boolean;
  /** Ticks a leader's group must have been idle before it quiesces. Default `electionTick`; at least 1. */
  readonly quiesceAfterTicks?: number;
}

/** A config with every default filled in. */
export type ResolvedRaftConfig = Required<Omit<RaftConfig, 'memberInfo'>> & Pick<RaftConfig, 'memberInfo'>;

export const DEFAULTS = Object.freeze({
  electionTick: 10,
  heartbeatTick: 1,
  preVote: true,
  checkQuorum: true,
  maxSizePerMsg: 1024 * 1024,
  maxInflightMsgs: 256,
  maxInflightBytes: 32 * 1024 * 1024,
  maxUncommittedEntriesSize: 64 * 1024 * 1024,
  snapshotChunkSize: 1024 * 1024,
  maxSnapshotBytes: 256 * 1024 * 1024,
  confirmRestore: false,
  snapshotStreaming: false,
  compactionTail: 0,
  maxApplyBytesPerStep: 64 * 1024 * 1024,
  applyBudgetUntilAdvance: false,
  leaseRead: false,
  asyncStorageWrites: false,
  quiesce: false,
});

function isNodeId(value: unknown): value is NodeId {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

function positiveInt(field: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new InvalidConfigError(field, `must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

function boolean(field: string, value: boolean): boolean {
  if (typeof value !== 'boolean')
    throw new InvalidConfigError(field, `must be a boolean, got ${String(value)}`);
  return value;
}

/** `snapshotStreaming` needs `confirmRestore`, and turns it on unless it was given. */
function snapshotModes(config: RaftConfig): { confirmRestore: boolean; snapshotStreaming: boolean } {
  const snapshotStreaming = boolean(
    'snapshotStreaming',
    config.snapshotStreaming ?? DEFAULTS.snapshotStreaming,
  );
  const confirmRestore = boolean(
    'confirmRestore',
    config.confirmRestore ?? (snapshotStreaming || DEFAULTS.confirmRestore),
  );
  if (snapshotStreaming && !confirmRestore) {
    throw new InvalidConfigError(
      'confirmRestore',
      'snapshotStreaming needs confirmRestore: a received snapshot file is restored before the log names it',
    );
  }
  return { confirmRestore, snapshotStreaming };
}

/** A seed from the id (splitmix-style mix), so nodes of one cluster draw different timeouts. */
export function defaultSeed(id: NodeId): number {
  let x = (id * 0x9e3779b1) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

function nodeList(field: string, value: unknown): NodeId[] {
  if (!Array.isArray(value)) throw new InvalidConfigError(field, 'must be an array of node ids');
  for (const id of value) {
    if (!isNodeId(id)) throw new InvalidConfigError(field, `${String(id)} is not a positive safe integer`);
  }
  if (new Set(value).size !== value.length) throw new InvalidConfigError(field, 'has duplicate ids');
  return [...value];
}

/** Check `config` and fill in defaults. Throws `InvalidConfigError` naming the bad field. */
export function resolveConfig(config: RaftConfig): ResolvedRaftConfig {
  if (config === null || typeof config !== 'object')
    throw new InvalidConfigError('config', 'must be an object');
  if (!isNodeId(config.id))
    throw new InvalidConfigError('id', `must be a positive safe integer, got ${String(config.id)}`);
  const voters = nodeList('voters', config.voters);
  const learners = nodeList('learners', config.learners ?? []);
  for (const id of learners) {
    if (voters.includes(id)) throw new InvalidConfigError('learners', `node ${id} is also a voter`);
  }
  const electionTick = positiveInt('electionTick', config.electionTick ?? DEFAULTS.electionTick, 2);
  const heartbeatTick = positiveInt('heartbeatTick', config.heartbeatTick ?? DEFAULTS.heartbeatTick, 1);
  if (heartbeatTick >= electionTick) {
    throw new InvalidConfigError('heartbeatTick', `must be less than electionTick (${electionTick})`);
  }
  const seed = config.seed ?? defaultSeed(config.id);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new InvalidConfigError('seed', `must be an unsigned 32-bit integer, got ${String(seed)}`);
  }
  const checkQuorum = boolean('checkQuorum', config.checkQuorum ?? DEFAULTS.checkQuorum);
  const leaseRead = boolean('leaseRead', config.leaseRead ?? DEFAULTS.leaseRead);
  if (leaseRead && !checkQuorum) throw new InvalidConfigError('leaseRead', 'requires checkQuorum');
  return {
    id: config.id,
    voters,
    learners,
    ...(config.memberInfo !== undefined ? { memberInfo: config.memberInfo } : {}),
    electionTick,
    heartbeatTick,
    preVote: boolean('preVote', config.preVote ?? DEFAULTS.preVote),
    checkQuorum,
    seed,
    maxSizePerMsg: positiveInt('maxSizePerMsg', config.maxSizePerMsg ?? DEFAULTS.maxSizePerMsg, 1),
    maxInflightMsgs: positiveInt('maxInflightMsgs', config.maxInflightMsgs ?? DEFAULTS.maxInflightMsgs, 1),
    maxInflightBytes: positiveInt(
      'maxInflightBytes',
      config.maxInflightBytes ?? DEFAULTS.maxInflightBytes,
      0,
    ),
    maxUncommittedEntriesSize: positiveInt(
      'maxUncommittedEntriesSize',
      config.maxUncommittedEntriesSize ?? DEFAULTS.maxUncommittedEntriesSize,
      0,
    ),
    snapshotChunkSize: positiveInt(
      'snapshotChunkSize',
      config.snapshotChunkSize ?? DEFAULTS.snapshotChunkSize,
      1,
    ),
    maxSnapshotBytes: positiveInt(
      'maxSnapshotBytes',
      config.maxSnapshotBytes ?? DEFAULTS.maxSnapshotBytes,
      1,
    ),
    ...snapshotModes(config),
    compactionTail: positiveInt('compactionTail', config.compactionTail ?? DEFAULTS.compactionTail, 0),
    maxApplyBytesPerStep: positiveInt(
      'maxApplyBytesPerStep',
      config.maxApplyBytesPerStep ?? DEFAULTS.maxApplyBytesPerStep,
      0,
    ),
    applyBudgetUntilAdvance: boolean(
      'applyBudgetUntilAdvance',
      config.applyBudgetUntilAdvance ?? DEFAULTS.applyBudgetUntilAdvance,
    ),
    leaseRead,
    asyncStorageWrites: boolean(
      'asyncStorageWrites',
      config.asyncStorageWrites ?? DEFAULTS.asyncStorageWrites,
    ),
    quiesce: boolean('quiesce', config.quiesce ?? DEFAULTS.quiesce),
    quiesceAfterTicks: positiveInt('quiesceAfterTicks', config.quiesceAfterTicks ?? electionTick, 1),
  };
}

/** Helpers to build configs; `RaftConfig.single(1)` is a one-voter cluster of node 1. */
export const RaftConfig = Object.freeze({
  /** A cluster of one voter, `id` itself. */
  single(id: NodeId, options: Omit<RaftConfig, 'id' | 'voters'> = {}): RaftConfig {
    return { ...options, id, voters: [id] };
  },
  /** Check a config and fill in its defaults. */
  resolve: resolveConfig,
  defaults: DEFAULTS,
});
