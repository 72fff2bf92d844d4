/**
 * `RaftHost`: many Raft groups in one process (multi-Raft, as CockroachDB's stores and
 * dragonboat's `NodeHost` run thousands of ranges or shards), sharing everything a group does
 * not need alone:
 *
 * - **One transport.** Every group's messages for a peer host go in one frame per turn of the
 *   event loop (a framing group batch, kind 5, with the group id per item), over one
 *   connection per peer host: the heartbeats of every group two hosts share, and their
 *   answers, are coalesced per tick. A host sends an empty batch to a peer it had nothing else
 *   for in a tick: that is the host-level liveness.
 * - **One log file.** Every group's log lives in one `SqliteLogStore`; one fsync of its WAL
 *   per driver turn makes every group's writes durable (the groups run with asynchronous
 *   storage writes, and their syncs of one turn join one fsync).
 * - **One clock.** One timer ticks every awake group. Groups quiesce when idle (core's
 *   `quiesce`, on by default here): a quiesced group gets no ticks and sends nothing, and any
 *   event wakes it. A quiesced follower whose leader's host goes silent for `hostTimeoutTicks`
 *   is woken with `leaderUnreachable` (host liveness stands in for group heartbeats; the
 *   group's successor campaigns first, see `wakeOrphans`). After a
 *   stall of the process a group gets one tick, not every tick owed (unless it uses lease
 *   reads), so a stall does not re-elect every group at once.
 * - **Fair, bounded work.** Each group is a `RaftServer` with its own loop, which yields to the
 *   event loop after every batch, so ready groups take turns; apply work per batch is bounded
 *   (`maxApplyBytesPerStep`, 1 MiB by default here, counted over the whole batch with core's
 *   `applyBudgetUntilAdvance`), and a group whose state machine throws or stalls holds up
 *   only itself.
 *
 * A group's members are host ids: the replica of a group on host 2 is node 2 of that group.
 * `host.createGroup(id, …)` returns the group's `RaftServer` (`RaftGroup`): the whole
 * `RaftServer` API per group (propose, read, membership, transfer, snapshots, sessions,
 * forwarding over the host's transport, events).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULTS,
  defaultSeed,
  InvalidArgumentError,
  InvalidConfigError,
  type LogFn,
  type Logger,
  type NodeId,
  type RaftTransport,
  silentLogger,
} from '@raft-io/core';
import type { GroupChannel } from '@raft-io/framing';
import { SqliteLogStore, type SqliteLogStoreOptions } from '@raft-io/log-sqlite';
import {
  type PeerAddress,
  TcpTransport,
  type TcpTransportOptions,
  type TcpTransportStats,
} from '@raft-io/transport-tcp';
import { ServerClosedError } from './errors.js';
import { GroupTransport } from './group-transport.js';
import { HostLiveness } from './host-liveness.js';
import { HostRouter } from './host-router.js';
import { HOST_QUIESCED, HOST_TICK, HOST_WAKE, HOSTED } from './hosted.js';
import { checkKeys } from './option-keys.js';
import { type RaftServerOptions, type RaftTuning, resolveLogger } from './options.js';
import { parseAddress } from './peer-directory.js';
import { RaftServer } from './raft-server.js';
import { TickClock } from './tick-clock.js';

/** The store file of a host, in its `dataDir`. */
export const STORE_FILE_NAME = 'raft-groups.sqlite';

/** A transport a host can run on: Raft messages (unused by groups), group batches, peers. */
export type HostTransport = RaftTransport &
  GroupChannel & {
    connected?(id: NodeId): boolean;
    setPeer?(id: NodeId, address: PeerAddress): void;
    peers?(): ReadonlyMap<NodeId, PeerAddress>;
    address?(): PeerAddress | null;
  };

/** The TCP transport's options without those the host fills in; `peers` as `host:port` too. */
export type HostTcpOptions = Omit<TcpTransportOptions, 'id' | 'logger' | 'peers'> & {
  /** Every other host: id -> `host:port` (or `PeerAddress`). */
  readonly peers?: Readonly<Record<number, string | PeerAddress>>;
};

