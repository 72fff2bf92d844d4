/**
 * One host process of the multi-group benchmark (multi-group.bench.ts starts three). It
 * starts a `RaftHost` on 127.0.0.1 (port 0) and prints `port <n>`; reads `peers <id>:<port>,...`
 * on stdin; creates the groups (every group on the three hosts), waits until each has a
 * leader and prints `ready`; on `balance` it runs `balanceLeaders()` and prints `balanced <n>`;
 * on `led` it prints the groups it leads (`led <g,...>`); on `load <seconds> <g,...>` it runs
 * one writer per listed group and prints `loaded <json>` (commits, fsyncs, CPU);
 * on `measure <seconds>` it measures its CPU time (process.cpuUsage)
 * and memory over that long at rest and prints one `result <json>` line; on `failover <id>`
 * (host `id` was just killed) it prints, per group that host led, the ms until this host
 * saw another leader (`failover <json>`); on `close` it closes and exits.
 *
 * argv: <dataDir> <hostId> <groups> <quiesce: 0|1> [<transaction per write: 0|1>] (the store's
 * comparison mode: every group write its own SQLite transaction instead of one per batch)
 */
import { createInterface } from 'node:readline';
import { RaftHost, type StateMachine } from '../src/index.js';

const [dataDir, idArg, groupsArg, quiesceArg, perWriteArg] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string | undefined,
];
const id = Number(idArg);
const count = Number(groupsArg);
const quiesce = quiesceArg === '1';
/** log-sqlite's benchmark-only store option (a registry symbol; see its internal-options.ts). */
const TRANSACTION_PER_WRITE = Symbol.for('raft-io log-sqlite: a transaction per group write (bench)');

/** The smallest useful state machine: a counter. */
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

function memory(): { rss: number; heapUsed: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed };
}

const host = await new RaftHost({
  id,
  dataDir,
  tcp: { clusterId: 21, listen: { host: '127.0.0.1', port: 0 } },
  raft: { quiesce },
  store: { [TRANSACTION_PER_WRITE]: perWriteArg === '1' } as object,
  logger: 'silent',
}).start();
const empty = memory();
process.stdout.write(`port ${host.address()!.port}\n`);

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const [command, arg] = line.split(' ');
  if (command === 'peers') {
    for (const pair of arg!.split(',')) {
      const [peer, port] = pair.split(':').map(Number) as [number, number];
      if (peer !== id) host.setPeerAddress(peer, { host: '127.0.0.1', port });
    }
    const ids = Array.from({ length: count }, (_, i) => i + 1);
    const groups = await host.createGroups(ids, () => ({
      voters: [1, 2, 3],
      stateMachine: new Counter(),
      proposalTimeoutMs: 60_000,
    }));
    await Promise.all(groups.map((g) => g.waitForLeader({ timeoutMs: 120_000 })));
    process.stdout.write('ready\n');
  } else if (command === 'measure') {
    const seconds = Number(arg);
    const before = host.stats();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const cpu = process.cpuUsage(cpu0);
    const ms = performance.now() - t0;
    const after = host.stats();
    const full = memory();
    const led = host.groups().filter((g) => host.group(g)!.isLeader()).length;
    const result = {
      id,
      cpuPercent: (100 * (cpu.user + cpu.system)) / 1000 / ms,
      rssPerGroup: (full.rss - empty.rss) / count,
      heapPerGroup: (full.heapUsed - empty.heapUsed) / count,
      rss: full.rss,
      led,
      awake: after.awake,
      quiesced: after.quiesced,
      groupTicksPerSecond: (after.groupTicks - before.groupTicks) / (ms / 1000),
      framesPerSecond: (after.framesSent - before.framesSent) / (ms / 1000),
      itemsPerSecond: (after.itemsSent - before.itemsSent) / (ms / 1000),
      hostHeartbeatsPerSecond: (after.heartbeatsSent - before.heartbeatsSent) / (ms / 1000),
    };
    process.stdout.write(`result ${JSON.stringify(result)}\n`);
  } else if (command === 'load') {
    // `load <seconds> <g,g,...>`: one writer per listed group (each a group this host leads),
    // proposing 100-byte commands one after another for that long.
    const [, secondsArg, list] = line.split(' ') as [string, string, string];
    const writers = list.split(',').map(Number);
    const value = new Uint8Array(100).fill(0x76);
    const before = host.stats();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const end = t0 + Number(secondsArg) * 1000;
    let commits = 0;
    await Promise.all(
      writers.map(async (g) => {
        const group = host.group(g)!;
        while (performance.now() < end) {
          await group.propose(value);
          commits++;
        }
      }),
    );
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const after = host.stats();
    const result = {
      id,
      commits,
      ms,
      cpuPercent: (100 * (cpu.user + cpu.system)) / 1000 / ms,
      walSyncs: after.walSyncs - before.walSyncs,
      logWrites: after.logWrites - before.logWrites,
      framesSent: after.framesSent - before.framesSent,
      groupBatches: after.groupBatches - before.groupBatches,
    };
    process.stdout.write(`loaded ${JSON.stringify(result)}\n`);
  } else if (command === 'led') {
    const led = host.groups().filter((g) => host.group(g)!.isLeader());
    process.stdout.write(`led ${led.join(',')}\n`);
  } else if (command === 'balance') {
    const moved = await host.balanceLeaders({ timeoutMs: 30_000 });
    process.stdout.write(`balanced ${moved}\n`);
  } else if (command === 'gather') {
    // Every group this host leads hands leadership to host `arg`.
    const to = Number(arg);
    const led = to === id ? [] : host.groups().filter((g) => host.group(g)!.isLeader());
    await Promise.all(led.map((g) => host.group(g)!.transferLeadership(to, { timeoutMs: 30_000 })));
    process.stdout.write(`gathered ${led.length}\n`);
  } else if (command === 'failover') {
    // Host `arg` was just killed: how long until each group it led has another leader here.
    const dead = Number(arg);
    const t0 = performance.now();
    const times: Record<number, number> = {};
    let pending = host.groups().filter((g) => {
      const leader = host.group(g)!.leader();
      return leader === dead || leader === null;
    });
    const deadline = t0 + 120_000;
    while (pending.length > 0 && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 5));
      pending = pending.filter((g) => {
        const leader = host.group(g)!.leader();
        if (leader === null || leader === dead) return true;
        times[g] = performance.now() - t0;
        return false;
      });
    }
    process.stdout.write(`failover ${JSON.stringify({ times, leaderless: pending })}\n`);
  } else if (command === 'close') {
    await host.close();
    process.exit(0);
  }
}
