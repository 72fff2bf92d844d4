/**
 * The network contract a driver uses to move messages between nodes. The core never calls
 * it: it returns `send` actions. Implementations (the in-memory network of
 * `@raft-io/testkit`, `TcpTransport`) pass `runRaftTransportCompliance`.
 */
import type { Message } from './messages.js';
import type { NodeId } from './types.js';

export interface RaftTransport {
  /** The local node's id; messages arrive addressed to it. */
  readonly id: NodeId;
  /**
   * Start listening and connecting. `receive` is called once per message that arrives,
   * in the order it arrived on its connection. Resolves once the transport can receive.
   */
  start(receive: (message: Message) => void): Promise<void>;
  /**
   * Queue `message` for `message.to` without blocking. Returns false if it was dropped at
   * once (unknown peer, queue full, closed): Raft tolerates loss, the caller need not retry.
   */
  send(message: Message): boolean;
  /** Stop: close every connection and timer; pending messages are dropped. Idempotent. */
  close(): Promise<void>;
}
