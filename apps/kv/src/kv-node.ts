/**
 * One kv node: a `RaftServer` (SQLite log under `dataDir`, TCP transport) driving a
 * `KvStateMachine`, and the HTTP API in front of it (under `HttpLimits`, optionally with a
 * status token), with prom-client metrics.
 *
 * Where the members are is replicated in raft-io's membership: each member's Raft address,
 * and its HTTP URL as the member's metadata. A new cluster's members state theirs once
 * (`peers`, and this node's own); a node added later brings its own in the membership
 * change; every node reads the URLs of the others from the membership in force.
 */
import {
  createRaftServer,
  formatAddress,
  type Logger,
  type Membership,
  type NodeId,
  type PeerAddress,
  type RaftServer,
  TcpTransport,
} from 'raft-io';
import type { PeerSpec } from './addresses.js';
import { backupRoute } from './backup-api.js';
import type { BodyBudgetStats } from './body-budget.js';
import { type ApiRoute, KvApi } from './http-api.js';
import { type HttpLimits, resolveHttpLimits } from './http-limits.js';
import { type HttpConnectionStats, KvHttpServer } from './http-server.js';
import { type KvResult, KvStateMachine } from './kv-state-machine.js';
import { LauncherHook } from './launcher-hook.js';
import type { LauncherLink } from './launcher-protocol.js';
import { LiveFeed } from './live-feed.js';
import { liveState } from './live-state.js';
import { membershipRoute } from './membership-api.js';
import { PromMetrics } from './prom-metrics.js';
import { FilteredTransport } from './raft-filter.js';
import type { RaftSecurity } from './raft-security.js';
import { StatusToken } from './status-token.js';
import { statusView } from './status-view.js';
import { viewRoute } from './view-assets.js';

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
   * and waits to be added by the leader; `peers` are the current members, dialled until the
   * membership arrives). Default false: the voters are this node and `peers`.
   */
  readonly join?: boolean;
  /**
   * The launcher that started this node (`kv cluster`): enables the launcher's routes (pushed
   * partitions and process states, and the page's stop / start / pause / partition relayed
   * to the launcher; see `launcher-protocol.ts`). Default: none, no such routes.
   */
  readonly launcher?: LauncherLink;
  readonly logger: Logger;
}

export interface KvNode {
  readonly id: NodeId;
  readonly server: RaftServer<KvResult>;
  readonly stateMachine: KvStateMachine;
  /** The Raft transport behind its partition filter. */
  readonly transport: FilteredTransport;
  /** The live view's event stream of this node. */
  readonly feed: LiveFeed;
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

/** Bring `urls` in line with the membership: every member's URL from its metadata. */
function syncMemberUrls(urls: Map<NodeId, string>, membership: Membership, self: NodeId): void {
  const members = new Set([...membership.voters, ...membership.learners, ...membership.outgoingVoters]);
  for (const [id, info] of Object.entries(membership.info ?? {})) {
    if (info.metadata?.startsWith('http')) urls.set(Number(id), info.metadata);
  }
  // Members that left are forgotten (a node that knows no voter yet keeps its bootstrap URLs).
  if (membership.voters.length === 0) return;
  for (const id of [...urls.keys()]) if (id !== self && !members.has(id)) urls.delete(id);
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
  // This node's own URL, as the other members will reach it (a port of 0 is known only once
  // listening: then the others learn it from their own --peers).
  const ownUrl =
    options.http.port === 0 ? undefined : `http://${hostForUrl(options.http.host)}:${options.http.port}`;
  const voters = Object.fromEntries([
    [
      id,
      {
        ...(options.raft.port === 0 ? {} : { address: formatAddress(options.raft) }),
        ...(ownUrl ? { metadata: ownUrl } : {}),
      },
    ],
    ...options.peers.map((p) => [p.id, { address: formatAddress(p.raft), metadata: p.url }]),
  ]);
  // The node builds its transport itself to put the partition filter in front of it.
  const transport = new FilteredTransport(
    new TcpTransport({
      ...options.security,
      id,
      clusterId: options.clusterId ?? 1,
      listen: options.raft,
      peers,
      logger,
    }),
  );
  const server = await createRaftServer<KvResult>({
    id,
    // A new cluster's members with their Raft addresses and URLs (replicated from then on).
    voters: options.join ? [] : voters,
    // Bootstrap addresses: where the members are until the membership says (a joining node).
    peerAddresses: Object.fromEntries(options.peers.map((p) => [p.id, formatAddress(p.raft)])),
    dataDir: options.dataDir,
    stateMachine,
    transport,
    // The log records which node of which cluster it is (the transport is ours, so say it here).
    sqlite: { groupCommit: true, identity: { nodeId: id, clusterId: options.clusterId ?? 1 } },
    tickIntervalMs: options.tickIntervalMs ?? 100,
    ...(options.snapshotEveryEntries !== undefined
      ? { snapshotEveryEntries: options.snapshotEveryEntries }
      : {}),
    logger,
    metrics,
  });
  const memberUrls = new Map<NodeId, string>(options.peers.map((p) => [p.id, p.url]));
  syncMemberUrls(memberUrls, server.status().membership, id);
  server.on('membership', (membership) => syncMemberUrls(memberUrls, membership, id));
  let feed: LiveFeed | undefined;
  const hook =
    options.launcher === undefined
      ? null
      : new LauncherHook(options.launcher, transport, (blocked) =>
          feed?.add(
            'partition',
            blocked.length === 0
              ? 'partition healed: Raft traffic flows again'
              : `partitioned: drops Raft traffic with ${blocked.map((b) => `n${b}`).join(' ')}`,
          ),
        );
  feed = new LiveFeed(server as RaftServer<unknown>, () =>
    liveState({
      server: server as RaftServer<unknown>,
      transport,
      memberUrls,
      keys: () => stateMachine.size,
      processes: () => (hook === null ? null : hook.processes()),
    }),
  );
  const liveFeed = feed;
  const eventsRoute: ApiRoute = {
    name: 'events',
    matches: (path) => path === '/events',
    handle(r) {
      r.allow(['GET']);
      r.authorize();
      r.req.resume();
      liveFeed.subscribe(r.res);
    },
  };
  const routes: ApiRoute[] = [
    viewRoute(memberUrls),
    eventsRoute,
    membershipRoute({ server: server as RaftServer<unknown>, memberUrls }),
    backupRoute(server as RaftServer<unknown>),
    ...(hook?.routes() ?? []),
  ];
  // Whether the odd membership shape was logged already (it is logged once, not per request).
  let membershipWarned = false;
  const status = (): Record<string, unknown> => {
    const s = server.status();
    const body = statusView(s, memberUrls, stateMachine.size);
    if (body.membershipMalformed === true && !membershipWarned) {
      membershipWarned = true;
      logger.warn(
        { membership: s.membership },
        'the membership has an unexpected shape; /status lists its valid ids only',
      );
    }
    return body;
  };
  const replica = { replica: server, stateMachine };
  const api = new KvApi({
    id,
    keyspace: { replicaOf: () => replica },
    status,
    memberUrls,
    metrics,
    logger,
    limits,
    routes,
    ...(statusToken ? { statusToken } : {}),
  });
  let http: KvHttpServer;
  try {
    http = await KvHttpServer.listen(api.handler, limits, options.http);
  } catch (error) {
    liveFeed.close();
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
    transport,
    feed: liveFeed,
    url,
    raft: server.address() ?? options.raft,
    httpStats,
    close() {
      closing ??= (async () => {
        liveFeed.close();
        await http.close();
        api.close();
        await server.close();
      })();
      return closing;
    },
  };
}
