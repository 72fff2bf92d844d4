/**
 * Group-commit benchmark: how many proposals share one durable write (`RaftLog.sync`, one
 * fsync) under concurrent load. A three-node cluster in this process on `SqliteLog` (group
 * commit, fsync on sync) in a temp dir and `TcpTransport` on 127.0.0.1; C proposers each
 * propose one small command at a time, in a loop, for D seconds; then the leader's counters
 * give proposals per durable write. The machine's raw fsync rate is measured first as the
 * reference: without group commit, a leader's throughput is bounded by it.
 *
 * Run: `pnpm --filter raft-io bench` (or `node --conditions=@raft-io/source --import tsx
 * bench/group-commit.bench.ts`). Env: BENCH_SECONDS (default 3), BENCH_CONCURRENCY
 * (comma-separated, default 1,16,64,256). Prints numbers; asserts nothing.
 */
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRaftServer, type NodeId, type RaftServer, type StateMachine } from '../src/index.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const levels = (process.env.BENCH_CONCURRENCY ?? '1,16,64,256').split(',').map(Number);

/** A counter state machine: apply returns the number of commands applied so far. */
class Counter implements StateMachine<number> {
  n = 0;
  apply(): number {
    return ++this.n;
  }
  snapshot(): Uint8Array {
    return new TextEncoder().encode(String(this.n));
  }
  restore(bytes: Uint8Array): void {
    this.n = Number(new TextDecoder().decode(bytes));
  }
}

/** fsyncs per second of a small append to a file in `dir`, for `ms`. */
function fsyncRate(dir: string, ms: number): number {
  const file = join(dir, 'fsync-probe');
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(512, 1);
  let n = 0;
  const end = performance.now() + ms;
  try {
    while (performance.now() < end) {
      writeSync(fd, block);
      fsyncSync(fd);
      n++;
    }
  } finally {
    closeSync(fd);
    rmSync(file, { force: true });
  }
  return n / (ms / 1000);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function startCluster(dir: string): Promise<RaftServer<number>[]> {
  const ids: NodeId[] = [1, 2, 3];
  const servers: RaftServer<number>[] = [];
  for (const id of ids) {
    servers.push(
      await createRaftServer<number>({
        id,
        voters: ids,
        dataDir: join(dir, `n${id}`),
        stateMachine: new Counter(),
        tcp: { clusterId: 1, listen: { host: '127.0.0.1', port: 0 } },
        tickIntervalMs: 50,
        snapshotEveryEntries: 50_000,
      }),
    );
  }
  for (const a of servers) for (const b of servers) if (a !== b) a.setPeerAddress(b.id, b.address()!);
  return servers;
}

async function waitForLeader(servers: RaftServer<number>[]): Promise<RaftServer<number>> {
  for (;;) {
    const leader = servers.find((s) => s.isLeader());
    if (leader && servers.every((s) => s.leader() === leader.id)) return leader;
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function run(concurrency: number, root: string): Promise<void> {
  const dir = mkdtempSync(join(root, `c${concurrency}-`));
  const servers = await startCluster(dir);
  try {
    const leader = await waitForLeader(servers);
    const before = leader.stats();
    const followerBefore = servers.filter((s) => s !== leader).map((s) => s.stats().durableWrites);
    const latencies: number[] = [];
    const command = new Uint8Array(64);
    const end = performance.now() + seconds * 1000;
    let failures = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < end) {
          const t0 = performance.now();
          try {
            await leader.propose(command);
            latencies.push(performance.now() - t0);
          } catch {
            failures++;
          }
        }
      }),
    );
    const after = leader.stats();
    const proposals = after.proposals - before.proposals;
    const writes = after.durableWrites - before.durableWrites;
    const followerWrites = servers
      .filter((s) => s !== leader)
      .map((s, i) => s.stats().durableWrites - followerBefore[i]!);
    latencies.sort((a, b) => a - b);
    console.log(
      [
        `C=${String(concurrency).padStart(3)}`,
        `${Math.round(latencies.length / seconds)
          .toString()
          .padStart(6)} proposals/s`,
        `p50 ${percentile(latencies, 50).toFixed(2)} ms`,
        `p99 ${percentile(latencies, 99).toFixed(2)} ms`,
        `leader: ${proposals} proposals / ${writes} durable writes = ${(proposals / Math.max(1, writes)).toFixed(1)} per fsync`,
        `followers: ${followerWrites.map((w) => (proposals / Math.max(1, w)).toFixed(1)).join(', ')} per fsync`,
        `batches ${after.batches - before.batches}`,
        failures > 0 ? `failures ${failures}` : '',
      ]
        .filter(Boolean)
        .join('  '),
    );
  } finally {
    await Promise.all(servers.map((s) => s.close()));
  }
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'raft-io-bench-'));
  try {
    const rate = fsyncRate(root, 1000);
    console.log(`group commit, 3 nodes in one process, SqliteLog + TcpTransport, ${seconds} s per level`);
    console.log(
      `reference: this disk does ${Math.round(rate)} fsyncs/s (512-byte append + fsync, one thread)`,
    );
    for (const c of levels) await run(c, root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
