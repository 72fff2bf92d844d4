/**
 * Operations end to end, on real processes (the built CLI, SQLite logs in a temp dir, TCP on
 * 127.0.0.1), as an operator runs them:
 *
 * - backup and restore: `kv backup` from a follower of a running three-node cluster, `kv
 *   restore` of three new members (new ids, a new cluster id and secret), and the new
 *   cluster answers every key the same and takes writes after the backup's index;
 * - quorum-loss recovery: two of three nodes SIGKILLed and their data gone for good, the
 *   third stopped, `kv inspect` and `kv recover` on its data directory, restarted alone it
 *   leads and takes writes, two fresh nodes are added, and they hold everything (they elect
 *   a leader and take writes once the recovered node is gone too);
 * - per-peer health in `/status` on the leader, and the last contact with the leader on
 *   followers.
 *
 * Build first: `npx turbo run build --filter=kv...`.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NodeId } from 'raft-io';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clusterCredentials } from '../src/cluster-credentials.js';
import { freePorts, LocalCluster, type NodeStatus, type PeerSpec } from '../src/index.js';
import { CLI, type KvProcess, runKv, startKvProcess } from './helpers/kv-process.js';
import { fetchStatusJson, waiter } from './helpers/poll.js';

const root = mkdtempSync(join(tmpdir(), 'kv-ops-'));
const STATUS_TOKEN = 'ops-status-token-0123456789';
const AUTH = { authorization: `Bearer ${STATUS_TOKEN}` };
const TOKEN_ENV = { KV_STATUS_TOKEN: STATUS_TOKEN };
const logs: string[] = [];

let clusters: LocalCluster[] = [];
let processes: KvProcess[] = [];

async function call(
  url: string,
  init: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; bytes: Buffer; json: () => Record<string, unknown> }> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    ...(init.headers ? { headers: init.headers } : {}),
    ...(init.body !== undefined ? { body: init.body } : {}),
    signal: AbortSignal.timeout(8000),
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, bytes, json: () => JSON.parse(bytes.toString('utf8')) };
}

const status = (url: string) => fetchStatusJson<NodeStatus & Record<string, unknown>>(url, AUTH);

const until = waiter(logs, { timeoutMs: 20_000, everyMs: 50 });

/** The leader's URL once every node of `urls` agrees on it. */
async function agreedLeader(urls: string[]): Promise<NodeStatus & Record<string, unknown>> {
  return until('an agreed leader', async () => {
    const statuses = await Promise.all(urls.map(status));
    const leader = statuses.find((s) => s?.role === 'leader');
    if (!leader || !statuses.every((s) => s?.leader === leader.id)) return undefined;
    return leader;
  });
}

/** PUT with retries while a leader settles. */
async function put(url: string, key: string, value: string): Promise<number> {
  return until(`PUT ${key}`, async () => {
    const r = await call(`${url}/kv/${encodeURIComponent(key)}`, { method: 'PUT', body: value });
    return r.status === 200 ? (r.json().index as number) : undefined;
  });
}

/** Every key's answer (status and bytes) from `url`. */
async function answers(url: string, keys: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const key of keys) {
    const r = await call(`${url}/kv/${encodeURIComponent(key)}`);
    out.set(key, `${r.status}:${r.status === 200 ? r.bytes.toString('base64') : ''}`);
  }
  return out;
}

/** Writes of every shape: puts, binary and unicode values, overwrites, deletes, compare-and-set. */
async function writeMix(urls: string[]): Promise<string[]> {
  const keys: string[] = [];
  for (let i = 0; i < 120; i++) {
    const key = i % 10 === 0 ? `ключ/${i}?` : `k${i}`;
    keys.push(key);
    await put(urls[i % urls.length]!, key, i % 7 === 0 ? '\u0000\u00ff binary' : `value ${i}`);
  }
  for (let i = 0; i < 120; i += 9) {
    const r = await call(`${urls[0]}/kv/${encodeURIComponent(keys[i]!)}`, { method: 'DELETE' });
    expect(r.status).toBe(200);
  }
  const cas = await call(`${urls[1]}/kv/k1/cas`, {
    method: 'POST',
    body: JSON.stringify({ expected: 'value 1', value: 'swapped' }),
  });
  expect(cas.status).toBe(200);
  keys.push('never-written');
  return keys;
}

beforeAll(() => {
  if (!existsSync(CLI))
    throw new Error(`${CLI} is missing: build first (npx turbo run build --filter=kv...)`);
});

