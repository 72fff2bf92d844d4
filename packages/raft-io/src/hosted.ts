/**
 * How a `RaftHost` drives the `RaftServer` that runs one of its groups: internal, never
 * exported from the package. A hosted server has no timer of its own (the host's one clock
 * feeds it ticks, and only while its node is awake), tells the host after each batch (so the
 * host knows which groups are quiesced), and takes `wake` from the host's liveness of other
 * hosts. Everything else (the loop, the calls, applying, forwarding) is the server's own.
 */

/** The option key (a symbol, so it is no option a user can name) that makes a server hosted. */
export const HOSTED: unique symbol = Symbol('raft-io: hosted by a RaftHost');
/** `server[HOST_TICK](n)`: `n` ticks of the host's clock passed. */
export const HOST_TICK: unique symbol = Symbol('raft-io: host tick');
/** `server[HOST_WAKE](leaderUnreachable)`: wake a quiesced node (its leader's host is gone). */
export const HOST_WAKE: unique symbol = Symbol('raft-io: host wake');
/** `server[HOST_QUIESCED]()`: whether the node is quiesced (ignores ticks). */
export const HOST_QUIESCED: unique symbol = Symbol('raft-io: node quiesced');

export interface HostedHooks {
  /** A batch of the server's loop ended (its node may have quiesced or woken). */
  afterBatch(): void;
  /** The server stopped on a fatal error (its state machine threw in a snapshot, its log failed). */
  failed(error: Error): void;
}
