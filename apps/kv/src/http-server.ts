/**
 * The node:http server of a kv node, configured from `HttpLimits`:
 *
 * - `maxConnections` is Node's `server.maxConnections` (a connection beyond it is destroyed
 *   as soon as it is accepted; counted as dropped);
 * - a connection with more than `maxPipelinedRequests` requests in flight is destroyed
 *   (counted) before the extra request reaches the API;
 * - `headersTimeoutMs` is Node's `headersTimeout`: a connection that has not sent complete
 *   headers within it, from its first byte or from its opening, gets 408 and is closed. Node
 *   checks every `connectionsCheckingInterval`, which is set to a quarter of the headers
 *   timeout (between 10 ms and 1 s) instead of Node's 30 s, so a slowloris connection lives
 *   at most 1.25 times the headers timeout;
 * - the body and the answer are under the API's own request deadline (see `KvApi`); Node's
 *   `requestTimeout` (headers plus request timeout) is only the backstop for a body nobody
 *   reads;
 * - `keepAliveTimeoutMs` is Node's `keepAliveTimeout` (Node closes the idle connection about
 *   1 s after it, a grace for requests already on their way);
 * - a connection with no traffic either way for `headersTimeoutMs + requestTimeoutMs` (a
 *   client that stopped reading its answer) is closed (`server.timeout`).
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { PeerAddress } from 'raft-io';
import type { HttpLimits } from './http-limits.js';

/** Connection and request counters of a `KvHttpServer`. */
export interface HttpConnectionStats {
  /** Open connections now. */
  readonly connections: number;
  /** The most connections open at once. Never above `maxConnections`. */
  readonly peakConnections: number;
  /** Connections closed at once because `maxConnections` were open. */
  readonly droppedConnections: number;
  /** Requests being served now. */
  readonly requestsInFlight: number;
  /** The most requests served at once. */
  readonly peakRequestsInFlight: number;
  /** Connections closed for having more than `maxPipelinedRequests` requests in flight. */
  readonly pipeliningClosed: number;
}

export class KvHttpServer {
  private readonly server: http.Server;
  /** Requests in flight on each connection (pipelining). */
  private readonly perSocket = new WeakMap<Socket, number>();
  private open = 0;
  private peak = 0;
  private dropped = 0;
  private requests = 0;
  private peakRequests = 0;
  private pipelining = 0;
  private listening = 0;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly handler: (req: IncomingMessage, res: ServerResponse) => void,
    private readonly limits: HttpLimits,
  ) {
    this.server = http.createServer(
      {
        headersTimeout: limits.headersTimeoutMs,
        requestTimeout: limits.headersTimeoutMs + limits.requestTimeoutMs,
        connectionsCheckingInterval: Math.min(1000, Math.max(10, Math.floor(limits.headersTimeoutMs / 4))),
      },
      (req, res) => this.onRequest(req, res),
    );
    this.server.maxConnections = limits.maxConnections;
    this.server.keepAliveTimeout = limits.keepAliveTimeoutMs;
    this.server.timeout = limits.headersTimeoutMs + limits.requestTimeoutMs;
    this.server.on('connection', (socket) => {
      this.open++;
      if (this.open > this.peak) this.peak = this.open;
      socket.once('close', () => {
        this.open--;
      });
    });
    this.server.on('drop', () => {
      this.dropped++;
    });
  }

  /** Create the server with `limits` and listen on `address` (port 0: any free port). */
  static async listen(
    handler: (req: IncomingMessage, res: ServerResponse) => void,
    limits: HttpLimits,
    address: PeerAddress,
  ): Promise<KvHttpServer> {
    const s = new KvHttpServer(handler, limits);
    await new Promise<void>((resolve, reject) => {
      s.server.once('error', reject);
      s.server.listen({ host: address.host, port: address.port }, () => {
        s.server.off('error', reject);
        resolve();
      });
    });
    s.listening = (s.server.address() as AddressInfo).port;
    return s;
  }

  /** The port the server listens on. */
  get port(): number {
    return this.listening;
  }

  stats(): HttpConnectionStats {
    return {
      connections: this.open,
      peakConnections: this.peak,
      droppedConnections: this.dropped,
      requestsInFlight: this.requests,
      peakRequestsInFlight: this.peakRequests,
      pipeliningClosed: this.pipelining,
    };
  }

  /** Stop listening and close every connection. Idempotent. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    return this.closing;
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const socket = req.socket;
    const onSocket = (this.perSocket.get(socket) ?? 0) + 1;
    if (onSocket > this.limits.maxPipelinedRequests) {
      // No client that reads its answers gets here: browsers, curl and Node's agent do not
      // pipeline. Answering in order would mean waiting for the earlier ones; just close.
      // Requests Node parsed from the same read still arrive here; count the connection once.
      if (!socket.destroyed) this.pipelining++;
      socket.destroy();
      return;
    }
    this.perSocket.set(socket, onSocket);
    this.requests++;
    if (this.requests > this.peakRequests) this.peakRequests = this.requests;
    res.once('close', () => {
      this.perSocket.set(socket, (this.perSocket.get(socket) ?? 1) - 1);
      this.requests--;
    });
    this.handler(req, res);
  }
}
