/**
 * A small in-memory network for these tests: one `RaftTransport` per node, messages
 * delivered on a later turn of the event loop (never re-entrantly), links that can be cut to
 * isolate a node. (testkit's MemoryNetwork can replace it once it exists.)
 */
import type { Message, NodeId, RaftTransport } from '@raft-io/core';

export class MemoryNetwork {
  private readonly receivers = new Map<NodeId, (message: Message) => void>();
  private readonly cut = new Set<string>();
  private readonly pending = new Set<NodeJS.Immediate>();
  delivered = 0;

  transport(id: NodeId): RaftTransport {
    let closed = false;
    return {
      id,
      start: async (receive) => {
        this.receivers.set(id, receive);
      },
      send: (message) => {
        if (closed || this.isCut(id, message.to)) return false;
        const handle = setImmediate(() => {
          this.pending.delete(handle);
          const receive = this.receivers.get(message.to);
          if (receive && !this.isCut(id, message.to)) {
            this.delivered++;
            receive(message);
          }
        });
        this.pending.add(handle);
        return true;
      },
      close: async () => {
        closed = true;
        if (this.receivers.has(id)) this.receivers.delete(id);
      },
    };
  }

  private isCut(from: NodeId, to: NodeId): boolean {
    return this.cut.has(`${from}>${to}`);
  }

  /** Cut every link to and from `id`. */
  isolate(id: NodeId, others: readonly NodeId[]): void {
    for (const o of others) {
      if (o === id) continue;
      this.cut.add(`${id}>${o}`);
      this.cut.add(`${o}>${id}`);
    }
  }

  heal(): void {
    this.cut.clear();
  }

  /** Drop everything in flight. */
  close(): void {
    for (const handle of this.pending) clearImmediate(handle);
    this.pending.clear();
  }
}
