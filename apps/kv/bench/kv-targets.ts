/**
 * Where a benchmark client sends a key: to the leader of a single-group kv; of a sharded kv,
 * to the node that leads the key's shard (`shardOf`, the store's own hash), as a shard-aware
 * client would, so that a write is not forwarded between nodes. The leaders are read once
 * from a node's `/status`; a shard whose leader moves later is still served (the node asked
 * forwards), only a hop slower.
 */
import { fetchStatus, type ShardedStatus, shardOf } from '../src/index.js';

/** The leader's URL of a single-group kv once every node that answers agrees on it (20 s at most). */
export async function kvLeader(urls: string[]): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const statuses = await Promise.all(urls.map((u) => fetchStatus(u, 1000)));
    const i = statuses.findIndex((s) => s?.role === 'leader');
    if (i >= 0 && statuses.every((s) => s === null || s.leader === statuses[i]!.id)) return urls[i]!;
    if (Date.now() > deadline) throw new Error('no leader');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The `/status` of the first of `urls` that answers, if it is a sharded node's; else null. */
export async function shardedStatus(urls: readonly string[]): Promise<ShardedStatus | null> {
  for (const url of urls) {
    try {
      const res = await fetch(`${url}/status`, { signal: AbortSignal.timeout(2000) });
      if (res.status !== 200) continue;
      const body = (await res.json()) as Partial<ShardedStatus>;
      return body.sharded === true ? (body as ShardedStatus) : null;
    } catch {
      /* the next one */
    }
  }
  return null;
}

/**
 * A function from key to the base URL of its shard's leader (a shard with no leader known:
 * the nodes in turn, by key).
 */
export function shardRoutes(status: ShardedStatus, urls: readonly string[]): (key: string) => string {
  const leaders = status.shards.map((s) => s.leaderUrl);
  return (key) => {
    const shard = shardOf(key, status.shardCount);
    return leaders[shard - 1] ?? urls[shard % urls.length]!;
  };
}

/** Wait (up to `timeoutMs`) until every shard has a leader and none leads more than its share; the last status. */
export async function spreadStatus(
  urls: readonly string[],
  timeoutMs: number,
): Promise<ShardedStatus | null> {
  const deadline = Date.now() + timeoutMs;
  let last: ShardedStatus | null = null;
  for (;;) {
    last = (await shardedStatus(urls)) ?? last;
    if (last !== null && last.leaderless === 0) {
      const most = Math.max(...Object.values(last.leaders));
      if (most <= Math.ceil(last.shardCount / urls.length)) return last;
    }
    if (Date.now() > deadline) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
}
