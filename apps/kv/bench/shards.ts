/**
 * `bench:shards`: aggregate write throughput of the sharded kv against the single-group kv,
 * in one run (only ratios within one run mean anything on a shared machine). Case by case it
 * starts a three-process cluster (the built CLI, durable SQLite logs in a temp dir): the
 * single-group kv, then `kv --shards N` for each N, and drives it with C closed-loop writers
 * (`PUT /kv/:key`, answered after commit and apply) for D seconds after a short warm-up: to
 * the leader of the single group, and to the leader of each key's shard in sharded mode
 * (`kv-targets.ts`). It prints, per case: writes/s, p50 and p99, the ratio of writes/s to
 * the single group's, and fsyncs per committed write: the fsyncs of all three processes over
 * the measured window (single group: `raft_durable_writes_total` of each node's /metrics;
 * sharded: `walSyncs` of each node's `RaftHost`, in /status), divided by the writes answered
 * 200 in it. A write is durable on at least two of the three processes, so the floor without
 * group commit is 2 to 3; group commit (one fsync per batch, shared by every shard of a host)
 * takes it below. Batches and messages per write, counted the same way (raft metrics of the
 * single group; `groupBatches` and `itemsSent` of each host), show how many writes share a
 * group's batch: all C writers share one group's, and N shards split them N ways.
 *
 * A second table keeps the load per shard fixed instead (`--writers-per-shard W`, default 4):
 * W writers for the single group and for 1 shard, W x N for N shards. With a fixed total C, a
 * single group already batches every writer into one fsync and leaves no room on two cores;
 * with a fixed load per shard, more shards bring more writes to each host's shared fsync, so
 * this table shows whether shards add throughput until the cores are saturated and whether
 * fsyncs per write fall as groups share them.
 *
 *   pnpm --filter kv bench:shards                 # single, 1, 4, 16, 64 shards; 10 s each
 *   BENCH_SHARDS_SECONDS=2 pnpm --filter kv bench:shards
 *   node --import tsx bench/shards.ts -d 2 --cases single,4,64
 *
 * Options:
 *   -d, --duration SECONDS  measured length of each case (env BENCH_SHARDS_SECONDS). Default 10.
 *   --cases LIST            `single` and shard counts (env BENCH_SHARDS_CASES). Default single,1,4,16,64.
 *   -c, --concurrency N     closed-loop writers of the first table. Default 64.
 *   --writers-per-shard W   writers per shard of the second table; 0 skips it. Default 4.
 *   --value-bytes N         value size. Default 100.
 *   --keys N                key space. Default 10000.
 *   --tick-ms MS            Raft tick of the clusters. Default 100.
 *   --json                  print the results as one JSON object at the end too.
 *   env BENCH_NODE_ARGS     extra Node flags for the cluster's processes (`--cpu-prof --cpu-prof-dir=DIR`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkShardCount, LocalCluster, type ShardedStatus } from '../src/index.js';
import { closedLoop, type LoadResult } from './closed-loop.js';
import { kvLeader, shardRoutes, spreadStatus } from './kv-targets.js';
import { counterTotals } from './metrics-scrape.js';
import { cpuMeter, perOperation } from './process-cpu.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', short: 'd', default: process.env.BENCH_SHARDS_SECONDS ?? '10' },
    cases: { type: 'string', default: process.env.BENCH_SHARDS_CASES ?? 'single,1,4,16,64' },
    concurrency: { type: 'string', short: 'c', default: '64' },
    'writers-per-shard': { type: 'string', default: '4' },
    'value-bytes': { type: 'string', default: '100' },
    keys: { type: 'string', default: '10000' },
    'tick-ms': { type: 'string', default: '100' },
    json: { type: 'boolean', default: false },
  },
});

function positive(text: string, what: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${what}: expected a positive number, got ${text}`);
  return n;
}

const seconds = positive(values.duration!, '--duration');
const concurrency = Math.round(positive(values.concurrency!, '--concurrency'));
/** Writers per shard of the second table; 0 skips it. */
const perShard =
  values['writers-per-shard'] === '0'
    ? 0
    : Math.round(positive(values['writers-per-shard']!, '--writers-per-shard'));
