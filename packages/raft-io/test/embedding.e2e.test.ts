/**
 * The embedding story of issue 13, end to end on real TCP and SQLite: a three-node cluster
 * grows to five by `addVoter` (each new node told only where the cluster is), leadership
 * moves twice, two original voters stop and the cluster keeps writing (the new leader dials
 * the new members from their replicated addresses: the reported bug was a leader that could
 * not reach a member only the old leader had been told of), the cluster shrinks back, a node
 * installed from a snapshot knows every member's address, and every node restarts from its
 * disk with no address but its own and finds the others in its log.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createRaftServer, type NodeId, type RaftServer } from '../src/index.js';
import { freePorts, until, waitForLeader } from './helpers/cluster.js';
import { KvMachine, setCommand } from './helpers/kv-machine.js';

const root = mkdtempSync(join(tmpdir(), 'raft-io-embed-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Node {
  readonly server: RaftServer<string | null>;
  readonly sm: KvMachine;
}

const nodes = new Map<NodeId, Node>();
afterEach(async () => {
  await Promise.all([...nodes.values()].map((n) => n.server.close()));
  nodes.clear();
});

describe('embedding raft-io: a cluster that manages itself', () => {
  it('grows 3 -> 5, moves leadership twice, loses two original voters, shrinks, snapshots a newcomer, restarts from disk', async () => {
    const ports = await freePorts(6);
    const address = (id: NodeId) => `127.0.0.1:${ports[id - 1]}`;
    const listen = (id: NodeId) => ({ host: '127.0.0.1', port: ports[id - 1]! });
    const initial = { 1: address(1), 2: address(2), 3: address(3) };
    const start = async (id: NodeId, extra: { voters?: typeof initial | []; peers?: NodeId[] }) => {
      const sm = new KvMachine();
      const server = await createRaftServer<string | null>({
        id,
        voters: extra.voters ?? [],
        dataDir: join(root, `n${id}`),
        stateMachine: sm,
        tcp: {
          clusterId: 7,
          listen: listen(id),
          ...(extra.peers ? { peers: Object.fromEntries(extra.peers.map((p) => [p, listen(p)])) } : {}),
        },
        tickIntervalMs: 20,
        logger: 'silent',
      });
      nodes.set(id, { server, sm });
      return server;
    };
    const running = () => [...nodes.values()].map((n) => n.server);
    const stop = async (id: NodeId) => {
      await nodes.get(id)!.server.close();
      nodes.delete(id);
    };
    let written = 0;
    /** Writes on `via` (any node: followers forward) and checks each write's index. */
    const write = async (via: RaftServer<string | null>, n: number) => {
      for (let i = 0; i < n; i++) {
        const key = `k${++written}`;
        const { index } = await via.proposeWithIndex(setCommand(key, `v${written}`));
        expect(index).toBeGreaterThan(0);
      }
    };

    // A three-node cluster, each node given the three addresses once.
    for (const id of [1, 2, 3]) await start(id, { voters: initial });
    let leader = await waitForLeader(running());
    await write(leader, 5);

    // Grow to five: each newcomer knows only where the cluster is; addVoter adds it as a
    // learner, waits for it to catch up, then promotes it.
    for (const id of [4, 5]) {
      await start(id, { peers: [1, 2, 3] });
      await leader.addVoter(id, { address: address(id) });
    }
    for (const s of running()) {
      await until(`node ${s.id} sees five voters`, () => s.status().membership.voters.length === 5);
      expect([...s.peers().keys()]).toEqual([1, 2, 3, 4, 5].filter((p) => p !== s.id));
    }
    await write(nodes.get(4)!.server, 3); // forwarded from a new member

    // Leadership moves twice: to 4, then from 4 to 5.
    await leader.transferLeadership(4);
    await until('node 4 leads', () => nodes.get(4)!.server.isLeader());
    await nodes.get(4)!.server.transferLeadership(5);
    await until('node 5 leads', () => nodes.get(5)!.server.isLeader());
    leader = nodes.get(5)!.server;

    // Two original voters stop; 3, 4 and 5 are a majority of five and keep writing, on the
    // leader and through a follower.
    await stop(1);
    await stop(2);
    await write(leader, 3);
    await write(nodes.get(3)!.server, 3);

    // Shrink back to three: both removals issued at once; the second waits its turn.
    await Promise.all([leader.removeMember(1), leader.removeMember(2)]);
    for (const s of running()) {
      await until(`node ${s.id} sees voters 3, 4, 5`, () => s.status().membership.voters.join() === '3,4,5');
      // Forgotten everywhere: no link, no address.
      await until(`node ${s.id} forgot 1 and 2`, () => !s.peers().has(1) && !s.peers().has(2));
      expect(s.status().membership.info?.[1]).toBeUndefined();
    }

    // A newcomer installed from a snapshot: node 6 is added as a learner while it is down,
    // the leader snapshots and compacts past that, then node 6 starts knowing only the leader.
    await leader.addLearner(6, { address: address(6) });
    await write(leader, 2);
    const snapshotIndex = await leader.snapshot();
    expect(leader.status().firstIndex).toBeGreaterThan(snapshotIndex - 1);
    const six = await start(6, { peers: [5] });
    await until('node 6 installs the snapshot', () => six.status().snapshotIndex >= snapshotIndex);
    // Everything node 6 knows came in the snapshot: every member and its address.
    await until('node 6 links to every member', () => [...six.peers().keys()].join() === '3,4,5');
    for (const id of [3, 4, 5]) expect(six.peers().get(id)).toBe(address(id));
    await leader.addVoter(6, { address: address(6) }); // a learner already: caught up and promoted
    await write(six, 2);

    // Every node restarts from its disk, told no address but where it listens.
    const survivors = [3, 4, 5, 6];
    for (const id of survivors) await stop(id);
    for (const id of survivors) await start(id, id === 3 ? { voters: initial } : {});
    leader = await waitForLeader(running());
    await write(leader, 2);
    const expected = written;
    const reads = await Promise.all(running().map((s) => s.read(() => nodes.get(s.id)!.sm.data.size)));
    expect(reads).toEqual(survivors.map(() => expected));
    for (const s of running()) expect(s.status().membership.voters).toEqual([3, 4, 5, 6]);
  }, 60_000);
});
