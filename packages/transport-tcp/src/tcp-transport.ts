/**
 * `TcpTransport`: core's `RaftTransport` over TCP, optionally mutual TLS. Each node keeps
 * one outbound connection per peer for sending (`PeerLink`, with a bounded queue, batching
 * and reconnect backoff) and accepts inbound connections for receiving
 * (`InboundConnection`). Frames are @raft-io/framing's; the handshake is in `protocol.ts`.
 * Peers authenticate (TLS certificates bound to node ids, or a cluster secret), and the
 * Raft port's resources are bounded: connection caps (`ConnectionTable`), deadlines, and
 * one budget of buffered inbound bytes (`InboundBudget`).
 */
import net from 'node:net';
import tls from 'node:tls';
import {
  InvalidArgumentError,
  type Message,
  type NodeId,
  RaftError,
  type RaftTransport,
} from '@raft-io/core';
import {
  type DriverChannel,
  type DriverMessage,
  encodeDriverFrame,
  encodeFrame,
  encodeGroupFrame,
  FRAME_TAG_BYTES,
  type GroupBatch,
  type GroupChannel,
} from '@raft-io/framing';
import { ConnectionTable, type Slot } from './connection-table.js';
import { InboundBudget } from './inbound-budget.js';
import { InboundConnection, type InboundHost } from './inbound-connection.js';
import { LogLimiter } from './log-limiter.js';
import { isLoopbackHost } from './loopback.js';
import {
  checkAddress,
  checkNodeId,
  insecureListen,
  type PeerAddress,
  type ResolvedTcpTransportOptions,
  resolveTcpTransportOptions,
  type TcpTransportOptions,
} from './options.js';
import { PeerLink } from './peer-link.js';
import { remoteOf, watchClose, whenClosed } from './sockets.js';
import { newPeerCounters, type PeerCounters, type TcpPeerStats, type TcpTransportStats } from './stats.js';

type State = 'new' | 'starting' | 'started' | 'closed';

export class TcpTransport implements RaftTransport, DriverChannel, GroupChannel {
  readonly id: NodeId;
  readonly options: ResolvedTcpTransportOptions;

  #state: State = 'new';
  #receive: ((message: Message) => void) | null = null;
  #receiveDriver: ((message: DriverMessage) => void) | null = null;
  #receiveGroup: ((from: NodeId, batch: GroupBatch) => void) | null = null;
  #server: net.Server | null = null;
  #closing: Promise<void> | null = null;
  readonly #links = new Map<NodeId, PeerLink>();
  /** Every socket accepted by the server (raw TCP sockets, also under TLS), until it closes. */
  readonly #rawSockets = new Set<net.Socket>();
  readonly #inbound = new Set<InboundConnection>();
  /** Counters of peers since removed, so totals keep counting them. */
  readonly #retired: PeerCounters = newPeerCounters();
  #droppedUnrouted = 0;
  #accepted = 0;
  #refused = 0;
  #rejected = 0;
  #bytesReceivedUnknown = 0;
  readonly #host: InboundHost;
  readonly #warnings: LogLimiter;
  readonly #table: ConnectionTable;
  readonly #budget: InboundBudget;
  /** Slots of TLS connections whose TLS handshake runs, by `remote` (the TLS socket is not the raw one). */
  readonly #tlsSlots = new Map<string, Slot>();