export interface RaftHostOptions {
  /** This host's id: a positive safe integer, its node id in every group it runs. Required. */
  readonly id: NodeId;
  /** Directory of the host's one log file (`raft-groups.sqlite`, created if missing). Required. */
  readonly dataDir: string;
  /** Options of the `SqliteLogStore` (tail cache per group, mark flush interval, ...). */
  readonly store?: SqliteLogStoreOptions;
  /** The TCP transport (listen address, cluster id, peers, TLS or cluster secret, ...). */
  readonly tcp?: HostTcpOptions;
  /** A transport of one's own instead of `tcp` (it must carry group batches: `GroupChannel`). */
  readonly transport?: HostTransport;
  /** Length of a tick, in ms. Default 100. */
  readonly tickIntervalMs?: number;
  /**
   * Protocol tuning for every group (a group's own `raft` wins). Defaults here: `quiesce`
   * true, `maxApplyBytesPerStep` 1 MiB; always `asyncStorageWrites` (one fsync per turn
   * for all groups needs it) and `applyBudgetUntilAdvance` (the apply budget is per batch).
   * A group's election timeouts are drawn from a seed of its own (host id and group id).
   */
  readonly raft?: RaftTuning;
  /** Ticks without a frame from a peer host after which it is deemed down. Default `electionTick`. */
  readonly hostTimeoutTicks?: number;
  /** Most items in one group batch frame (larger batches are split). Default 4096. */
  readonly maxBatchItems?: number;
  /** Where the host and its groups log (each group's lines carry `group`). Default: stderr, warnings up. */
  readonly logger?: Logger | 'silent';
}

/** A group's own options: a `RaftServer`'s, less what the host provides. */
export type RaftGroupOptions<R = unknown> = Omit<
  RaftServerOptions<R>,
  | 'id'
  | 'voters'
  | 'learners'
  | 'log'
  | 'dataDir'
  | 'sqlite'
  | 'transport'
  | 'tcp'
  | 'peerAddresses'
  | 'tickIntervalMs'
  | 'logger'
> & {
  /** The voters of a new group, as host ids (this host among them). Default `[host id]`. */
  readonly voters?: readonly NodeId[];
  /** The learners of a new group, as host ids. Default `[]`. */
  readonly learners?: readonly NodeId[];
  /**
   * Join a group that runs on other hosts: no voters of its own (it never campaigns), it waits
   * for the group's leader to add this host (`addVoter`/`addLearner`). Not with `voters`.
   */
  readonly join?: boolean;
};

/**
 * A group of a host: its `RaftServer`, with the whole API of one (propose, read, membership
 * calls, transfer, snapshots, status, events). Its life cycle is the host's
 * (`createGroup`, `destroyGroup`, `close`).
 */
export type RaftGroup<R = unknown> = Pick<
  RaftServer<R>,
  | 'id'
  | 'propose'
  | 'proposeWithIndex'
  | 'read'
  | 'readIndex'
  | 'addVoter'
  | 'addLearner'
  | 'removeMember'
  | 'changeMembership'
  | 'transferLeadership'
  | 'campaign'
  | 'snapshot'
  | 'backup'
  | 'backupTo'
  | 'waitForLeader'
  | 'isLeader'
  | 'leader'
  | 'appliedIndex'
  | 'status'
  | 'stats'
  | 'on'
  | 'off'
  | 'once'
>;

