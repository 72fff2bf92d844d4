/**
 * Load generator for the kv HTTP API: C concurrent clients for D seconds each, first
 * writes (`PUT /kv/:key`, answered after commit), then linearizable reads (`GET /kv/:key`),
 * reporting ops/s, p50 and p99 latency per phase and concurrency level, and for writes the
 * leader's proposals per durable write (from its /metrics). Each client sends one request
 * at a time on its own keep-alive connection.
 *
 * By default it starts its own three-node cluster (three `kv node` processes from the built
 * CLI, durable SQLite logs in a temp dir on the same disk as the OS temp dir), measures the
 * disk's raw fsync rate there as the reference, runs every level, and stops the cluster.
 * Point it at a running cluster with `--urls`.
 *
 *   pnpm --filter kv bench                        # C = 1, 16, 64; 5 s per phase
 *   node --import tsx bench/load.ts -c 1,16,64 -d 5 --target leader
 *   node --import tsx bench/load.ts --urls http://127.0.0.1:8001,http://127.0.0.1:8002 -c 32 -d 10
 *
 * Options:
 *   -c, --concurrency LIST  comma-separated client counts. Default 1,16,64.
 *   -d, --duration SECONDS  length of each phase. Default 5.
 *   --urls LIST             base URLs of a running cluster (no cluster is started).
 *   --target leader|any     send to the leader only (default) or round-robin to every node
 *                           (followers forward writes and serve reads by ReadIndex).
 *   --keys N                key space. Default 1000 (written once before the first level).
 *   --value-bytes N         value size. Default 100.
 *   --tick-ms MS            Raft tick of the cluster it starts. Default 100.
 *   --json                  print the results as one JSON object at the end too.
 */
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LocalCluster } from '../src/local-cluster.js';
import { fetchStatus } from '../src/status-line.js';

interface PhaseResult {
  concurrency: number;
  op: 'write' | 'read';
  ops: number;
  opsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** Writes: proposals per durable write (fsync) on the leader, from its /metrics; null if unknown. */
  proposalsPerFsync: number | null;
}