afterEach(async () => {
  await Promise.all(processes.map((p) => p.kill()));
  processes = [];
  await Promise.all(clusters.map((c) => c.stop()));
  clusters = [];
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

async function startCluster(dir: string): Promise<LocalCluster> {
  const cluster = await LocalCluster.start({
    dir,
    tickIntervalMs: 50,
    logLevel: 'warn',
    snapshotEveryEntries: 40,
    statusToken: STATUS_TOKEN,
    command: { file: process.execPath, args: [CLI] },
    onLog: (id, line) => logs.push(`[n${id}] ${line}`),
  });
  clusters.push(cluster);
  return cluster;
}

describe('backup and restore, on real processes', () => {
  it('a backup of a running three-node cluster restores into a new cluster that answers every key the same', async () => {
    // init: a running cluster with writes of every kind, across several snapshots.
    const sourceDir = join(root, 'source');
    const source = await startCluster(sourceDir);
    const urls = source.nodes.map((n) => n.url);
    const leader = await agreedLeader(urls);
    const keys = await writeMix(urls);
    const expected = await answers(leader.url as string, keys);
    const follower = source.nodes.find((n) => n.id !== leader.id)!;

    // act: back up from a follower (the status token is needed: a backup is all the data).
    const file = join(root, 'kv.backup');
    const refused = await runKv(['backup', '--url', follower.url, '--out', file]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('401');
    expect(existsSync(file)).toBe(false);
    const backup = await runKv(['backup', '--url', follower.url, '--out', file], TOKEN_ENV);
    expect(backup.code, backup.stderr).toBe(0);
    const info = backup.json();
    expect(info).toMatchObject({ nodeId: follower.id, clusterId: clusterCredentials(sourceDir).clusterId });
    const sourceCommit = (await status(leader.url as string))!.commitIndex;
    await source.stop();

    // act: restore three new members (ids 11..13) of a new cluster (its own id and secret).
    const targetDir = join(root, 'target');
    const credentials = clusterCredentials(targetDir);
    expect(credentials.clusterId).not.toBe(info.clusterId);
    const ports = await freePorts(6, '127.0.0.1');
    const ids = [11, 12, 13];
    const specs: PeerSpec[] = ids.map((id, i) => ({
      id,
      raft: { host: '127.0.0.1', port: ports[2 * i]! },
      url: `http://127.0.0.1:${ports[2 * i + 1]!}`,
    }));
    const members = specs.map((s) => `${s.id}=127.0.0.1:${s.raft.port}@${s.url}`).join(',');
    for (const spec of specs) {
      const restored = await runKv([
        'restore',
        '--backup',
        file,
        '--data',
        join(targetDir, `n${spec.id}`),
        '--id',
        String(spec.id),
        '--cluster-id',
        String(credentials.clusterId),
        '--members',
        members,
      ]);
      expect(restored.code, restored.stderr).toBe(0);
      expect(restored.json()).toMatchObject({ index: info.index, clusterId: credentials.clusterId });
    }
    for (const [i, spec] of specs.entries()) {
      processes.push(
        await startKvProcess({
          id: spec.id,
          httpPort: ports[2 * i + 1]!,
          raftPort: spec.raft.port,
          dataDir: join(targetDir, `n${spec.id}`),
          clusterId: credentials.clusterId,
          clusterSecret: credentials.clusterSecret,
          peers: specs.filter((s) => s.id !== spec.id),
          env: TOKEN_ENV,
          onLog: (line) => logs.push(line),
        }),
      );
    }

    // check: every key answers the same on every new member, and the new cluster carries on.
    const newLeader = await agreedLeader(specs.map((s) => s.url));
    expect(newLeader.members).toEqual(specs.map((s) => ({ id: s.id, url: s.url, voter: true })));
    for (const spec of specs) expect(await answers(spec.url, keys), `node ${spec.id}`).toEqual(expected);
    const index = await put(specs[0]!.url, 'after-restore', 'yes');
    expect(index).toBeGreaterThan(info.index as number);
    expect(info.index as number).toBeGreaterThanOrEqual(sourceCommit - 1);
  }, 60_000);
});

describe('quorum-loss recovery, on real processes', () => {
  it('kills two of three nodes for good, recovers the third, writes again, then adds two fresh nodes', async () => {
    // init: a running cluster with writes.
    const dir = join(root, 'recover');
    const cluster = await startCluster(dir);
    const urls = cluster.nodes.map((n) => n.url);
    const leader = await agreedLeader(urls);
    const keys = await writeMix(urls);
    const expected = await answers(leader.url as string, keys);
    const survivor = cluster.node(1);
    const commit = (await status(leader.url as string))!.commitIndex;
    await until('the survivor applied everything', async () => {
      const s = await status(survivor.url);
      return s !== null && s.appliedIndex >= commit;
    });
    // The follower side of health: node 1 reports its contact with the leader (or leads).
    const before = (await status(survivor.url))!;
    if (before.role === 'leader') expect((before.peers as unknown[]).length).toBe(2);
    else expect(before.leaderContact).toMatchObject({ leader: leader.id });

    // act: lose nodes 2 and 3 for good; stop the survivor.
    for (const id of [2, 3]) {
      await cluster.kill(id, 'SIGKILL');
      rmSync(cluster.node(id).dataDir, { recursive: true, force: true });
    }
    await cluster.stopNode(1);
    const inspect = await runKv(['inspect', '--data', survivor.dataDir]);
    expect(inspect.code, inspect.stderr).toBe(0);
    expect(inspect.json()).toMatchObject({ nodeId: 1, membership: { voters: [1, 2, 3] } });
    const { clusterId, clusterSecret } = clusterCredentials(dir);
    const memberOne = `1=127.0.0.1:${survivor.raft.port}@${survivor.url}`;
    const recovered = await runKv([
      'recover',
      '--data',
      survivor.dataDir,
      '--members',
      memberOne,
      '--cluster-id',
      String(clusterId),
    ]);
    expect(recovered.code, recovered.stderr).toBe(0);
    const report = recovered.json();
    expect(report).toMatchObject({ nodeId: 1, membership: { voters: [1] }, discarded: 0 });
    expect(report.index as number).toBeGreaterThanOrEqual(commit);

    // check: restarted alone, it leads, answers everything, and takes writes.
    await cluster.startNode(1);
    const alone = await agreedLeader([survivor.url]);
    expect(alone.members).toEqual([{ id: 1, url: survivor.url, voter: true }]);
    expect(await answers(survivor.url, keys)).toEqual(expected);
    await put(survivor.url, 'after-recovery', 'written alone');

    // act: two fresh nodes join (each knows the other's address up front), added one at a time.
    const ports = await freePorts(4, '127.0.0.1');
    const fresh: PeerSpec[] = [4, 5].map((id, i) => ({
      id,
      raft: { host: '127.0.0.1', port: ports[2 * i]! },
      url: `http://127.0.0.1:${ports[2 * i + 1]!}`,
    }));
    const one: PeerSpec = { id: 1, raft: survivor.raft, url: survivor.url };
    for (const [i, spec] of fresh.entries()) {
      processes.push(
        await startKvProcess({
          id: spec.id,
          httpPort: ports[2 * i + 1]!,
          raftPort: spec.raft.port,
          dataDir: join(dir, `fresh-${spec.id}`),
          clusterId,
          clusterSecret,
          peers: [one, ...fresh.filter((f) => f.id !== spec.id)],
          join: true,
          env: TOKEN_ENV,
          onLog: (line) => logs.push(line),
        }),
      );
    }
    const addMember = async (spec: PeerSpec, learner: boolean) => {
      const added = await call(`${survivor.url}/members`, {
        method: 'POST',
        headers: { ...AUTH, 'content-type': 'application/json' },
        body: JSON.stringify({ id: spec.id, raft: `127.0.0.1:${spec.raft.port}`, url: spec.url, learner }),
      });
      expect(added.status, added.bytes.toString()).toBe(200);
    };
    // As learners first (they do not count towards a quorum while they catch up), watched in
    // the leader's /status until they are reachable and in step, then promoted.
    for (const spec of fresh) await addMember(spec, true);
    const health = await until('both fresh peers in step', async () => {
      const s = await status(survivor.url);
      const peers = (s?.peers ?? []) as { id: NodeId; reachable: boolean; lagEntries: number; url: string }[];
      return peers.length === 2 && peers.every((p) => p.reachable && p.lagEntries === 0) ? peers : undefined;
    });
    expect(health.map((p) => [p.id, p.url])).toEqual(fresh.map((f) => [f.id, f.url]));
    for (const spec of fresh) await addMember(spec, false);
    expect((await status(survivor.url))!.members).toEqual([
      { id: 1, url: survivor.url, voter: true },
      ...fresh.map((f) => ({ id: f.id, url: f.url, voter: true })),
    ]);

    // check: they hold everything.
    const all = [...keys, 'after-recovery'];
    const withNew = new Map([
      ...expected,
      ['after-recovery', `200:${Buffer.from('written alone').toString('base64')}`],
    ]);
    for (const spec of fresh) expect(await answers(spec.url, all), `node ${spec.id}`).toEqual(withNew);

    // check: the fresh pair is a quorum of {1, 4, 5} by itself: without node 1 they elect and write.
    await cluster.kill(1, 'SIGKILL');
    await agreedLeader(fresh.map((f) => f.url));
    await put(fresh[0]!.url, 'without-node-1', 'ok');
  }, 60_000);
});
