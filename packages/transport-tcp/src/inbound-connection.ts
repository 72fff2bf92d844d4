/**
 * `InboundConnection`: one connection a peer dialled to us, which carries its messages to
 * us. Before its handshake it may send only small frames (`MAX_HANDSHAKE_FRAME_BYTES`) and
 * must finish within `handshakeTimeoutMs` (slowloris). The handshake must name our cluster
 * and us, come from a known peer, and prove that peer's identity: under TLS the client
 * certificate must prove the claimed id, with a cluster secret the peer must answer our
 * challenge (and every later frame must carry a valid tag). Afterwards:
 *
 * - a message whose sender is not the authenticated peer, or that is not addressed to us,
 *   closes the connection at once (one log line, not one per frame);
 * - a frame must arrive whole within `frameTimeoutMs` of its first byte (dribbling), and
 *   some byte within `idleTimeoutMs` (peers send keep-alives), or the connection goes;
 * - the bytes it holds in partial frames count against the transport's inbound budget,
 *   which may pause it (`pause` / `resume`; our own pauses stop both deadlines).
 *
 * Any framing error drops the connection: a stream that lost its framing cannot be trusted.
 */
import type net from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Message, NodeId } from '@raft-io/core';
import {
  type DecodedFrame,
  type DriverMessage,
  encodeHandshakeFrame,
  FrameDecoder,
  FrameVerifier,
  type GroupBatch,
  type Handshake,
  isFramingError,
} from '@raft-io/framing';
import type { Slot } from './connection-table.js';
import type { BudgetMember } from './inbound-budget.js';
import type { LogLimiter } from './log-limiter.js';
import type { ResolvedTcpTransportOptions } from './options.js';
import { describeCertificate } from './peer-identity.js';
import {
  type ConnectionRefusal,
  type DropReason,
  MAX_HANDSHAKE_FRAME_BYTES,
  PROTOCOL_VERSION,
} from './protocol.js';
import {
  acceptorProof,
  dialerProof,
  newNonce,
  proofMatches,
  sessionKey,
  type Transcript,
} from './secret-handshake.js';
import { applySocketOptions, remoteOf, watchClose } from './sockets.js';

/** What an inbound connection needs from its transport. */
export interface InboundHost {
  readonly options: ResolvedTcpTransportOptions;
  /** Rate-limited warnings, keyed by refusal reason. */
  readonly warnings: LogLimiter;
  /** Whether `id` is a current peer. */
  isPeer(id: NodeId): boolean;
  /** Takes a per-peer place for `conn` as `peer`; false when the cap refuses it. */
  establish(conn: InboundConnection, peer: NodeId): boolean;
  /** The handshake from `conn.peer` succeeded. */
  accepted(conn: InboundConnection): void;
  /** The connection was refused before or after its handshake. */
  refused(conn: InboundConnection, reason: ConnectionRefusal): void;
  /** A message from `conn.peer` that passed the checks. */
  deliver(conn: InboundConnection, message: Message): void;
  /** A driver message from `conn.peer` that passed the same checks. */
  deliverDriver(conn: InboundConnection, message: DriverMessage): void;
  /** A group batch from `conn.peer` whose every message passed the same checks. */
  deliverGroup(conn: InboundConnection, batch: GroupBatch): void;
  /** Bytes arrived on `conn` (counted per peer once known). */
  received(conn: InboundConnection, bytes: number): void;
  /** An established `conn` now holds `bytes` of partial frames (the inbound budget). */
  buffered(conn: InboundConnection, bytes: number, completedFrame: boolean): void;
  /** The socket closed, whatever the reason. */
  closed(conn: InboundConnection): void;
}

type Phase = 'hello' | 'confirm' | 'open';

export class InboundConnection implements BudgetMember {
  /** The peer that completed the handshake, or null before. */
  peer: NodeId | null = null;
  readonly remote: string;
  #phase: Phase = 'hello';
  /** The id the hello claimed, until the handshake is complete. */
  #claimed: NodeId | null = null;
  /** The secret handshake so far (cluster secret only). */
  #transcript: Transcript | null = null;
  readonly #decoder: FrameDecoder;
  /** The handshake deadline, then the idle deadline; null while paused by the budget. */
  #deadline: NodeJS.Timeout | null;
  /** The deadline of the frame in progress, if any. */
  #frameTimer: NodeJS.Timeout | null = null;
  /** Frames decoded so far: a change tells that a new frame began within a chunk. */
  #frames = 0;
  #paused = false;

