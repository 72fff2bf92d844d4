/**
 * Load generator for the kv HTTP API, and the same load against etcd in the same run. C
 * concurrent clients for D seconds each; each client sends one request at a time on its own
 * keep-alive connection (closed loop), to the leader. Phases: puts (`PUT /kv/:key`, answered
 * after commit and apply), then linearizable gets (`GET /kv/:key`, ReadIndex).
 *
 * By default it starts its own three-node cluster (three `kv node` processes from the built
 * CLI, durable SQLite logs in a temp dir) and measures the disk's raw fsync rate there. When
 * `etcd` is on the PATH (Debian: `etcd-server`) it also starts a three-member etcd on loopback
 * in the same temp dir (default durability: an fsync per batch of its WAL) and runs each phase
 * on raft-io and then on etcd, so both meet the disk in the same minute (its fsync rate drifts
 * here), driving etcd through its v3 JSON gateway (`/v3/kv/put`, `/v3/kv/range`,
 * linearizable by default) with the same generator. It prints the ratios against the
 * issue's targets: put C=1 p50 at most 0.5x etcd's, put C=64 at least 4x etcd's throughput,
 * linearizable get C=16 at least 6x. Without etcd it says so and prints raft-io's numbers.
 * It also loads two floors with the same generator, phase by phase: a Node HTTP server that
 * answers at once (`noop-http.ts`: what Node's HTTP costs alone) and three processes that
 * replicate and fsync and do nothing else (`replicated-floor.ts`: the least any replicated
 * durable store of this shape costs in Node here). It prints the CPU each operation costs the
 * servers and the generator (`process-cpu.ts`), raft-io and each target against the floors,
 * and where a put at C=1 spends its time, from the leader's and a follower's /metrics (the
 * metrics hook). Only ratios within one run mean anything on a shared machine.
 *
 *   pnpm --filter kv bench                        # put C=1, put C=64, get C=16; 5 s per phase
 *   node --import tsx bench/load.ts -d 10 --etcd off
 *   node --import tsx bench/load.ts --phases put:1,put:16,get:64
 *   node --import tsx bench/load.ts --urls http://127.0.0.1:8001,http://127.0.0.1:8002 --etcd off
 *   node --import tsx bench/load.ts --shards 16 --etcd off   # a sharded store (kv cluster --shards 16)
 *
 * Against a sharded store (`--shards N`, or `--urls` of one) each key goes to the node that
 * leads its shard (`shard-routes.ts`) instead of to the one leader.
 *
 * Options:
 *   --phases LIST           comma-separated op:C (op is put or get). Default put:1,put:64,get:16.
 *   -d, --duration SECONDS  length of each phase. Default 5.
 *   --warmup SECONDS        load before each phase, not measured. Default 2 (a quarter of -d if shorter).
 *   --etcd auto|off         compare with etcd when it is installed (auto, the default).
 *   --urls LIST             base URLs of a running kv cluster (no cluster is started).
 *   --keys N                key space. Default 1000 (written once before the first phase).
 *   --value-bytes N         value size. Default 100.
 *   --tick-ms MS            Raft tick of the cluster it starts. Default 100.
 *   --shards N              start a sharded store of N shards (1..1024) instead of one group.
 *   --baseline-cli PATH     also run another build of the kv CLI (e.g. main's dist/cli.js) as
 *                           system `before`, each phase beside the others: a before/after in one run.
 *   --floor on|off          also load the two floors in each phase (on): a no-op Node HTTP server
 *                           (its own process; no Raft, no disk) and the replicated floor (three
 *                           processes; not with --urls).
 *   --json                  print the results as one JSON object at the end too.
 *   --cpu-prof DIR          the raft-io nodes write V8 CPU profiles into DIR when they stop
 *                           (`node --cpu-prof`); the bench prints which pid led. Summarize one
 *                           with `node bench/profile-summary.mjs FILE`.
 */
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LocalCluster } from '../src/local-cluster.js';
import { closedLoop, type LoadResult } from './closed-loop.js';
import { EtcdCluster, etcdVersion } from './etcd-cluster.js';
import { LoadClient } from './http-connection.js';
import { kvLeader, shardedStatus, shardRoutes, spreadStatus } from './kv-targets.js';
import { breakdown, formatBreakdown, scrape } from './metrics-scrape.js';
import { startNoopHttpServer } from './noop-http.js';
import { cpuMeter, perOperation } from './process-cpu.js';
import { startReplicatedFloor } from './replicated-floor.js';