/** Counters of a host (see `RaftHost.stats`). */
export interface RaftHostStats {
  readonly groups: number;
  /** Ticks of the host's clock so far. */
  readonly ticks: number;
  /** Ticks handed to groups (one per awake group per host tick): quiesced groups cost none. */
  readonly groupTicks: number;
  /**
   * Batches the groups' loops ran, all groups together (each one step per event, one log
   * write, then its actions). Per write answered, it tells how well writes share a batch:
   * many writes of one group share one; writes spread over many groups each bring their own.
   */
  readonly groupBatches: number;
  /** Groups whose node is awake (ticked) and quiesced (not ticked). */
  readonly awake: number;
  readonly quiesced: number;
  /** Group batch frames sent and received (empty host heartbeats included), and their items. */
  readonly framesSent: number;
  readonly itemsSent: number;
  readonly heartbeatsSent: number;
  readonly framesReceived: number;
  readonly itemsReceived: number;
  /** Items that arrived for a group this host does not run: dropped. */
  readonly unknownGroupItems: number;
  /** Plain (non-group) Raft messages that arrived: a host has no use for them, dropped. */
  readonly ungroupedMessages: number;
  /** Items dropped on the way out: an unknown host, a full queue. */
  readonly itemsDropped: number;
  /** `wake` with `leaderUnreachable` handed to quiesced groups. */
  readonly leaderDownWakes: number;
  /** Groups that stopped on a fatal error (see `createGroup`): they stay listed until destroyed. */
  readonly failedGroups: number;
  /** Writes of all groups to the store, and fsyncs of its WAL. */
  readonly logWrites: number;
  readonly walSyncs: number;
  /** Inbound connections of the transport (one per peer host), when it reports them. */
  readonly inboundConnections: number;
}

interface HostedGroup {
  readonly id: number;
  readonly server: RaftServer<unknown>;
  readonly transport: GroupTransport;
  /** Stopped on a fatal error: never ticked again. */
  failed: boolean;
  /** Lease reads on: every owed tick must reach the node (see `onTick`). */
  readonly leaseRead: boolean;
}

const HOST_KEYS = [
  'id',
  'dataDir',
  'store',
  'tcp',
  'transport',
  'tickIntervalMs',
  'raft',
  'hostTimeoutTicks',
  'maxBatchItems',
  'logger',
] as const satisfies readonly (keyof RaftHostOptions)[];
const completeHostKeys: Exclude<keyof RaftHostOptions, (typeof HOST_KEYS)[number]> extends never
  ? true
  : false = true;
void completeHostKeys;

function positive(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
    throw new InvalidConfigError(field, `must be an integer >= 1, got ${String(value)}`);
  return value;
}

/** Prefix every line of a group with its id. */
function groupLogger(logger: Logger, group: number): Logger {
  if (logger === silentLogger) return logger;
  const wrap =
    (fn: LogFn): LogFn =>
    (fields, message) =>
      fn.call(logger, { ...fields, group }, message);
  return {
    debug: wrap(logger.debug),
    info: wrap(logger.info),
    warn: wrap(logger.warn),
    error: wrap(logger.error),
  };
}

export class RaftHost {
  readonly id: NodeId;
  private readonly options: RaftHostOptions;
  private readonly logger: Logger;
  private readonly tickIntervalMs: number;
  private readonly electionTick: number;
  private readonly maxBatchItems: number;
  private readonly liveness: HostLiveness;
  private store: SqliteLogStore | null = null;
  private transport: HostTransport | null = null;
  private timer: NodeJS.Timeout | undefined;
  private state: 'new' | 'starting' | 'running' | 'closing' | 'closed' = 'new';
  private closing: Promise<void> | null = null;
  private readonly groupsById = new Map<number, HostedGroup>();
  /** Groups whose node is awake: the ones the timer ticks. */
  private readonly awake = new Set<HostedGroup>();
  private readonly asleep = new Set<HostedGroup>();
  /** Groups woken for a dead leader that leave the campaign to its successor: no ticks before this tick. */
  private readonly heldUntil = new Map<HostedGroup, number>();
  /** The groups' messages to and from the peer hosts. */
  private readonly router: HostRouter;
  private counters = {
    ticks: 0,
    groupTicks: 0,
    groupBatches: 0,
    leaderDownWakes: 0,
    failedGroups: 0,
  };

