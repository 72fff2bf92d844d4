/**
 * End to end, sharded: three `kv node --shards 4` processes (the built CLI, `dist/cli.js`) on
 * 127.0.0.1, each a `RaftHost` running the four shards with one SQLite file. Writes to many
 * keys through any node land in the shard their key hashes to (every shard gets some) and
 * read back from every node; the shards' leaders are spread (no node leads them all); after
 * SIGKILL of the node leading the most shards every shard elects a new leader and takes
 * writes again, and once the node is back no acknowledged write is missing on it and it
 * leads shards again. Build first: `npx turbo run build --filter=kv...`.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalCluster, type ShardedStatus, shardOf } from '../src/index.js';
import { fetchStatusJson, waiter } from './helpers/poll.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const SHARDS = 4;
const dir = mkdtempSync(join(tmpdir(), 'kv-sharded-'));
let cluster: LocalCluster;
const logs: string[] = [];
const until = waiter(logs, { timeoutMs: 20_000, everyMs: 50 });
/** Every write a node acknowledged (200): key -> value. */
const acknowledged = new Map<string, string>();
/** Every key a write was sent for (one that timed out may have been applied all the same). */
const attempted = new Set<string>();

const status = (url: string) => fetchStatusJson<ShardedStatus>(url);

/** PUT `key` through `url`; records and returns true on 200, false on any other outcome. */
async function put(url: string, key: string, value: string): Promise<boolean> {
  attempted.add(key);
  try {
    const res = await fetch(`${url}/kv/${encodeURIComponent(key)}`, {
      method: 'PUT',
      body: value,
      signal: AbortSignal.timeout(8000),
    });
    await res.arrayBuffer();
    if (res.status !== 200) return false;
    acknowledged.set(key, value);
    return true;
  } catch {
    return false;
  }
}

