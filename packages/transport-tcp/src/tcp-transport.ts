/**
 * `TcpTransport`: core's `RaftTransport` over TCP, optionally mutual TLS. Each node keeps
 * one outbound connection per peer for sending (`PeerLink`, with a bounded queue, batching
 * and reconnect backoff) and accepts inbound connections for receiving
 * (`InboundConnection`). Frames are @raft-io/framing's; the handshake is in `protocol.ts`.
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
import { encodeFrame } from '@raft-io/framing';
import { InboundConnection, type InboundHost } from './inbound-connection.js';
import {
  checkAddress,
  checkNodeId,
  type PeerAddress,
  type ResolvedTcpTransportOptions,
  resolveTcpTransportOptions,
  type TcpTransportOptions,
} from './options.js';
import { PeerLink } from './peer-link.js';
import { remoteOf, watchClose, whenClosed } from './sockets.js';
import { newPeerCounters, type PeerCounters, type TcpPeerStats, type TcpTransportStats } from './stats.js';

type State = 'new' | 'starting' | 'started' | 'closed';

export class TcpTransport implements RaftTransport {
  readonly id: NodeId;
  readonly options: ResolvedTcpTransportOptions;

  #state: State = 'new';
  #receive: ((message: Message) => void) | null = null;
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

  constructor(options: TcpTransportOptions) {
    this.options = resolveTcpTransportOptions(options);
    this.id = this.options.id;
    this.#host = this.#makeHost();
    for (const [id, address] of this.options.peers)
      this.#links.set(id, new PeerLink(id, address, this.options));
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
    this.#state = 'started';
    const { host, port } = this.address()!;
    this.options.logger.info(
      { id: this.id, host, port, tls: this.options.tls !== undefined },
      'transport listening',
    );
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
    if (this.#state !== 'started' && this.#state !== 'starting') {
      this.#droppedUnrouted++;
      return false;
    }
    const link = this.#links.get(message?.to);
    if (link === undefined) {
      this.#droppedUnrouted++;
      return false;
    }
    let frame: Uint8Array;
    try {
      frame = encodeFrame(this.options.clusterId, message);
    } catch (error) {
      link.counters.messagesDropped++;
      this.options.logger.error(
        { peer: link.id, type: message.type, error: (error as Error).message },
        'cannot encode message',
      );
      return false;
    }
    if (frame.length > this.options.maxFrameBytes) {
      link.counters.messagesDropped++;
      this.options.logger.warn(
        {
          peer: link.id,
          type: message.type,
          frameBytes: frame.length,
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
    const created = new PeerLink(id, checked, this.options);
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
    const server = this.#server;
    const waits: Promise<void>[] = [...this.#links.values()].map((link) => link.close());
    for (const conn of this.#inbound) conn.drop('closed');
    for (const socket of this.#rawSockets) {
      socket.destroy();
      waits.push(whenClosed(socket));
    }
    for (const conn of this.#inbound) waits.push(whenClosed(conn.socket));
    if (server !== null) {
      waits.push(new Promise<void>((resolve) => server.close(() => resolve())));
    }
    await Promise.all(waits);
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
      peers,
    };
  }

  #createServer(): net.Server {
    const o = this.options;
    const track = (socket: net.Socket) => {
      if (this.#state === 'closed') {
        socket.destroy();
        return;
      }
      watchClose(socket);
      this.#rawSockets.add(socket);
      socket.once('close', () => this.#rawSockets.delete(socket));
    };
    if (o.tls === undefined) {
      const server = net.createServer((socket) => {
        track(socket);
        if (!socket.destroyed) this.#inbound.add(new InboundConnection(socket, this.#host));
      });
      return server;
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
    server.on('connection', track);
    server.on('secureConnection', (socket: tls.TLSSocket) => {
      if (this.#state === 'closed') {
        socket.destroy();
        return;
      }
      this.#inbound.add(new InboundConnection(socket, this.#host));
    });
    server.on('tlsClientError', (error: Error, socket: tls.TLSSocket) => {
      this.#refused++;
      o.logger.warn(
        { remote: remoteOf(socket), reason: 'tls', error: error.message },
        'refusing inbound connection',
      );
    });
    return server;
  }

  /** The callbacks inbound connections use. */
  #makeHost(): InboundHost {
    return {
      options: this.options,
      isPeer: (id) => this.#links.has(id),
      accepted: (conn) => {
        // Several connections from one peer may coexist (a redial while an old, half-open
        // socket lingers until keep-alive notices): each is read in order, and Raft tolerates
        // the interleaving. A newer one does not evict an older one: without TLS, any client
        // naming a peer could otherwise cut that peer off.
        this.#accepted++;
        this.options.logger.info({ peer: conn.peer, remote: conn.remote }, 'accepted peer connection');
      },
      refused: () => {
        this.#refused++;
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
      rejected: () => {
        this.#rejected++;
      },
      received: (conn, bytes) => {
        const link = conn.peer === null ? undefined : this.#links.get(conn.peer);
        if (link !== undefined) link.counters.bytesReceived += bytes;
        else this.#bytesReceivedUnknown += bytes;
      },
      closed: (conn) => {
        this.#inbound.delete(conn);
      },
    };
  }
}

/** Creates a `TcpTransport` (not started). */
export function createTcpTransport(options: TcpTransportOptions): TcpTransport {
  return new TcpTransport(options);
}