const keys = Math.round(positive(values.keys!, '--keys'));
const tickMs = Math.round(positive(values['tick-ms']!, '--tick-ms'));
const value = Buffer.alloc(Math.round(positive(values['value-bytes']!, '--value-bytes')), 'x');
/** `null`: the single-group kv; a number: that many shards. */
const cases: (number | null)[] = values.cases!.split(',').map((c) => {
  const t = c.trim();
  return t === 'single' ? null : checkShardCount(/^\d+$/.test(t) ? Number(t) : t);
});
const warmupSeconds = Math.min(2, seconds / 4);
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
/** Extra Node flags for the cluster's processes, e.g. `--cpu-prof` (env BENCH_NODE_ARGS). */
const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');

interface CaseResult extends LoadResult {
  readonly shards: number | null;
  readonly writers: number;
  readonly fsyncs: number;
  readonly fsyncsPerWrite: number;
  /** Driver batches of every group on the three processes, per write answered. */
  readonly batchesPerWrite: number;
  /** Raft messages the three processes sent, per write answered. */
  readonly messagesPerWrite: number;
  /** CPU of the three processes per write answered, in µs. */
  readonly serverCpuUs: number;
  /** CPU of the load generator per write answered, in µs. */
  readonly generatorCpuUs: number;
  /** Share of the whole machine's CPU that was busy over the measured window (0..1). */
  readonly machineBusy: number;
}

/** What the three processes did so far: fsyncs, the groups' driver batches, and messages sent. */
interface ClusterCounters {
  readonly fsyncs: number;
  readonly batches: number;
  readonly messages: number;
}

/**
 * The counters of the whole cluster so far: for the single group each node's raft metrics
 * (durable writes, batches, messages sent); for a sharded store each host's `/status`
 * counters (WAL syncs, the batches of all its groups, the group messages it sent).
 */
async function clusterCounters(urls: string[], sharded: boolean): Promise<ClusterCounters> {
  const perNode = await Promise.all(
    urls.map(async (u): Promise<number[]> => {
      if (!sharded)
        return counterTotals(u, [
          'raft_durable_writes_total',
          'raft_batches_total',
          'raft_messages_sent_total',
        ]);
      const res = await fetch(`${u}/status`, { signal: AbortSignal.timeout(5000) });
      const { host } = (await res.json()) as ShardedStatus;
      return [host.walSyncs, host.groupBatches, host.itemsSent];
    }),
  );
  const sum = (i: number) => perNode.reduce((a, n) => a + n[i]!, 0);
  return { fsyncs: sum(0), batches: sum(1), messages: sum(2) };
}

async function runCase(root: string, shards: number | null, writers: number): Promise<CaseResult> {
  // Removed after the case: the next case starts from empty data dirs, even with the same
  // shards and writers (both tables run 16 shards with 64 writers).
  const name = `${shards === null ? 'single' : `shards-${shards}`}-c${writers}`;
  const cluster = await LocalCluster.start({
    dir: join(root, name),
    ...(shards === null ? {} : { shards }),
    tickIntervalMs: tickMs,
    logLevel: 'warn',
    command: { file: process.execPath, args: [...nodeArgs, CLI] },
    onLog: (id, line) => process.stderr.write(`[${name} n${id}] ${line}\n`),
  });
  try {
    const urls = cluster.nodes.map((n) => n.url);
    let route: (key: string) => string;
    if (shards === null) {
      const leader = await kvLeader(urls);
      route = () => leader;
    } else {
      const status = await spreadStatus(urls, 30_000);
      if (status === null || status.leaderless > 0) throw new Error(`${name}: shards without a leader`);
      route = shardRoutes(status, urls);
    }
    const load = (s: number) =>
      closedLoop({
        concurrency: writers,
        seconds: s,
        keys,
        request: (key) => ({ path: `${route(key)}/kv/${key}`, method: 'PUT', body: value }),
      });
    await load(warmupSeconds);
    const before = await clusterCounters(urls, shards !== null);
    const meter = cpuMeter(cluster.nodes.flatMap((n) => cluster.pid(n.id) ?? []));
    const r = await load(seconds);
    const cpu = meter.stop();
    const after = await clusterCounters(urls, shards !== null);
    const perWrite = (n: number) => (r.ops > 0 ? n / r.ops : NaN);
    return {
      shards,
      writers,
      ...r,
      fsyncs: after.fsyncs - before.fsyncs,
      fsyncsPerWrite: perWrite(after.fsyncs - before.fsyncs),
      batchesPerWrite: perWrite(after.batches - before.batches),
      messagesPerWrite: perWrite(after.messages - before.messages),
      serverCpuUs: perOperation(cpu.serversMicros, r.ops),
      generatorCpuUs: perOperation(cpu.generatorMicros, r.ops),
      machineBusy: cpu.machineBusy,
    };
  } finally {
    await cluster.stop();
    rmSync(join(root, name), { recursive: true, force: true });
  }
}

