/**
 * `FilteredTransport`: the kv node's Raft transport behind a message filter, so a node can be
 * cut off from chosen peers without root (no iptables): messages to a blocked peer are dropped
 * before they reach the wire, and messages from a blocked peer are dropped on arrival. Raft
 * tolerates loss, so to the protocol this is a network partition. The connections themselves
 * stay up (the TCP transport still dials and keeps its keep-alives): only Raft traffic stops.
 *
 * Driver messages (forwarded proposals and their answers) go through the same filter: a
 * partitioned follower cannot forward either.
 *
 * The filter is driven by the launcher's admin hook (`launcher-hook.ts`, enabled only under
 * `kv cluster`); with nothing blocked it forwards everything.
 */
import type {
  DriverChannel,
  DriverMessage,
  Message,
  NodeId,
  PeerAddress,
  RaftTransport,
  TcpTransport,
  TcpTransportStats,
} from 'raft-io';

/** What the filter dropped, per direction. */
export interface FilterStats {
  readonly droppedOut: number;
  readonly droppedIn: number;
}

export class FilteredTransport implements RaftTransport, DriverChannel {
  readonly id: NodeId;
  private blockedPeers: ReadonlySet<NodeId> = new Set();
  private out = 0;
  private in = 0;

  constructor(private readonly inner: TcpTransport) {
    this.id = inner.id;
  }

  start(receive: (message: Message) => void): Promise<void> {
    return this.inner.start((message) => {
      if (this.blockedPeers.has(message.from)) {
        this.in++;
        return;
      }
      receive(message);
    });
  }

  send(message: Message): boolean {
    if (this.blockedPeers.has(message.to)) {
      this.out++;
      // Dropped "at once", as a full queue would be: the caller counts it and moves on.
      return false;
    }
    return this.inner.send(message);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  sendDriver(message: DriverMessage): boolean {
    if (this.blockedPeers.has(message.to)) {
      this.out++;
      return false;
    }
    return this.inner.sendDriver(message);
  }

  onDriverMessage(handler: ((message: DriverMessage) => void) | null): void {
    this.inner.onDriverMessage(
      handler === null
        ? null
        : (message) => {
            if (this.blockedPeers.has(message.from)) {
              this.in++;
              return;
            }
            handler(message);
          },
    );
  }

  /** Drop all Raft traffic to and from `peers` (replaces the previous set; empty: heal). */
  block(peers: Iterable<NodeId>): void {
    this.blockedPeers = new Set([...peers].filter((id) => id !== this.id));
  }

  /** The peers traffic is dropped to and from, sorted. */
  blocked(): NodeId[] {
    return [...this.blockedPeers].sort((a, b) => a - b);
  }

  filterStats(): FilterStats {
    return { droppedOut: this.out, droppedIn: this.in };
  }

  // RaftServer finds these on its transport by duck typing (listen address, the peers the
  // membership names).

  address(): PeerAddress | null {
    return this.inner.address();
  }

  setPeer(id: NodeId, address: PeerAddress): void {
    this.inner.setPeer(id, address);
  }

  removePeer(id: NodeId): Promise<void> {
    return this.inner.removePeer(id);
  }

  peers(): ReadonlyMap<NodeId, PeerAddress> {
    return this.inner.peers();
  }

  /** The TCP transport's counters (connections per peer). */
  stats(): TcpTransportStats {
    return this.inner.stats();
  }
}
