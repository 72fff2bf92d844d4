/**
 * Streaming snapshots measured (D28; the operations guide quotes the numbers): a leader under
 * a steady write load takes a snapshot of `SIZE_MIB` MiB (its state machine streams it, see
 * SyntheticMachine), then a new learner joins over real TCP and receives it chunk by chunk,
 * file to file, and restores it. The learner runs in a process of its own
 * (snapshot-learner.ts): the RSS of each process is sampled every 50 ms, the leader's
 * through the take and the send, the learner's through the receive and the restore. Commit latency
 * (propose to applied, 8 writers) is reported before, during the take, and during the
 * transfer.
 *
 *   SIZE_MIB=256 pnpm --filter raft-io bench:snapshots     (SIZE_MIB=1024 for 1 GiB)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRaftServer, type RaftServer } from '../src/index.js';
import { freePorts, until } from '../test/helpers/cluster.js';
import { SyntheticMachine } from '../test/helpers/synthetic-machine.js';

const SIZE = Number(process.env.SIZE_MIB ?? 256) * 1024 * 1024;
const root = mkdtempSync(join(tmpdir(), 'raft-io-snapbench-'));
const ports = await freePorts(2);
const address = (id: number) => `127.0.0.1:${ports[id - 1]}`;

let phase = 'start';
const rss = new Map<string, number>();
const sampler = setInterval(() => {
  const mb = process.memoryUsage.rss() / 2 ** 20;
  rss.set(phase, Math.max(rss.get(phase) ?? 0, mb));
}, 50);
const latencies = new Map<string, number[]>();

async function node(id: number, sm: SyntheticMachine): Promise<RaftServer<number>> {
  return createRaftServer<number>({
    id,
    voters: id === 1 ? { 1: address(1) } : [],
    dataDir: join(root, `n${id}`),
    snapshotStreaming: true,
    snapshotEveryEntries: 0,
    snapshotEveryBytes: 0,
    stateMachine: sm,
    tcp: {
      clusterId: 5,
      listen: { host: '127.0.0.1', port: ports[id - 1]! },
      peers: id === 1 ? {} : { 1: { host: '127.0.0.1', port: ports[0]! } },
    },
    tickIntervalMs: 50,
    logger: 'silent',
  });
}

const leaderSm = new SyntheticMachine(SIZE);
const leader = await node(1, leaderSm);
let writing = true;
const command = new TextEncoder().encode('x'.repeat(64));
const writers = Array.from({ length: 8 }, async () => {
  while (writing) {
    const started = performance.now();
    await leader.propose(command);
    const list = latencies.get(phase) ?? [];
    list.push(performance.now() - started);
    latencies.set(phase, list);
  }
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

phase = 'before';
await sleep(3000);
phase = 'take';
const takeStarted = performance.now();
const index = await leader.snapshot();
const takeMs = performance.now() - takeStarted;
phase = 'after take';
await sleep(1000);

phase = 'transfer';
const transferStarted = performance.now();
// The learner runs in its own process: its RSS is its own, the leader's stays in this one.
const learner = spawn(
  process.execPath,
  [
    '--conditions=@raft-io/source',
    '--import',
    'tsx',
    fileURLToPath(new URL('./snapshot-learner.ts', import.meta.url)),
    join(root, 'n2'),
    String(ports[0]),
    String(ports[1]),
    String(SIZE),
  ],
  { stdio: ['pipe', 'pipe', 'inherit'] },
);
let learnerOut = '';
learner.stdout!.setEncoding('utf8');
learner.stdout!.on('data', (chunk: string) => {
  learnerOut += chunk;
});
await until('the learner started', () => learnerOut.includes('ready '), 60_000);
await leader.addLearner(2, { address: address(2) });
await until('the learner restored the snapshot', () => learnerOut.includes('restored '), 600_000);
const transferMs = performance.now() - transferStarted;
const learnerPeak = Number(/restored (\d+)/.exec(learnerOut)![1]);
const learnerStart = Number(/ready (\d+)/.exec(learnerOut)![1]);
phase = 'after transfer';
await sleep(1000);
writing = false;
await Promise.all(writers);
clearInterval(sampler);
learner.stdin!.end();
await new Promise((r) => learner.once('close', r));
await leader.close();
rmSync(root, { recursive: true, force: true });

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
console.log(`snapshot of ${SIZE / 2 ** 20} MiB at index ${index}`);
console.log(`take (capture, write, fsync, rename, log): ${(takeMs / 1000).toFixed(2)} s`);
console.log(`transfer to a new learner and restore: ${(transferMs / 1000).toFixed(2)} s`);
console.log(
  `learner process RSS: ${learnerStart} MiB at start, ${learnerPeak} MiB peak through receive and restore`,
);
console.log('phase            commits  p50 ms  p99 ms  max ms  leader RSS MiB');
for (const p of ['before', 'take', 'after take', 'transfer', 'after transfer']) {
  const xs = latencies.get(p) ?? [];
  console.log(
    `${p.padEnd(16)} ${String(xs.length).padStart(7)} ${pct(xs, 50).toFixed(2).padStart(7)} ${pct(xs, 99).toFixed(2).padStart(7)} ${Math.max(
      ...xs,
    )
      .toFixed(1)
      .padStart(7)} ${(rss.get(p) ?? 0).toFixed(0).padStart(12)}`,
  );
}
