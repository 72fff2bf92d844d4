/**
 * Per-peer health on a real cluster: three `RaftServer`s on SQLite logs and TCP, one
 * follower cut off by a partition filter (its connections stay up, its Raft messages are
 * dropped both ways) and healed again. The leader reports it unreachable within two election
 * timeouts and recovered after healing, its lag grows while it is cut off and shrinks to
 * nothing after, it is caught up with a snapshot (the leader compacted its log meanwhile),
 * as status, events and labelled metrics; the followers report their last contact with the
 * leader.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  createRaftServer,
  type NodeId,
  PEER_METRIC_NAMES as P,
  type PeerHealth,
  type RaftServer,
  type RaftServerEvents,
  TcpTransport,
} from '../src/index.js';
import { byId, until, waitForLeader } from './helpers/cluster.js';
import { KvMachine, setCommand } from './helpers/kv-machine.js';
import { MetricsRecorder } from './helpers/metrics-recorder.js';
import { PartitionableTransport } from './helpers/partition.js';

const IDS = [1, 2, 3];
const ELECTION_TICK = 10;
const root = mkdtempSync(join(tmpdir(), 'raft-io-health-'));

interface Node {
  server: RaftServer<string | null>;
  transport: PartitionableTransport;
  metrics: MetricsRecorder;
}

let nodes: Node[] = [];

async function startCluster(): Promise<Node[]> {
  for (const id of IDS) {
    const transport = new PartitionableTransport(
      new TcpTransport({ id, clusterId: 9, listen: { host: '127.0.0.1', port: 0 } }),
    );
    const metrics = new MetricsRecorder();
    const server = await createRaftServer<string | null>({
      id,
      voters: IDS,
      dataDir: join(root, `n${id}`),
      stateMachine: new KvMachine(),
      transport,
      tickIntervalMs: 20,
      raft: { electionTick: ELECTION_TICK },
      snapshotEveryEntries: 50,
      health: { laggingEntries: 40, laggingBytes: 0 },
      metrics,
    });
    nodes.push({ server, transport, metrics });
  }
  for (const a of nodes)
    for (const b of nodes) if (a !== b) a.server.setPeerAddress(b.server.id, b.server.address()!);
  return nodes;
}

/** Every event of `server` in order, as [name, first argument, second argument]. */
function record(server: RaftServer<string | null>): [string, PeerHealth, unknown][] {
  const seen: [string, PeerHealth, unknown][] = [];
  const names: (keyof RaftServerEvents)[] = [
    'peer-unreachable',
    'peer-recovered',
    'peer-lagging',
    'peer-caught-up',
    'snapshot-transfer-started',
    'snapshot-transfer-finished',
  ];
  for (const name of names)
    server.on(name, ((peer: PeerHealth, extra: unknown) => seen.push([name, peer, extra])) as never);
  return seen;
}

function peerOf(server: RaftServer<string | null>, id: NodeId): PeerHealth | undefined {
  return server.status().peers?.find((p) => p.id === id);
}