type Op = 'put' | 'get';

interface PhaseResult extends LoadResult {
  /**
   * raft-io, etcd, `before` (raft-io from `--baseline-cli`: another build, e.g. main's) or
   * `no-op` (the floor: a Node HTTP server that answers at once, `noop-http.ts`) or
   * `floor-3` (the replicated floor: three processes that replicate and fsync, and nothing
   * else, `replicated-floor.ts`).
   */
  system: 'raft-io' | 'etcd' | 'before' | 'no-op' | 'floor-3';
  op: Op;
  concurrency: number;
  /** CPU of the system's processes (all three members) per operation answered, in µs. */
  serverCpuUs: number;
  /** CPU of the load generator per operation answered, in µs. */
  generatorCpuUs: number;
}

/** How one system answers a put and a get: the request to send. */
interface Api {
  put(base: string, key: string): { path: string; body: Buffer };
  get(base: string, key: string): { path: string; method: string; body?: Buffer };
}

const kvApi: Api = {
  put: (base, key) => ({ path: `${base}/kv/${key}`, body: value }),
  get: (base, key) => ({ path: `${base}/kv/${key}`, method: 'GET' }),
};

const b64 = (s: string) => Buffer.from(s).toString('base64');
const etcdApi: Api = {
  put: (base, key) => ({
    path: `${base}/v3/kv/put`,
    body: Buffer.from(JSON.stringify({ key: b64(key), value: value.toString('base64') })),
  }),
  // Linearizable: the gateway's range is `serializable: false` unless asked otherwise.
  get: (base, key) => ({
    path: `${base}/v3/kv/range`,
    method: 'POST',
    body: Buffer.from(JSON.stringify({ key: b64(key) })),
  }),
};

