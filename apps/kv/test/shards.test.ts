/**
 * Sharded mode in one process: the key-to-shard hash is the documented one and stays put
 * (pinned values: a change would strand every stored key in the wrong shard), spreads keys
 * over the shards, and a shard count out of 1..1024 is refused with a typed error (as
 * `--shards` too); a data directory made with one shard count refuses another; three nodes
 * whose shards are all led by one node spread the leaders; the one-line status of a sharded
 * cluster.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from 'raft-io';
import { afterEach, describe, expect, it } from 'vitest';
import {
  checkShardCount,
  fmix32,
  fnv1a32,
  formatShardedStatusLine,
  freePorts,
  jsonLogger,
  parseNodeArgs,
  ShardCountMismatchError,
  type ShardedKvNode,
  shardOf,
  startShardedKvNode,
  UsageError,
} from '../src/index.js';

const encoder = new TextEncoder();
const BASE = ['--id', '1', '--http', '127.0.0.1:0', '--raft', '127.0.0.1:0', '--data', '/tmp/kv-args'];

describe('the key-to-shard hash', () => {
  it('is 32-bit FNV-1a (its published test vectors) finished with murmur3 fmix32', () => {
    expect(fnv1a32(encoder.encode(''))).toBe(0x811c9dc5);
    expect(fnv1a32(encoder.encode('a'))).toBe(0xe40c292c);
    expect(fnv1a32(encoder.encode('foobar'))).toBe(0xbf9cf968);
    expect(fmix32(0)).toBe(0);
    expect(fmix32(1)).toBe(0x514e28b7);
  });

  it('maps keys to the same shards as always (pinned: stored data depends on it)', () => {
    const pinned = ['hello', 'a', '!', 'k1', 'ключ', '🙂'].map((k) => [
      shardOf(k, 4),
      shardOf(k, 64),
      shardOf(k, 1024),
    ]);
    expect(pinned).toEqual([
      [3, 47, 623],
      [4, 52, 436],
      [2, 34, 802],
      [3, 51, 499],
      [3, 35, 355],
      [3, 11, 331],
    ]);
    expect(shardOf('anything', 1)).toBe(1);
  });

  it('spreads keys over every shard, also keys that differ only in the high bits of a byte', () => {
    // init / act: 6400 keys over 64 shards
    const counts = new Array<number>(64).fill(0);
    for (let i = 0; i < 6400; i++) counts[shardOf(`k${i}`, 64) - 1]!++;
    // check: every shard gets keys, none more than twice its share
    expect(Math.min(...counts)).toBeGreaterThan(50);
    expect(Math.max(...counts)).toBeLessThan(200);
    // FNV-1a alone would put 'xa' (0x61) and 'x!' (0x21) in one shard for any power of two.
    const together = Array.from({ length: 30 }, (_, i) =>
      shardOf(`x${String.fromCharCode(0x21 + i)}`, 64) === shardOf(`x${String.fromCharCode(0x61 + i)}`, 64)
        ? 1
        : 0,
    ).reduce<number>((a, b) => a + b, 0);
    expect(together).toBeLessThan(5);
  });

  it('refuses a shard count outside 1..1024 with InvalidArgumentError, and --shards with a UsageError', () => {
    for (const bad of [0, -1, 1025, 1.5, Number.NaN, '4' as unknown as number])
      expect(() => checkShardCount(bad)).toThrow(InvalidArgumentError);
    expect(checkShardCount(1)).toBe(1);
    expect(checkShardCount(1024)).toBe(1024);
    for (const bad of ['0', '1025', 'four', '', ' 4', '0x10', '1e2'])
      expect(() => parseNodeArgs([...BASE, '--shards', bad])).toThrow(UsageError);
    expect(() => parseNodeArgs([...BASE, '--shards', '0'])).toThrow(/--shards: .*from 1 to 1024/);
    expect(parseNodeArgs([...BASE, '--shards', '16']).shards).toBe(16);
    expect(parseNodeArgs(BASE).shards).toBeUndefined();
    expect(() => parseNodeArgs([...BASE, '--shards', '4', '--new-member'])).toThrow(/cannot join/);
  });
});

describe('a sharded node', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  const start = (dataDir: string, shards: number) =>
    startShardedKvNode({
      id: 1,
      shards,
      http: { host: '127.0.0.1', port: 0 },
      raft: { host: '127.0.0.1', port: 0 },
      peers: [],
      dataDir,
      tickIntervalMs: 20,
      logger: jsonLogger('silent'),
    });

  it('refuses a data directory made with another shard count, and opens it again with its own', async () => {
    // init: a one-node store with 2 shards and a key in it
    const dataDir = mkdtempSync(join(tmpdir(), 'kv-shards-'));
    dirs.push(dataDir);
    const first = await start(dataDir, 2);
    await Promise.all(first.groups.map((g) => g.waitForLeader()));
    const put = await fetch(`${first.url}/kv/kept`, { method: 'PUT', body: 'v' });
    expect(put.status).toBe(200);
    await first.close();
    // act / check: 4 shards on it is refused, naming the code
    await expect(start(dataDir, 4)).rejects.toBeInstanceOf(ShardCountMismatchError);
    await expect(start(dataDir, 1)).rejects.toMatchObject({ code: 'SHARD_COUNT_MISMATCH' });
    // check: with 2 again the key is there
    const again = await start(dataDir, 2);
    try {
      const got = await fetch(`${again.url}/kv/kept`);
      expect(await got.text()).toBe('v');
      expect(again.status()).toMatchObject({ sharded: true, shardCount: 2, keys: 1 });
    } finally {
      await again.close();
    }
  });

  it('refuses a bad shard count before it opens anything', async () => {
    const dataDir = join(tmpdir(), `kv-shards-never-${process.pid}`);
    await expect(start(dataDir, 0)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(start(dataDir, 2000)).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

describe('leader spreading', () => {
  let nodes: ShardedKvNode[] = [];
  let dataRoot = '';
  afterEach(async () => {
    await Promise.all(nodes.map((n) => n.close()));
    nodes = [];
    if (dataRoot) rmSync(dataRoot, { recursive: true, force: true });
  });

  async function until<T>(what: string, check: () => T | undefined, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  it('moves leadership of shards from a node that leads them all, and to a node that leads none, until each leads 1 or 2', async () => {
    // init: three nodes of a 4-shard store in this process; every shard handed to node 1
    dataRoot = mkdtempSync(join(tmpdir(), 'kv-spread-'));
    const ports = await freePorts(6);
    const peers = [1, 2, 3].map((id) => ({
      id,
      raft: { host: '127.0.0.1', port: ports[2 * (id - 1)]! },
      url: `http://127.0.0.1:${ports[2 * (id - 1) + 1]!}`,
    }));
    nodes = await Promise.all(
      peers.map((p) =>
        startShardedKvNode({
          id: p.id,
          shards: 4,
          http: { host: '127.0.0.1', port: Number(new URL(p.url).port) },
          raft: p.raft,
          peers: peers.filter((q) => q.id !== p.id),
          dataDir: join(dataRoot, `n${p.id}`),
          tickIntervalMs: 20,
          // The spreader waits while leadership is handed to node 1 (a pass every 3 s).
          balanceEveryMs: 3_000,
          logger: jsonLogger('silent'),
        }),
      ),
    );
    const leaderOf = (shard: number) => nodes[0]!.groups[shard - 1]!.leader();
    await until('a leader in every shard', () =>
      [1, 2, 3, 4].every((s) => leaderOf(s) !== null) ? true : undefined,
    );
    for (let shard = 1; shard <= 4; shard++) {
      const leader = leaderOf(shard)!;
      if (leader !== 1)
        await nodes[leader - 1]!.groups[shard - 1]!.transferLeadership(1, { timeoutMs: 5_000 });
    }
    // (Transfers resolve once done: node 1 led every shard, unless a spreader pass came between.)
    // act: the spreaders' next passes
    const leaders = await until('no node leading more than 2 shards', () => {
      const { leaders, leaderless } = nodes[0]!.status();
      return leaderless === 0 && Math.max(...Object.values(leaders)) <= 2 ? leaders : undefined;
    });
    // check: two shards moved from node 1 to the others
    expect(leaders).toEqual({ '1': 2, '2': 1, '3': 1 });

    // init: 2/2/0 (as after node 3 came back from a crash): within the ceiling share of 2
    const fromThree = [1, 2, 3, 4].find((s) => leaderOf(s) === 3)!;
    await nodes[2]!.groups[fromThree - 1]!.transferLeadership(2, { timeoutMs: 5_000 });
    const movedTo = await until('a shard led by node 2', () =>
      leaderOf(fromThree) === 2 ? nodes[0]!.status().leaders : undefined,
    );
    expect(movedTo).toEqual({ '1': 2, '2': 2, '3': 0 });
    // act / check: node 3 is below the floor (1): one of the others hands it a shard
    const evened = await until('node 3 leading a shard again', () => {
      const { leaders, leaderless } = nodes[0]!.status();
      return leaderless === 0 && leaders['3']! >= 1 ? leaders : undefined;
    });
    expect(Object.values(evened).sort()).toEqual([1, 1, 2]);
  }, 45_000);
});

describe('the status line of a sharded cluster', () => {
  it('says how many shards each node leads, and which nodes are down', () => {
    const seen = { id: 1, shardCount: 4, leaders: { '1': 2, '2': 2, '3': 0 }, leaderless: 0 };
    expect(formatShardedStatusLine([1, 2, 3], [seen, seen, null])).toBe(
      '4 shards | n1 leads 2 | n2 leads 2 | n3 down',
    );
    expect(formatShardedStatusLine([1, 2], [null, { ...seen, leaderless: 1 }])).toBe(
      '4 shards, 1 leaderless | n1 down | n2 leads 2',
    );
    expect(formatShardedStatusLine([1], [null])).toBe('n1 down');
  });
});