/** The leader's raft_proposals_total and raft_durable_writes_total, from /metrics. */
async function leaderCounters(url: string): Promise<{ proposals: number; fsyncs: number } | null> {
  try {
    const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(2000) });
    const text = await res.text();
    const read = (name: string) => {
      const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+(?:\\.\\d+)?(?:e\\+\\d+)?)$`, 'm').exec(text);
      return m ? Number(m[1]) : Number.NaN;
    };
    const proposals = read('raft_proposals_total');
    const fsyncs = read('raft_durable_writes_total');
    return Number.isFinite(proposals) && Number.isFinite(fsyncs) ? { proposals, fsyncs } : null;
  } catch {
    return null;
  }
}

const { values } = parseArgs({
  options: {
    concurrency: { type: 'string', short: 'c', default: '1,16,64' },
    duration: { type: 'string', short: 'd', default: '5' },
    urls: { type: 'string' },
    target: { type: 'string', default: 'leader' },
    keys: { type: 'string', default: '1000' },
    'value-bytes': { type: 'string', default: '100' },
    'tick-ms': { type: 'string', default: '100' },
    json: { type: 'boolean', default: false },
  },
});
const levels = values.concurrency!.split(',').map(Number);
const seconds = Number(values.duration);
const keys = Number(values.keys);
const value = Buffer.alloc(Number(values['value-bytes']), 'x');
if (values.target !== 'leader' && values.target !== 'any') throw new Error('--target is leader or any');

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

function request(agent: http.Agent, url: string, method: string, body?: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function leaderUrl(urls: string[]): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const statuses = await Promise.all(urls.map((u) => fetchStatus(u, 1000)));
    const i = statuses.findIndex((s) => s?.role === 'leader');
    if (i >= 0 && statuses.every((s) => s === null || s.leader === statuses[i]!.id)) return urls[i]!;
    if (Date.now() > deadline) throw new Error('no leader');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function phase(
  targets: string[],
  leader: string,
  concurrency: number,
  op: 'write' | 'read',
): Promise<PhaseResult> {
  const before = op === 'write' ? await leaderCounters(leader) : null;
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < end) {
          const base = targets[next++ % targets.length]!;
          const key = `k${Math.floor(Math.random() * keys)}`;
          const t0 = performance.now();
          try {
            const status =
              op === 'write'
                ? await request(agent, `${base}/kv/${key}`, 'PUT', value)
                : await request(agent, `${base}/kv/${key}`, 'GET');
            if (status === 200 || (op === 'read' && status === 404)) latencies.push(performance.now() - t0);
            else errors++;
          } catch {
            errors++;
          }
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  latencies.sort((a, b) => a - b);
  const after = before ? await leaderCounters(leader) : null;
  const proposalsPerFsync =
    before && after && after.fsyncs > before.fsyncs
      ? Number(((after.proposals - before.proposals) / (after.fsyncs - before.fsyncs)).toFixed(1))
      : null;
  return {
    concurrency,
    op,
    ops: latencies.length,
    opsPerSecond: Math.round(latencies.length / seconds),
    p50Ms: Number(percentile(latencies, 50).toFixed(2)),
    p99Ms: Number(percentile(latencies, 99).toFixed(2)),
    errors,
    proposalsPerFsync,
  };
}

async function populate(target: string): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < keys) {
          const k = next++;
          await request(agent, `${target}/kv/k${k}`, 'PUT', value);
        }
      }),
    );
  } finally {
    agent.destroy();
  }
}

async function main(): Promise<void> {
  let cluster: LocalCluster | null = null;
  let dir: string | null = null;
  let urls: string[];
  let fsyncs: number | null = null;
  try {
    if (values.urls) {
      urls = values.urls.split(',').map((u) => u.replace(/\/+$/, ''));
    } else {
      dir = mkdtempSync(join(tmpdir(), 'kv-load-'));
      fsyncs = fsyncRate(dir, 1000);
      const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
      cluster = await LocalCluster.start({
        dir,
        tickIntervalMs: Number(values['tick-ms']),
        logLevel: 'warn',
        command: { file: process.execPath, args: [cli] },
        onLog: (id, line) => process.stderr.write(`[n${id}] ${line}\n`),
      });
      urls = cluster.nodes.map((n) => n.url);
    }
    const leader = await leaderUrl(urls);
    const targets = values.target === 'leader' ? [leader] : urls;
    console.log(
      `kv load: ${urls.length} nodes${cluster ? ' (started here: 3 processes, SQLite logs, group commit)' : ''}, ` +
        `target ${values.target}, ${seconds} s per phase, ${keys} keys, ${value.length}-byte values`,
    );
    if (fsyncs !== null)
      console.log(
        `reference: the data dir's disk does ${Math.round(fsyncs)} fsyncs/s (4 KiB append + fsync, one thread)`,
      );
    await populate(leader);
    const results: PhaseResult[] = [];
    console.log('   C  op         ops/s    p50 ms    p99 ms  errors  writes/fsync (leader)');
    for (const c of levels) {
      for (const op of ['write', 'read'] as const) {
        const r = await phase(targets, leader, c, op);
        results.push(r);
        console.log(
          `${String(c).padStart(4)}  ${op.padEnd(5)}  ${String(r.opsPerSecond).padStart(8)}  ${r.p50Ms.toFixed(2).padStart(8)}  ${r.p99Ms
            .toFixed(2)
            .padStart(
              8,
            )}  ${String(r.errors).padStart(6)}  ${r.proposalsPerFsync === null ? '' : String(r.proposalsPerFsync).padStart(8)}`,
        );
      }
    }
    if (values.json) console.log(JSON.stringify({ fsyncsPerSecond: fsyncs, results }));
  } finally {
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
