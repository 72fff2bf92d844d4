/**
 * Committed entries per second of the core alone (no I/O), as etcd's BenchmarkOneNode does:
 * - one node, one proposal per step (target from the issue: 450,000/s);
 * - a three-node in-memory cluster with batched proposals (target: 1,000,000 entries/s).
 * The same-run baseline is MemoryLog.write of the same entries with no protocol at all: the
 * ratio says what share of the time the protocol itself costs.
 * Run: pnpm --filter @raft-io/core bench  (or: npx tsx bench/throughput.bench.ts)
 */
import { type Action, MemoryLog, type Message, RaftNode } from '../src/index.js';

const payload = new Uint8Array(16);

function timeIt(label: string, entries: number, fn: () => void): number {
  // Warm up once, then measure the best of three runs (the machines are noisy).
  fn();
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const start = process.hrtime.bigint();
    fn();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
  }
  const rate = entries / best;
  console.log(`${label.padEnd(52)} ${Math.round(rate).toLocaleString('en-US').padStart(12)} entries/s`);
  return rate;
}

function baseline(n: number): void {
  const log = new MemoryLog();
  for (let i = 1; i <= n; i++) {
    log.write({
      hardState: { term: 1, vote: 1, commit: i },
      entries: [{ index: i, term: 1, type: 'command', data: payload }],
    });
  }
}

function oneNode(n: number): void {
  const node = new RaftNode({ id: 1, voters: [1] });
  node.step({ type: 'campaign' });
  let applied = 0;
  for (let i = 0; i < n; i++) {
    const actions = node.step({ type: 'propose', command: payload });
    for (const a of actions) if (a.type === 'apply') applied++;
  }
  if (applied !== n) throw new Error(`applied ${applied} of ${n}`);
}

function threeNodes(n: number, batch: number): void {
  const ids = [1, 2, 3];
  const nodes = new Map(ids.map((id) => [id, new RaftNode({ id, voters: ids }, new MemoryLog())]));
  const queue: Message[] = [];
  const route = (actions: Action[]) => {
    for (const a of actions) if (a.type === 'send') queue.push(a.message);
  };
  const drain = () => {
    while (queue.length > 0) {
      const m = queue.shift()!;
      route(nodes.get(m.to)!.step({ type: 'message', message: m }));
    }
  };
  route(nodes.get(1)!.step({ type: 'campaign' }));
  drain();
  const leader = nodes.get(1)!;
  if (!leader.isLeader()) throw new Error('node 1 did not win');
  const commands = Array.from({ length: batch }, () => payload);
  for (let done = 0; done < n; done += batch) {
    route(leader.step({ type: 'propose', commands }));
    drain();
  }
  for (const node of nodes.values())
    if (node.commitIndex() < n) throw new Error(`node ${node.id} committed ${node.commitIndex()}`);
}

const N = 200_000;
console.log(
  `@raft-io/core throughput (${N.toLocaleString('en-US')} entries of ${payload.length} B, best of 3)\n`,
);
const base = timeIt('baseline: MemoryLog.write, one entry per write', N, () => baseline(N));
const one = timeIt('one node, one proposal per step', N, () => oneNode(N));
const three1 = timeIt('three nodes in memory, one proposal per step', N, () => threeNodes(N, 1));
const three64 = timeIt('three nodes in memory, 64 proposals per step', N, () => threeNodes(N, 64));
const three256 = timeIt('three nodes in memory, 256 proposals per step', N, () => threeNodes(N, 256));
console.log('');
console.log(
  `one node: ${(one / base).toFixed(2)}x the bare MemoryLog baseline; ${(one / 450_000).toFixed(2)}x the 450,000/s target`,
);
console.log(`three nodes, batch 1: ${(three1 / base).toFixed(2)}x baseline`);
console.log(`three nodes, batch 64: ${(three64 / 1_000_000).toFixed(2)}x the 1,000,000/s target`);
console.log(`three nodes, batch 256: ${(three256 / 1_000_000).toFixed(2)}x the 1,000,000/s target`);
