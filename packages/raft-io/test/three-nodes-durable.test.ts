/**
 * Three `RaftServer`s with the real parts: a `SqliteLog` per node in a temp dir and a
 * `TcpTransport` on 127.0.0.1 port 0. Replication, group commit, a leader stopped and a new
 * one elected, a restart on the same data dir, a whole-cluster restart, and no handle left
 * behind after close.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createRaftServer, type NodeId, type RaftServer } from '../src/index.js';
import { until, waitForLeader } from './helpers/cluster.js';
import { KvMachine, setCommand } from './helpers/kv-machine.js';

const IDS = [1, 2, 3];
const root = mkdtempSync(join(tmpdir(), 'raft-io-durable-'));
let dirCount = 0;

interface Node {
  server: RaftServer<string | null>;
  sm: KvMachine;
  dataDir: string;
}

let nodes = new Map<NodeId, Node>();

async function startNode(id: NodeId, dataDir: string): Promise<Node> {
  const sm = new KvMachine();
  const server = await createRaftServer<string | null>({
    id,
    voters: IDS,
    dataDir,
    stateMachine: sm,
    tcp: { clusterId: 7, listen: { host: '127.0.0.1', port: 0 } },
    tickIntervalMs: 20,
    logger: 'silent',
  });
  const node = { server, sm, dataDir };
  nodes.set(id, node);
  // Tell everyone where everyone listens (ports are bound to 0).
  for (const a of nodes.values()) {
    for (const b of nodes.values()) {
      if (a !== b && a.server.status().lifecycle === 'running')
        a.server.setPeerAddress(b.server.id, b.server.address()!);
    }
  }
  return node;
}

async function startCluster(dirs?: Map<NodeId, string>): Promise<RaftServer<string | null>[]> {
  for (const id of IDS) await startNode(id, dirs?.get(id) ?? join(root, `n${id}-${++dirCount}`));
  return [...nodes.values()].map((n) => n.server);
}

function running(): RaftServer<string | null>[] {
  return [...nodes.values()].map((n) => n.server).filter((s) => s.status().lifecycle === 'running');
}

afterEach(async () => {
  await Promise.all([...nodes.values()].map((n) => n.server.close()));
  nodes = new Map();
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('RaftServer, three nodes on SqliteLog and TcpTransport', () => {
  it('replicates over TCP with durable logs, one fsync per batch', async () => {
    const servers = await startCluster();
    const leader = await waitForLeader(servers);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => leader.propose(setCommand(`k${i}`, 'v'))),
    );
    expect(results.every((r) => r === null)).toBe(true);
    const index = leader.status().commitIndex;
    await until('all applied', () => servers.every((s) => s.status().appliedIndex >= index));
    for (const n of nodes.values()) expect(n.sm.data.size).toBe(50);
    const stats = leader.stats();
    // Group commit: the leader made far fewer durable writes than it took proposals.
    expect(stats.durableWrites).toBeGreaterThan(0);
    expect(stats.durableWrites).toBeLessThan(stats.proposals);
  });

  it('a stopped leader is replaced; a node restarted on its data dir resumes and catches up', async () => {
    const servers = await startCluster();
    const leader = await waitForLeader(servers);
    for (let i = 0; i < 10; i++) await leader.propose(setCommand('a', String(i)));
    const oldTerm = leader.status().term;
    const oldId = leader.id;
    const oldDir = nodes.get(oldId)!.dataDir;
    await leader.close();
    const next = await waitForLeader(running());
    expect(next.id).not.toBe(oldId);
    expect(next.status().term).toBeGreaterThan(oldTerm);
    expect(await next.propose(setCommand('a', 'after'))).toBe('9');

    const restarted = await startNode(oldId, oldDir);
    // The log survived: the node knows the term it had and its entries before any message.
    expect(restarted.server.status().term).toBeGreaterThanOrEqual(oldTerm);
    expect(restarted.sm.data.get('a')).toBe('9');
    const index = next.status().commitIndex;
    await until('restarted node caught up', () => restarted.server.status().appliedIndex >= index);
    expect(restarted.sm.data.get('a')).toBe('after');
  });

  it('a whole cluster restarted on its data dirs keeps every acknowledged write', async () => {
    const servers = await startCluster();
    const leader = await waitForLeader(servers);
    for (let i = 0; i < 20; i++) await leader.propose(setCommand(`w${i}`, String(i)));
    const dirs = new Map([...nodes].map(([id, n]) => [id, n.dataDir]));
    await Promise.all(servers.map((s) => s.close()));
    nodes = new Map();
    const again = await startCluster(dirs);
    const next = await waitForLeader(again);
    // A read on the new leader sees every write acknowledged before the restart.
    const sm = nodes.get(next.id)!.sm;
    expect(await next.read(() => sm.data.size)).toBe(20);
    expect(await next.propose(setCommand('w0', 'x'))).toBe('0');
  });

  it('status() of a closed leader answers (its log is closed: no lag in bytes), it does not throw', async () => {
    const servers = await startCluster();
    const leader = await waitForLeader(servers);
    await leader.propose(setCommand('k', 'v'));
    await leader.close();
    const status = leader.status();
    expect(status.lifecycle).toBe('closed');
    for (const peer of Object.values(status.peers ?? {})) expect(peer.lagBytes).toBeNull();
  });

  it('close leaves no socket, server or timer behind', async () => {
    const watched = new Set(['TCPServerWrap', 'TCPSocketWrap', 'Timeout', 'Immediate']);
    const count = () => process.getActiveResourcesInfo().filter((r) => watched.has(r)).length;
    const before = count();
    const servers = await startCluster();
    const leader = await waitForLeader(servers);
    await leader.propose(setCommand('x', '1'));
    expect(count()).toBeGreaterThan(before);
    await Promise.all(servers.map((s) => s.close()));
    nodes = new Map();
    await until('handles released', () => count() <= before, 2000);
    expect(count()).toBeLessThanOrEqual(before);
  });
});