  constructor(
    readonly socket: net.Socket,
    private readonly host: InboundHost,
    readonly slot: Slot,
  ) {
    const o = host.options;
    watchClose(socket);
    this.remote = remoteOf(socket);
    this.#decoder = new FrameDecoder({ maxFrameBytes: MAX_HANDSHAKE_FRAME_BYTES });
    applySocketOptions(socket, o.socket);
    slot.close = (reason) => {
      if (reason === 'peer-limit' && this.#phase === 'open') this.drop('replaced');
      else this.refuse(reason);
    };
    this.#deadline = setTimeout(() => {
      this.#deadline = null;
      this.refuse('handshake-timeout', { timeoutMs: o.handshakeTimeoutMs });
    }, o.handshakeTimeoutMs);
    const onFrame = (frame: DecodedFrame) => this.#onFrame(frame);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk, onFrame));
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
      this.#clearTimers();
      this.host.closed(this);
    });
  }

  /** Whether the handshake is complete. */
  get established(): boolean {
    return this.#phase === 'open';
  }

  /** Logs `reason` (rate-limited), counts the refusal, and drops the connection. */
  refuse(reason: ConnectionRefusal, fields: Record<string, unknown> = {}): void {
    if (this.socket.destroyed) return;
    this.#clearTimers();
    this.host.warnings.warn(
      reason,
      { peer: this.peer ?? this.#claimed, remote: this.remote, reason, ...fields },
      'refusing inbound connection',
    );
    this.host.refused(this, reason);
    this.socket.destroy();
  }

  /** Drops the connection without counting a refusal (transport closed, peer removed, idle). */
  drop(reason: DropReason): void {
    if (this.socket.destroyed) return;
    this.#clearTimers();
    const log = this.host.options.logger;
    (reason === 'closed' ? log.debug : log.info)(
      { peer: this.peer, remote: this.remote, reason },
      'closing inbound connection',
    );
    this.socket.destroy();
  }

  /** Stops reading (the inbound budget is spent); our own pause stops the deadlines. */
  pause(): void {
    if (this.#paused || this.socket.destroyed) return;
    this.#paused = true;
    this.socket.pause();
    this.#clearTimers();
  }

  /** Reads again; the deadlines start afresh. */
  resume(): void {
    if (!this.#paused || this.socket.destroyed) return;
    this.#paused = false;
    this.socket.resume();
    this.#armIdle();
    if (this.#decoder.bufferedBytes > 0) this.#armFrameTimer(true);
  }

  #onData(chunk: Buffer, onFrame: (frame: DecodedFrame) => void): void {
    this.host.received(this, chunk.length);
    const framesBefore = this.#frames;
    try {
      this.#decoder.push(chunk, onFrame);
    } catch (error) {
      if (!isFramingError(error)) throw error;
      this.refuse('invalid-frame', { frameError: error.reason, detail: error.message });
      return;
    }
    if (this.socket.destroyed) return;
    const completed = this.#frames !== framesBefore;
    if (this.#phase === 'open') {
      this.#deadline?.refresh();
      this.host.buffered(this, this.#decoder.bufferedBytes, completed);
    }
    if (this.#paused) return;
    if (this.#decoder.bufferedBytes === 0) this.#clearFrameTimer();
    else this.#armFrameTimer(completed);
  }

  /** Starts the frame deadline if none runs, or restarts it when a new frame began. */
  #armFrameTimer(newFrame: boolean): void {
    if (this.#frameTimer === null) {
      const timeoutMs = this.host.options.frameTimeoutMs;
      this.#frameTimer = setTimeout(() => {
        this.#frameTimer = null;
        this.refuse('frame-timeout', { timeoutMs, bufferedBytes: this.#decoder.bufferedBytes });
      }, timeoutMs);
    } else if (newFrame) {
      this.#frameTimer.refresh();
    }
  }

  #armIdle(): void {
    if (this.#phase !== 'open' || this.#deadline !== null) return;
    this.#deadline = setTimeout(() => {
      this.#deadline = null;
      this.drop('idle-timeout');
    }, this.host.options.idleTimeoutMs);
  }

  #clearFrameTimer(): void {
    if (this.#frameTimer !== null) clearTimeout(this.#frameTimer);
    this.#frameTimer = null;
  }

  #clearTimers(): void {
    if (this.#deadline !== null) clearTimeout(this.#deadline);
    this.#deadline = null;
    this.#clearFrameTimer();
  }

  #onFrame(frame: DecodedFrame): void {
    if (this.socket.destroyed) return;
    this.#frames++;
    const o = this.host.options;
    if (frame.clusterId !== o.clusterId) {
      this.refuse('cluster-mismatch', { clusterId: frame.clusterId, expected: o.clusterId });
      return;
    }
    if (this.#phase === 'open') {
      this.#onOpenFrame(frame);
      return;
    }
    if (frame.kind !== 'handshake') {
      this.refuse('expected-handshake', { kind: frame.kind });
      return;
    }
    if (this.#phase === 'hello') this.#onHello(frame.handshake);
    else this.#onConfirm(frame.handshake);
  }

  #onHello(hs: Handshake): void {
    const o = this.host.options;
    const claim = { claimedFrom: hs.from, claimedTo: hs.to };
    if (hs.to !== o.id) {
      this.refuse('wrong-node', claim);
      return;
    }
    this.#claimed = hs.from;
    if (!this.host.isPeer(hs.from)) {
      this.refuse('unknown-peer', claim);
      return;
    }
    if (hs.protocolVersion < PROTOCOL_VERSION) {
      this.refuse('unsupported-protocol', { ...claim, protocolVersion: hs.protocolVersion });
      return;
    }
    if (o.tls !== undefined) {
      const cert = (this.socket as TLSSocket).getPeerCertificate();
      if (!o.tls.verifyIdentity(cert, hs.from)) {
        this.refuse('identity-mismatch', { ...claim, ...describeCertificate(cert) });
        return;
      }
    }
    const secret = o.clusterSecret;
    if (secret === undefined) {
      this.#establish(hs.from, true);
      return;
    }
    if (hs.nonce === undefined) {
      // The dialler does not do the challenge-response: it has no cluster secret.
      this.refuse('auth-required', claim);
      return;
    }
    const nonce = newNonce();
    const t: Transcript = {
      clusterId: o.clusterId,
      dialer: hs.from,
      acceptor: o.id,
      dialerVersion: hs.protocolVersion,
      acceptorVersion: PROTOCOL_VERSION,
      dialerNonce: hs.nonce,
      acceptorNonce: nonce,
    };
    this.#transcript = t;
    this.#phase = 'confirm';
    this.socket.write(
      encodeHandshakeFrame(o.clusterId, {
        from: o.id,
        to: hs.from,
        protocolVersion: PROTOCOL_VERSION,
        nonce,
        proof: acceptorProof(secret, t),
      }),
    );
  }

  #onConfirm(hs: Handshake): void {
    const o = this.host.options;
    const t = this.#transcript!;
    if (hs.from !== t.dialer || hs.to !== o.id) {
      this.refuse('wrong-node', { claimedFrom: hs.from, claimedTo: hs.to });
      return;
    }
    const secret = o.clusterSecret!;
    if (!proofMatches(hs.proof, dialerProof(secret, t))) {
      this.refuse('bad-proof', { claimedFrom: hs.from });
      return;
    }
    // From the next frame on, only frames under this session's key.
    this.#decoder.authenticate(new FrameVerifier(sessionKey(secret, t)));
    this.#establish(hs.from, false);
  }

  /** The handshake succeeded: take the per-peer place, answer if not done, open. */
  #establish(peer: NodeId, answer: boolean): void {
    const o = this.host.options;
    if (!this.host.establish(this, peer)) {
      this.refuse('peer-limit', { claimedFrom: peer, maxConnectionsPerPeer: o.maxConnectionsPerPeer });
      return;
    }
    if (answer) {
      this.socket.write(
        encodeHandshakeFrame(o.clusterId, { from: o.id, to: peer, protocolVersion: PROTOCOL_VERSION }),
      );
    }
    this.#clearTimers();
    this.peer = peer;
    this.#transcript = null;
    this.#phase = 'open';
    this.#decoder.setMaxFrameBytes(o.maxFrameBytes);
    this.#armIdle();
    this.host.accepted(this);
  }

  #onOpenFrame(frame: DecodedFrame): void {
    if (frame.kind === 'keepalive') return;
    if (frame.kind === 'group') {
      this.#onGroupFrame(frame.batch);
      return;
    }
    if (frame.kind !== 'message' && frame.kind !== 'driver') {
      this.refuse('unexpected-frame', { kind: frame.kind });
      return;
    }
    const m = frame.message;
    // Closed on the first offence: a peer that lies once is not read further (and a flood
    // of such frames costs one log line).
    if (m.from !== this.peer) {
      this.refuse('sender-mismatch', { claimedFrom: m.from, type: m.type });
      return;
    }
    if (m.to !== this.host.options.id) {
      this.refuse('wrong-addressee', { claimedTo: m.to, type: m.type });
      return;
    }
    if (frame.kind === 'driver') this.host.deliverDriver(this, frame.message);
    else this.host.deliver(this, frame.message);
  }

  /**
   * A group batch: every message in it (Raft or driver, of any group) must come from the
   * authenticated peer and be addressed to us, as a plain frame's must; one that does not
   * closes the connection before any of the batch is delivered.
   */
  #onGroupFrame(batch: GroupBatch): void {
    for (const item of batch.items) {
      const m = item.message ?? item.driver;
      if (m.from !== this.peer) {
        this.refuse('sender-mismatch', { claimedFrom: m.from, type: m.type, group: item.group });
        return;
      }
      if (m.to !== this.host.options.id) {
        this.refuse('wrong-addressee', { claimedTo: m.to, type: m.type, group: item.group });
        return;
      }
    }
    this.host.deliverGroup(this, batch);
  }
}