afterEach(async () => {
  await Promise.all(nodes.map((n) => n.server.close()));
  nodes = [];
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('per-peer health on the leader', () => {
  it('reports a partitioned follower unreachable within two election timeouts, lagging, then recovered and caught up', async () => {
    // init: a cluster with a leader, every follower in step.
    const all = await startCluster();
    const leaderServer = await waitForLeader(all.map((n) => n.server));
    const leader = all.find((n) => n.server === leaderServer)!;
    const [cut, other] = all.filter((n) => n !== leader);
    await leader.server.propose(setCommand('first', 'x'));
    const events = record(leader.server);
    await until('both followers in step', () =>
      [cut!, other!].every((f) => {
        const p = peerOf(leader.server, f.server.id);
        return p?.reachable && p.lagEntries === 0 && p.state === 'replicate';
      }),
    );
    const healthy = peerOf(leader.server, cut!.server.id)!;
    expect(healthy).toMatchObject({ role: 'voter', lagBytes: 0, lagging: false, snapshot: null });
    expect(healthy.lastContactAgoMs).not.toBeNull();
    expect(other!.server.status().leaderContact?.leader).toBe(leader.server.id);

    // act: cut one follower off.
    const cutId = cut!.server.id;
    cut!.transport.block(IDS.filter((id) => id !== cutId));
    for (const n of [leader, other!]) n.transport.block([cutId]);

    // check: unreachable after `unreachableAfterTicks` (the election timeout) ticks of silence.
    const down = await until('peer-unreachable', () =>
      events.find(([name, peer]) => name === 'peer-unreachable' && peer.id === cutId),
    );
    expect(down[1].reachable).toBe(false);
    expect(down[1].silentTicks).toBeGreaterThanOrEqual(ELECTION_TICK);
    expect(down[1].silentTicks).toBeLessThan(2 * ELECTION_TICK);
    await until(
      'reachable gauge 0',
      () => leader.metrics.gaugeOf(P.reachable, { peer: String(cutId) }) === 0,
    );
    expect(leader.metrics.counterOf(P.unreachable, { peer: String(cutId) })).toBe(1);
    expect(leader.metrics.gaugeOf(P.reachable, { peer: String(other!.server.id) })).toBe(1);

    // act: write while it is cut off (and the leader snapshots and compacts its log).
    const value = 'v'.repeat(100);
    for (let i = 0; i < 120; i += 20)
      await Promise.all(
        Array.from({ length: 20 }, (_, k) => leader.server.propose(setCommand(`k${i + k}`, value))),
      );

    // check: the lag grows, in entries and bytes; the other follower stays in step.
    const lagging = peerOf(leader.server, cutId)!;
    expect(lagging.lagEntries).toBeGreaterThanOrEqual(120);
    expect(lagging.lagBytes).toBeGreaterThan(0);
    expect(lagging.lagging).toBe(true);
    expect(events.some(([name, peer]) => name === 'peer-lagging' && peer.id === cutId)).toBe(true);
    await until(
      'lag gauge',
      () => (leader.metrics.gaugeOf(P.lagEntries, { peer: String(cutId) }) ?? 0) >= 120,
    );
    await until('other in step', () => peerOf(leader.server, other!.server.id)?.lagEntries === 0);
    expect(leader.server.status().snapshotIndex).toBeGreaterThan(lagging.match);
    const silence = cut!.server.status().leaderContact!;
    expect(silence.leader).toBe(leader.server.id);
    expect(silence.lastContactAgoMs).toBeGreaterThan(other!.server.status().leaderContact!.lastContactAgoMs!);

    // act: heal.
    for (const n of all) n.transport.block([]);

    // check: recovered, caught up by a snapshot, lag back to nothing.
    const up = await until('peer-recovered', () =>
      events.find(([name, peer]) => name === 'peer-recovered' && peer.id === cutId),
    );
    expect(up[2] as number).toBeGreaterThan(0);
    await until('caught up', () => {
      const p = peerOf(leader.server, cutId);
      return p?.lagEntries === 0 && p.lagBytes === 0 && !p.lagging;
    });
    const names = events.filter(([, peer]) => peer.id === cutId).map(([name]) => name);
    expect(names).toEqual([
      'peer-unreachable',
      'peer-lagging',
      'peer-recovered',
      'snapshot-transfer-started',
      'snapshot-transfer-finished',
      'peer-caught-up',
    ]);
    const finished = events.find(([name]) => name === 'snapshot-transfer-finished')!;
    expect(finished[2]).toMatchObject({ outcome: 'installed' });
    expect(leader.metrics.counterOf(P.snapshotTransfers, { peer: String(cutId), outcome: 'installed' })).toBe(
      1,
    );
    await until(
      'reachable gauge 1',
      () => leader.metrics.gaugeOf(P.reachable, { peer: String(cutId) }) === 1,
    );
    await until('lag gauge 0', () => leader.metrics.gaugeOf(P.lagEntries, { peer: String(cutId) }) === 0);
    await until('contact again', () => (cut!.server.status().leaderContact?.lastContactAgoMs ?? 1e9) < 1000);
    expect(
      byId(
        all.map((n) => n.server),
        cutId,
      ).status().appliedIndex,
    ).toBeGreaterThan(120);
  }, 30_000);

  it('a new leader does not call followers lagging that hold its whole log (their match is unknown until they answer)', async () => {
    // init: more entries than `laggingEntries` (40), every follower in step.
    const all = await startCluster();
    const first = await waitForLeader(all.map((n) => n.server));
    const value = 'v'.repeat(50);
    for (let i = 0; i < 100; i += 20)
      await Promise.all(Array.from({ length: 20 }, (_, k) => first.propose(setCommand(`k${i + k}`, value))));
    await until('followers in step', () =>
      all.every((n) => n.server === first || peerOf(first, n.server.id)?.lagEntries === 0),
    );
    const events = all.map((n) => record(n.server));

    // act: hand leadership to a follower; it starts with every peer's match unknown.
    const next = all.find((n) => n.server !== first)!.server;
    await first.transferLeadership(next.id);
    await until('the new leader sees both peers in step', () =>
      all.every((n) => n.server === next || peerOf(next, n.server.id)?.lagEntries === 0),
    );

    // check: nobody reported a peer lagging (without the rule, the new leader reports both).
    expect(events.flat().filter(([name]) => name === 'peer-lagging')).toEqual([]);
  }, 30_000);
});