function caseName(r: CaseResult): string {
  return r.shards === null ? 'single group' : `${r.shards} shard${r.shards === 1 ? '' : 's'}`;
}

function row(r: CaseResult, single: CaseResult | undefined): string {
  const ratio = single && single.opsPerSecond > 0 ? (r.opsPerSecond / single.opsPerSecond).toFixed(2) : '-';
  return [
    caseName(r).padEnd(13),
    String(r.writers).padStart(7),
    String(r.opsPerSecond).padStart(9),
    r.p50Ms.toFixed(2).padStart(8),
    r.p99Ms.toFixed(2).padStart(8),
    `${ratio}x`.padStart(9),
    r.fsyncsPerWrite.toFixed(3).padStart(13),
    r.batchesPerWrite.toFixed(2).padStart(14),
    r.messagesPerWrite.toFixed(2).padStart(15),
    String(r.errors).padStart(7),
    String(r.serverCpuUs).padStart(9),
    String(r.generatorCpuUs).padStart(7),
    `${Math.round(r.machineBusy * 100)}%`.padStart(5),
  ].join('  ');
}

const HEADER =
  'case           writers  writes/s   p50 ms   p99 ms  vs single  fsyncs/write  batches/write  messages/write   errors  cpu µs/write (servers, generator)  busy';

/** Every case with the writers `writersOf` gives it, each row printed as it ends. */
async function runTable(root: string, writersOf: (shards: number | null) => number): Promise<CaseResult[]> {
  console.log(HEADER);
  const results: CaseResult[] = [];
  for (const shards of cases) {
    const r = await runCase(root, shards, writersOf(shards));
    results.push(r);
    console.log(
      row(
        r,
        results.find((x) => x.shards === null),
      ),
    );
  }
  return results;
}

/**
 * Under the fixed-C table: how much CPU a write may take for a case to answer as many writes
 * per second as the single group on the same cores. The single group spent `c` µs per write
 * with the machine `busy` (0..1) busy: with every core busy the machine gives `c / busy` µs
 * per write at that rate, and every case spends its CPU per write (servers and generator).
 */
function printWriteBudget(rows: readonly CaseResult[]): void {
  const cpuUs = (r: CaseResult) => r.serverCpuUs + r.generatorCpuUs;
  const single = rows.find((r) => r.shards === null);
  if (single === undefined || !(single.machineBusy > 0)) return;
  const budget = Math.round(cpuUs(single) / single.machineBusy);
  const spent = rows.filter((r) => r.shards !== null).map((r) => `${caseName(r)} ${cpuUs(r)}`);
  console.log(
    `The single group kept ${Math.round(single.machineBusy * 100)}% of the cores busy: a case matches its writes/s on these cores only within ${budget} µs of CPU per write (servers and generator); spent: ${spent.join(', ') || '-'}.`,
  );
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'kv-bench-shards-'));
  console.log(
    `kv bench:shards: 3 processes, durable, ${value.length}-byte values, ${keys} keys, ` +
      `${seconds} s per case after ${warmupSeconds} s of warm-up, tick ${tickMs} ms`,
  );
  let fixedTotal: CaseResult[] = [];
  let fixedPerShard: CaseResult[] = [];
  try {
    console.log(`C=${concurrency} writers in every case:`);
    fixedTotal = await runTable(root, () => concurrency);
    printWriteBudget(fixedTotal);
    if (perShard > 0) {
      console.log(`${perShard} writers per shard (the single group and 1 shard: ${perShard}):`);
      fixedPerShard = await runTable(root, (shards) => perShard * (shards ?? 1));
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  console.log(
    'fsyncs/write: fsyncs of all three processes (WAL syncs of the hosts; durable writes of the single group) per write answered 200.',
  );
  console.log(
    'batches/write, messages/write: driver batches of all groups (each a step per event, a log write, its actions) and Raft messages sent, all three processes, per write answered 200.',
  );
  console.log(
    'cpu µs/write: user + system CPU of the three processes, and of the load generator, per write answered 200; busy: the share of all cores busy (every process and the kernel) meanwhile.',
  );
  if (values.json) console.log(JSON.stringify({ seconds, concurrency, perShard, fixedTotal, fixedPerShard }));
}

await main();
