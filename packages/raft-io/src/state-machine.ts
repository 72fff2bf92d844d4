/**
 * The user's state machine, the part of a replicated service that `RaftServer` drives with
 * committed commands (hashicorp/raft's FSM). Its rules:
 *
 * - `apply(command, index)` is called once per committed command, strictly in log order,
 *   on every node. It must be deterministic: the same commands in the same order give the
 *   same state and the same results on every node (no clocks, randomness or outside I/O
 *   that can differ). Its return value is the result of the proposal on the node that
 *   proposed it. If it throws, the throw is that command's result: the proposal rejects
 *   with the thrown value and the server goes on, so a throw must be deterministic too
 *   (and must leave the state as every other node will).
 * - It may return a Promise. The server then waits for it before the next apply and
 *   before it steps any further event (ticks included): the driver loop is serialized so
 *   that reads, snapshots and restores always see a state at an exact index. Keep async
 *   applies short, well under the election timeout, or the node misses heartbeats.
 * - `snapshot()` returns the whole state as bytes, as of the last applied index. It may
 *   return a Promise (the loop waits for it, as for apply).
 * - `restore(bytes)` replaces the whole state with a snapshot's bytes (a lagging follower
 *   catching up from the leader, or a restart that begins at a snapshot). May return a
 *   Promise. Treat the bytes as untrusted: if they do not decode, throw before changing
 *   anything. A snapshot from the leader that fails to restore is then rejected and the old
 *   state kept (the server restores it before it replaces the log's); a failure to restore
 *   the node's own last snapshot at start-up is fatal. After a restart the server restores the last snapshot and applies the
 *   committed entries after it again: a state machine that lives only in memory starts
 *   empty and is rebuilt; one that persists itself must cope with re-applies from the
 *   snapshot's index.
 */

export interface StateMachine<R = unknown> {
  apply(command: Uint8Array, index: number): R | Promise<R>;
  snapshot(): Uint8Array | Promise<Uint8Array>;
  restore(snapshot: Uint8Array): void | Promise<void>;
  /**
   * Optional, for `snapshotStreaming` (docs/decisions.md D28): capture the state as of the
   * last applied command and return it as chunks that are read later, while the server goes
   * on applying commands. The call itself (and the promise it may return) must capture the
   * state at once (a copy-on-write view, a frozen generation, a database snapshot): the
   * server awaits only the call, then reads the chunks in the background into a file, so the
   * iterable must not see later applies. Memory stays bounded if the chunks are made as they
   * are read. Without it, streaming wraps `snapshot()` (the whole state in memory once).
   */
  snapshotStream?(): AsyncIterable<Uint8Array> | Promise<AsyncIterable<Uint8Array>>;
  /**
   * Optional, for `snapshotStreaming`: replace the state with a snapshot read chunk by chunk
   * from a file. The iterable throws if the file is damaged (checked before its last chunk);
   * a throw from it, or bytes that do not decode, must leave the old state (build the new
   * state aside and switch at the end). Without it, streaming gathers the chunks and calls
   * `restore` (the whole snapshot in memory once).
   */
  restoreStream?(chunks: AsyncIterable<Uint8Array>): Promise<void>;
}
