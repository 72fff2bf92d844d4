/**
 * Example: one node elects itself, proposes a command, and applies it.
 * Run: npx pnpm@10.34.8 --filter @raft-io/core example:single-node
 */
import { RaftConfig, RaftNode } from '@raft-io/core';

const node = new RaftNode(RaftConfig.single(1));
let ticks = 0;
while (!node.isLeader()) {
  node.step({ type: 'tick' });
  ticks++;
}
console.log(`node 1 became leader of term ${node.term()} after ${ticks} ticks`);

const actions = node.step({ type: 'propose', command: new TextEncoder().encode('set greeting hello') });
for (const action of actions) {
  if (action.type === 'accepted')
    console.log(`accepted at index ${action.firstIndex} in term ${action.term}`);
  if (action.type === 'apply')
    console.log(`apply #${action.index}: ${new TextDecoder().decode(action.command)}`);
}
console.log(`commit index ${node.commitIndex()}`);