  /** Check the options (nothing is opened until `start()`). Throws `InvalidConfigError`. */
  constructor(options: RaftHostOptions) {
    if (options === null || typeof options !== 'object')
      throw new InvalidConfigError('options', 'must be an object');
    checkKeys(options, HOST_KEYS);
    positive('id', options.id);
    if (typeof options.dataDir !== 'string' || options.dataDir === '')
      throw new InvalidConfigError('dataDir', 'the host needs a dataDir for its log file');
    if (options.tcp === undefined && options.transport === undefined)
      throw new InvalidConfigError('tcp', 'give tcp (or a transport of your own)');
    this.options = options;
    this.id = options.id;
    this.logger = resolveLogger(options.logger);
    this.tickIntervalMs = positive('tickIntervalMs', options.tickIntervalMs ?? 100);
    this.electionTick = options.raft?.electionTick ?? DEFAULTS.electionTick;
    this.maxBatchItems = positive('maxBatchItems', options.maxBatchItems ?? 4096);
    this.liveness = new HostLiveness(
      positive('hostTimeoutTicks', options.hostTimeoutTicks ?? this.electionTick),
    );
    this.router = new HostRouter(
      this.id,
      this.maxBatchItems,
      this.liveness,
      this.logger,
      () => this.state === 'running' || this.state === 'closing',
    );
  }

  /** Open the log file and the transport and start the clock. Groups are created after. */
  async start(): Promise<this> {
    if (this.state !== 'new') throw new ServerClosedError('the host was started or closed already');
    this.state = 'starting';
    const o = this.options;
    try {
      mkdirSync(o.dataDir, { recursive: true });
      this.store = SqliteLogStore.open(join(o.dataDir, STORE_FILE_NAME), {
        ...(o.tcp ? { identity: { nodeId: this.id, clusterId: o.tcp.clusterId } } : {}),
        ...o.store,
      });
      const transport = o.transport ?? this.buildTcp();
      this.transport = transport;
      this.router.transport = transport;
      transport.onGroupBatch((from, batch) => this.router.receive(from, batch));
      await transport.start((message) => this.router.receiveUngrouped(message));
    } catch (error) {
      this.state = 'closed';
      try {
        this.store?.close();
      } catch {
        /* the start error is the one to report */
      }
      throw error;
    }
    const clock = new TickClock(this.tickIntervalMs, 4 * this.electionTick);
    this.timer = setInterval(() => this.onTick(clock.owed()), this.tickIntervalMs);
    this.state = 'running';
    this.logger.info({ id: this.id }, 'raft host started');
    return this;
  }

  private buildTcp(): TcpTransport {
    const { peers, ...tcp } = this.options.tcp!;
    const map = new Map<NodeId, PeerAddress>();
    for (const [key, value] of Object.entries(peers ?? {})) {
      const id = Number(key);
      if (id === this.id) continue;
      const address = typeof value === 'string' ? parseAddress(value) : value;
      if (address === null)
        throw new InvalidConfigError(`tcp.peers.${key}`, `is not host:port: ${String(value)}`);
      map.set(id, address);
    }
    return new TcpTransport({ ...tcp, id: this.id, peers: map, logger: this.logger });
  }

