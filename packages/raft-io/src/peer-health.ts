/**
 * Per-peer health: what the leader knows of each follower (reachable or not, last contact,
 * match index and lag in entries and bytes, flow-control state, appends in flight, snapshot
 * transfer progress) and what a follower knows of its leader (last contact), as values for
 * `status()`, as events when something changes, and as per-peer metrics.
 *
 * The facts come from the core's `status().progress` (match, next, state, in-flight window,
 * ticks since the follower last answered, the snapshot in flight), from the log
 * (`LogBytes`: bytes behind), and from the driver (the monotonic time each peer's last
 * message arrived). `PeerHealthMonitor` keeps only what an event needs to see a change:
 * which peers are unreachable or lagging, and which snapshot transfers are under way.
 *
 * Health is the leader's view: it starts when this node becomes leader (every peer reachable
 * until it has been silent for `unreachableAfterTicks`) and ends when it stops leading (its
 * transfers end `abandoned`; no "recovered" events are sent for peers it stops watching).
 */
import type { Logger, Membership, NodeId, ProgressStatus } from '@raft-io/core';
import { assertNever, InvalidConfigError } from '@raft-io/core';
import { type MetricLabels, type Metrics, PEER_METRIC_NAMES as P } from './metrics.js';
import type { RaftServerEvents } from './server-events.js';

/** Thresholds of the health events (`RaftServerOptions.health`). */
export interface PeerHealthOptions {
  /**
   * Ticks a peer may go without answering the leader before it is reported unreachable
   * (`peer-unreachable`); it is reachable again at its next answer (`peer-recovered`).
   * Default: the election timeout, `raft.electionTick` (10 ticks, 1 s at 100 ms per tick),
   * the silence after which the core itself gives up a snapshot transfer to the peer.
   */
  readonly unreachableAfterTicks?: number;
  /**
   * A follower is lagging (`peer-lagging`) when it is more than this many entries behind the
   * leader's last index; it has caught up (`peer-caught-up`) at half of it. Default 1000
   * entries; 0: no threshold by entries.
   */
  readonly laggingEntries?: number;
  /**
   * The same by bytes of entry data behind. Default 8 MiB (8388608 bytes); 0: no threshold
   * by bytes. Either threshold makes a follower lagging; caught up needs both at half.
   */
  readonly laggingBytes?: number;
}

export interface ResolvedPeerHealthOptions {
  readonly unreachableAfterTicks: number;
  readonly laggingEntries: number;
  readonly laggingBytes: number;
}

export const HEALTH_DEFAULTS = Object.freeze({ laggingEntries: 1000, laggingBytes: 8 * 1024 * 1024 });