  constructor(options: TcpTransportOptions) {
    this.options = resolveTcpTransportOptions(options);
    this.id = this.options.id;
    const o = this.options;
    this.#warnings = new LogLimiter(o.logger);
    this.#table = new ConnectionTable({
      maxTotal: o.maxInboundConnections,
      maxPerAddress: o.maxInboundConnectionsPerAddress,
      maxPerPeer: o.maxConnectionsPerPeer,
    });
    this.#budget = new InboundBudget(o.maxInboundBufferedBytes);
    this.#host = this.#makeHost();
    for (const [id, address] of o.peers) this.#links.set(id, this.#newLink(id, address));
  }

  #newLink(id: NodeId, address: PeerAddress): PeerLink {
    return new PeerLink(id, address, this.options, this.#warnings);
  }

  /** Listens, then dials every known peer. Resolves once the server is listening. */
  async start(receive: (message: Message) => void): Promise<void> {
    if (this.#state === 'closed') throw new RaftError('CLOSED', 'the transport is closed');
    if (this.#state !== 'new') throw new InvalidArgumentError('the transport was already started');
    if (typeof receive !== 'function') throw new InvalidArgumentError('receive must be a function');
    this.#state = 'starting';
    this.#receive = receive;
    const server = this.#createServer();
    this.#server = server;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host: this.options.listen.host, port: this.options.listen.port }, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      this.#server = null;
      this.#state = 'closed';
      throw error;
    }
    server.on('error', (error) => this.options.logger.error({ error: error.message }, 'server error'));
    // close() may have run while we were binding.
    if (this.#state !== 'starting') return;
    const o = this.options;
    const { host, port } = this.address()!;
    if (!o.authenticated && !o.insecure && !isLoopbackHost(host)) {
      // The name looked like loopback but bound elsewhere (a strange `localhost`).
      await this.close();
      throw insecureListen(host);
    }
    this.#state = 'started';
    const mode = o.tls !== undefined ? 'tls' : o.clusterSecret !== undefined ? 'cluster-secret' : 'none';
    o.logger.info({ id: this.id, host, port, authentication: mode }, 'transport listening');
    if (!o.authenticated) {
      o.logger.warn(
        { id: this.id, host, port, insecure: o.insecure },
        o.insecure
          ? 'INSECURE: no peer authentication; anyone who can reach this port can act as any peer'
          : 'no peer authentication (allowed on loopback only): set tls or clusterSecret before listening beyond this machine',
      );
    }
    for (const link of this.#links.values()) link.start();
  }

  /** The address the server is bound to (the real port when listening on port 0); null before start and after close. */
  address(): PeerAddress | null {
    const a = this.#server?.address();
    if (a == null || typeof a === 'string') return null;
    return { host: a.address, port: a.port };
  }

  /**
   * Queues `message` for `message.to`. Returns false when it is dropped at once: an unknown
   * peer, a full queue (the newest message is the one dropped), a frame over
   * `maxFrameBytes`, a message the wire cannot carry, or a transport not started or closed.
   * Never throws.
   */
  send(message: Message): boolean {
    return this.#queue(message?.to, message?.type, () => encodeFrame(this.options.clusterId, message));
  }

  /**
   * Queues a driver message (a forwarded proposal, its answer) for `message.to`, on the same
   * connection and queue as the Raft messages. Unlike `send`, only while the connection to
   * the peer is up: a forwarded proposal queued for a peer that is gone would wait out its
   * whole deadline, where false tells the driver at once that nothing left, so it may try
   * again elsewhere. Returns false when it is dropped at once, as `send` does. Never throws.
   */
  sendDriver(message: DriverMessage): boolean {
    if (this.#links.get(message?.to)?.connected !== true) {
      this.#droppedUnrouted++;
      return false;
    }
    return this.#queue(message?.to, message?.type, () => encodeDriverFrame(this.options.clusterId, message));
  }

  /**
   * Where driver messages go once they passed the same checks as Raft messages (from the
   * authenticated peer, to this node). Without a handler they are dropped.
   */
  onDriverMessage(handler: ((message: DriverMessage) => void) | null): void {
    if (handler !== null && typeof handler !== 'function')
      throw new InvalidArgumentError('the driver message handler must be a function or null');
    this.#receiveDriver = handler;
  }

  /**
   * Queues a group batch (multi-Raft: many groups' messages for one peer host, see
   * @raft-io/framing's `group-batch.ts`) for peer `to` as one frame, on the same connection
   * and queue as everything else. Returns false when it is dropped at once, as `send` does
   * (a batch over `maxFrameBytes` included: the caller splits batches below it). Never throws.
   */
  sendGroupBatch(to: NodeId, batch: GroupBatch): boolean {
    return this.#queue(to, 'group-batch', () => encodeGroupFrame(this.options.clusterId, batch));
  }

  /**
   * Where group batches go once every message in them passed the checks of a plain frame
   * (from the authenticated peer, to this node), with that peer's id. Without a handler they
   * are dropped.
   */
  onGroupBatch(handler: ((from: NodeId, batch: GroupBatch) => void) | null): void {
    if (handler !== null && typeof handler !== 'function')
      throw new InvalidArgumentError('the group batch handler must be a function or null');
    this.#receiveGroup = handler;
  }

  /** Whether the outbound connection to peer `id` is up (handshake done). */
  connected(id: NodeId): boolean {
    return this.#links.get(id)?.connected === true;
  }

  /** Encodes a frame for peer `to` and queues it; false when dropped at once. */
  #queue(to: NodeId, type: string, encode: () => Uint8Array): boolean {
    if (this.#state !== 'started' && this.#state !== 'starting') {
      this.#droppedUnrouted++;
      return false;
    }
    const link = this.#links.get(to);
    if (link === undefined) {
      this.#droppedUnrouted++;
      return false;
    }
    let frame: Uint8Array;
    try {
      frame = encode();
    } catch (error) {
      link.counters.messagesDropped++;
      this.options.logger.error(
        { peer: link.id, type, error: (error as Error).message },
        'cannot encode message',
      );
      return false;
    }
    // With a cluster secret the frame goes out sealed, 16 bytes longer, and the receiver's
    // bound counts the tag.
    const wireBytes = frame.length + (this.options.clusterSecret === undefined ? 0 : FRAME_TAG_BYTES);
    if (wireBytes > this.options.maxFrameBytes) {
      link.counters.messagesDropped++;
      this.options.logger.warn(
        {
          peer: link.id,
          type,
          frameBytes: wireBytes,
          maxFrameBytes: this.options.maxFrameBytes,
        },
        'message larger than maxFrameBytes dropped',
      );
      return false;
    }
    if (!link.enqueue(frame)) {
      link.counters.messagesDropped++;
      return false;
    }
    return true;
  }

  /**
   * Adds a peer or changes its address (membership changes). A new peer is dialled at once
   * when the transport runs; a changed address drops the old connection and dials the new.
   */
  setPeer(id: NodeId, address: PeerAddress): void {
    checkNodeId('id', id);
    if (id === this.id) throw new InvalidArgumentError('a transport cannot peer with its own node');
    const checked = checkAddress('address', address, false);
    if (this.#state === 'closed') return;
    const link = this.#links.get(id);
    if (link !== undefined) {
      link.setAddress(checked);
      return;
    }
    const created = this.#newLink(id, checked);
    this.#links.set(id, created);
    if (this.#state === 'started') created.start();
  }

  /**
   * Forgets a peer: closes the connection to it, drops its queue, and closes its inbound
   * connections (it may no longer connect in). Resolves once its sockets are closed.
   */
  async removePeer(id: NodeId): Promise<void> {
    const link = this.#links.get(id);
    if (link === undefined) return;
    this.#links.delete(id);
    for (const key of Object.keys(this.#retired) as (keyof PeerCounters)[])
      this.#retired[key] += link.counters[key];
    const closing: Promise<void>[] = [link.close()];
    for (const conn of this.#inbound) {
      if (conn.peer === id) {
        conn.drop('peer-removed');
        closing.push(whenClosed(conn.socket));
      }
    }
    await Promise.all(closing);
  }

  /** The current peers and their addresses. */
  peers(): ReadonlyMap<NodeId, PeerAddress> {
    return new Map([...this.#links].map(([id, link]) => [id, link.address]));
  }

  /** Closes the server, every connection and timer; pending messages are dropped. Idempotent. */
  close(): Promise<void> {
    if (this.#closing === null) this.#closing = this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#state = 'closed';
    this.#receive = null;
    this.#receiveDriver = null;
    this.#receiveGroup = null;
    const server = this.#server;
    const waits: Promise<void>[] = [...this.#links.values()].map((link) => link.close());
    for (const conn of this.#inbound) conn.drop('closed');
    for (const socket of this.#rawSockets) {
      socket.destroy();
      waits.push(whenClosed(socket));
    }
    for (const conn of this.#inbound) waits.push(whenClosed(conn.socket));
    if (server?.listening) {
      waits.push(new Promise<void>((resolve) => server.close(() => resolve())));
    }
    await Promise.all(waits);
    this.#warnings.flush();
    // A server's 'close' comes on a tick, before libuv has released its handle (that happens
    // in the loop's close phase); two turns of setImmediate pass at least one close phase, so
    // when close() resolves no handle of ours is left.
    await new Promise<void>((resolve) => setImmediate(resolve));
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.options.logger.info({ id: this.id }, 'transport closed');
  }

  /** Counters: totals and per peer. */
  stats(): TcpTransportStats {
    const peers: TcpPeerStats[] = [...this.#links.values()].map((link) => ({
      id: link.id,
      host: link.address.host,
      port: link.address.port,
      connected: link.connected,
      queuedMessages: link.queue.length,
      queuedBytes: link.queue.bytes,
      ...link.counters,
      reconnects: Math.max(0, link.counters.connects - 1),
    }));
    const sum = (key: keyof PeerCounters) => peers.reduce((n, p) => n + p[key], this.#retired[key]);
    return {
      messagesSent: sum('messagesSent'),
      bytesSent: sum('bytesSent'),
      messagesDropped: sum('messagesDropped') + this.#droppedUnrouted,
      messagesReceived: sum('messagesReceived'),
      bytesReceived: sum('bytesReceived') + this.#bytesReceivedUnknown,
      reconnects: peers.reduce((n, p) => n + p.reconnects, 0),
      connectionsAccepted: this.#accepted,
      connectionsRefused: this.#refused,
      messagesRejected: this.#rejected,
      inboundConnections: this.#table.size,
      inboundHandshaking: this.#table.pending,
      inboundBufferedBytes: this.#budget.used,
      inboundPaused: this.#budget.pausedCount,
      peers,
    };
  }

  #createServer(): net.Server {
    const o = this.options;
    if (o.tls === undefined) {
      return net.createServer((socket) => {
        const slot = this.#admit(socket);
        if (slot !== null) this.#inbound.add(new InboundConnection(socket, this.#host, slot));
      });
    }
    const server = tls.createServer({
      key: o.tls.key,
      cert: o.tls.cert,
      ca: o.tls.ca as tls.TlsOptions['ca'],
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
      // Bounds the TLS handshake itself; our handshake gets its own handshakeTimeoutMs after.
      handshakeTimeout: o.handshakeTimeoutMs,
    });
    // The caps apply from the raw connection on: a TLS handshake costs memory too.
    server.on('connection', (raw: net.Socket) => {
      const slot = this.#admit(raw);
      if (slot === null) return;
      const key = remoteOf(raw);
      this.#tlsSlots.set(key, slot);
      raw.once('close', () => {
        if (this.#tlsSlots.get(key) === slot) this.#tlsSlots.delete(key);
      });
    });
    server.on('secureConnection', (socket: tls.TLSSocket) => {
      const key = remoteOf(socket);
      const slot = this.#tlsSlots.get(key);
      this.#tlsSlots.delete(key);
      if (this.#state === 'closed' || slot === undefined) {
        socket.destroy();
        return;
      }
      this.#inbound.add(new InboundConnection(socket, this.#host, slot));
    });
    server.on('tlsClientError', (error: Error, socket: tls.TLSSocket) => {
      this.#refused++;
      this.#warnings.warn(
        'tls',
        { remote: remoteOf(socket), reason: 'tls', error: error.message },
        'refusing inbound connection',
      );
    });
    return server;
  }

  /**
   * Gives a new raw connection a slot under the connection caps, or refuses it. A full
   * table evicts its oldest connection still in its handshake.
   */
  #admit(raw: net.Socket): Slot | null {
    if (this.#state === 'closed') {
      raw.destroy();
      return null;
    }
    watchClose(raw);
    this.#rawSockets.add(raw);
    raw.once('close', () => this.#rawSockets.delete(raw));
    const remote = remoteOf(raw);
    const slot: Slot = {
      address: raw.remoteAddress ?? '?',
      peer: null,
      // Until an InboundConnection takes it over (during a TLS handshake).
      close: (reason) => this.#refuseRaw(raw, remote, reason),
    };
    const result = this.#table.admit(slot);
    if (!result.admitted) {
      this.#refuseRaw(raw, remote, result.reason);
      return null;
    }
    raw.once('close', () => this.#table.release(slot));
    result.evicted?.close('connection-limit');
    return slot;
  }

  #refuseRaw(
    raw: net.Socket,
    remote: string,
    reason: 'connection-limit' | 'address-limit' | 'peer-limit',
  ): void {
    if (raw.destroyed) return;
    this.#refused++;
    const o = this.options;
    this.#warnings.warn(
      reason,
      {
        remote,
        reason,
        inboundConnections: this.#table.size,
        maxInboundConnections: o.maxInboundConnections,
        maxInboundConnectionsPerAddress: o.maxInboundConnectionsPerAddress,
      },
      'refusing inbound connection',
    );
    raw.destroy();
  }

  /** The callbacks inbound connections use. */
  #makeHost(): InboundHost {
    return {
      options: this.options,
      warnings: this.#warnings,
      isPeer: (id) => this.#links.has(id),
      establish: (conn, peer) => {
        const result = this.#table.establish(conn.slot, peer, this.options.authenticated);
        if (!result.established) return false;
        // Over maxConnectionsPerPeer an authenticated peer's newest connection wins: the
        // oldest is likely a half-open socket left from before a redial.
        result.evicted?.close('peer-limit');
        return true;
      },
      accepted: (conn) => {
        this.#accepted++;
        this.options.logger.info({ peer: conn.peer, remote: conn.remote }, 'accepted peer connection');
        // The peer is up again (a restart): our link to it need not wait out its backoff,
        // so the restarted node hears from us (its leader, say) at once.
        this.#links.get(conn.peer!)?.redialNow();
      },
      refused: (_conn, reason) => {
        this.#refused++;
        if (reason === 'sender-mismatch' || reason === 'wrong-addressee') this.#rejected++;
      },
      deliver: (conn, message) => {
        const link = this.#links.get(conn.peer!);
        if (link !== undefined) {
          link.counters.messagesReceived++;
        } else {
          this.#retired.messagesReceived++;
        }
        const receive = this.#receive;
        if (receive === null || this.#state === 'closed') return;
        try {
          receive(message);
        } catch (error) {
          this.options.logger.error(
            { peer: conn.peer, type: message.type, error: (error as Error).message },
            'receive threw',
          );
        }
      },
      deliverDriver: (conn, message) => {
        const link = this.#links.get(conn.peer!);
        if (link !== undefined) link.counters.messagesReceived++;
        else this.#retired.messagesReceived++;
        const receive = this.#receiveDriver;
        if (receive === null || this.#state === 'closed') return;
        try {
          receive(message);
        } catch (error) {
          this.options.logger.error(
            { peer: conn.peer, type: message.type, error: (error as Error).message },
            'driver message handler threw',
          );
        }
      },
      deliverGroup: (conn, batch) => {
        const link = this.#links.get(conn.peer!);
        if (link !== undefined) link.counters.messagesReceived++;
        else this.#retired.messagesReceived++;
        const receive = this.#receiveGroup;
        if (receive === null || this.#state === 'closed') return;
        try {
          receive(conn.peer!, batch);
        } catch (error) {
          this.options.logger.error(
            { peer: conn.peer, items: batch.items.length, error: (error as Error).message },
            'group batch handler threw',
          );
        }
      },
      received: (conn, bytes) => {
        const link = conn.peer === null ? undefined : this.#links.get(conn.peer);
        if (link !== undefined) link.counters.bytesReceived += bytes;
        else this.#bytesReceivedUnknown += bytes;
      },
      buffered: (conn, bytes, completedFrame) => {
        this.#budget.update(conn, bytes, completedFrame);
      },
      closed: (conn) => {
        this.#inbound.delete(conn);
        this.#budget.remove(conn);
      },
    };
  }
}

/** Creates a `TcpTransport` (not started). */
export function createTcpTransport(options: TcpTransportOptions): TcpTransport {
  return new TcpTransport(options);
}
