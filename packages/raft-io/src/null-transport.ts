/**
 * `NullTransport`: the transport of a server without peers (a one-voter cluster started
 * without `tcp` or `transport`). It receives nothing and drops every send.
 */
import type { Message, NodeId, RaftTransport } from '@raft-io/core';

export class NullTransport implements RaftTransport {
  constructor(readonly id: NodeId) {}

  async start(_receive: (message: Message) => void): Promise<void> {}

  send(_message: Message): boolean {
    return false;
  }

  async close(): Promise<void> {}
}
