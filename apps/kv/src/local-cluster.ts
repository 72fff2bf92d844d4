/**
 * `LocalCluster`: N kv nodes as N separate OS processes on loopback, for `kv cluster`, the
 * end-to-end tests and the load generator. Ports are chosen free first (bind 0, close),
 * data lives in SQLite files under `dir/n<id>`, each child is `kv node ... --exit-with-parent`
 * (it exits when this process's end of its stdin closes, so no child outlives a parent that
 * was killed), and `stop()` ends every child: SIGTERM, then SIGKILL after a grace period.
 *
 * With `restartCrashed` (on under `kv cluster`) a node whose process exits without being
 * asked to (a crash, a SIGKILL from outside) is started again on its ports and data after
 * `RESTART_DELAY_MS`, at most `MAX_RESTARTS` times a minute. `join(id)` starts one more node
 * that joins the running cluster (`kv node --join`).
 *
 * With `controls`, the cluster is also a launcher the cluster view can drive: a control
 * server on loopback (`LauncherControl`) stops, starts and pauses (SIGSTOP / SIGCONT) node
 * processes and partitions nodes (each node drops Raft traffic with the peers it is told:
 * `FilteredTransport`), and every change is pushed to every running node
 * (`launcher-protocol.ts`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NodeId, PeerAddress } from 'raft-io';
import { formatPeers, type PeerSpec } from './addresses.js';
import { type ClusterCredentials, clusterCredentials } from './cluster-credentials.js';
import { freePorts } from './free-ports.js';
import type { LogLevel } from './json-logger.js';
import { LauncherControl } from './launcher-control.js';
import {
  LAUNCHER_TOKEN_ENV,
  LAUNCHER_URL_ENV,
  type LauncherAction,
  type LauncherState,
} from './launcher-protocol.js';
import type { ProcessState } from './live-types.js';
import { CLUSTER_SECRET_ENV } from './raft-security.js';
import { STATUS_TOKEN_ENV } from './status-token.js';

export interface LocalClusterOptions {
  /** Data root: node `i` keeps its log in `dir/n<i>`. */
  readonly dir: string;
  /** Number of nodes. Default 3. */
  readonly size?: number;
  /** Milliseconds per Raft tick. Default 100. */
  readonly tickIntervalMs?: number;
  /** The children's log level (JSON lines on their stderr). Default 'warn'. */
  readonly logLevel?: LogLevel;
  /** Snapshot every this many applied commands. Default: the node's (10000). */
  readonly snapshotEveryEntries?: number;
  /**
   * The nodes' status token (`/status` and `/metrics` need it), handed to each child in its
   * environment (`KV_STATUS_TOKEN`), not its argv. Default: none.
   */
  readonly statusToken?: string;
  /**
   * Cluster id and secret of the nodes. Default: made on the first start and kept in
   * `<dir>/cluster.json` (see `clusterCredentials`); the secret travels in each child's
   * environment (`KV_CLUSTER_SECRET`), never its argv.
   */
  readonly credentials?: ClusterCredentials;
  /**
   * Run a sharded store: every node a `RaftHost` with this many shards (`kv node --shards N`,
   * 1..1024). Default: one Raft group.
   */
  readonly shards?: number;
  /** More `kv node` arguments for every node, e.g. HTTP limits. Default: none. */
  readonly nodeArgs?: readonly string[];
  /**
   * How to run the CLI: an executable and the arguments before `node ...`. Default: this
   * Node binary with this process's exec arguments (so tsx carries over) and the CLI file
   * next to this module.
   */
  readonly command?: { readonly file: string; readonly args: readonly string[] };
  /** Called with every line a child writes to stderr. Default: dropped. */
  readonly onLog?: (id: NodeId, line: string) => void;
  /** How long a child may take to start (print its ready line), in ms. Default 20000. */
  readonly startTimeoutMs?: number;
  /**
   * Serve the launcher controls (stop / start / pause / partition from the cluster view; see
   * `LauncherControl`). Default false.
   */
  readonly controls?: boolean;
  /** Called when a control action failed (e.g. a restart that did not come up). Default: dropped. */
  readonly onControlError?: (error: unknown, id: NodeId, action: LauncherAction) => void;
  /**
   * Start a node again when its process exits without being asked to (a crash, a SIGKILL
   * from outside). Default false.
   */
  readonly restartCrashed?: boolean;
  /** Called when a crashed node is restarted (or could not be). Default: dropped. */
  readonly onRestart?: (id: NodeId, error?: unknown) => void;
}