  /**
   * Run group `groupId` on this host: a new group (`voters`: host ids, this host among them)
   * or one whose log the store holds (it resumes from it). Resolves with the group once its
   * state machine has been restored and the committed entries re-applied.
   */
  async createGroup<R = unknown>(groupId: number, options: RaftGroupOptions<R>): Promise<RaftGroup<R>> {
    this.running();
    if (!Number.isSafeInteger(groupId) || groupId < 1)
      throw new InvalidArgumentError(`a group id must be a positive safe integer, got ${String(groupId)}`);
    if (this.groupsById.has(groupId))
      throw new InvalidArgumentError(`group ${groupId} already runs on this host`);
    if (options === null || typeof options !== 'object')
      throw new InvalidConfigError('options', 'must be an object');
    const { voters, learners, raft, join, ...rest } = options;
    if (join === true && voters !== undefined && voters.length > 0)
      throw new InvalidConfigError('join', 'a group this host joins has no voters of its own');
    const store = this.store!;
    const existed = store.hasGroup(groupId);
    const transport = new GroupTransport(this.id, groupId, this.router);
    const entry: { group?: HostedGroup } = {};
    let server: RaftServer<R>;
    try {
      server = new RaftServer<R>({
        ...(rest as Omit<RaftServerOptions<R>, 'id'>),
        id: this.id,
        voters: join === true ? [] : (voters ?? [this.id]),
        learners: learners ?? [],
        log: store.group(groupId),
        transport,
        tickIntervalMs: this.tickIntervalMs,
        raft: {
          quiesce: true,
          maxApplyBytesPerStep: 1024 * 1024,
          // The core's default seed comes from the node id alone: every group on a host would
          // draw the same election timeouts, and one host would win every election.
          seed: (defaultSeed(this.id) ^ Math.imul(groupId, 0x85ebca6b)) >>> 0,
          ...this.options.raft,
          ...raft,
          asyncStorageWrites: true,
          applyBudgetUntilAdvance: true,
        },
        logger: groupLogger(this.logger, groupId),
        [HOSTED]: {
          afterBatch: () => this.afterBatch(entry.group),
          failed: (error: Error) => this.groupFailed(entry.group, error),
        },
      } as RaftServerOptions<R>);
    } catch (error) {
      if (!existed) store.deleteGroup(groupId);
      else store.group(groupId).close();
      throw error;
    }
    const group: HostedGroup = {
      id: groupId,
      server: server as RaftServer<unknown>,
      transport,
      failed: false,
      leaseRead: (raft?.leaseRead ?? this.options.raft?.leaseRead) === true,
    };
    entry.group = group;
    this.groupsById.set(groupId, group);
    this.awake.add(group);
    try {
      await server.start();
    } catch (error) {
      this.forget(group);
      throw error;
    }
    return server;
  }

  /**
   * `createGroup` for many groups at once (a host's shards at start-up): the store makes them
   * ready with one flush instead of one each. Resolves once every group has started; the first
   * failure rejects (the groups that started keep running).
   */
  async createGroups<R = unknown>(
    groupIds: readonly number[],
    options: (groupId: number) => RaftGroupOptions<R>,
  ): Promise<RaftGroup<R>[]> {
    this.running();
    this.store!.prepareGroups(groupIds);
    return Promise.all(groupIds.map((id) => this.createGroup<R>(id, options(id))));
  }

  /** The group `groupId` if this host runs it. */
  group<R = unknown>(groupId: number): RaftGroup<R> | undefined {
    return this.groupsById.get(groupId)?.server as RaftServer<R> | undefined;
  }

  /** The ids of the groups this host runs, ascending. */
  groups(): number[] {
    return [...this.groupsById.keys()].sort((a, b) => a - b);
  }

  /** The ids of the groups whose logs the host's store holds (to resume them after a restart). */
  storedGroups(): number[] {
    this.running();
    return this.store!.groups();
  }

  /**
   * Stop running group `groupId` (its server closes; pending calls reject with
   * `ServerClosedError`). With `deleteData` its log is deleted from the store too (do that
   * only once the group's membership no longer lists this host).
   */
  async destroyGroup(groupId: number, options: { readonly deleteData?: boolean } = {}): Promise<void> {
    const group = this.groupsById.get(groupId);
    if (group !== undefined) {
      await group.server.close();
      this.forget(group);
    }
    if (options.deleteData === true && this.store !== null && !this.store.closed)
      this.store.deleteGroup(groupId);
  }

  private forget(group: HostedGroup): void {
    if (this.groupsById.get(group.id) === group) this.groupsById.delete(group.id);
    this.awake.delete(group);
    this.asleep.delete(group);
    this.heldUntil.delete(group);
  }

  /** Dial host `id` at `address` (a host that joined later, or moved). */
  setPeerAddress(id: NodeId, address: string | PeerAddress): void {
    const parsed = typeof address === 'string' ? parseAddress(address) : address;
    if (parsed === null) throw new InvalidArgumentError(`not host:port: ${String(address)}`);
    if (id === this.id) return;
    this.transport?.setPeer?.(id, parsed);
  }

  /** The address the host's transport listens on (port 0 resolved), or null. */
  address(): PeerAddress | null {
    return this.transport?.address?.() ?? null;
  }

  /** The transport's counters (connections per peer, frames, bytes), when it reports them. */
  transportStats(): TcpTransportStats | null {
    return (this.transport as { stats?: () => TcpTransportStats } | null)?.stats?.() ?? null;
  }

