#!/usr/bin/env node
/**
 * The `kv` command.
 *
 *   kv node --id 1 --http 127.0.0.1:0 --raft 127.0.0.1:0 --peers 2=host:port@http://host:port,... --data ./data/1
 *     One node. Prints `{"event":"ready","id":..,"url":..,"raft":..}` on stdout once it serves.
 *   kv node --id 4 --http ... --raft ... --data ./data/4 --join http://host:port
 *     A new node that asks the cluster (any member's URL) to add it: it serves, then prints
 *     `{"event":"joined",...}` once it is a voter, or `{"event":"join-refused","code":..}` and
 *     exits with status 3.
 *   kv node --id 1 ... --peers ... --data ./data/1 --shards N
 *     One node of a sharded store: N Raft groups (shards) on one RaftHost, keys hashed to
 *     shards, leaders spread over the nodes (see sharded-node.ts).
 *   kv cluster [--dir ./data] [--demo-seconds N] [--shards N]
 *     A local three-node cluster as three OS processes on 127.0.0.1: prints the URL of the
 *     cluster view (with process controls: this command is its launcher), each node's HTTP
 *     base URL, then a live one-line status; restarts a node that crashes; stops every node
 *     on Ctrl-C / SIGTERM (or after N seconds with --demo-seconds N or KV_DEMO_SECONDS=N).
 *   kv backup | restore | recover | inspect ...
 *     Operations: a checked backup of a running node, a new cluster seeded from it, a
 *     survivor's data directory forced to a new membership after the loss of a quorum, and a
 *     look at a stopped node's log (see ops-commands.ts).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Logger } from 'raft-io';
import { UsageError } from './addresses.js';
import { fetchMembers, JoinRefusedError, peersOf, requestJoin } from './join.js';
import { jsonLogger } from './json-logger.js';
import { startKvNode } from './kv-node.js';
import { LocalCluster } from './local-cluster.js';
import { int, level, type NodeArgs, parseNodeArgs, shardsFrom, statusTokenFrom } from './node-args.js';
import { runBackup, runInspect, runRecover, runRestore } from './ops-commands.js';
import { startShardedKvNode } from './sharded-node.js';
import {
  fetchStatus,
  formatShardedStatusLine,
  formatStatusLine,
  type ShardedNodeStatus,
} from './status-line.js';

const USAGE = `usage:
  kv node --id N --http HOST:PORT --raft HOST:PORT --data DIR [--peers ID=HOST:PORT@URL,...]
          [--cluster-id N] [--tick-ms MS] [--snapshot-every N] [--join URL-OF-A-MEMBER | --new-member]
          [--shards N]   (1..1024: N Raft groups on one host, keys hashed to shards)
          [--max-connections N] [--max-pipelined N] [--max-body BYTES] [--max-body-in-flight BYTES]
          [--headers-timeout-ms MS] [--request-timeout-ms MS] [--keep-alive-timeout-ms MS]
          [--status-token TOKEN]   (or KV_STATUS_TOKEN=TOKEN: argv is visible to other users)
          [--log-level debug|info|warn|error|silent] [--exit-with-parent]
  kv cluster [--dir DIR] [--size N] [--tick-ms MS] [--log-level LEVEL] [--demo-seconds N] [--shards N]
             [--status-token TOKEN]   (or KV_STATUS_TOKEN=TOKEN)
  kv backup --url URL --out FILE [--local] [--status-token TOKEN]
  kv restore --backup FILE --data DIR --id N --cluster-id N --members SPEC [--learners SPEC]
  kv recover --data DIR --members SPEC [--learners SPEC] [--id N] [--cluster-id N]
             [--discard-uncommitted] [--dry-run]
  kv inspect --data DIR
     SPEC: id[=raftHost:raftPort[@http://host:port]],...   e.g. 1=10.0.0.1:7001@http://10.0.0.1:8001,2
  kv help`;

/** What `runNode` needs of a running node, single-group or sharded. */
interface RunningNode {
  readonly url: string;
  readonly raft: { readonly host: string; readonly port: number };
  /** Call `listener` on a fatal error of the node's Raft group (of any of its shards). */
  onFatal(listener: (error: Error) => void): void;
  close(): Promise<void>;
}

/** Start the node `args` describe: one Raft group, or a sharded node with `--shards`. */
async function startNode(args: NodeArgs, logger: Logger): Promise<RunningNode> {
  if (args.shards !== undefined) {
    const { join: _join, launcher: _launcher, ...node } = args.node;
    const sharded = await startShardedKvNode({ ...node, shards: args.shards, logger });
    return {
      url: sharded.url,
      raft: sharded.raft,
      onFatal: (listener) => {
        for (const group of sharded.groups) group.on('error', listener);
      },
      close: () => sharded.close(),
    };
  }
  const token = args.node.statusToken;
  // Joining: the members (and where they are) come from the cluster, not from --peers.
  const peers =
    args.joinUrl === undefined
      ? args.node.peers
      : peersOf(await fetchMembers(args.joinUrl, token ? { token } : {}), args.node.id);
  const node = await startKvNode({ ...args.node, peers, logger });
  return {
    url: node.url,
    raft: node.raft,
    onFatal: (listener) => node.server.on('error', listener),
    close: () => node.close(),
  };
}

