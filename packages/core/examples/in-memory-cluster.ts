/**
 * Example: three nodes on an in-memory router elect a leader, replicate proposals, and
 * elect a new leader when the first one is cut off.
 * Run: npx pnpm@10.34.8 --filter @raft-io/core example:cluster
 */
import { type Action, MemoryLog, type Message, type NodeId, RaftNode } from '@raft-io/core';

const ids: NodeId[] = [1, 2, 3];
const nodes = new Map(ids.map((id) => [id, new RaftNode({ id, voters: ids }, new MemoryLog())]));
const queue: Message[] = [];
const down = new Set<NodeId>();
const applied = new Map<NodeId, string[]>(ids.map((id) => [id, []]));

function carryOut(id: NodeId, actions: Action[]): void {
  for (const action of actions) {
    if (action.type === 'send') queue.push(action.message);
    if (action.type === 'apply') applied.get(id)!.push(new TextDecoder().decode(action.command));
    if (action.type === 'state-changed' && action.role === 'leader') {
      console.log(`node ${id} won the election in term ${action.term}`);
    }
  }
}

/** One round: every live node ticks, then every message in flight is delivered. */
function round(): void {
  for (const id of ids) if (!down.has(id)) carryOut(id, nodes.get(id)!.step({ type: 'tick' }));
  while (queue.length > 0) {
    const message = queue.shift()!;
    if (down.has(message.to) || down.has(message.from)) continue;
    carryOut(message.to, nodes.get(message.to)!.step({ type: 'message', message }));
  }
}

const leader = () => ids.find((id) => !down.has(id) && nodes.get(id)!.isLeader());

while (leader() === undefined) round();
const first = leader()!;
for (const command of ['x=1', 'y=2', 'z=3']) {
  carryOut(first, nodes.get(first)!.step({ type: 'propose', command: new TextEncoder().encode(command) }));
}
for (let i = 0; i < 3; i++) round();
for (const id of ids) console.log(`node ${id} applied: ${applied.get(id)!.join(', ')}`);

console.log(`cutting off node ${first}`);
down.add(first);
while (leader() === undefined) round();
const second = leader()!;
carryOut(second, nodes.get(second)!.step({ type: 'propose', command: new TextEncoder().encode('w=4') }));
for (let i = 0; i < 3; i++) round();
for (const id of ids) if (!down.has(id)) console.log(`node ${id} applied: ${applied.get(id)!.join(', ')}`);
