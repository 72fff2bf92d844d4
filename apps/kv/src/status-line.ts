/**
 * The one-line cluster status of `kv cluster`: each node's `/status` fetched over HTTP and
 * folded into `leader 2 term 3 | n1 follower commit 12 | n2 leader commit 12 | n3 down`.
 */
import http from 'node:http';

export interface NodeStatus {
  readonly id: number;
  readonly role: string;
  readonly term: number;
  readonly leader: number | null;
  readonly commitIndex: number;
  readonly appliedIndex: number;
}

/**
 * GET `url/status` (with `Authorization: Bearer <statusToken>` when given), or null if the
 * node does not answer 200 within `timeoutMs`.
 */
export function fetchStatus(url: string, timeoutMs = 1000, statusToken?: string): Promise<NodeStatus | null> {
  return new Promise((resolve) => {
    const headers = statusToken === undefined ? {} : { authorization: `Bearer ${statusToken}` };
    const req = http.get(`${url}/status`, { timeout: timeoutMs, agent: false, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => {
        try {
          resolve(res.statusCode === 200 ? (JSON.parse(body) as NodeStatus) : null);
        } catch {
          resolve(null);
        }
      });
      res.on('error', () => resolve(null));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
  });
}

export function formatStatusLine(ids: readonly number[], statuses: readonly (NodeStatus | null)[]): string {
  const up = statuses.filter((s): s is NodeStatus => s !== null);
  const leader = up.find((s) => s.role === 'leader');
  const term = Math.max(0, ...up.map((s) => s.term));
  const head = leader ? `leader n${leader.id} term ${leader.term}` : `no leader (term ${term})`;
  const parts = ids.map((id, i) => {
    const s = statuses[i];
    return s ? `n${id} ${s.role} commit ${s.commitIndex}` : `n${id} down`;
  });
  return [head, ...parts].join(' | ');
}

/** What the one-line status reads of a sharded node's `/status` (see `ShardedStatus`). */
export interface ShardedNodeStatus {
  readonly id: number;
  readonly shardCount: number;
  /** Shards led by each node, as this node knows the leaders. */
  readonly leaders: Readonly<Record<string, number>>;
  readonly leaderless: number;
}

/**
 * The status line of a sharded cluster, from the first node that answers:
 * `4 shards | n1 leads 2 | n2 leads 1 | n3 leads 1` (`n3 down` for a node that does not answer,
 * `, 1 leaderless` while shards elect).
 */
export function formatShardedStatusLine(
  ids: readonly number[],
  statuses: readonly (ShardedNodeStatus | null)[],
): string {
  const seen = statuses.find((s): s is ShardedNodeStatus => s !== null);
  if (seen === undefined) return ids.map((id) => `n${id} down`).join(' | ');
  const head = `${seen.shardCount} shards${seen.leaderless > 0 ? `, ${seen.leaderless} leaderless` : ''}`;
  const parts = ids.map((id, i) =>
    statuses[i] ? `n${id} leads ${seen.leaders[String(id)] ?? 0}` : `n${id} down`,
  );
  return [head, ...parts].join(' | ');
}