export interface LocalNodeInfo {
  readonly id: NodeId;
  /** HTTP base URL, `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly raft: PeerAddress;
  readonly dataDir: string;
}

interface Child {
  readonly info: LocalNodeInfo;
  /** For a node added with `join`: the URL of the member it asks to add it. */
  readonly joinUrl?: string;
  process: ChildProcess | null;
  exited: Promise<number | null> | null;
  state: ProcessState;
  /** Times of the restarts after crashes in the last minute. */
  restarts: number[];
}

/** How long the launcher waits for a node to take a pushed state, in ms. */
const PUSH_TIMEOUT_MS = 1000;
/** Grace between SIGTERM and SIGKILL for a node stopped from the view, in ms. */
const STOP_GRACE_MS = 3000;
/** Wait before a crashed node is started again, in ms. */
const RESTART_DELAY_MS = 500;
/** Most restarts after crashes of one node within a minute; then it stays down. */
const MAX_RESTARTS = 5;

const HOST = '127.0.0.1';

function defaultCommand(): { file: string; args: string[] } {
  const here = fileURLToPath(import.meta.url);
  const cli = here.replace(/local-cluster\.(ts|js)$/, 'cli.$1');
  return { file: process.execPath, args: [...process.execArgv, cli] };
}

export class LocalCluster {
  private readonly children = new Map<NodeId, Child>();
  private stopping: Promise<void> | undefined;
  /** Nodes cut off from every other node. */
  private readonly isolated = new Set<NodeId>();
  private control: LauncherControl | null = null;

  private readonly credentials: ClusterCredentials;

  private constructor(
    private readonly options: LocalClusterOptions,
    private readonly peers: PeerSpec[],
  ) {
    this.credentials = options.credentials ?? clusterCredentials(options.dir);
    for (const p of peers) {
      this.children.set(p.id, {
        info: { id: p.id, url: p.url, raft: p.raft, dataDir: join(options.dir, `n${p.id}`) },
        process: null,
        exited: null,
        state: 'stopped',
        restarts: [],
      });
    }
  }

