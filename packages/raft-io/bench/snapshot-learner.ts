/**
 * The learner of the streaming-snapshot benchmark, in its own process so that its RSS is its
 * own: it starts node 2 (empty, streaming, no voters) on the port given, waits for the leader
 * to send it the snapshot, and prints `rss <MiB>` every 50 ms (peaks), then `restored` and
 * its peak, and exits when stdin closes.
 *
 * argv: <dataDir> <port of node 1> <port of node 2> <size in bytes>
 */
import { createRaftServer } from '../src/index.js';
import { SyntheticMachine } from '../test/helpers/synthetic-machine.js';

const [dataDir, p1, p2, size] = process.argv.slice(2) as [string, string, string, string];
let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage.rss() / 2 ** 20);
}, 50);
const sm = new SyntheticMachine(Number(size));
const server = await createRaftServer<number>({
  id: 2,
  voters: [],
  dataDir,
  snapshotStreaming: true,
  snapshotEveryEntries: 0,
  snapshotEveryBytes: 0,
  stateMachine: sm,
  tcp: {
    clusterId: 5,
    listen: { host: '127.0.0.1', port: Number(p2) },
    peers: { 1: { host: '127.0.0.1', port: Number(p1) } },
  },
  tickIntervalMs: 50,
  logger: 'silent',
});
process.stdout.write(`ready ${(process.memoryUsage.rss() / 2 ** 20).toFixed(0)}\n`);
const poll = setInterval(() => {
  if (sm.restores > 0) {
    clearInterval(poll);
    process.stdout.write(`restored ${peak.toFixed(0)}\n`);
  }
}, 20);
process.stdin.resume();
process.stdin.on('end', async () => {
  clearInterval(sampler);
  await server.close();
  process.exit(0);
});
