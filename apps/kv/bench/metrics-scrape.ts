/**
 * The latency breakdown of the kv benchmark: histogram sums and counts scraped from the
 * leader's and a follower's `/metrics` (raft-io's metrics hook through prom-client) before
 * and after a phase, turned into the mean time a put spends in each part of the path.
 */

/** `name` (with the label text, if any) -> value, for every sample line. */
export type Scrape = { leader: Map<string, number>; follower: Map<string, number> | null };

async function fetchMetrics(url: string): Promise<Map<string, number> | null> {
  try {
    const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(2000) });
    const out = new Map<string, number>();
    for (const line of (await res.text()).split('\n')) {
      const m = /^([a-z_]+)(\{[^}]*\})? ([0-9.e+-]+)$/.exec(line);
      if (m) out.set(`${m[1]}${m[2] ?? ''}`, Number(m[3]));
    }
    return out;
  } catch {
    return null;
  }
}

export async function scrape(leader: string, follower: string | null): Promise<Scrape | null> {
  const l = await fetchMetrics(leader);
  if (l === null) return null;
  return { leader: l, follower: follower === null ? null : await fetchMetrics(follower) };
}

/** Sum of the `suffix` lines of metric `name` (a histogram's `_sum`, `_count`; '' for a counter) whose labels contain every `match`. */
function total(
  m: Map<string, number> | null,
  name: string,
  suffix: '_sum' | '_count' | '',
  match: string[] = [],
): number {
  if (m === null) return Number.NaN;
  let sum = 0;
  for (const [key, v] of m) {
    if (!key.startsWith(`${name}${suffix}`)) continue;
    const rest = key.slice(name.length + suffix.length);
    if (rest !== '' && !rest.startsWith('{')) continue;
    if (match.every((x) => rest.includes(x))) sum += v;
  }
  return sum;
}

/** Mean of histogram `name` over the phase, in ms. */
function meanMs(
  before: Map<string, number> | null,
  after: Map<string, number> | null,
  name: string,
  match: string[] = [],
): number {
  const s = total(after, name, '_sum', match) - total(before, name, '_sum', match);
  const c = total(after, name, '_count', match) - total(before, name, '_count', match);
  return c > 0 ? (s / c) * 1000 : Number.NaN;
}

export interface Breakdown {
  httpServer: number;
  propose: number;
  queue: number;
  commit: number;
  apply: number;
  leaderFsync: number;
  followerFsync: number;
}

export function breakdown(before: Scrape, after: Scrape): Breakdown {
  return {
    httpServer: meanMs(before.leader, after.leader, 'kv_http_request_duration_seconds', ['method="PUT"']),
    propose: meanMs(before.leader, after.leader, 'raft_propose_duration_seconds'),
    queue: meanMs(before.leader, after.leader, 'raft_propose_queue_seconds'),
    commit: meanMs(before.leader, after.leader, 'raft_propose_commit_seconds'),
    apply: meanMs(before.leader, after.leader, 'raft_apply_duration_seconds'),
    leaderFsync: meanMs(before.leader, after.leader, 'raft_sync_duration_seconds'),
    followerFsync: meanMs(before.follower, after.follower, 'raft_sync_duration_seconds'),
  };
}

/** The breakdown as table lines; `clientMean` is the client's mean latency of the same phase. */
export function formatBreakdown(b: Breakdown, clientMean: number, ops: number): string[] {
  const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(3).padStart(8) : '       ?');
  const networkAndHops = b.commit - Math.max(b.leaderFsync, b.followerFsync);
  return [
    `  client, mean of ${String(ops).padEnd(6)} puts              ${ms(clientMean)} ms`,
    `  HTTP server, PUT handler (mean)             ${ms(b.httpServer)} ms`,
    `    HTTP parsing, JSON, response outside raft ${ms(b.httpServer - b.propose)} ms`,
    `    RaftServer.propose (mean)                 ${ms(b.propose)} ms`,
    `      driver queue (propose -> stepped)       ${ms(b.queue)} ms`,
    `      commit (stepped -> apply)               ${ms(b.commit)} ms`,
    `        leader fsync (in parallel)            ${ms(b.leaderFsync)} ms`,
    `        follower fsync                        ${ms(b.followerFsync)} ms`,
    `        network and loop hops (the rest)      ${ms(networkAndHops)} ms`,
    `      apply                                   ${ms(b.apply)} ms`,
    `      response (apply -> resolved)            ${ms(b.propose - b.queue - b.commit - b.apply)} ms`,
    `  client stack and loopback (client - server) ${ms(clientMean - b.httpServer)} ms`,
  ];
}

/**
 * The sums of counters `names` (each over its label sets) on `url`'s `/metrics`, in the same
 * order; NaN for each if the node does not answer.
 */
export async function counterTotals(url: string, names: readonly string[]): Promise<number[]> {
  const m = await fetchMetrics(url);
  return names.map((name) => total(m, name, ''));
}