const { values } = parseArgs({
  options: {
    phases: { type: 'string', default: 'put:1,put:64,get:16' },
    duration: { type: 'string', short: 'd', default: '5' },
    warmup: { type: 'string' },
    etcd: { type: 'string', default: 'auto' },
    floor: { type: 'string', default: 'on' },
    urls: { type: 'string' },
    keys: { type: 'string', default: '1000' },
    'value-bytes': { type: 'string', default: '100' },
    'tick-ms': { type: 'string', default: '100' },
    shards: { type: 'string' },
    'baseline-cli': { type: 'string' },
    'cpu-prof': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const phases = values.phases!.split(',').map((p) => {
  const [op, c] = p.split(':');
  if ((op !== 'put' && op !== 'get') || !Number.isInteger(Number(c)) || Number(c) < 1)
    throw new Error(`--phases: ${p} is not put:C or get:C`);
  return { op: op as Op, concurrency: Number(c) };
});
const seconds = Number(values.duration);
/**
 * Load before each measured phase, not counted: the first seconds after the populate step (or
 * the phase before) run slower on every system while the disk writes back and code warms up.
 */
const warmupSeconds = values.warmup === undefined ? Math.min(2, seconds / 4) : Number(values.warmup);
if (!(warmupSeconds >= 0)) throw new Error('--warmup is a number of seconds, 0 or more');
/** Cores shared by the servers and the generator: their CPU per second. */
const CORES = availableParallelism();
const keys = Number(values.keys);
const value = Buffer.alloc(Number(values['value-bytes']), 'x');
if (values.etcd !== 'auto' && values.etcd !== 'off') throw new Error('--etcd is auto or off');
if (values.floor !== 'on' && values.floor !== 'off') throw new Error('--floor is on or off');

/** fsyncs per second of a 4 KiB append in `dir`, for `ms`: the reference for durable writes. */
function fsyncRate(dir: string, ms: number): number {
  const file = join(dir, 'fsync-probe');
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(4096, 1);
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

/** One closed-loop phase: `concurrency` clients, each one request at a time, for `length` seconds. */
async function phase(t: Target, op: Op, concurrency: number, length = seconds): Promise<PhaseResult> {
  const to = (key: string) => t.route?.(key) ?? t.leader;
  const meter = cpuMeter(t.pids());
  const r = await closedLoop({
    concurrency,
    seconds: length,
    keys,
    notFoundIsAnswer: op === 'get',
    request: (key) => {
      if (op === 'put') {
        const put = t.api.put(to(key), key);
        return { path: put.path, method: t.system === 'etcd' ? 'POST' : 'PUT', body: put.body };
      }
      const get = t.api.get(to(key), key);
      return { path: get.path, method: get.method, ...(get.body ? { body: get.body } : {}) };
    },
  });
  const cpu = meter.stop();
  return {
    system: t.system,
    op,
    concurrency,
    ...r,
    serverCpuUs: perOperation(cpu.serversMicros, r.ops),
    generatorCpuUs: perOperation(cpu.generatorMicros, r.ops),
  };
}

async function populate(
  system: PhaseResult['system'],
  api: Api,
  target: string,
  route?: (key: string) => string,
): Promise<void> {
  const clients = Array.from({ length: 32 }, () => new LoadClient());
  let next = 0;
  try {
    await Promise.all(
      clients.map(async (client) => {
        while (next < keys) {
          const key = `k${next++}`;
          const r = api.put(route?.(key) ?? target, key);
          await client.send(system === 'etcd' ? 'POST' : 'PUT', r.path, r.body);
        }
      }),
    );
  } finally {
    for (const c of clients) c.close();
  }
}

function row(r: PhaseResult): string {
  const cpu = (us: number) => (Number.isNaN(us) ? '-' : String(us)).padStart(8);
  return `${r.system.padEnd(8)} ${r.op.padEnd(4)} ${String(r.concurrency).padStart(4)}  ${String(r.opsPerSecond).padStart(8)}  ${r.p50Ms.toFixed(2).padStart(8)}  ${r.p99Ms.toFixed(2).padStart(8)}  ${String(r.errors).padStart(6)}  ${cpu(r.serverCpuUs)}  ${cpu(r.generatorCpuUs)}`;
}

/**
 * The performance issue's three targets against etcd, in one run: put C=1 p50 at most 0.5x
 * etcd's, put C=64 throughput at least 4x, linearizable get C=16 throughput at least 6x.
 */
const TARGETS: readonly { op: Op; concurrency: number; factor: number; latency: boolean }[] = [
  { op: 'put', concurrency: 1, factor: 0.5, latency: true },
  { op: 'put', concurrency: 64, factor: 4, latency: false },
  { op: 'get', concurrency: 16, factor: 6, latency: false },
];

const resultOf = (list: PhaseResult[], op: Op, concurrency: number) =>
  list.find((r) => r.op === op && r.concurrency === concurrency);

/** The issue's three targets, as ratios of this run. */
function ratios(ours: PhaseResult[], theirs: PhaseResult[]): string[] {
  const lines: string[] = [];
  for (const t of TARGETS) {
    const a = resultOf(ours, t.op, t.concurrency);
    const b = resultOf(theirs, t.op, t.concurrency);
    if (!a || !b) continue;
    const x = t.latency ? a.p50Ms / b.p50Ms : a.opsPerSecond / b.opsPerSecond;
    const met = t.latency ? x <= t.factor : x >= t.factor;
    const label = `${t.op} C=${t.concurrency} ${t.latency ? 'p50' : 'throughput'}, raft-io / etcd`;
    const goal = `${t.latency ? '<=' : '>='} ${t.factor}x`.padEnd(7);
    lines.push(
      `  ${label.padEnd(34)} ${x.toFixed(2).padStart(6)}x   target ${goal}  ${met ? 'met' : 'NOT met'}`,
    );
  }
  return lines;
}

/** A system under test, started and populated, with where to send the load. */
interface Target {
  readonly system: PhaseResult['system'];
  readonly api: Api;
  readonly leader: string;
  readonly follower: string | null;
  /** A sharded store: the URL of the leader of a key's shard. */
  readonly route?: (key: string) => string;
  /** The system's processes (for the CPU per operation); none for `--urls`. */
  pids(): number[];
  stop(): Promise<void>;
}

/** Node flags that make the raft-io nodes (not a `--baseline-cli` build) write CPU profiles. */
function profileArgs(baseline: string | undefined): string[] {
  const dir = values['cpu-prof'];
  return dir === undefined || baseline !== undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${dir}`];
}

async function startRaftIo(dir: string | null, baseline?: string): Promise<Target> {
  let cluster: LocalCluster | null = null;
  let urls: string[];
  const shards = values.shards === undefined ? undefined : Number(values.shards);
  if (values.urls && baseline === undefined) {
    urls = values.urls.split(',').map((u) => u.replace(/\/+$/, ''));
  } else {
    const cli = baseline ?? fileURLToPath(new URL('../dist/cli.js', import.meta.url));
    cluster = await LocalCluster.start({
      dir: join(dir!, baseline === undefined ? 'raft-io' : 'before'),
      tickIntervalMs: Number(values['tick-ms']),
      ...(shards !== undefined && baseline === undefined ? { shards } : {}),
      logLevel: 'warn',
      command: { file: process.execPath, args: [...profileArgs(baseline), cli] },
      onLog: (id, line) => process.stderr.write(`[n${id}] ${line}\n`),
    });
    urls = cluster.nodes.map((n) => n.url);
  }
  // A sharded store (started with --shards, or behind --urls): each key to its shard's leader.
  const sharded = (await shardedStatus(urls)) === null ? null : await spreadStatus(urls, 20_000);
  const route = sharded === null ? undefined : shardRoutes(sharded, urls);
  const leader = sharded === null ? await kvLeader(urls) : urls[0]!;
  if (cluster && profileArgs(baseline).length > 0) {
    const roles = cluster.nodes.map(
      (n) => `n${n.id} pid ${cluster!.pid(n.id)}${n.url === leader ? ' (leader)' : ''}`,
    );
    console.log(`cpu profiles in ${values['cpu-prof']}: ${roles.join(', ')}`);
  }
  await populate('raft-io', kvApi, leader, route);
  return {
    system: baseline === undefined ? 'raft-io' : 'before',
    api: kvApi,
    leader,
    follower: sharded === null ? (urls.find((u) => u !== leader) ?? null) : null,
    ...(route ? { route } : {}),
    pids: () => (cluster ? cluster.nodes.flatMap((n) => cluster!.pid(n.id) ?? []) : []),
    stop: async () => {
      await cluster?.stop();
    },
  };
}

async function startReplicated(dir: string): Promise<Target> {
  const floor = await startReplicatedFloor(join(dir, 'floor-3'));
  try {
    await populate('floor-3', kvApi, floor.url);
  } catch (error) {
    await floor.stop();
    throw error;
  }
  return {
    system: 'floor-3',
    api: kvApi,
    leader: floor.url,
    follower: null,
    pids: () => [...floor.pids],
    stop: () => floor.stop(),
  };
}

async function startFloor(): Promise<Target> {
  const server = await startNoopHttpServer();
  return {
    system: 'no-op',
    api: kvApi,
    leader: server.url,
    follower: null,
    pids: () => [server.pid],
    stop: () => server.stop(),
  };
}

/**
 * raft-io's numbers and each etcd target against the two floors of the same phase: `no-op`
 * (what Node's HTTP costs alone) and `floor-3` (three processes that replicate and fsync and
 * do nothing else). A target at or above `floor-3` is out of reach for any replicated store
 * of this shape in Node on this machine: Raft, checksums and authentication only add to it.
 */
function floorLines(ours: PhaseResult[], theirs: PhaseResult[], floors: PhaseResult[]): string[] {
  const lines: string[] = [];
  const share = (x: number, of: number) => `${((100 * x) / of).toFixed(0)}%`;
  for (const p of phases) {
    const same = floors.filter((g) => g.op === p.op && g.concurrency === p.concurrency);
    if (same.length === 0) continue;
    const a = resultOf(ours, p.op, p.concurrency);
    const e = resultOf(theirs, p.op, p.concurrency);
    const goal = TARGETS.find((t) => t.op === p.op && t.concurrency === p.concurrency);
    const parts = same.map((g) => `${g.system} ${g.opsPerSecond}/s p50 ${g.p50Ms.toFixed(2)} ms`);
    const top = same.find((g) => g.system === 'floor-3') ?? same[0]!;
    if (a) {
      parts.push(
        `raft-io ${share(a.opsPerSecond, top.opsPerSecond)} of ${top.system}'s throughput, p50 +${(a.p50Ms - top.p50Ms).toFixed(2)} ms`,
      );
    }
    if (e && goal) {
      const target = goal.factor * (goal.latency ? e.p50Ms : e.opsPerSecond);
      parts.push(
        goal.latency
          ? `target p50 ${target.toFixed(2)} ms = ${top.system}'s ${(target / top.p50Ms).toFixed(2)}x`
          : `target ${Math.round(target)}/s = ${share(target, top.opsPerSecond)} of ${top.system}'s`,
      );
    }
    lines.push(`  ${p.op} C=${p.concurrency}: ${parts.join('; ')}`);
    // The machine's CPU: servers and generator share its cores.
    const perOp = (r: PhaseResult) => r.serverCpuUs + r.generatorCpuUs;
    const cpu = [a, e, ...same].flatMap((r) =>
      r && !Number.isNaN(perOp(r))
        ? [`${r.system} ${perOp(r)} µs (${r.serverCpuUs} + ${r.generatorCpuUs})`]
        : [],
    );
    const budget =
      e && goal && !goal.latency
        ? `; the target leaves ${Math.round((CORES * 1e6) / (goal.factor * e.opsPerSecond))} µs`
        : '';
    if (cpu.length > 0)
      lines.push(`    CPU per op, servers + generator, of ${CORES * 1e6} µs/s: ${cpu.join(', ')}${budget}`);
  }
  return lines;
}

async function startEtcd(dir: string): Promise<Target> {
  const etcd = await EtcdCluster.start(join(dir, 'etcd'));
  try {
    const leader = await etcd.leader();
    await populate('etcd', etcdApi, leader);
    return {
      system: 'etcd',
      api: etcdApi,
      leader,
      follower: null,
      pids: () => etcd.pids,
      stop: () => etcd.stop(),
    };
  } catch (error) {
    await etcd.stop();
    throw error;
  }
}

/**
 * Every phase on every system, one after the other per phase (raft-io, then etcd), so both
 * see the disk and the machine in the same minute: this machine's fsync rate drifts.
 */
async function runPhases(targets: Target[]): Promise<{ results: PhaseResult[]; breakdownLines: string[] }> {
  const results: PhaseResult[] = [];
  let breakdownLines: string[] = [];
  for (const p of phases) {
    for (const t of targets) {
      // The breakdown reads one group's metrics: not of a sharded store.
      const measureBreakdown =
        t.system === 'raft-io' && t.route === undefined && p.op === 'put' && p.concurrency === 1;
      if (warmupSeconds > 0) await phase(t, p.op, p.concurrency, warmupSeconds);
      const before = measureBreakdown ? await scrape(t.leader, t.follower) : null;
      const r = await phase(t, p.op, p.concurrency);
      results.push(r);
      console.log(row(r));
      if (before) {
        const after = await scrape(t.leader, t.follower);
        if (after) breakdownLines = formatBreakdown(breakdown(before, after), r.meanMs, r.ops);
      }
    }
  }
  return { results, breakdownLines };
}

async function main(): Promise<void> {
  const dir = values.urls ? null : mkdtempSync(join(tmpdir(), 'kv-load-'));
  try {
    const etcd = values.etcd === 'auto' && !values.urls ? etcdVersion() : null;
    console.log(
      `kv bench: 3 nodes, closed loop to the leader${values.shards ? ` of each key's shard (${values.shards} shards)` : ''}, ${seconds} s per phase after ${warmupSeconds} s of warm-up, ${keys} keys, ${value.length}-byte values`,
    );
    if (dir) {
      console.log(
        `reference: the data dir's disk does ${Math.round(fsyncRate(dir, 1000))} fsyncs/s (4 KiB append + fsync, one thread)`,
      );
    }
    console.log(
      etcd
        ? `comparing with ${etcd} (3 members on loopback, default durability, v3 JSON gateway)`
        : values.etcd === 'off' || values.urls
          ? 'etcd comparison off'
          : 'etcd is not installed (Debian: apt-get install etcd-server): raft-io alone',
    );
    const targets: Target[] = [];
    try {
      targets.push(await startRaftIo(dir));
      if (values['baseline-cli'] && dir) targets.push(await startRaftIo(dir, values['baseline-cli']));
      if (etcd && dir) targets.push(await startEtcd(dir));
      if (values.floor === 'on') targets.push(await startFloor());
      if (values.floor === 'on' && dir) targets.push(await startReplicated(dir));
      console.log('system   op      C     ops/s    p50 ms    p99 ms  errors  cpu µs/op (servers, generator)');
      const { results, breakdownLines } = await runPhases(targets);
      const ours = results.filter((r) => r.system === 'raft-io');
      const theirs = results.filter((r) => r.system === 'etcd');
      const before = results.filter((r) => r.system === 'before');
      if (before.length > 0) {
        console.log('after / before (same run):');
        for (const a of ours) {
          const b = before.find((r) => r.op === a.op && r.concurrency === a.concurrency);
          if (b) {
            console.log(
              `  ${a.op} C=${a.concurrency}: throughput ${(a.opsPerSecond / b.opsPerSecond).toFixed(2)}x, p50 ${(a.p50Ms / b.p50Ms).toFixed(2)}x`,
            );
          }
        }
      }
      if (theirs.length > 0) {
        console.log('ratios (same run):');
        for (const line of ratios(ours, theirs)) console.log(line);
      }
      const floors = results.filter((r) => r.system === 'no-op' || r.system === 'floor-3');
      if (floors.length > 0) {
        console.log(
          'against the floors (same generator, same run; no-op: Node HTTP alone; floor-3: three processes that only replicate and fsync):',
        );
        for (const line of floorLines(ours, theirs, floors)) console.log(line);
      }
      if (breakdownLines.length > 0) {
        console.log('where a put at C=1 spends its time (means from the metrics hook):');
        for (const line of breakdownLines) console.log(line);
      }
      if (values.json) {
        const noop = floors.filter((r) => r.system === 'no-op');
        const floor3 = floors.filter((r) => r.system === 'floor-3');
        console.log(JSON.stringify({ raftIo: ours, etcd: theirs, noop, floor3 }));
      }
    } finally {
      for (const t of targets) await t.stop();
    }
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
