/**
 * One node of a sharded kv (`kv node --shards N`): a `RaftHost` (one TCP transport, one
 * SQLite file `raft-groups.sqlite` under `dataDir`, one clock) running N Raft groups, the
 * shards 1..N, each with its own `KvStateMachine`; every node is a voter of every shard. In
 * front, the same HTTP API as a single-group node, with each key routed to its shard
 * (`shard-hash.ts`): a write is proposed on this node's member of the key's shard, which
 * forwards it to that shard's leader; a read is a ReadIndex read of that shard. A
 * `LeaderSpreader` keeps the shards' leaders spread over the nodes.
 *
 * Not served in sharded mode: the cluster view and its event stream, the membership API,
 * backups and the launcher's routes (they speak of one group). The membership is fixed:
 * the node and its `peers`.
 */
import { type NodeId, type PeerAddress, RaftError, type RaftGroup, RaftHost } from 'raft-io';
import type { BodyBudgetStats } from './body-budget.js';
import { KvApi } from './http-api.js';
import { resolveHttpLimits } from './http-limits.js';
import { type HttpConnectionStats, KvHttpServer } from './http-server.js';
import type { KvNodeOptions } from './kv-node.js';
import { type KvResult, KvStateMachine } from './kv-state-machine.js';
import { LeaderSpreader } from './leader-spreader.js';
import { PromMetrics } from './prom-metrics.js';
import { checkShardCount, shardOf } from './shard-hash.js';
import { type ShardedStatus, shardedStatusView } from './sharded-status.js';
import { StatusToken } from './status-token.js';

/** The data directory holds shards other than 1..N: it was made with another `--shards`. */
export class ShardCountMismatchError extends RaftError {
  constructor(
    readonly expected: number,
    readonly stored: readonly number[],
  ) {
    super(
      'SHARD_COUNT_MISMATCH',
      `the data directory holds shards ${describe(stored)}, not 1..${expected}: start the node with the ` +
        'shard count it was created with (keys are hashed to shards, so the count cannot change)',
    );
  }
}

function describe(ids: readonly number[]): string {
  const sorted = [...ids].sort((a, b) => a - b);
  return sorted.length > 8 ? `${sorted.slice(0, 8).join(', ')}, ... (${sorted.length})` : sorted.join(', ');
}

/**
 * A sharded node's options: those of a single-group node (`KvNodeOptions`; `dataDir` holds the
 * node's one SQLite file of every shard's log, `snapshotEveryEntries` counts per shard, and
 * every peer and this node are voters of every shard), without joining or a launcher link.
 */
export interface ShardedKvNodeOptions extends Omit<KvNodeOptions, 'join' | 'launcher'> {
  /** Number of shards: an integer from 1 to 1024 (`MAX_SHARDS`). */
  readonly shards: number;
  /** Time between two passes of leader spreading, in ms. Default 20 ticks. */
  readonly balanceEveryMs?: number;
}

export interface ShardedKvNode {
  readonly id: NodeId;
  readonly host: RaftHost;
  /** The shards, in order: `groups[i]` is shard `i + 1`. */
  readonly groups: readonly RaftGroup<KvResult>[];
  /** `http://host:port` of the API. */
  readonly url: string;
  /** Where the Raft transport listens. */
  readonly raft: PeerAddress;
  /** The `/status` body. */
  status(): ShardedStatus;
  httpStats(): HttpConnectionStats & { readonly bodies: BodyBudgetStats };
  close(): Promise<void>;
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export async function startShardedKvNode(options: ShardedKvNodeOptions): Promise<ShardedKvNode> {
  const { id, logger } = options;
  // Check everything before anything starts.
  const count = checkShardCount(options.shards);
  const limits = resolveHttpLimits(options.httpLimits);
  const statusToken = options.statusToken === undefined ? undefined : new StatusToken(options.statusToken);
  const tickIntervalMs = options.tickIntervalMs ?? 100;
  const metrics = new PromMetrics({ node: String(id) });
  const host = new RaftHost({
    id,
    dataDir: options.dataDir,
    tcp: {
      ...options.security,
      clusterId: options.clusterId ?? 1,
      listen: options.raft,
      peers: Object.fromEntries(options.peers.map((p) => [p.id, p.raft])),
    },
    tickIntervalMs,
    logger,
  });
  await host.start();
  const shardIds = Array.from({ length: count }, (_, i) => i + 1);
  const voters = [id, ...options.peers.map((p) => p.id)].sort((a, b) => a - b);
  const machines = shardIds.map(() => new KvStateMachine());
  let groups: RaftGroup<KvResult>[];
  try {
    const stored = host.storedGroups();
    if (stored.length > 0 && (stored.length !== count || stored.some((g) => g < 1 || g > count)))
      throw new ShardCountMismatchError(count, stored);
    groups = await host.createGroups<KvResult>(shardIds, (shard) => ({
      voters,
      stateMachine: machines[shard - 1]!,
      ...(options.snapshotEveryEntries !== undefined
        ? { snapshotEveryEntries: options.snapshotEveryEntries }
        : {}),
    }));
  } catch (error) {
    await host.close();
    throw error;
  }
  const memberUrls = new Map<NodeId, string>(options.peers.map((p) => [p.id, p.url]));
  const replicas = groups.map((replica, i) => ({ replica, stateMachine: machines[i]! }));
  const status = (): ShardedStatus =>
    shardedStatusView(
      id,
      groups.map((g, i) => ({ shard: i + 1, status: g.status(), keys: machines[i]!.size })),
      host.stats(),
      memberUrls,
    );
  const api = new KvApi({
    id,
    keyspace: { replicaOf: (key) => replicas[shardOf(key, count) - 1]! },
    status: () => status() as unknown as Record<string, unknown>,
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
    await host.close();
    throw error;
  }
  const httpStats = () => ({ ...http.stats(), bodies: api.bodyStats() });
  metrics.trackHttp(httpStats);
  const url = `http://${hostForUrl(options.http.host)}:${http.port}`;
  memberUrls.set(id, url);
  const spreader = new LeaderSpreader(host, {
    everyMs: options.balanceEveryMs ?? 20 * tickIntervalMs,
    logger,
  });
  spreader.start();
  let closing: Promise<void> | undefined;
  return {
    id,
    host,
    groups,
    url,
    raft: host.address() ?? options.raft,
    status,
    httpStats,
    close() {
      closing ??= (async () => {
        await spreader.close();
        await http.close();
        api.close();
        await host.close();
      })();
      return closing;
    },
  };
}
