/**
 * The node:http server of a kv node, configured from `HttpLimits`:
 *
 * - `maxConnections` is Node's `server.maxConnections` (a connection beyond it is destroyed
 *   as soon as it is accepted; counted as dropped);
 * - `headersTimeoutMs` is Node's `headersTimeout`: a connection that has not sent complete
 *   headers within it, from its first byte or from its opening, gets 408 and is closed. Node
 *   checks every `connectionsCheckingInterval`, which is set to a quarter of the headers
 *   timeout (between 10 ms and 1 s) instead of Node's 30 s, so a slowloris connection lives
 *   at most 1.25 times the headers timeout;
 * - the body and the answer are under the API's own request deadline (see `KvApi`); Node's
 *   `requestTimeout` (headers plus request timeout) is only the backstop for a body nobody
 *   reads;
 * - `keepAliveTimeoutMs` is Node's `keepAliveTimeout`;
 * - a connection with no traffic either way for `headersTimeoutMs + requestTimeoutMs` (a
 *   client that stopped reading its answer) is closed (`server.timeout`).
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PeerAddress } from 'raft-io';
import type { HttpLimits } from './http-limits.js';

/** Connection counters of a `KvHttpServer`. */
export interface HttpConnectionStats {
  /** Open connections now. */
  readonly connections: number;
  /** The most connections open at once. Never above `maxConnections`. */
  readonly peakConnections: number;
  /** Connections closed at once because `maxConnections` were open. */
  readonly droppedConnections: number;
}

export class KvHttpServer {
  private open = 0;
  private peak = 0;
  private dropped = 0;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly server: http.Server,
    /** The port the server listens on. */
    readonly port: number,
  ) {
    server.on('connection', (socket) => {
      this.open++;
      if (this.open > this.peak) this.peak = this.open;
      socket.once('close', () => {
        this.open--;
      });
    });
    server.on('drop', () => {
      this.dropped++;
    });
  }

  /** Create the server with `limits` and listen on `address` (port 0: any free port). */
  static async listen(
    handler: (req: IncomingMessage, res: ServerResponse) => void,
    limits: HttpLimits,
    address: PeerAddress,
  ): Promise<KvHttpServer> {
    const server = http.createServer(
      {
        headersTimeout: limits.headersTimeoutMs,
        requestTimeout: limits.headersTimeoutMs + limits.requestTimeoutMs,
        connectionsCheckingInterval: Math.min(1000, Math.max(10, Math.floor(limits.headersTimeoutMs / 4))),
      },
      handler,
    );
    server.maxConnections = limits.maxConnections;
    server.keepAliveTimeout = limits.keepAliveTimeoutMs;
    server.timeout = limits.headersTimeoutMs + limits.requestTimeoutMs;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: address.host, port: address.port }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new KvHttpServer(server, (server.address() as AddressInfo).port);
  }

  stats(): HttpConnectionStats {
    return { connections: this.open, peakConnections: this.peak, droppedConnections: this.dropped };
  }

  /** Stop listening and close every connection. Idempotent. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    return this.closing;
  }
}