  /** Whether host `id` is deemed down by this host's liveness (no frame for `hostTimeoutTicks`). */
  isHostDown(id: NodeId): boolean {
    return this.liveness.isDown(id);
  }

  /** Counters (see `RaftHostStats`). */
  stats(): RaftHostStats {
    const store = this.store?.stats();
    return {
      groups: this.groupsById.size,
      awake: this.awake.size,
      quiesced: this.asleep.size,
      ...this.counters,
      ...this.router.counters,
      logWrites: store?.writes ?? 0,
      walSyncs: store?.walSyncs ?? 0,
      inboundConnections: this.transportStats()?.inboundConnections ?? 0,
    };
  }

  /**
   * Spread leadership evenly: for every group this host leads beyond its fair share
   * (`ceil(groups led by anyone / hosts)`, counted over the groups it runs), hand leadership
   * to the member host that leads the fewest. Resolves with the number of transfers that
   * finished. Run it now and then on every host; hosts above their share give, the others
   * do nothing, so it converges.
   */
  async balanceLeaders(options: { readonly timeoutMs?: number } = {}): Promise<number> {
    this.running();
    const led = new Map<NodeId, number>();
    const mine: HostedGroup[] = [];
    const hosts = new Set<NodeId>([this.id]);
    for (const g of this.groupsById.values()) {
      const status = g.server.status();
      for (const id of status.membership.voters) hosts.add(id);
      const leader = g.server.leader();
      if (leader === null) continue;
      led.set(leader, (led.get(leader) ?? 0) + 1);
      if (leader === this.id) mine.push(g);
    }
    const total = [...led.values()].reduce((a, b) => a + b, 0);
    const share = Math.ceil(total / hosts.size);
    let excess = mine.length - share;
    const transfers: Promise<boolean>[] = [];
    for (const g of mine) {
      if (excess <= 0) break;
      const voters = g.server
        .status()
        .membership.voters.filter((id) => id !== this.id && !this.liveness.isDown(id));
      if (voters.length === 0) continue;
      const to = voters.reduce((a, b) => ((led.get(a) ?? 0) <= (led.get(b) ?? 0) ? a : b));
      led.set(to, (led.get(to) ?? 0) + 1);
      led.set(this.id, (led.get(this.id) ?? 0) - 1);
      excess--;
      transfers.push(
        g.server.transferLeadership(to, { timeoutMs: options.timeoutMs ?? 5_000 }).then(
          () => true,
          () => false,
        ),
      );
    }
    return (await Promise.all(transfers)).filter(Boolean).length;
  }

  /** Close every group, then the transport and the log file. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.doClose();
    return this.closing;
  }

  private async doClose(): Promise<void> {
    if (this.state === 'new') {
      this.state = 'closed';
      return;
    }
    this.state = 'closing';
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.all([...this.groupsById.values()].map((g) => g.server.close().catch(() => {})));
    this.groupsById.clear();
    this.awake.clear();
    this.asleep.clear();
    this.router.flush();
    try {
      await this.transport?.close();
    } catch (error) {
      this.logger.warn({ err: error }, 'closing the host transport failed');
    }
    this.router.transport = null;
    try {
      this.store?.close();
    } catch (error) {
      this.logger.warn({ err: error }, 'closing the host store failed');
    }
    this.state = 'closed';
    this.logger.info({ id: this.id }, 'raft host closed');
  }

  private running(): void {
    if (this.state !== 'running') throw new ServerClosedError('the raft host is not running');
  }

  // ---------------------------------------------------------------------------------------
  // The clock and the groups' sleep

  /** One timer for every group: awake groups are ticked, quiet peers get a host heartbeat. */
  private onTick(owed: number): void {
    if (owed === 0 || this.state !== 'running') return;
    this.liveness.advance(owed);
    this.counters.ticks += owed;
    // After a stall of this process (several ticks owed at once), a group gets one tick, not
    // all of them: fed all at once, every leader would miss its quorum check (it heard from
    // nobody during the stall) and step down, every follower's election timer would expire in
    // the same turn, and thousands of groups would campaign together and split their votes,
    // again and again. Without lease reads no safety property reads the clock, so counting
    // less time only makes timeouts longer under overload. A group with lease reads, whose
    // safety rests on no tick being lost, gets every owed tick.
    for (const g of this.awake) {
      const held = this.heldUntil.get(g);
      if (held !== undefined) {
        if (this.counters.ticks < held) continue;
        this.heldUntil.delete(g);
      }
      const n = g.leaseRead ? owed : 1;
      this.counters.groupTicks += n;
      g.server[HOST_TICK](n);
    }
    this.wakeOrphans();
    this.router.heartbeat();
  }

