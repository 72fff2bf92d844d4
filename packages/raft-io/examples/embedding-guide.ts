import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRaftServer, type NodeId, type RaftServer, type StateMachine } from 'raft-io';

/** A replicated map: a command is JSON `{ key, value }`; apply returns the previous value. */
class KeyValue implements StateMachine<string | null> {
  readonly data = new Map<string, string>();

  apply(command: Uint8Array): string | null {
    const { key, value } = JSON.parse(new TextDecoder().decode(command)) as { key: string; value: string };
    const previous = this.data.get(key) ?? null;
    this.data.set(key, value);
    return previous;
  }

  snapshot(): Uint8Array {
    return new TextEncoder().encode(JSON.stringify([...this.data]));
  }

  restore(bytes: Uint8Array): void {
    const entries = JSON.parse(new TextDecoder().decode(bytes)) as [string, string][];
    this.data.clear();
    for (const [k, v] of entries) this.data.set(k, v);
  }
}

const set = (key: string, value: string) => new TextEncoder().encode(JSON.stringify({ key, value }));

// Where each node listens: one port per node (in production: one machine or container each).
const base = Number(process.env.GUIDE_PORT ?? 7101);
const address = (id: NodeId) => `127.0.0.1:${base + id - 1}`;
// Every node of the cluster holds the same secret (at least 32 bytes): peers prove it.
const clusterSecret = process.env.RAFT_SECRET ?? randomBytes(32).toString('hex');
const root = mkdtempSync(`${tmpdir()}/raft-guide-`);
const machines = new Map<NodeId, KeyValue>();
const nodes = new Map<NodeId, RaftServer<string | null>>();

/**
 * Start node `id`: one of the three initial voters, or (given `join`, where the current
 * members are) a new node that waits to be added.
 */
async function startNode(id: NodeId, join?: Record<number, string>): Promise<RaftServer<string | null>> {
  const machine = new KeyValue();
  const server = await createRaftServer({
    id,
    // The initial voters with their addresses, the same on each of them; each listens on
    // its own. A node added later has no voters of its own.
    voters: join ? [] : { 1: address(1), 2: address(2), 3: address(3) },
    dataDir: `${root}/node-${id}`,
    stateMachine: machine,
    tcp: join
      ? { clusterId: 7, clusterSecret, listen: { host: '127.0.0.1', port: base + id - 1 }, peers: join }
      : { clusterId: 7, clusterSecret },
  });
  machines.set(id, machine);
  nodes.set(id, server);
  return server;
}

for (const id of [1, 2, 3]) await startNode(id);

/** The leader, as node `via` knows it (waiting out an election if there is one). */
async function leader(via: NodeId = 1): Promise<RaftServer<string | null>> {
  return nodes.get(await nodes.get(via)!.waitForLeader())!;
}

// Any node takes proposals: a follower forwards them to the leader.
const n1 = nodes.get(1)!;
console.log('previous value:', await n1.propose(set('greeting', 'hello')));
const { index } = await nodes.get(2)!.proposeWithIndex(set('greeting', 'hi'));
console.log('committed at index', index);
const seen = await nodes.get(3)!.read(() => machines.get(3)!.data.get('greeting'));
console.log('read on node 3:', seen);

/** Where every current member listens: any node knows, it is in the replicated membership. */
function memberAddresses(server: RaftServer<string | null>): Record<number, string> {
  const info = server.status().membership.info ?? {};
  return Object.fromEntries(Object.entries(info).map(([id, member]) => [id, member.address!]));
}

for (const id of [4, 5]) {
  const current = await leader();
  // The leader adds the node as a learner, waits for it to catch up, then makes it a voter.
  const added = current.addVoter(id, { address: address(id) });
  // The new node starts empty, told where the members are (from then on, the log tells it).
  await startNode(id, memberAddresses(current));
  await added;
}
console.log('voters:', (await leader()).status().membership.voters.join(', '));

const from = await leader();
const target = from.id === 4 ? 5 : 4;
await from.transferLeadership(target);
console.log(`leadership moved from node ${from.id} to node ${target}`);

const session = { clientId: 'checkout-7', sequence: 1 };
const first = await n1.proposeWithIndex(set('order-7', 'paid'), { session });
const retry = await n1.proposeWithIndex(set('order-7', 'paid'), { session });
console.log('applied once:', first.index === retry.index && retry.duplicate);

await nodes.get(2)!.close();
await startNode(2);
const caughtUp = await nodes.get(2)!.read(() => machines.get(2)!.data.get('order-7'));
console.log('node 2 after its restart:', caughtUp);

await (await leader()).removeMember(5);
await nodes.get(5)!.close();
nodes.delete(5);
console.log('voters:', (await leader()).status().membership.voters.join(', '));

await Promise.all([...nodes.values()].map((server) => server.close()));
rmSync(root, { recursive: true, force: true });
console.log('all nodes closed');