  /** Choose ports, start every node, and resolve once each printed its ready line. */
  static async start(options: LocalClusterOptions): Promise<LocalCluster> {
    const size = options.size ?? 3;
    const ports = await freePorts(size * 2, HOST);
    const peers: PeerSpec[] = Array.from({ length: size }, (_, i) => ({
      id: i + 1,
      raft: { host: HOST, port: ports[2 * i]! },
      url: `http://${HOST}:${ports[2 * i + 1]!}`,
    }));
    const cluster = new LocalCluster(options, peers);
    try {
      if (options.controls) {
        cluster.control = await LauncherControl.start(
          {
            has: (id) => cluster.children.has(id),
            act: (id, action) => cluster.act(id, action),
            states: () => cluster.processStates(),
          },
          options.onControlError,
        );
      }
      await Promise.all(peers.map((p) => cluster.startNode(p.id)));
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  /**
   * Start node `id` (not a member yet) on new ports, joining the running cluster through
   * node `via` (`kv node --join`); resolves once it serves (it becomes a voter shortly after:
   * learner, caught up, promoted).
   */
  async join(id: NodeId, via?: NodeId): Promise<LocalNodeInfo> {
    if (this.children.has(id)) throw new Error(`node ${id} exists`);
    const through = this.children.get(via ?? [...this.children.keys()].find((k) => this.isRunning(k))!);
    if (!through) throw new Error('no running node to join through');
    const [raftPort, httpPort] = await freePorts(2, HOST);
    const child: Child = {
      info: {
        id,
        url: `http://${HOST}:${httpPort}`,
        raft: { host: HOST, port: raftPort! },
        dataDir: join(this.options.dir, `n${id}`),
      },
      joinUrl: through.info.url,
      process: null,
      exited: null,
      state: 'stopped',
      restarts: [],
    };
    this.children.set(id, child);
    await this.startNode(id);
    return child.info;
  }

  /** Every node, in id order. */
  get nodes(): LocalNodeInfo[] {
    return [...this.children.values()].map((c) => c.info);
  }

  node(id: NodeId): LocalNodeInfo {
    const child = this.children.get(id);
    if (!child) throw new Error(`no node ${id}`);
    return child.info;
  }

  /** Whether node `id`'s process is running. */
  isRunning(id: NodeId): boolean {
    return this.children.get(id)?.process !== null;
  }

  /** The launcher's control server URL (with `controls`), else null. */
  get controlUrl(): string | null {
    return this.control?.url ?? null;
  }

  /** The state of every node's process, by id. */
  processStates(): Record<string, ProcessState> {
    const out: Record<string, ProcessState> = {};
    for (const [id, child] of this.children) out[String(id)] = child.state;
    return out;
  }

  /** The nodes partitioned off (each cut off from all others), sorted. */
  partitioned(): NodeId[] {
    return [...this.isolated].sort((a, b) => a - b);
  }

  /** The pid of node `id`'s process, or null. */
  pid(id: NodeId): number | null {
    return this.children.get(id)?.process?.pid ?? null;
  }

  /** Start (or restart, on the same ports and data) node `id`; resolves when it is ready. */
  async startNode(id: NodeId): Promise<void> {
    const child = this.children.get(id);
    if (!child) throw new Error(`no node ${id}`);
    if (child.process) throw new Error(`node ${id} is running`);
    const o = this.options;
    mkdirSync(child.info.dataDir, { recursive: true });
    const command = o.command ?? defaultCommand();
    const others = this.peers.filter((p) => p.id !== id);
    const args = [
      ...command.args,
      'node',
      '--id',
      String(id),
      '--http',
      `${HOST}:${new URL(child.info.url).port}`,
      '--raft',
      `${child.info.raft.host}:${child.info.raft.port}`,
      ...(child.joinUrl === undefined ? ['--peers', formatPeers(others)] : ['--join', child.joinUrl]),
      '--data',
      child.info.dataDir,
      '--tick-ms',
      String(o.tickIntervalMs ?? 100),
      '--cluster-id',
      String(this.credentials.clusterId),
      '--log-level',
      o.logLevel ?? 'warn',
      '--exit-with-parent',
    ];
    if (o.snapshotEveryEntries !== undefined) args.push('--snapshot-every', String(o.snapshotEveryEntries));
    if (o.shards !== undefined) args.push('--shards', String(o.shards));
    args.push(...(o.nodeArgs ?? []));
    // The token travels in the environment: another local user can read argv, not env.
    const env = { ...process.env };
    if (o.statusToken !== undefined) env[STATUS_TOKEN_ENV] = o.statusToken;
    else delete env[STATUS_TOKEN_ENV];
    env[CLUSTER_SECRET_ENV] = this.credentials.clusterSecret;
    delete env[LAUNCHER_URL_ENV];
    delete env[LAUNCHER_TOKEN_ENV];
    if (this.control) {
      env[LAUNCHER_URL_ENV] = this.control.url;
      env[LAUNCHER_TOKEN_ENV] = this.control.token;
    }
    const proc = spawn(command.file, args, { stdio: ['pipe', 'pipe', 'pipe'], env });
    child.process = proc;
    child.state = 'starting';
    child.exited = new Promise((resolve) => {
      proc.once('exit', (code) => {
        // Nobody asked it to stop (`stopNode`, `kill` and `stop` mark it 'stopping'): a crash.
        const crashed = child.state !== 'stopping' && child.state !== 'starting';
        child.process = null;
        child.state = 'stopped';
        void this.pushState();
        resolve(code);
        if (crashed) this.restartCrashed(id);
      });
    });
    let stderr = '';
    const lines = (stream: NodeJS.ReadableStream, onLine: (line: string) => void) => {
      let buffer = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        buffer += chunk;
        let nl = buffer.indexOf('\n');
        while (nl >= 0) {
          onLine(buffer.slice(0, nl));
          buffer = buffer.slice(nl + 1);
          nl = buffer.indexOf('\n');
        }
      });
    };
    lines(proc.stderr!, (line) => {
      if (stderr.length < 8192) stderr += `${line}\n`;
      o.onLog?.(id, line);
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        reject(new Error(`node ${id} did not start within ${o.startTimeoutMs ?? 20_000} ms\n${stderr}`));
      }, o.startTimeoutMs ?? 20_000);
      lines(proc.stdout!, (line) => {
        if (line.includes('"event":"ready"')) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.stdin?.on('error', () => {});
      proc.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`node ${id} exited (${code ?? signal}) before it was ready\n${stderr}`));
      });
    });
    if (child.process === proc) child.state = 'running';
    void this.pushState();
  }

  /** A node crashed: start it again (see `restartCrashed`), unless it crashes in a loop. */
  private restartCrashed(id: NodeId): void {
    const child = this.children.get(id);
    const o = this.options;
    if (!child || !o.restartCrashed || this.stopping) return;
    const now = Date.now();
    child.restarts = child.restarts.filter((t) => now - t < 60_000);
    if (child.restarts.length >= MAX_RESTARTS) {
      o.onRestart?.(id, new Error(`node ${id} crashed ${MAX_RESTARTS} times within a minute; left down`));
      return;
    }
    child.restarts.push(now);
    setTimeout(() => {
      if (this.stopping || child.process !== null) return;
      this.startNode(id).then(
        () => o.onRestart?.(id),
        (error: unknown) => o.onRestart?.(id, error),
      );
    }, RESTART_DELAY_MS);
  }

  /** Restarts of node `id` after crashes within the last minute. */
  restartsOf(id: NodeId): number {
    return this.children.get(id)?.restarts.length ?? 0;
  }

  /** Stop node `id`: SIGTERM (SIGCONT first if paused), SIGKILL after `graceMs`; resolves once it exited. */
  async stopNode(id: NodeId, graceMs = STOP_GRACE_MS): Promise<void> {
    const child = this.children.get(id);
    const proc = child?.process;
    if (!child || !proc) return;
    child.state = 'stopping';
    void this.pushState();
    proc.kill('SIGTERM');
    // A stopped process handles SIGTERM only once it runs again.
    proc.kill('SIGCONT');
    const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
    await child.exited;
    clearTimeout(timer);
  }

  /** Freeze node `id`'s process (SIGSTOP): it keeps its sockets but answers nothing. */
  pause(id: NodeId): void {
    const child = this.children.get(id);
    if (!child?.process || child.state !== 'running') return;
    child.process.kill('SIGSTOP');
    child.state = 'paused';
    void this.pushState();
  }

  /** Let a paused node run again (SIGCONT). */
  resume(id: NodeId): void {
    const child = this.children.get(id);
    if (!child?.process || child.state !== 'paused') return;
    child.process.kill('SIGCONT');
    child.state = 'running';
    void this.pushState();
  }

  /** Cut node `id` off from every other node (each side drops the other's Raft traffic). */
  partition(id: NodeId): Promise<void> {
    this.node(id);
    this.isolated.add(id);
    return this.pushState();
  }

  /** Undo `partition(id)`. */
  heal(id: NodeId): Promise<void> {
    this.isolated.delete(id);
    return this.pushState();
  }

  /** Carry out a control action (from the control server). */
  async act(id: NodeId, action: LauncherAction): Promise<void> {
    switch (action) {
      case 'stop':
        return this.stopNode(id);
      case 'kill':
        return this.kill(id, 'SIGKILL');
      case 'start':
        if (this.isRunning(id)) return;
        return this.startNode(id);
      case 'pause':
        return this.pause(id);
      case 'resume':
        return this.resume(id);
      case 'partition':
        return this.partition(id);
      case 'heal':
        return this.heal(id);
    }
  }

  /** The state node `id` is told: whom to drop traffic with, and every process's state. */
  private stateFor(id: NodeId): LauncherState {
    const blocked = this.isolated.has(id)
      ? [...this.children.keys()].filter((other) => other !== id)
      : [...this.isolated].filter((other) => other !== id);
    return { blocked, processes: this.processStates() };
  }

  /**
   * Push the launcher state to every running node (not paused ones: they would not answer).
   * Resolves once each took it or timed out.
   */
  private async pushState(): Promise<void> {
    const control = this.control;
    if (!control || this.stopping) return;
    await Promise.all(
      [...this.children.values()]
        .filter((child) => child.state === 'running' || child.state === 'stopping')
        .map((child) =>
          fetch(`${child.info.url}/admin/launcher-state`, {
            method: 'POST',
            headers: { authorization: `Bearer ${control.token}`, 'content-type': 'application/json' },
            body: JSON.stringify(this.stateFor(child.info.id)),
            signal: AbortSignal.timeout(PUSH_TIMEOUT_MS),
          }).then(
            (res) => res.body?.cancel(),
            () => {},
          ),
        ),
    );
  }

  /** Send `signal` to node `id` and wait for its process to exit. */
  async kill(id: NodeId, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.children.get(id);
    if (!child?.process) return;
    child.state = 'stopping';
    child.process.kill(signal);
    if (signal !== 'SIGKILL') child.process.kill('SIGCONT');
    await child.exited;
  }

  /** Stop every node: SIGTERM, then SIGKILL after `graceMs`. Idempotent. */
  stop(graceMs = 5000): Promise<void> {
    this.stopping ??= (async () => {
      await Promise.all(
        [...this.children.values()].map(async (child) => {
          const proc = child.process;
          if (!proc) return;
          child.state = 'stopping';
          proc.kill('SIGTERM');
          // A paused (SIGSTOP) child handles SIGTERM only once it runs again.
          proc.kill('SIGCONT');
          const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
          await child.exited;
          clearTimeout(timer);
        }),
      );
      await this.control?.close();
    })();
    return this.stopping;
  }
}