  /** After each batch of a group: awake groups are ticked, quiesced ones are not. */
  private afterBatch(group: HostedGroup | undefined): void {
    this.counters.groupBatches++;
    if (group === undefined || group.failed || this.groupsById.get(group.id) !== group) return;
    if (group.server[HOST_QUIESCED]()) {
      this.awake.delete(group);
      this.heldUntil.delete(group);
      this.asleep.add(group);
    } else {
      this.asleep.delete(group);
      this.awake.add(group);
    }
  }

  /**
   * A group stopped on a fatal error: it is ticked no more and its calls reject with the
   * `ServerClosedError` (the cause attached) until `destroyGroup`; the other groups go on.
   */
  private groupFailed(group: HostedGroup | undefined, error: Error): void {
    if (group === undefined || group.failed || this.groupsById.get(group.id) !== group) return;
    group.failed = true;
    this.awake.delete(group);
    this.asleep.delete(group);
    this.heldUntil.delete(group);
    this.counters.failedGroups++;
    this.logger.error({ err: error, group: group.id }, 'a group stopped on a fatal error; the others go on');
    if (this.logger === silentLogger && group.server.listenerCount('error') === 0) {
      // Nobody listens and the logger is silenced: a stopped group must still not go unseen.
      process.emitWarning(`group ${group.id} of raft host ${this.id} stopped: ${error.message}`, {
        type: 'RaftGroupFatalError',
        code: (error as { code?: string }).code ?? 'CLOSED',
      });
    }
  }

  /**
   * Quiesced followers whose leader's host is deemed down are woken to elect another. Each
   * forgets the leader at once (so it grants a candidate its vote), but only the group's
   * successor (one live voter, spread over them by group id) is ticked at once; the others get
   * no ticks for an election timeout, so they campaign only if the successor did not take
   * over. Otherwise, when a host that led many groups dies, its survivors campaign against
   * each other in every one of them, split votes, and share the new leaders by chance.
   * Ticks only drive timeouts, and without lease reads no safety property reads the clock; a
   * group with lease reads is ticked at once as before.
   */
  private wakeOrphans(): void {
    if (this.asleep.size === 0) return;
    for (const g of this.asleep) {
      const leader = g.server.leader();
      if (leader === null || leader === this.id || !this.liveness.isDown(leader)) continue;
      this.counters.leaderDownWakes++;
      g.server[HOST_WAKE](true);
      // Ticked from now on, so its election timer runs even before its next batch reports.
      this.asleep.delete(g);
      this.awake.add(g);
      if (!g.leaseRead && this.successorOf(g, leader) !== this.id)
        this.heldUntil.set(g, this.counters.ticks + this.electionTick);
    }
  }

  /** The voter of `g` that campaigns first once `dead`'s host is down: by group id among the live ones. */
  private successorOf(g: HostedGroup, dead: NodeId): NodeId | undefined {
    const live = g.server
      .status()
      .membership.voters.filter((id) => id !== dead && (id === this.id || !this.liveness.isDown(id)))
      .sort((a, b) => a - b);
    return live.length === 0 ? undefined : live[g.id % live.length];
  }
}

/** Build a `RaftHost` and start it (see `RaftHost.start`). */
export async function createRaftHost(options: RaftHostOptions): Promise<RaftHost> {
  const host = new RaftHost(options);
  await host.start();
  return host;
}
