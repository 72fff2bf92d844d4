/**
 * `TcpCluster`: `RaftServer`s on real TCP (fixed free ports on 127.0.0.1) with SQLite logs in
 * a temp dir, each started with every initial member's address once (`voters` as a record),
 * as an embedding application would. Nodes can be stopped, restarted on their data, and
 * added empty (knowing only where the cluster is).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRaftServer, type NodeId, type RaftServer, type RaftServerOptions } from '../../src/index.js';
import { freePorts, waitForLeader } from './cluster.js';
import { KvMachine } from './kv-machine.js';

export interface TestNode {
  readonly server: RaftServer<string | null>;
  readonly sm: KvMachine;
}

/** Options over the cluster's; `tcp` is merged into the cluster's transport options. */
type Extra = Omit<Partial<RaftServerOptions<string | null>>, 'tcp'> & {
  tcp?: Partial<NonNullable<RaftServerOptions['tcp']>>;
};

export class TcpCluster {
  readonly nodes = new Map<NodeId, TestNode>();
  private readonly root = mkdtempSync(join(tmpdir(), 'raft-io-tcp-'));

  private constructor(
    private readonly ports: readonly number[],
    readonly initial: readonly NodeId[],
    private readonly extra: (id: NodeId) => Extra,
  ) {}

  /** Start `initial` as a new cluster; ports are reserved for `size` nodes (ids 1..size). */
  static async start(
    initial: readonly NodeId[],
    size = initial.length,
    extra: (id: NodeId) => Extra = () => ({}),
  ) {
    const cluster = new TcpCluster(await freePorts(size), initial, extra);
    for (const id of initial) await cluster.startNode(id);
    return cluster;
  }

  address(id: NodeId): string {
    return `127.0.0.1:${this.ports[id - 1]}`;
  }

  node(id: NodeId): TestNode {
    const n = this.nodes.get(id);
    if (!n) throw new Error(`node ${id} is not running`);
    return n;
  }

  server(id: NodeId): RaftServer<string | null> {
    return this.node(id).server;
  }

  servers(): RaftServer<string | null>[] {
    return [...this.nodes.values()].map((n) => n.server);
  }

  leader(timeoutMs?: number): Promise<RaftServer<string | null>> {
    return waitForLeader(this.servers(), timeoutMs);
  }

  /**
   * Start node `id` on its data dir: an initial member with every initial address, or a new
   * node (no voters) that knows where `joinVia` are.
   */
  async startNode(
    id: NodeId,
    options: { joinVia?: readonly NodeId[]; extra?: Extra } = {},
  ): Promise<TestNode> {
    const sm = new KvMachine();
    const isInitial = this.initial.includes(id) && options.joinVia === undefined;
    const peers = options.joinVia ?? [];
    // `tcp` in the extras is merged into the cluster's transport options.
    const { tcp: extraTcp, ...extra } = { ...this.extra(id), ...options.extra };
    const server = await createRaftServer<string | null>({
      id,
      voters: isInitial ? Object.fromEntries(this.initial.map((v) => [v, this.address(v)])) : [],
      dataDir: join(this.root, `n${id}`),
      stateMachine: sm,
      tcp: {
        clusterId: 7,
        listen: { host: '127.0.0.1', port: this.ports[id - 1]! },
        peers: Object.fromEntries(peers.map((p) => [p, { host: '127.0.0.1', port: this.ports[p - 1]! }])),
        ...extraTcp,
      },
      // 50 ms ticks (elections in 0.5 to 1 s): all nodes share one event loop here, and
      // opening a SQLite log stalls it for every node at once.
      tickIntervalMs: 50,
      logger: 'silent',
      ...extra,
    });
    const node = { server, sm };
    this.nodes.set(id, node);
    return node;
  }

  async stop(id: NodeId): Promise<void> {
    const n = this.nodes.get(id);
    this.nodes.delete(id);
    await n?.server.close();
  }

  async close(): Promise<void> {
    await Promise.all([...this.nodes.keys()].map((id) => this.stop(id)));
    rmSync(this.root, { recursive: true, force: true });
  }
}
