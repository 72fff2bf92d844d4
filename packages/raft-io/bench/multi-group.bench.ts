/**
 * Multi-group benchmark (issue 18): the idle cost of many Raft groups on three `RaftHost`
 * processes on this machine, with and without quiescence. Each host is its own child process
 * (multi-group-host.ts, with `--expose-gc` for steady heap numbers): every group has a
 * member on each host, over TCP on 127.0.0.1 and one SQLite file per host. Once every group
 * has a leader, leadership is spread (`balanceLeaders` on every host) and the groups had `BENCH_SETTLE_SECONDS` to go quiet, each host measures its
 * CPU time (process.cpuUsage) over `BENCH_SECONDS` at rest, and its memory per group (RSS and
 * heap after a GC, less the empty host's). Then host 1 is SIGKILLed and hosts 2 and 3 time
 * each group it led until it has a new leader (p50/p99 over groups; BENCH_FAILOVER=0 skips).
 * Then the write throughput of 64 writers (one per group, round robin, on the host leading
 * it; 100-byte commands, durable) with 1, 4, 16 and 64 groups, and the fsyncs of the writing
 * hosts per committed write: groups share one fsync per turn of a host. Each row runs twice:
 * with the store's one SQLite transaction per batch, and with a transaction per group write
 * (the store before; BENCH_STORE_MODES=batch skips it), so the ratio comes from one run.
 * Prints tables; asserts nothing.
 *
 * Run: `pnpm --filter raft-io bench:hosts`. Env: BENCH_GROUPS (comma-separated, default
 * 1000), BENCH_SECONDS (default 10), BENCH_SETTLE_SECONDS (default 5), BENCH_QUIESCE (the modes
 * to run, default `on,off`), BENCH_SHARDS (group counts of the throughput table, default
 * 1,4,16,64; empty skips it), BENCH_LOAD_SECONDS (default 5), BENCH_LEADERS (`spread`, the
 * default, or `gathered`: every group's leadership moved to host 1 after the spreading, so the
 * rows compare groups without the cost of every host being leader of some), BENCH_NODE_ARGS
 * (extra Node flags for the hosts, e.g. `--cpu-prof --cpu-prof-dir=DIR`). An empty
 * BENCH_GROUPS skips the idle table. The throughput rows count the loaded hosts' driver
 * batches and frames sent per committed write: a frame carries every group's messages of a
 * turn, a batch is one group's.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const groupCounts = (process.env.BENCH_GROUPS ?? '1000').split(',').filter(Boolean).map(Number);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const settle = Number(process.env.BENCH_SETTLE_SECONDS ?? 5);
const failover = process.env.BENCH_FAILOVER !== '0';
const shardCounts = (process.env.BENCH_SHARDS ?? '1,4,16,64').split(',').filter(Boolean).map(Number);
const writers = 64;
const loadSeconds = Number(process.env.BENCH_LOAD_SECONDS ?? 5);
const storeModes = (process.env.BENCH_STORE_MODES ?? 'batch,per-write').split(',').filter(Boolean);
/** The failover lines of the current run, printed after its table. */
const failovers: string[] = [];
const modes = (process.env.BENCH_QUIESCE ?? 'on,off').split(',').map((m) => m.trim() === 'on');
const HOST = fileURLToPath(new URL('./multi-group-host.ts', import.meta.url));

interface Result {
  id: number;
  cpuPercent: number;
  rssPerGroup: number;
  heapPerGroup: number;
  rss: number;
  led: number;
  awake: number;
  quiesced: number;
  groupTicksPerSecond: number;
  framesPerSecond: number;
  itemsPerSecond: number;
  hostHeartbeatsPerSecond: number;
}

/** A child host and the lines it printed, awaited by prefix. */
class Child {
  private out = '';
  private waiters: { prefix: string; resolve: (line: string) => void }[] = [];
  constructor(readonly process: ChildProcess) {
    process.stdout!.setEncoding('utf8');
    process.stdout!.on('data', (chunk: string) => {
      this.out += chunk;
      let nl = this.out.indexOf('\n');
      while (nl >= 0) {
        const line = this.out.slice(0, nl);
        this.out = this.out.slice(nl + 1);
        const i = this.waiters.findIndex((w) => line.startsWith(w.prefix));
        if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(line);
        nl = this.out.indexOf('\n');
      }
    });
    process.stderr!.pipe(globalThis.process.stderr);
    process.stdin!.on('error', () => {}); // a killed host's pipe
  }
  exited(): boolean {
    return this.process.exitCode !== null || this.process.signalCode !== null;
  }
  line(prefix: string): Promise<string> {
    return new Promise((resolve) => this.waiters.push({ prefix, resolve }));
  }
  send(line: string): void {
    this.process.stdin!.write(`${line}\n`);
  }
}

