/**
 * A transport behind a message filter, for tests that partition real TCP nodes: messages to
 * and from blocked peers are dropped (the connections stay up), which is what Raft sees of a
 * network partition. The same idea as the kv demo's `FilteredTransport`.
 */
import type { Message, NodeId, PeerAddress, RaftTransport, TcpTransport } from '../../src/index.js';

export class PartitionableTransport implements RaftTransport {
  readonly id: NodeId;
  private blocked: ReadonlySet<NodeId> = new Set();

  constructor(private readonly inner: TcpTransport) {
    this.id = inner.id;
  }

  start(receive: (message: Message) => void): Promise<void> {
    return this.inner.start((message) => {
      if (!this.blocked.has(message.from)) receive(message);
    });
  }

  send(message: Message): boolean {
    if (this.blocked.has(message.to)) return false;
    return this.inner.send(message);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** Drop all traffic with `peers` (replaces the previous set; empty heals). */
  block(peers: Iterable<NodeId>): void {
    this.blocked = new Set(peers);
  }

  address(): PeerAddress | null {
    return this.inner.address();
  }

  setPeer(id: NodeId, address: PeerAddress): void {
    this.inner.setPeer(id, address);
  }
}
