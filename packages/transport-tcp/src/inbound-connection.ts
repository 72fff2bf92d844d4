/**
 * `InboundConnection`: one connection a peer dialled to us, which carries its messages to
 * us. The peer must complete the handshake within `handshakeTimeoutMs` (slowloris); the
 * handshake must name our cluster, name us as its target, and come from a known peer, or
 * the connection is refused. Afterwards each message must come from the node the handshake
 * named and be addressed to us, or it is dropped. Any framing error drops the connection:
 * a stream that lost its framing cannot be trusted again.
 */
import type net from 'node:net';
import type { Message, NodeId } from '@raft-io/core';
import { type DecodedFrame, encodeHandshakeFrame, FrameDecoder, isFramingError } from '@raft-io/framing';
import type { ResolvedTcpTransportOptions } from './options.js';
import { type ConnectionRefusal, type DropReason, PROTOCOL_VERSION } from './protocol.js';
import { applySocketOptions, remoteOf, watchClose } from './sockets.js';

/** What an inbound connection needs from its transport. */
export interface InboundHost {
  readonly options: ResolvedTcpTransportOptions;
  /** Whether `id` is a current peer. */
  isPeer(id: NodeId): boolean;
  /** The handshake from `conn.peer` succeeded. */
  accepted(conn: InboundConnection): void;
  /** The connection was refused before or after its handshake. */
  refused(conn: InboundConnection, reason: ConnectionRefusal): void;
  /** A message from `conn.peer` that passed the checks. */
  deliver(conn: InboundConnection, message: Message): void;
  /** A message dropped for naming the wrong sender or addressee. */
  rejected(conn: InboundConnection, message: Message): void;
  /** Bytes arrived on `conn` (counted per peer once known). */
  received(conn: InboundConnection, bytes: number): void;
  /** The socket closed, whatever the reason. */
  closed(conn: InboundConnection): void;
}

export class InboundConnection {
  /** The peer that completed the handshake, or null before. */
  peer: NodeId | null = null;
  readonly remote: string;
  readonly #decoder: FrameDecoder;
  #timer: NodeJS.Timeout | null;

  constructor(
    readonly socket: net.Socket,
    private readonly host: InboundHost,
  ) {
    const o = host.options;
    watchClose(socket);
    this.remote = remoteOf(socket);
    this.#decoder = new FrameDecoder({ maxFrameBytes: o.maxFrameBytes });
    applySocketOptions(socket, o.socket);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.refuse('handshake-timeout', { timeoutMs: o.handshakeTimeoutMs });
    }, o.handshakeTimeoutMs);
    const onFrame = (frame: DecodedFrame) => this.#onFrame(frame);
    socket.on('data', (chunk: Buffer) => {
      this.host.received(this, chunk.length);
      try {
        this.#decoder.push(chunk, onFrame);
      } catch (error) {
        if (!isFramingError(error)) throw error;
        this.refuse('invalid-frame', { frameError: error.reason, detail: error.message });
      }
    });
    socket.on('end', () => {
      // The peer finished sending: a partial frame in the buffer is worth a debug line.
      try {
        this.#decoder.end();
      } catch (error) {
        o.logger.debug(
          { peer: this.peer, remote: this.remote, error: (error as Error).message },
          'inbound stream truncated',
        );
      }
      socket.destroy();
    });
    socket.on('error', (error) => {
      o.logger.debug(
        { peer: this.peer, remote: this.remote, error: error.message },
        'inbound connection error',
      );
    });
    socket.on('close', () => {
      this.#clearTimer();
      this.host.closed(this);
    });
  }

  /** Logs `reason`, counts the refusal, and drops the connection. */
  refuse(reason: ConnectionRefusal, fields: Record<string, unknown> = {}): void {
    if (this.socket.destroyed) return;
    this.#clearTimer();
    this.host.options.logger.warn(
      { peer: this.peer, remote: this.remote, reason, ...fields },
      'refusing inbound connection',
    );
    this.host.refused(this, reason);
    this.socket.destroy();
  }

  /** Drops the connection without counting a refusal (transport closed, peer removed). */
  drop(reason: DropReason): void {
    if (this.socket.destroyed) return;
    this.#clearTimer();
    this.host.options.logger.debug(
      { peer: this.peer, remote: this.remote, reason },
      'closing inbound connection',
    );
    this.socket.destroy();
  }

  #clearTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #onFrame(frame: DecodedFrame): void {
    if (this.socket.destroyed) return;
    const o = this.host.options;
    if (frame.clusterId !== o.clusterId) {
      this.refuse('cluster-mismatch', { clusterId: frame.clusterId, expected: o.clusterId });
      return;
    }
    if (this.peer === null) {
      if (frame.kind !== 'handshake') {
        this.refuse('expected-handshake');
        return;
      }
      const hs = frame.handshake;
      if (hs.to !== o.id) {
        this.refuse('wrong-node', { claimedFrom: hs.from, claimedTo: hs.to });
      } else if (!this.host.isPeer(hs.from)) {
        this.refuse('unknown-peer', { claimedFrom: hs.from });
      } else if (hs.protocolVersion < PROTOCOL_VERSION) {
        this.refuse('unsupported-protocol', { protocolVersion: hs.protocolVersion });
      } else {
        this.#clearTimer();
        this.peer = hs.from;
        this.socket.write(
          encodeHandshakeFrame(o.clusterId, { from: o.id, to: hs.from, protocolVersion: PROTOCOL_VERSION }),
        );
        this.host.accepted(this);
      }
      return;
    }
    if (frame.kind !== 'message') {
      this.refuse('unexpected-frame');
      return;
    }
    const m = frame.message;
    if (m.from !== this.peer || m.to !== o.id) {
      o.logger.warn(
        { peer: this.peer, remote: this.remote, from: m.from, to: m.to, type: m.type },
        'dropping a message whose sender or addressee does not match the connection',
      );
      this.host.rejected(this, m);
      return;
    }
    this.host.deliver(this, m);
  }
}
