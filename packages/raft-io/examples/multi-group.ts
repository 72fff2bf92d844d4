import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RaftHost, type StateMachine } from 'raft-io';

/** A tiny state machine: a list of strings; apply returns the list's length. */
class List implements StateMachine<number> {
  items: string[] = [];
  apply(command: Uint8Array): number {
    return this.items.push(new TextDecoder().decode(command));
  }
  snapshot(): Uint8Array {
    return new TextEncoder().encode(JSON.stringify(this.items));
  }
  restore(bytes: Uint8Array): void {
    this.items = JSON.parse(new TextDecoder().decode(bytes)) as string[];
  }
}

const dir = mkdtempSync(join(tmpdir(), 'raft-hosts-'));
const hosts = [1, 2, 3].map(
  (id) =>
    new RaftHost({
      id,
      dataDir: join(dir, `host-${id}`), // one SQLite file for all of this host's groups
      tcp: { clusterId: 7, listen: { host: '127.0.0.1', port: 0 } },
      logger: 'silent',
    }),
);
await Promise.all(hosts.map((h) => h.start()));
// Ports were chosen by the OS: tell each host where the others are.
for (const a of hosts) for (const b of hosts) if (a !== b) a.setPeerAddress(b.id, b.address()!);

// Two groups (shards), each replicated on all three hosts.
const lists = new Map<string, List>();
for (const group of [1, 2]) {
  for (const host of hosts) {
    const list = new List();
    lists.set(`${group}@${host.id}`, list);
    await host.createGroup(group, { voters: [1, 2, 3], stateMachine: list });
  }
}

const shard1 = hosts[0]!.group(1)!;
await shard1.waitForLeader();
console.log(await shard1.propose(new TextEncoder().encode('apple'))); // 1
const shard2 = hosts[1]!.group(2)!;
console.log(await shard2.propose(new TextEncoder().encode('pear'))); // 1 (its own log)
// A linearizable read on host 3's member of group 1.
console.log(await hosts[2]!.group(1)!.read(() => lists.get('1@3')!.items)); // [ 'apple' ]
console.log(hosts[0]!.stats().groups); // 2

await Promise.all(hosts.map((h) => h.close()));
rmSync(dir, { recursive: true, force: true });