async function get(url: string, key: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${url}/kv/${encodeURIComponent(key)}`, { signal: AbortSignal.timeout(8000) });
  return { status: res.status, text: await res.text() };
}

/**
 * A linearizable read of `key` on `url`, asked again while the answer is 503: the node says
 * "not now" (its shard's leader changed during the read, as the leader spreader moves
 * leaders), which says nothing of the key. Any other answer is returned as it is.
 */
async function readBack(url: string, key: string): Promise<{ status: number; text: string }> {
  return until(`an answer other than 503 for ${key} from ${url}`, async () => {
    const got = await get(url, key);
    return got.status === 503 ? undefined : got;
  });
}

/** The statuses of `ids` once each answers and every shard has a leader all of them agree on. */
async function settled(ids: number[]): Promise<ShardedStatus[]> {
  return until(`every shard led, as nodes ${ids.join(', ')} agree`, async () => {
    const all = await Promise.all(ids.map((id) => status(cluster.node(id).url)));
    if (all.some((s) => s === null || s.leaderless > 0)) return undefined;
    const statuses = all as ShardedStatus[];
    for (let i = 0; i < SHARDS; i++) {
      const leader = statuses[0]!.shards[i]!.leader;
      if (leader === null || !ids.includes(leader)) return undefined;
      if (!statuses.every((s) => s.shards[i]!.leader === leader)) return undefined;
    }
    return statuses;
  });
}

/** A key of shard `shard`, unused so far. */
function keyOf(shard: number, tag: string): string {
  for (let i = 0; ; i++) {
    const key = `${tag}-${i}`;
    if (shardOf(key, SHARDS) === shard && !attempted.has(key)) return key;
  }
}

beforeAll(async () => {
  if (!existsSync(CLI))
    throw new Error(`${CLI} is missing: build first (npx turbo run build --filter=kv...)`);
  cluster = await LocalCluster.start({
    dir,
    shards: SHARDS,
    tickIntervalMs: 50,
    logLevel: 'warn',
    command: { file: process.execPath, args: [CLI] },
    onLog: (id, line) => logs.push(`[n${id}] ${line}`),
  });
}, 30_000);

afterAll(async () => {
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('kv --shards 4, three processes', () => {
  it('writes to many keys through any node land in every shard and read back from every node', async () => {
    // init
    await settled([1, 2, 3]);
    const nodes = cluster.nodes;
    // act: 40 keys, written round-robin through the three nodes
    const keys = Array.from({ length: 40 }, (_, i) => `key-${i}`);
    for (const [i, key] of keys.entries()) {
      const via = nodes[i % nodes.length]!.url;
      await until(`PUT ${key}`, () => put(via, key, `value of ${key}`));
    }
    // check: each shard on each node holds exactly the keys that hash to it
    const expected = Array.from(
      { length: SHARDS },
      (_, s) => keys.filter((k) => shardOf(k, SHARDS) === s + 1).length,
    );
    expect(Math.min(...expected)).toBeGreaterThan(0);
    for (const n of nodes) {
      const s = await until(`node ${n.id} applied every key`, async () => {
        const st = await status(n.url);
        return st !== null && st.keys === keys.length ? st : undefined;
      });
      expect(s.shards.map((v) => v.keys)).toEqual(expected);
      expect(s.shardCount).toBe(SHARDS);
      expect(s.host.groups).toBe(SHARDS);
      expect(s.host.walSyncs).toBeGreaterThan(0);
    }
    // check: every key reads back from every node (a linearizable read of its shard)
    for (const n of nodes) {
      for (const key of keys) {
        const got = await readBack(n.url, key);
        expect(got.status).toBe(200);
        expect(got.text).toBe(`value of ${key}`);
      }
    }
  }, 45_000);

  it('spreads the shard leaders over the nodes', async () => {
    // act: the nodes' leader spreaders run every 20 ticks (1 s here)
    const statuses = await until('no node leads more than its share', async () => {
      const all = await settled([1, 2, 3]);
      const led = Object.values(all[0]!.leaders);
      return Math.max(...led) <= Math.ceil(SHARDS / 3) ? all : undefined;
    });
    // check: at least two nodes lead shards, none leads them all
    const led = Object.values(statuses[0]!.leaders);
    expect(led.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...led)).toBeLessThan(SHARDS);
  }, 30_000);

  it('after SIGKILL of a node every shard takes writes again, and no acknowledged write is lost', async () => {
    // init: the node leading the most shards
    const before = await settled([1, 2, 3]);
    const led = before[0]!.leaders;
    const victim = Number(Object.keys(led).reduce((a, b) => ((led[a] ?? 0) >= (led[b] ?? 0) ? a : b)));
    expect(led[String(victim)]).toBeGreaterThan(0);
    const survivors = cluster.nodes.filter((n) => n.id !== victim);
    // act: writes keep coming through the survivors while the victim is killed (-9)
    let writing = true;
    let tag = 0;
    const writer = (async () => {
      while (writing) {
        const shard = (tag % SHARDS) + 1;
        await put(survivors[tag % survivors.length]!.url, keyOf(shard, `during-${tag}`), `w${tag}`);
        tag++;
      }
    })();
    await new Promise((r) => setTimeout(r, 200));
    await cluster.kill(victim, 'SIGKILL');
    // check: every shard elects a leader among the survivors and takes a write through each of them
    await settled(survivors.map((n) => n.id));
    for (let shard = 1; shard <= SHARDS; shard++) {
      for (const n of survivors) {
        const key = keyOf(shard, `after-kill-n${n.id}`);
        await until(`a write to shard ${shard} through node ${n.id}`, () => put(n.url, key, `after ${key}`));
      }
    }
    writing = false;
    await writer;
    // act: the victim comes back on its data
    await cluster.startNode(victim);
    await settled([1, 2, 3]);
    // check: the restarted node has every acknowledged write (read on it: its shards caught up)
    const back = cluster.node(victim).url;
    for (const [key, value] of acknowledged) {
      const got = await readBack(back, key);
      expect({ key, status: got.status, text: got.text }).toEqual({ key, status: 200, text: value });
    }
    // check: and nothing that was never written (a write whose answer was lost may be there)
    const s = await status(back);
    expect(s!.keys).toBeGreaterThanOrEqual(acknowledged.size);
    expect(s!.keys).toBeLessThanOrEqual(attempted.size);
    // check: leadership spreads to the restarted node again (it led none when it came back)
    await until('the restarted node leading a shard', async () => {
      const st = await status(back);
      return st !== null && st.leaderless === 0 && (st.leaders[String(victim)] ?? 0) >= 1;
    });
  }, 60_000);
});