async function runNode(argv: string[]): Promise<void> {
  const args = parseNodeArgs(argv, process.env);
  const id = args.node.id;
  const logger = jsonLogger(args.logLevel, { node: id });
  const token = args.node.statusToken;
  const node = await startNode(args, logger);
  let stopping = false;
  const stop = (code: number, why: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ why }, 'stopping');
    node.close().then(
      () => process.exit(code),
      (error: unknown) => {
        logger.error({ err: error }, 'close failed');
        process.exit(1);
      },
    );
  };
  node.onFatal((error) => {
    logger.error({ err: error }, 'fatal raft error');
    stop(1, 'fatal error');
  });
  process.on('SIGTERM', () => stop(0, 'SIGTERM'));
  process.on('SIGINT', () => stop(0, 'SIGINT'));
  if (args.exitWithParent) {
    process.stdin.on('end', () => stop(0, 'parent gone'));
    process.stdin.on('error', () => stop(0, 'parent gone'));
    process.stdin.resume();
  }
  logger.info({ url: node.url, raft: node.raft }, 'kv node serving');
  process.stdout.write(`${JSON.stringify({ event: 'ready', id, url: node.url, raft: node.raft })}\n`);
  if (args.joinUrl !== undefined) {
    const raft = `${node.raft.host.includes(':') ? `[${node.raft.host}]` : node.raft.host}:${node.raft.port}`;
    try {
      await requestJoin(args.joinUrl, { id, raft, url: node.url }, token ? { token } : {});
    } catch (error) {
      if (!(error instanceof JoinRefusedError)) throw error;
      logger.error(
        { code: error.code, status: error.status, err: error },
        'the cluster refused to add this node',
      );
      process.stdout.write(
        `${JSON.stringify({ event: 'join-refused', id, code: error.code, message: error.message })}\n`,
      );
      stop(3, 'join refused');
      return;
    }
    logger.info({ id }, 'joined the cluster');
    process.stdout.write(`${JSON.stringify({ event: 'joined', id })}\n`);
  }
}

async function runCluster(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      dir: { type: 'string', default: './data' },
      size: { type: 'string' },
      'tick-ms': { type: 'string' },
      'log-level': { type: 'string' },
      'demo-seconds': { type: 'string' },
      'status-token': { type: 'string' },
      shards: { type: 'string' },
    },
    strict: true,
  });
  const shards = shardsFrom(values.shards);
  const statusToken = statusTokenFrom(values['status-token'], process.env);
  const dir = resolve(values.dir ?? './data');
  const demoSeconds = int(values['demo-seconds'] ?? process.env.KV_DEMO_SECONDS, '--demo-seconds', 0);
  const size = int(values.size, '--size', 3, 1);
  const cluster = await LocalCluster.start({
    dir,
    size,
    tickIntervalMs: int(values['tick-ms'], '--tick-ms', 100, 1),
    logLevel: level(values['log-level'], 'warn'),
    ...(statusToken !== undefined ? { statusToken } : {}),
    ...(shards !== undefined ? { shards } : {}),
    // The cluster view and its process controls speak of one group: not in sharded mode.
    controls: shards === undefined,
    restartCrashed: true,
    onRestart: (id, error) =>
      process.stderr.write(
        error === undefined
          ? `[launcher] n${id} crashed and was restarted\n`
          : `[launcher] n${id} crashed; restarting it failed: ${(error as Error).message ?? String(error)}\n`,
      ),
    onLog: (id, line) => process.stderr.write(`[n${id}] ${line}\n`),
    onControlError: (error, id, action) =>
      process.stderr.write(
        `[launcher] ${action} n${id} failed: ${(error as Error).message ?? String(error)}\n`,
      ),
  });
  const ids = cluster.nodes.map((n) => n.id);
  if (shards === undefined)
    process.stdout.write(
      `cluster view: ${cluster.nodes[0]!.url}/  (open it in a browser; any node serves it)\n`,
    );
  const sharding = shards === undefined ? '' : `, ${shards} shards (every node a voter of each)`;
  process.stdout.write(`kv cluster: ${size} nodes on 127.0.0.1${sharding}, data in ${dir}\n`);
  for (const n of cluster.nodes) process.stdout.write(`node ${n.id}  ${n.url}\n`);
  process.stdout.write(
    `try: curl -X PUT --data world ${cluster.nodes[0]!.url}/kv/hello && curl ${cluster.nodes[1]!.url}/kv/hello\n`,
  );
  if (statusToken !== undefined)
    process.stdout.write(
      `/status and /metrics need the status token: curl -H "Authorization: Bearer $KV_STATUS_TOKEN" ${cluster.nodes[0]!.url}/status\n`,
    );
  const tty = process.stdout.isTTY === true;
  let last = '';
  let polling = false;
  const poll = async () => {
    if (polling) return;
    polling = true;
    try {
      const statuses = await Promise.all(cluster.nodes.map((n) => fetchStatus(n.url, 800, statusToken)));
      const line =
        shards === undefined
          ? formatStatusLine(ids, statuses)
          : formatShardedStatusLine(ids, statuses as unknown as (ShardedNodeStatus | null)[]);
      if (tty) process.stdout.write(`\r\x1b[2K${line}`);
      else if (line !== last) process.stdout.write(`${line}\n`);
      last = line;
    } finally {
      polling = false;
    }
  };
  const timer = setInterval(() => void poll(), 1000);
  void poll();
  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    clearInterval(timer);
    process.stdout.write(`${tty ? '\n' : ''}stopping the cluster (${why})\n`);
    await cluster.stop();
    process.stdout.write('stopped: all nodes exited\n');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  if (demoSeconds > 0) setTimeout(() => void stop(`--demo-seconds ${demoSeconds}`), demoSeconds * 1000);
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  switch (command) {
    case 'node':
      return runNode(rest);
    case 'cluster':
      return runCluster(rest);
    case 'backup':
      return runBackup(rest);
    case 'restore':
      return runRestore(rest);
    case 'recover':
      return runRecover(rest);
    case 'inspect':
      return runInspect(rest);
    case 'help':
    case '--help':
    case '-h':
    case undefined:
      process.stdout.write(`${USAGE}\n`);
      return;
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`kv: ${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  process.stderr.write(`kv: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
