/**
 * Three nodes in one process over TCP on 127.0.0.1, each with its own SQLite log, on ports
 * bound to 0: start, tell each node where the others listen (`setPeerAddress`, the override
 * for addresses nobody knew in advance), propose on the leader and on a follower (which
 * forwards it), read on a follower, then stop. In production each node runs in its own
 * process with its address in `voters` (see the README's embedding guide). Run:
 * `node --conditions=@raft-io/source --import tsx examples/three-nodes.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRaftServer, type RaftServer, type StateMachine } from 'raft-io';

class Register implements StateMachine<string> {
  value = '';
  apply(command: Uint8Array): string {
    const previous = this.value;
    this.value = new TextDecoder().decode(command);
    return previous;
  }
  snapshot(): Uint8Array {
    return new TextEncoder().encode(this.value);
  }
  restore(bytes: Uint8Array): void {
    this.value = new TextDecoder().decode(bytes);
  }
}

const root = mkdtempSync(join(tmpdir(), 'raft-io-three-'));
const ids = [1, 2, 3];
const machines = new Map(ids.map((id) => [id, new Register()]));
const servers: RaftServer<string>[] = [];
for (const id of ids) {
  servers.push(
    await createRaftServer({
      id,
      voters: ids,
      dataDir: join(root, `n${id}`),
      stateMachine: machines.get(id)!,
      tcp: { clusterId: 1, listen: { host: '127.0.0.1', port: 0 } },
      logger: 'silent', // loopback without a cluster secret: skip the warning it gives
    }),
  );
}
// Ports were bound to 0: tell every node where the others listen.
for (const a of servers) for (const b of servers) if (a !== b) a.setPeerAddress(b.id, b.address()!);

const leaderId = await servers[0]!.waitForLeader();
const leader = servers.find((s) => s.id === leaderId)!;
const follower = servers.find((s) => s.id !== leaderId)!;
console.log(`leader: node ${leaderId}`);
console.log('previous value:', JSON.stringify(await leader.propose(new TextEncoder().encode('hello'))));
// A follower forwards to the leader over the Raft transport.
const { index } = await follower.proposeWithIndex(new TextEncoder().encode('from a follower'));
console.log(`follower ${follower.id} forwarded its proposal; committed at index ${index}`);
const seen = await follower.read(() => machines.get(follower.id)!.value);
console.log(`linearizable read on follower ${follower.id}:`, seen);

await Promise.all(servers.map((s) => s.close()));
rmSync(root, { recursive: true, force: true });