function count(field: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new InvalidConfigError(`health.${field}`, `must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

/** Check `health` and fill in its defaults; `electionTick` is the core's. */
export function resolveHealthOptions(
  options: PeerHealthOptions | undefined,
  electionTick: number,
): ResolvedPeerHealthOptions {
  if (options !== undefined && (options === null || typeof options !== 'object'))
    throw new InvalidConfigError('health', 'must be an object');
  const o = options ?? {};
  return {
    unreachableAfterTicks: count('unreachableAfterTicks', o.unreachableAfterTicks ?? electionTick, 1),
    laggingEntries: count('laggingEntries', o.laggingEntries ?? HEALTH_DEFAULTS.laggingEntries, 0),
    laggingBytes: count('laggingBytes', o.laggingBytes ?? HEALTH_DEFAULTS.laggingBytes, 0),
  };
}

/** A snapshot being sent to a peer. */
export interface SnapshotTransferProgress {
  /** The snapshot's last index. */
  readonly index: number;
  /** Its size in bytes. */
  readonly bytes: number;
  /** Bytes the peer has acknowledged (the next offset it wants). */
  readonly offset: number;
  /** When the transfer started (ms since the epoch). */
  readonly startedAt: number;
}

/** One peer as the leader sees it (`status().peers`). */
export interface PeerHealth {
  readonly id: NodeId;
  /** Its place in the membership in force; `leaving`: removed, kept until it holds its removal. */
  readonly role: 'voter' | 'learner' | 'leaving';
  /** Its transport address, if the server knows it. */
  readonly address: string | null;
  /** It answered within `health.unreachableAfterTicks`. */
  readonly reachable: boolean;
  /** Ticks since it last answered this leader. */
  readonly silentTicks: number;
  /** When a message from it last arrived (ms since the epoch), null if none since this server started. */
  readonly lastContactAt: number | null;
  /** Milliseconds since then, null if none. */
  readonly lastContactAgoMs: number | null;
  /** The highest index known to be replicated on it. */
  readonly match: number;
  /** The next index the leader will send it. */
  readonly next: number;
  /** Entries behind: the leader's last index minus `match`. */
  readonly lagEntries: number;
  /**
   * Bytes of entry data behind: of the entries after `match` that the leader's log holds
   * (those compacted into the snapshot are sent as the snapshot). Null when beyond what the
   * server tracks (more than 2^20 entries behind).
   */
  readonly lagBytes: number | null;
  /** Over a lag threshold (and not yet back under half of it). */
  readonly lagging: boolean;
  /** The core's flow-control state: `probe`, `replicate` or `snapshot`. */
  readonly state: ProgressStatus['state'];
  /** Appends sent and not yet acknowledged. */
  readonly inflight: number;
  /** The snapshot being sent, or null. */
  readonly snapshot: SnapshotTransferProgress | null;
}

/** A follower's view of its leader (`status().leaderContact`). */
export interface LeaderContact {
  /** The leader it follows, or, while none is known, the last one it followed (null: never). */
  readonly leader: NodeId | null;
  /** When a message from that leader last arrived (ms since the epoch), null if none. */
  readonly lastContactAt: number | null;
  /** Milliseconds since then, null if none. */
  readonly lastContactAgoMs: number | null;
}

/** How a snapshot transfer ended. */
export interface SnapshotTransferEnd {
  readonly index: number;
  readonly bytes: number;
  readonly startedAt: number;
  readonly durationMs: number;
  /** `installed`: the peer holds the snapshot; `abandoned`: it does not (silence, a newer transfer, leadership lost, removal). */
  readonly outcome: 'installed' | 'abandoned';
}

/** What changed, in the order it was seen. The server emits each as an event of the same name. */
export type PeerHealthEvent =
  | { readonly type: 'peer-unreachable'; readonly peer: PeerHealth }
  | { readonly type: 'peer-recovered'; readonly peer: PeerHealth; readonly downMs: number }
  | { readonly type: 'peer-lagging'; readonly peer: PeerHealth }
  | { readonly type: 'peer-caught-up'; readonly peer: PeerHealth }
  | {
      readonly type: 'snapshot-transfer-started';
      readonly peer: PeerHealth;
      readonly transfer: SnapshotTransferProgress;
    }
  | {
      readonly type: 'snapshot-transfer-finished';
      readonly peer: PeerHealth;
      readonly transfer: SnapshotTransferEnd;
    };

/** What the monitor reads of the node for one assessment. */
export interface HealthInput {
  /** The core's progress per follower; undefined when this node is not the leader. */
  readonly progress: Readonly<Record<NodeId, ProgressStatus>> | undefined;
  /** The leader's last log index. */
  readonly lastIndex: number;
  readonly membership: Membership;
  /** The peer's transport address, if known. */
  address(id: NodeId): string | null;
  /** Bytes of entry data in `(from, to]` held in the log, or null if unknown. */
  bytesBetween(from: number, to: number): number | null;
}

/** What the monitor remembers of one peer between assessments. */
interface Tracked {
  unreachable: boolean;
  /** Monotonic ms when it became unreachable. */
  downSince: number;
  lagging: boolean;
  transfer: { index: number; bytes: number; startedAt: number; startedMono: number } | null;
}

const STATE_CODE = { probe: 0, replicate: 1, snapshot: 2 } as const;

/** A wall-clock time from a monotonic one (ms), both read now. */
function wallTime(mono: number, nowMono: number): number {
  return Date.now() - (nowMono - mono);
}

export class PeerHealthMonitor {
  /** Monotonic ms (`performance.now()`) of the last message from each peer. */
  private readonly contacts = new Map<NodeId, number>();
  private readonly tracked = new Map<NodeId, Tracked>();
  private lastLeader: NodeId | null = null;
  private lastPublished = Number.NEGATIVE_INFINITY;
  private publishedLeaderGauge = false;

  /**
   * @param publishEveryMs least time between two refreshes of the per-peer gauges (the
   *   server passes its tick interval).
   */
  constructor(
    readonly options: ResolvedPeerHealthOptions,
    private readonly metrics: Metrics,
    private readonly publishEveryMs: number,
  ) {}

  /** A message from `from` arrived (called for every message, so it must stay cheap). */
  contact(from: NodeId, nowMono = performance.now()): void {
    this.contacts.set(from, nowMono);
  }

  /** On a follower: its contact with the leader `leader` (null: none known now). */
  leaderContact(leader: NodeId | null, nowMono = performance.now()): LeaderContact {
    if (leader !== null) this.lastLeader = leader;
    const id = this.lastLeader;
    const at = id === null ? undefined : this.contacts.get(id);
    return {
      leader: id,
      lastContactAt: at === undefined ? null : wallTime(at, nowMono),
      lastContactAgoMs: at === undefined ? null : Math.max(0, nowMono - at),
    };
  }

  /** Every peer's health now, sorted by id (empty unless `input.progress` is given). */
  peers(input: HealthInput, nowMono = performance.now()): PeerHealth[] {
    if (!input.progress) return [];
    const out: PeerHealth[] = [];
    for (const [key, pr] of Object.entries(input.progress)) {
      const id = Number(key);
      out.push(this.assess(id, pr, input, nowMono, this.tracked.get(id)));
    }
    return out.sort((a, b) => a.id - b.id);
  }

  /**
   * Assess every peer after a batch and return what changed since the last call (the caller
   * emits them). Also counts the changes and refreshes the per-peer gauges (at most once per
   * `publishEveryMs`).
   */
  update(
    input: HealthInput,
    isLeader: boolean,
    leader: NodeId | null,
    nowMono = performance.now(),
  ): PeerHealthEvent[] {
    const events: PeerHealthEvent[] = [];
    if (leader !== null) this.lastLeader = leader;
    const progress = isLeader ? input.progress : undefined;
    if (!progress) {
      this.stopWatching(input, nowMono, events);
      this.publishLeaderContact(leader, nowMono);
      return events;
    }
    if (this.publishedLeaderGauge) {
      this.metrics.remove?.(P.leaderLastContact, {});
      this.publishedLeaderGauge = false;
    }
    const o = this.options;
    for (const [key, pr] of Object.entries(progress)) {
      const id = Number(key);
      let t = this.tracked.get(id);
      if (!t) {
        t = { unreachable: false, downSince: 0, lagging: false, transfer: null };
        this.tracked.set(id, t);
      }
      // Transfers first: a transfer that ended is reported before the peer's other news.
      const snap = pr.state === 'snapshot' ? pr.snapshot : undefined;
      if (t.transfer && (!snap || snap.index !== t.transfer.index)) {
        const end = this.endTransfer(t, pr.match >= t.transfer.index ? 'installed' : 'abandoned', nowMono);
        events.push({
          type: 'snapshot-transfer-finished',
          peer: this.assess(id, pr, input, nowMono, t),
          transfer: end,
        });
        this.countTransfer(id, end.outcome);
      }
      if (snap && !t.transfer) {
        t.transfer = { index: snap.index, bytes: snap.bytes, startedAt: Date.now(), startedMono: nowMono };
        const peer = this.assess(id, pr, input, nowMono, t);
        events.push({ type: 'snapshot-transfer-started', peer, transfer: peer.snapshot! });
      }
      const reachable = pr.silentTicks < o.unreachableAfterTicks;
      if (!reachable && !t.unreachable) {
        t.unreachable = true;
        t.downSince = nowMono;
        this.metrics.increment(P.unreachable, 1, { peer: key });
        events.push({ type: 'peer-unreachable', peer: this.assess(id, pr, input, nowMono, t) });
      } else if (reachable && t.unreachable) {
        t.unreachable = false;
        events.push({
          type: 'peer-recovered',
          peer: this.assess(id, pr, input, nowMono, t),
          downMs: Math.max(0, nowMono - t.downSince),
        });
      }
      // A new leader knows nothing of a peer's log until the peer answers (probing, match
      // 0): its lag is unknown, not the whole log, so it is judged once the peer answers.
      if (pr.state === 'probe' && pr.match === 0) continue;
      const lagEntries = Math.max(0, input.lastIndex - pr.match);
      const lagBytes = input.bytesBetween(pr.match, input.lastIndex);
      if (!t.lagging && this.over(lagEntries, lagBytes)) {
        t.lagging = true;
        this.metrics.increment(P.lagging, 1, { peer: key });
        events.push({ type: 'peer-lagging', peer: this.assess(id, pr, input, nowMono, t) });
      } else if (t.lagging && this.underHalf(lagEntries, lagBytes)) {
        t.lagging = false;
        events.push({ type: 'peer-caught-up', peer: this.assess(id, pr, input, nowMono, t) });
      }
    }
    // Peers the leader no longer tracks (removed and gone).
    for (const [id, t] of this.tracked) {
      if (progress[id] !== undefined) continue;
      this.forget(id, t, nowMono, events);
    }
    if (nowMono - this.lastPublished >= this.publishEveryMs) {
      this.lastPublished = nowMono;
      for (const peer of this.peers(input, nowMono)) this.publish(peer);
    }
    return events;
  }

  private over(entries: number, bytes: number | null): boolean {
    const o = this.options;
    return (
      (o.laggingEntries > 0 && entries > o.laggingEntries) ||
      (o.laggingBytes > 0 && bytes !== null && bytes > o.laggingBytes)
    );
  }

  private underHalf(entries: number, bytes: number | null): boolean {
    const o = this.options;
    return (
      (o.laggingEntries === 0 || entries <= o.laggingEntries / 2) &&
      (o.laggingBytes === 0 || (bytes !== null && bytes <= o.laggingBytes / 2))
    );
  }

  private assess(
    id: NodeId,
    pr: ProgressStatus,
    input: HealthInput,
    nowMono: number,
    t: Tracked | undefined,
  ): PeerHealth {
    const m = input.membership;
    const role =
      m.voters.includes(id) || m.outgoingVoters.includes(id)
        ? 'voter'
        : m.learners.includes(id)
          ? 'learner'
          : 'leaving';
    const at = this.contacts.get(id);
    const lagEntries = Math.max(0, input.lastIndex - pr.match);
    const lagBytes = input.bytesBetween(pr.match, input.lastIndex);
    const snap = pr.state === 'snapshot' ? pr.snapshot : undefined;
    return {
      id,
      role,
      address: input.address(id),
      reachable: pr.silentTicks < this.options.unreachableAfterTicks,
      silentTicks: pr.silentTicks,
      lastContactAt: at === undefined ? null : wallTime(at, nowMono),
      lastContactAgoMs: at === undefined ? null : Math.max(0, nowMono - at),
      match: pr.match,
      next: pr.next,
      lagEntries,
      lagBytes,
      lagging: t?.lagging ?? this.over(lagEntries, lagBytes),
      state: pr.state,
      inflight: pr.inflight,
      snapshot: snap
        ? {
            index: snap.index,
            bytes: snap.bytes,
            offset: snap.offset,
            startedAt: t?.transfer?.index === snap.index ? t.transfer.startedAt : Date.now(),
          }
        : null,
    };
  }

  private endTransfer(
    t: Tracked,
    outcome: SnapshotTransferEnd['outcome'],
    nowMono: number,
  ): SnapshotTransferEnd {
    const transfer = t.transfer!;
    t.transfer = null;
    return {
      index: transfer.index,
      bytes: transfer.bytes,
      startedAt: transfer.startedAt,
      durationMs: Math.max(0, nowMono - transfer.startedMono),
      outcome,
    };
  }

  private countTransfer(id: NodeId, outcome: SnapshotTransferEnd['outcome']): void {
    this.metrics.increment(P.snapshotTransfers, 1, { peer: String(id), outcome });
  }

  /** This node stopped leading: transfers end abandoned, every peer's series goes. */
  private stopWatching(input: HealthInput, nowMono: number, events: PeerHealthEvent[]): void {
    for (const [id, t] of this.tracked) this.forget(id, t, nowMono, events, input);
  }

  private forget(
    id: NodeId,
    t: Tracked,
    nowMono: number,
    events: PeerHealthEvent[],
    input?: HealthInput,
  ): void {
    this.tracked.delete(id);
    if (t.transfer) {
      const end = this.endTransfer(t, 'abandoned', nowMono);
      const at = this.contacts.get(id);
      events.push({
        type: 'snapshot-transfer-finished',
        // The core no longer tracks this peer: its last known facts are gone with it.
        peer: {
          id,
          role: 'leaving',
          address: input?.address(id) ?? null,
          reachable: !t.unreachable,
          silentTicks: 0,
          lastContactAt: at === undefined ? null : wallTime(at, nowMono),
          lastContactAgoMs: at === undefined ? null : Math.max(0, nowMono - at),
          match: 0,
          next: 0,
          lagEntries: 0,
          lagBytes: null,
          lagging: t.lagging,
          state: 'probe',
          inflight: 0,
          snapshot: null,
        },
        transfer: end,
      });
      this.countTransfer(id, end.outcome);
    }
    const labels: MetricLabels = { peer: String(id) };
    for (const name of GAUGES) this.metrics.remove?.(name, labels);
  }

  private publish(peer: PeerHealth): void {
    const g = this.metrics.gauge;
    if (!g) return;
    const labels: MetricLabels = { peer: String(peer.id) };
    const set = (name: string, value: number) => g.call(this.metrics, name, value, labels);
    set(P.reachable, peer.reachable ? 1 : 0);
    if (peer.lastContactAgoMs !== null) set(P.lastContact, peer.lastContactAgoMs / 1000);
    set(P.matchIndex, peer.match);
    set(P.lagEntries, peer.lagEntries);
    if (peer.lagBytes !== null) set(P.lagBytes, peer.lagBytes);
    set(P.inflight, peer.inflight);
    set(P.state, STATE_CODE[peer.state]);
    set(P.snapshotOffset, peer.snapshot?.offset ?? 0);
  }

  private publishLeaderContact(leader: NodeId | null, nowMono: number): void {
    const g = this.metrics.gauge;
    if (!g || nowMono - this.lastPublished < this.publishEveryMs) return;
    this.lastPublished = nowMono;
    const contact = this.leaderContact(leader, nowMono);
    if (contact.lastContactAgoMs === null) return;
    g.call(this.metrics, P.leaderLastContact, contact.lastContactAgoMs / 1000);
    this.publishedLeaderGauge = true;
  }
}

/** The per-peer gauges, removed together when a peer is no longer watched. */
const GAUGES = [
  P.reachable,
  P.lastContact,
  P.matchIndex,
  P.lagEntries,
  P.lagBytes,
  P.inflight,
  P.state,
  P.snapshotOffset,
];

/** How the server emits an event (without letting a listener's throw reach its loop). */
export type HealthEmitter = <K extends keyof RaftServerEvents>(
  event: K,
  ...args: RaftServerEvents[K]
) => void;

/** Emit each change as the server event of the same name, and log it. */
export function deliverHealthEvents(
  events: readonly PeerHealthEvent[],
  emit: HealthEmitter,
  logger: Logger,
): void {
  for (const e of events) {
    switch (e.type) {
      case 'peer-unreachable':
        logger.warn({ peer: e.peer.id, silentTicks: e.peer.silentTicks }, 'peer unreachable');
        emit(e.type, e.peer);
        break;
      case 'peer-recovered':
        logger.info({ peer: e.peer.id, downMs: Math.round(e.downMs) }, 'peer reachable again');
        emit(e.type, e.peer, e.downMs);
        break;
      case 'peer-lagging':
        logger.warn(
          { peer: e.peer.id, lagEntries: e.peer.lagEntries, lagBytes: e.peer.lagBytes },
          'peer lagging',
        );
        emit(e.type, e.peer);
        break;
      case 'peer-caught-up':
        logger.info({ peer: e.peer.id, lagEntries: e.peer.lagEntries }, 'peer caught up');
        emit(e.type, e.peer);
        break;
      case 'snapshot-transfer-started':
        logger.info(
          { peer: e.peer.id, index: e.transfer.index, bytes: e.transfer.bytes },
          'snapshot transfer started',
        );
        emit(e.type, e.peer, e.transfer);
        break;
      case 'snapshot-transfer-finished':
        logger.info(
          { peer: e.peer.id, index: e.transfer.index, outcome: e.transfer.outcome },
          'snapshot transfer finished',
        );
        emit(e.type, e.peer, e.transfer);
        break;
      default:
        assertNever(e, 'peer health event');
    }
  }
}
