/**
 * The `/status` body of a sharded kv node: this node, the members, how many shards each node
 * leads (as this node knows the leaders), every shard's state on this node (role, term,
 * leader, commit and applied index, keys), and the host's counters (`RaftHostStats`: log
 * writes and WAL fsyncs shared by every shard, frames, awake and quiesced groups).
 */
import type { NodeId, RaftHostStats, RaftServerStatus } from 'raft-io';
import { groupView, membersOf } from './status-view.js';

/** One shard as this node sees it. */
export interface ShardView {
  readonly shard: number;
  readonly role: string;
  readonly term: number;
  readonly leader: NodeId | null;
  readonly leaderUrl: string | null;
  readonly commitIndex: number;
  readonly appliedIndex: number;
  readonly keys: number;
}

/** The `/status` body of a sharded node (see `shardedStatusView`). */
export interface ShardedStatus {
  readonly id: NodeId;
  readonly url: string | null;
  readonly sharded: true;
  readonly shardCount: number;
  /** Keys in every shard on this node. */
  readonly keys: number;
  /** Shards led by each node (by id), as this node knows the leaders. */
  readonly leaders: Record<string, number>;
  /** Shards with no leader known to this node. */
  readonly leaderless: number;
  readonly members: ReturnType<typeof membersOf>['members'];
  readonly host: RaftHostStats;
  readonly shards: ShardView[];
}

/** A shard's state and key count on this node. */
export interface ShardState {
  readonly shard: number;
  readonly status: RaftServerStatus;
  readonly keys: number;
}

export function shardedStatusView(
  id: NodeId,
  shards: readonly ShardState[],
  host: RaftHostStats,
  urls: ReadonlyMap<NodeId, string>,
): ShardedStatus {
  const leaders: Record<string, number> = {};
  for (const member of urls.keys()) leaders[String(member)] = 0;
  let leaderless = 0;
  let keys = 0;
  const views = shards.map(({ shard, status: s, keys: n }): ShardView => {
    keys += n;
    if (s.leader === null) leaderless++;
    else leaders[String(s.leader)] = (leaders[String(s.leader)] ?? 0) + 1;
    return { shard, ...groupView(s, urls), keys: n };
  });
  return {
    id,
    url: urls.get(id) ?? null,
    sharded: true,
    shardCount: shards.length,
    keys,
    leaders,
    leaderless,
    members: membersOf(shards[0]?.status.membership as unknown, urls).members,
    host,
    shards: views,
  };
}