/** Three host processes with `groups` groups, every group with a leader and leadership spread. */
async function cluster(
  groups: number,
  quiesce: boolean,
  transactionPerWrite = false,
): Promise<{ children: Child[]; upSeconds: number; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'raft-io-bench-hosts-'));
  const children = [1, 2, 3].map(
    (id) =>
      new Child(
        spawn(
          globalThis.process.execPath,
          [
            ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((a) => a !== ''),
            '--expose-gc',
            '--conditions=@raft-io/source',
            '--import',
            'tsx',
            HOST,
            join(dir, `host-${id}`),
            String(id),
            String(groups),
            quiesce ? '1' : '0',
            transactionPerWrite ? '1' : '0',
          ],
          { stdio: ['pipe', 'pipe', 'pipe'] },
        ),
      ),
  );
  const close = async () => {
    for (const c of children) if (!c.exited()) c.send('close');
    await Promise.all(
      children.map((c) => new Promise((r) => (c.exited() ? r(null) : c.process.once('exit', r)))),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const ports = await Promise.all(children.map((c) => c.line('port ')));
    const peers = ports.map((line, i) => `${i + 1}:${line.split(' ')[1]}`).join(',');
    const started = performance.now();
    const ready = children.map((c) => c.line('ready'));
    for (const c of children) c.send(`peers ${peers}`);
    await Promise.all(ready);
    const upSeconds = (performance.now() - started) / 1000;
    // Leadership lands where elections happened to end first: spread it (two rounds, as a
    // host hands over only what it leads beyond its share).
    for (let round = 0; round < 2; round++) {
      const balanced = children.map((c) => c.line('balanced'));
      for (const c of children) c.send('balance');
      await Promise.all(balanced);
    }
    if (process.env.BENCH_LEADERS === 'gathered') {
      const gathered = children.map((c) => c.line('gathered'));
      for (const c of children) c.send('gather 1');
      await Promise.all(gathered);
    }
    return { children, upSeconds, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function run(groups: number, quiesce: boolean): Promise<Result[]> {
  const { children, upSeconds, close } = await cluster(groups, quiesce);
  try {
    await new Promise((r) => setTimeout(r, settle * 1000));
    const results = children.map((c) => c.line('result '));
    for (const c of children) c.send(`measure ${seconds}`);
    const parsed = (await Promise.all(results)).map((line) => JSON.parse(line.slice(7)) as Result);
    console.log(`  (${groups} groups up with leaders on 3 hosts in ${upSeconds.toFixed(1)} s)`);
    if (failover) {
      // Kill host 1 for good; hosts 2 and 3 time each of its groups until it has a new leader.
      const [dead, ...survivors] = children as [Child, Child, Child];
      const reports = survivors.map((c) => c.line('failover '));
      dead.process.kill('SIGKILL');
      for (const c of survivors) c.send('failover 1');
      const seen = (await Promise.all(reports)).map(
        (line) => JSON.parse(line.slice(9)) as { times: Record<string, number>; leaderless: number[] },
      );
      const best = new Map<number, number>();
      for (const r of seen)
        for (const [g, ms] of Object.entries(r.times))
          best.set(Number(g), Math.min(best.get(Number(g)) ?? ms, ms));
      const ms = [...best.values()].sort((a, b) => a - b);
      const at = (p: number) => ms[Math.min(ms.length - 1, Math.floor((p / 100) * ms.length))] ?? Number.NaN;
      const stuck = new Set(seen.flatMap((r) => r.leaderless.filter((g) => !best.has(g))));
      failovers.push(
        `  failover (host 1 SIGKILLed, ${parsed[0]!.led} groups it led${stuck.size > 0 ? `, ${stuck.size} still leaderless` : ''}): new leader after p50 ${at(50).toFixed(0)} ms, p99 ${at(99).toFixed(0)} ms, max ${at(100).toFixed(0)} ms`,
      );
    }
    return parsed;
  } finally {
    await close();
  }
}

/**
 * Write throughput: 64 writers, one per group round robin (a writer runs on the host leading
 * its group), each proposing 100-byte commands one after another for `seconds`.
 */
async function throughput(groups: number, mode: string): Promise<string> {
  const { children, close } = await cluster(groups, true, mode === 'per-write');
  try {
    const ledBy = new Map<number, number>();
    const replies = children.map((c) => c.line('led'));
    for (const c of children) c.send('led');
    for (const [i, line] of (await Promise.all(replies)).entries()) {
      for (const g of (line.split(' ')[1] ?? '').split(',').filter(Boolean)) ledBy.set(Number(g), i);
    }
    const lists: number[][] = children.map(() => []);
    for (let w = 0; w < writers; w++) {
      const g = (w % groups) + 1;
      lists[ledBy.get(g) ?? 0]!.push(g);
    }
    const loaded = children.map((c, i) => (lists[i]!.length > 0 ? c.line('loaded ') : null));
    for (const [i, c] of children.entries())
      if (lists[i]!.length > 0) c.send(`load ${loadSeconds} ${lists[i]!.join(',')}`);
    const done = (await Promise.all(loaded.filter((p) => p !== null))).map(
      (line) =>
        JSON.parse(line.slice(7)) as {
          commits: number;
          ms: number;
          cpuPercent: number;
          walSyncs: number;
          framesSent: number;
          groupBatches: number;
        },
    );
    // fsyncs of the hosts that ran writers (the leaders of the groups written to)
    const commits = done.reduce((n, r) => n + r.commits, 0);
    const ms = Math.max(...done.map((r) => r.ms));
    const syncs = done.reduce((n, r) => n + r.walSyncs, 0);
    const cpu = done.map((r) => r.cpuPercent.toFixed(0)).join('/');
    const per = (n: (r: (typeof done)[number]) => number) =>
      (done.reduce((a, r) => a + n(r), 0) / commits).toFixed(2);
    return `  ${String(groups).padStart(6)}  ${mode.padEnd(9)}  ${(commits / (ms / 1000)).toFixed(0).padStart(8)}  ${(syncs / commits).toFixed(3).padStart(16)}  ${per((r) => r.groupBatches).padStart(17)}  ${per((r) => r.framesSent).padStart(16)}  ${cpu}`;
  } finally {
    await close();
  }
}

const f1 = (n: number) => n.toFixed(1);
console.log(`multi-group idle cost: 3 host processes, ${seconds} s at rest after ${settle} s to settle`);
for (const groups of groupCounts) {
  for (const quiesce of modes) {
    console.log(`\n${groups} groups, quiesce ${quiesce ? 'on' : 'off'}:`);
    const results = await run(groups, quiesce);
    console.log(
      '  host  cpu%   led  awake  asleep  group-ticks/s  frames/s  items/s  host-hb/s  RSS/group  heap/group  RSS MiB',
    );
    for (const r of results) {
      console.log(
        `  ${String(r.id).padEnd(4)}  ${f1(r.cpuPercent).padStart(4)}  ${String(r.led).padStart(4)}  ${String(r.awake).padStart(5)}  ${String(r.quiesced).padStart(6)}  ${f1(r.groupTicksPerSecond).padStart(13)}  ${f1(r.framesPerSecond).padStart(8)}  ${f1(r.itemsPerSecond).padStart(7)}  ${f1(r.hostHeartbeatsPerSecond).padStart(9)}  ${(r.rssPerGroup / 1024).toFixed(1).padStart(6)} KiB  ${(r.heapPerGroup / 1024).toFixed(1).padStart(7)} KiB  ${f1(r.rss / 1024 / 1024).padStart(7)}`,
      );
    }
    for (const line of failovers.splice(0)) console.log(line);
  }
}

if (shardCounts.length > 0) {
  console.log(
    `\nwrite throughput: ${writers} writers, 100-byte commands, durable, ${loadSeconds} s per row (leaders' fsyncs per committed write)`,
  );
  console.log(
    '  groups  store      writes/s  fsyncs per write  batches per write  frames per write  CPU % of the loaded hosts',
  );
  for (const groups of shardCounts)
    for (const mode of storeModes) console.log(await throughput(groups, mode));
}
