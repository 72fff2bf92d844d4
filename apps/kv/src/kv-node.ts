/**
 * One kv node: a `RaftServer` (SQLite log under `dataDir`, TCP transport) driving a
 * `KvStateMachine`, and the HTTP API in front of it (under `HttpLimits`, optionally with a
 * status token), with prom-client metrics.
 */
import { createRaftServer, type Logger, type NodeId, type PeerAddress, type RaftServer } from 'raft-io';
import type { PeerSpec } from './addresses.js';
import type { BodyBudgetStats } from './body-budget.js';
import { KvApi } from './http-api.js';
import { type HttpLimits, resolveHttpLimits } from './http-limits.js';
import { type HttpConnectionStats, KvHttpServer } from './http-server.js';
import { type KvResult, KvStateMachine } from './kv-state-machine.js';
import { PromMetrics } from './prom-metrics.js';
import type { RaftSecurity } from './raft-security.js';
import { StatusToken } from './status-token.js';

export interface KvNodeOptions {
  /** This node's id. */
  readonly id: NodeId;
  /** Where the HTTP API listens (port 0: any free port). */
  readonly http: PeerAddress;
  /** Where the Raft transport listens (port 0: any free port, then peers cannot find it: demo use only). */
  readonly raft: PeerAddress;
  /** The other members: Raft address and HTTP URL. */
  readonly peers: readonly PeerSpec[];
  /** Directory of the node's SQLite log. */
  readonly dataDir: string;
  /** Cluster id on every Raft frame. Default 1. */
  readonly clusterId?: number;
  /** Milliseconds per Raft tick (election timeout 10 to 20 ticks). Default 100. */
  readonly tickIntervalMs?: number;
  /** Take a snapshot every this many applied commands. Default 10000. */
  readonly snapshotEveryEntries?: number;
  /** Connection cap, timeouts, body limit and body budget of the HTTP API (see `HttpLimits`). */
  readonly httpLimits?: Partial<HttpLimits>;
  /**
   * When set, `/status` and `/metrics` need `Authorization: Bearer <statusToken>` (at least
   * 16 printable characters). Default: none, those endpoints are open.
   */
  readonly statusToken?: string;
  /**
   * How Raft peers authenticate: a cluster secret, mutual TLS, or neither (loopback only
   * unless `insecure`). Default: neither.
   */
  readonly security?: RaftSecurity;
  /**
   * Start as a new member of an existing cluster (no voters of its own: it never campaigns
   * and waits to be added by the leader). Default false: the voters are this node and `peers`.
   */
  readonly join?: boolean;
  readonly logger: Logger;
}

export interface KvNode {
  readonly id: NodeId;
  readonly server: RaftServer<KvResult>;
  readonly stateMachine: KvStateMachine;
  /** `http://host:port` of the API. */
  readonly url: string;
  /** Where the Raft transport listens. */
  readonly raft: PeerAddress;
  /** Counters of the HTTP server: connections, and body bytes held under the budget. */
  httpStats(): KvHttpStats;
  close(): Promise<void>;
}

export interface KvHttpStats extends HttpConnectionStats {
  readonly bodies: BodyBudgetStats;
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export async function startKvNode(options: KvNodeOptions): Promise<KvNode> {
  const { id, logger } = options;
  // Check the HTTP options before anything starts.
  const limits = resolveHttpLimits(options.httpLimits);
  const statusToken = options.statusToken === undefined ? undefined : new StatusToken(options.statusToken);
  const stateMachine = new KvStateMachine();
  const metrics = new PromMetrics({ node: String(id) });
  const peers: Record<number, PeerAddress> = {};
  for (const p of options.peers) peers[p.id] = p.raft;
  const server = await createRaftServer<KvResult>({
    id,
    voters: options.join ? [] : [id, ...options.peers.map((p) => p.id)],
    dataDir: options.dataDir,
    stateMachine,
    tcp: { ...options.security, clusterId: options.clusterId ?? 1, listen: options.raft, peers },
    tickIntervalMs: options.tickIntervalMs ?? 100,
    ...(options.snapshotEveryEntries !== undefined
      ? { snapshotEveryEntries: options.snapshotEveryEntries }
      : {}),
    logger,
    metrics,
  });
  const memberUrls = new Map<NodeId, string>(options.peers.map((p) => [p.id, p.url]));
  const api = new KvApi({
    server,
    stateMachine,
    memberUrls,
    metrics,
    logger,
    limits,
    ...(statusToken ? { statusToken } : {}),
  });
  let http: KvHttpServer;
  try {
    http = await KvHttpServer.listen(api.handler, limits, options.http);
  } catch (error) {
    api.close();
    await server.close();
    throw error;
  }
  const httpStats = (): KvHttpStats => ({ ...http.stats(), bodies: api.bodyStats() });
  metrics.trackHttp(httpStats);
  const url = `http://${hostForUrl(options.http.host)}:${http.port}`;
  memberUrls.set(id, url);
  let closing: Promise<void> | undefined;
  return {
    id,
    server,
    stateMachine,
    url,
    raft: server.address() ?? options.raft,
    httpStats,
    close() {
      closing ??= (async () => {
        await http.close();
        api.close();
        await server.close();
      })();
      return closing;
    },
  };
}
