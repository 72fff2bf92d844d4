/**
 * One kv node: a `RaftServer` (SQLite log under `dataDir`, TCP transport) driving a
 * `KvStateMachine`, and the HTTP API in front of it, with prom-client metrics.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRaftServer, type Logger, type NodeId, type PeerAddress, type RaftServer } from 'raft-io';
import type { PeerSpec } from './addresses.js';
import { KvApi } from './http-api.js';
import { type KvResult, KvStateMachine } from './kv-state-machine.js';
import { PromMetrics } from './prom-metrics.js';

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
  /** Largest request body, in bytes. Default 1 MiB. */
  readonly maxBodyBytes?: number;
  /** Deadline of one HTTP request, in ms. Default 5000. */
  readonly requestTimeoutMs?: number;
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
  close(): Promise<void>;
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export async function startKvNode(options: KvNodeOptions): Promise<KvNode> {
  const { id, logger } = options;
  const stateMachine = new KvStateMachine();
  const metrics = new PromMetrics({ node: String(id) });
  const peers: Record<number, PeerAddress> = {};
  for (const p of options.peers) peers[p.id] = p.raft;
  const server = await createRaftServer<KvResult>({
    id,
    voters: options.join ? [] : [id, ...options.peers.map((p) => p.id)],
    dataDir: options.dataDir,
    stateMachine,
    tcp: { clusterId: options.clusterId ?? 1, listen: options.raft, peers },
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
    ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
    ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
  });
  const httpServer = http.createServer(api.handler);
  httpServer.keepAliveTimeout = 5000;
  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen({ host: options.http.host, port: options.http.port }, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await server.close();
    throw error;
  }
  const bound = httpServer.address() as AddressInfo;
  const url = `http://${hostForUrl(options.http.host)}:${bound.port}`;
  memberUrls.set(id, url);
  let closing: Promise<void> | undefined;
  return {
    id,
    server,
    stateMachine,
    url,
    raft: server.address() ?? options.raft,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          httpServer.close(() => resolve());
          httpServer.closeAllConnections();
        });
        api.close();
        await server.close();
      })();
      return closing;
    },
  };
}
