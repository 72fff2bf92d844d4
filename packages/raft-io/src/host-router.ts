/**
 * `HostRouter`: a `RaftHost`'s side of its groups' transports (`GroupTransport`). Outbound,
 * every group's messages for a peer host wait in that host's queue until the end of the
 * event loop's turn, then go as one group batch frame (split at `maxBatchItems`, or in halves
 * when the transport refuses a frame as too large): the heartbeats of every group two hosts
 * share, and their answers, travel together. Each tick a peer that got no frame gets an empty
 * batch, the host heartbeat that `HostLiveness` counts. Inbound, a batch from an
 * authenticated peer (the transport has checked every item) is handed item by item to the
 * group it names; an item for a group not running here is dropped and counted.
 */
import type { Logger, Message, NodeId } from '@raft-io/core';
import type { GroupBatch, GroupItem } from '@raft-io/framing';
import type { PeerAddress } from '@raft-io/transport-tcp';
import type { GroupRouter, GroupTransport } from './group-transport.js';
import type { HostLiveness } from './host-liveness.js';
import { formatAddress } from './peer-directory.js';
import type { HostTransport } from './raft-host.js';

/** What the router counts (part of `RaftHostStats`). */
export interface RouterCounters {
  framesSent: number;
  itemsSent: number;
  heartbeatsSent: number;
  framesReceived: number;
  itemsReceived: number;
  unknownGroupItems: number;
  ungroupedMessages: number;
  itemsDropped: number;
}

export class HostRouter implements GroupRouter {
  /** The host's transport, once started; null after close. */
  transport: HostTransport | null = null;
  readonly counters: RouterCounters = {
    framesSent: 0,
    itemsSent: 0,
    heartbeatsSent: 0,
    framesReceived: 0,
    itemsReceived: 0,
    unknownGroupItems: 0,
    ungroupedMessages: 0,
    itemsDropped: 0,
  };
  /** The started groups' transports, by group id. */
  private readonly groups = new Map<number, GroupTransport>();
  /** What waits to go to each peer host at the end of this turn. */
  private readonly outbox = new Map<NodeId, GroupItem[]>();
  private flushScheduled = false;
  /** Peer hosts a frame went to since the last tick (the others get an empty batch). */
  private readonly sentThisTick = new Set<NodeId>();

  constructor(
    private readonly id: NodeId,
    private readonly maxBatchItems: number,
    private readonly liveness: HostLiveness,
    private readonly logger: Logger,
    /** Whether the host takes messages to send (running, or closing its groups). */
    private readonly open: () => boolean,
  ) {}

  enqueue(to: NodeId, item: GroupItem): boolean {
    if (!this.open() || to === this.id) return false;
    let queue = this.outbox.get(to);
    if (queue === undefined) {
      queue = [];
      this.outbox.set(to, queue);
    }
    queue.push(item);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // Every group that runs in this turn adds to the same frames.
      setImmediate(() => this.flush());
    }
    return true;
  }

  connected(to: NodeId): boolean {
    return this.transport?.connected?.(to) ?? true;
  }

  learnPeer(id: NodeId, address: PeerAddress): void {
    const t = this.transport;
    if (id === this.id || t === null || t.peers?.().has(id) === true) return;
    t.setPeer?.(id, address);
    this.logger.info(
      { peer: id, address: formatAddress(address) },
      'dialling a host named by a group membership',
    );
  }

  attached(transport: GroupTransport): void {
    this.groups.set(transport.group, transport);
  }

  detached(transport: GroupTransport): void {
    if (this.groups.get(transport.group) === transport) this.groups.delete(transport.group);
  }

  /** A tick of the host's clock: an empty batch to every peer that got no frame since the last. */
  heartbeat(): void {
    const t = this.transport;
    const peers = t?.peers?.();
    if (t && peers !== undefined) {
      for (const id of peers.keys()) {
        if (this.sentThisTick.has(id)) continue;
        if (t.sendGroupBatch(id, { items: [] })) this.counters.heartbeatsSent++;
      }
    }
    this.sentThisTick.clear();
  }

  /** Send what every group queued this turn: one frame per peer host (split past the limits). */
  flush(): void {
    this.flushScheduled = false;
    const t = this.transport;
    for (const [to, items] of this.outbox) {
      this.outbox.delete(to);
      if (t === null) continue;
      this.sentThisTick.add(to);
      for (let i = 0; i < items.length; i += this.maxBatchItems)
        this.send(t, to, items.slice(i, i + this.maxBatchItems));
    }
  }

  /**
   * One batch to `to`. One the transport refuses goes in halves (a frame too large), unless
   * the peer is unknown or not connected (its queue is what refused: the items are dropped,
   * and Raft sends again).
   */
  private send(t: HostTransport, to: NodeId, items: GroupItem[]): void {
    if (t.sendGroupBatch(to, { items })) {
      this.counters.framesSent++;
      this.counters.itemsSent += items.length;
      return;
    }
    if (items.length > 1 && t.peers?.().has(to) !== false && t.connected?.(to) !== false) {
      const half = items.length >> 1;
      this.send(t, to, items.slice(0, half));
      this.send(t, to, items.slice(half));
      return;
    }
    this.counters.itemsDropped += items.length;
  }

  /** A batch from peer host `from` (authenticated, every item checked by the transport). */
  receive(from: NodeId, batch: GroupBatch): void {
    this.liveness.heard(from);
    this.counters.framesReceived++;
    for (const item of batch.items) {
      this.counters.itemsReceived++;
      const group = this.groups.get(item.group);
      if (group === undefined) {
        this.counters.unknownGroupItems++;
        continue;
      }
      try {
        if (item.message !== undefined) group.deliver(item.message);
        else group.deliverDriver(item.driver);
      } catch (error) {
        this.logger.error({ err: error, group: item.group }, 'a group failed to take a message');
      }
    }
  }

  /** A plain Raft frame (no group): an authenticated peer is alive, but no group can take it. */
  receiveUngrouped(message: Message): void {
    this.liveness.heard(message.from);
    this.counters.ungroupedMessages++;
  }
}
