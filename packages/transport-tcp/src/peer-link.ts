/**
 * `PeerLink`: the one outbound connection to one peer, and the bounded queue in front of
 * it. It dials, handshakes (under TLS the server certificate must prove the node id it
 * dialled; with a cluster secret both sides prove the secret and every frame is then
 * sealed under the session key), writes queued frames in batches (all frames queued in the
 * same tick go out in one `write`) while the socket accepts them, waits for `drain` when it
 * does not, sends a keep-alive after a third of `idleTimeoutMs` without traffic, and after
 * any failure redials with capped, jittered exponential backoff until closed.
 *
 * States: `idle` (not started) -> `connecting` (dialled, handshake pending) -> `open` ->
 * back to `backoff` on any error or close -> `connecting` ... ; `closed` is final.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { NodeId } from '@raft-io/core';
import {
  type DecodedFrame,
  encodeHandshakeFrame,
  encodeKeepaliveFrame,
  FRAME_HEADER_BYTES,
  FrameAuthenticator,
  FrameDecoder,
  isFramingError,
} from '@raft-io/framing';
import { backoffDelay } from './backoff.js';
import { FrameQueue } from './frame-queue.js';
import type { LogLimiter } from './log-limiter.js';
import type { PeerAddress, ResolvedTcpTransportOptions } from './options.js';
import { describeCertificate } from './peer-identity.js';
import {
  BATCH_BYTES,
  type ConnectionRefusal,
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
import { applySocketOptions, remoteOf, watchClose, whenClosed } from './sockets.js';
import { newPeerCounters, type PeerCounters } from './stats.js';

type LinkState = 'idle' | 'connecting' | 'open' | 'backoff' | 'closed';

export class PeerLink {
  readonly counters: PeerCounters = newPeerCounters();
  readonly queue: FrameQueue;

  #address: PeerAddress;
  #state: LinkState = 'idle';
  #socket: net.Socket | null = null;
  /** The handshake deadline while connecting, or the backoff timer while backing off. */
  #timer: NodeJS.Timeout | null = null;
  /** Failed attempts since the last open connection: the backoff exponent. */
  #attempt = 0;
  #flushScheduled = false;
  #waitingDrain = false;
  /** Seals the frames of the current connection (cluster secret only). */
  #authenticator: FrameAuthenticator | null = null;
  /** Sends a keep-alive when nothing was written for a while; runs while open. */
  #keepalive: NodeJS.Timeout | null = null;
  #wroteSinceKeepalive = false;

  constructor(
    readonly id: NodeId,
    address: PeerAddress,
    private readonly options: ResolvedTcpTransportOptions,
    private readonly warnings: LogLimiter,
  ) {
    this.#address = address;
    this.queue = new FrameQueue(options.maxQueueMessages, options.maxQueueBytes);
  }

  get address(): PeerAddress {
    return this.#address;
  }

  /** Whether the connection is up (handshake done). */
  get connected(): boolean {
    return this.#state === 'open';
  }

  /** Dials for the first time. */
  start(): void {
    if (this.#state === 'idle') this.#connect();
  }

  /** Points the link at a new address; an existing connection to the old one is dropped. */
  setAddress(address: PeerAddress): void {
    if (address.host === this.#address.host && address.port === this.#address.port) return;
    this.#address = address;
    if (this.#state === 'idle' || this.#state === 'closed') return;
    this.#attempt = 0;
    if (this.#socket !== null) {
      this.#socket.destroy(); // its close handler redials (to the new address)
    } else {
      this.#clearTimer();
      this.#connect();
    }
  }

  /**
   * The peer just connected to us, so it is up: if this link is waiting out a reconnect
   * backoff, dial now (and start the backoff over). A link that is connecting or open is
   * left alone.
   */
  redialNow(): void {
    if (this.#state !== 'backoff') return;
    this.#clearTimer();
    this.#attempt = 0;
    this.#connect();
  }

  /** Queues `frame`; false if the queue is full (the frame is dropped) or the link is closed. */
  enqueue(frame: Uint8Array): boolean {
    if (this.#state === 'closed' || !this.queue.push(frame)) return false;
    this.#scheduleFlush();
    return true;
  }

  /** Closes the connection and stops redialling; queued frames are dropped. */
  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#clearTimer();
    this.queue.clear();
    const socket = this.#socket;
    this.#socket = null;
    if (socket !== null) {
      socket.destroy();
      await whenClosed(socket);
    }
  }

  #clearTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#keepalive !== null) clearInterval(this.#keepalive);
    this.#keepalive = null;
  }

  #connect(): void {
    const { host, port } = this.#address;
    const o = this.options;
    this.#state = 'connecting';
    this.#waitingDrain = false;
    this.#authenticator = null;
    const socket: net.Socket = o.tls
      ? tls.connect({
          host,
          port,
          key: o.tls.key,
          cert: o.tls.cert,
          ca: o.tls.ca as tls.ConnectionOptions['ca'],
          rejectUnauthorized: true,
          minVersion: 'TLSv1.2',
          ...(o.tls.checkServerIdentity ? { checkServerIdentity: o.tls.checkServerIdentity } : {}),
          // SNI may not carry an IP address; Node derives it from a host name by itself.
          ...(net.isIP(host) ? {} : { servername: host }),
        })
      : net.connect({ host, port });
    this.#socket = socket;
    watchClose(socket);
    const decoder = new FrameDecoder({ maxFrameBytes: MAX_HANDSHAKE_FRAME_BYTES });
    const secret = o.clusterSecret;
    const nonce = secret === undefined ? undefined : newNonce();
    let lastError: Error | null = null;

    const fail = (reason: ConnectionRefusal, fields: Record<string, unknown> = {}) => {
      if (socket.destroyed) return;
      this.warnings.warn(
        reason,
        { peer: this.id, remote: `${host}:${port}`, reason, ...fields },
        'dropping outbound connection',
      );
      socket.destroy();
    };

    this.#timer = setTimeout(() => {
      this.#timer = null;
      fail('handshake-timeout', { timeoutMs: o.handshakeTimeoutMs });
    }, o.handshakeTimeoutMs);

    socket.once(o.tls ? 'secureConnect' : 'connect', () => {
      if (o.tls !== undefined) {
        // The CA vouched for a cluster member; this checks it is the member we dialled.
        const cert = (socket as tls.TLSSocket).getPeerCertificate();
        if (!o.tls.verifyIdentity(cert, this.id)) {
          fail('identity-mismatch', describeCertificate(cert));
          return;
        }
      }
      applySocketOptions(socket, o.socket);
      socket.write(
        encodeHandshakeFrame(o.clusterId, {
          from: o.id,
          to: this.id,
          protocolVersion: PROTOCOL_VERSION,
          ...(nonce === undefined ? {} : { nonce }),
        }),
      );
    });

    const onFrame = (frame: DecodedFrame) => {
      if (this.#socket !== socket || socket.destroyed) return;
      if (this.#state === 'open') {
        // The acceptor sends nothing after its answer.
        fail('unexpected-frame', { kind: frame.kind });
        return;
      }
      if (frame.kind !== 'handshake') {
        fail('expected-handshake', { kind: frame.kind });
        return;
      }
      const hs = frame.handshake;
      if (frame.clusterId !== o.clusterId) {
        fail('cluster-mismatch', { clusterId: frame.clusterId, expected: o.clusterId });
      } else if (hs.from !== this.id || hs.to !== o.id) {
        fail('wrong-node', { claimedFrom: hs.from, claimedTo: hs.to });
      } else if (hs.protocolVersion < PROTOCOL_VERSION) {
        fail('unsupported-protocol', { protocolVersion: hs.protocolVersion });
      } else if (secret === undefined || nonce === undefined) {
        this.#opened(socket);
      } else if (hs.nonce === undefined || hs.proof === undefined) {
        // The acceptor did not take up the challenge: it has no cluster secret.
        fail('auth-required');
      } else {
        const t: Transcript = {
          clusterId: o.clusterId,
          dialer: o.id,
          acceptor: this.id,
          dialerVersion: PROTOCOL_VERSION,
          acceptorVersion: hs.protocolVersion,
          dialerNonce: nonce,
          acceptorNonce: hs.nonce,
        };
        if (!proofMatches(hs.proof, acceptorProof(secret, t))) {
          fail('bad-proof');
          return;
        }
        socket.write(
          encodeHandshakeFrame(o.clusterId, {
            from: o.id,
            to: this.id,
            protocolVersion: PROTOCOL_VERSION,
            proof: dialerProof(secret, t),
          }),
        );
        this.#authenticator = new FrameAuthenticator(sessionKey(secret, t));
        this.#opened(socket);
      }
    };

    socket.on('data', (chunk: Buffer) => {
      this.counters.bytesReceived += chunk.length;
      try {
        decoder.push(chunk, onFrame);
      } catch (error) {
        if (!isFramingError(error)) throw error;
        fail('invalid-frame', { frameError: error.reason });
      }
    });
    socket.on('error', (error) => {
      lastError = error;
    });
    socket.on('close', () => this.#closed(socket, lastError));
  }

  #opened(socket: net.Socket): void {
    this.#clearTimer();
    this.#state = 'open';
    this.#attempt = 0;
    this.counters.connects++;
    this.#wroteSinceKeepalive = false;
    this.#keepalive = setInterval(() => this.#sendKeepalive(), Math.floor(this.options.idleTimeoutMs / 3));
    this.options.logger.info(
      { peer: this.id, remote: remoteOf(socket), reconnect: this.counters.connects > 1 },
      'connected to peer',
    );
    this.#scheduleFlush();
  }

  #closed(socket: net.Socket, error: Error | null): void {
    if (this.#socket !== socket) return; // a socket we already replaced or closed
    this.#socket = null;
    this.#clearTimer();
    if (this.#state === 'closed') return;
    const log = this.options.logger;
    const fields = {
      peer: this.id,
      remote: `${this.#address.host}:${this.#address.port}`,
      error: error?.message,
    };
    if (this.#state === 'open') {
      log.info(fields, 'connection to peer lost');
    } else {
      this.counters.connectFailures++;
      log.debug({ ...fields, attempt: this.#attempt }, 'could not connect to peer');
    }
    const { initialDelayMs, maxDelayMs } = this.options.reconnect;
    const delay = backoffDelay(this.#attempt++, initialDelayMs, maxDelayMs);
    this.#state = 'backoff';
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#connect();
    }, delay);
  }

  /** Flushes on the next tick, so that every frame queued in this tick goes out in one write. */
  #scheduleFlush(): void {
    if (this.#flushScheduled || this.#state !== 'open' || this.#waitingDrain) return;
    this.#flushScheduled = true;
    process.nextTick(() => {
      this.#flushScheduled = false;
      this.#flush();
    });
  }

  /**
   * Tells the acceptor we are alive when nothing else did (its idle deadline would close
   * the connection otherwise). Skipped while the socket pushes back: bytes are in flight.
   */
  #sendKeepalive(): void {
    const socket = this.#socket;
    if (socket === null || this.#state !== 'open') return;
    if (!this.#wroteSinceKeepalive && !this.#waitingDrain) {
      const frame = encodeKeepaliveFrame(this.options.clusterId);
      const bytes = this.#authenticator === null ? frame : this.#authenticator.seal(frame);
      this.counters.bytesSent += bytes.length;
      socket.write(bytes);
    }
    this.#wroteSinceKeepalive = false;
  }

  /** One write's worth of frames, sealed under the session key when there is one. */
  #batch(frames: Uint8Array[]): Uint8Array {
    const auth = this.#authenticator;
    if (auth === null) return frames.length === 1 ? frames[0]! : Buffer.concat(frames);
    // Queued frames are plain: a frame is sealed only now, when its connection and its
    // place in the session's sequence are known (a queue outlives reconnects).
    const pieces: Uint8Array[] = [];
    for (const f of frames) pieces.push(auth.sealHeader(f), f.subarray(FRAME_HEADER_BYTES));
    return Buffer.concat(pieces);
  }

  /** Writes queued frames in batches until the queue is empty or the socket pushes back. */
  #flush(): void {
    const socket = this.#socket;
    // A destroyed socket (setAddress) is still `open` until its close event: keep the queue.
    if (socket === null || socket.destroyed || this.#state !== 'open' || this.#waitingDrain) return;
    while (this.queue.length > 0) {
      const frames = this.queue.take(BATCH_BYTES);
      const batch = this.#batch(frames);
      this.counters.messagesSent += frames.length;
      this.counters.bytesSent += batch.length;
      this.#wroteSinceKeepalive = true;
      if (!socket.write(batch)) {
        // The socket's buffer is full: stop until it drains; meanwhile frames wait in the
        // bounded queue, and once that is full `send` drops.
        this.#waitingDrain = true;
        socket.once('drain', () => {
          if (this.#socket !== socket) return;
          this.#waitingDrain = false;
          this.#flush();
        });
        return;
      }
    }
  }
}
