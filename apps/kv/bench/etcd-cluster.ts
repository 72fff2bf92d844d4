/**
 * A three-member etcd on loopback for the kv benchmark's comparison: `etcd` from the PATH
 * (Debian's `etcd-server`), data dirs under `dir`, default durability (etcd fsyncs its WAL
 * before it acknowledges), clients through the v3 JSON gateway (grpc-gateway on the client
 * port). Nothing listens beyond 127.0.0.1; every process is killed by `stop()`.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePorts } from '../src/free-ports.js';

/** Whether an `etcd` binary is on the PATH, and its version line. */
export function etcdVersion(): string | null {
  try {
    const out = execFileSync('etcd', ['--version'], { encoding: 'utf8', timeout: 5000 });
    return out.split('\n')[0]?.trim() ?? 'etcd';
  } catch {
    return null;
  }
}

export class EtcdCluster {
  private constructor(
    readonly urls: string[],
    private readonly children: ChildProcess[],
  ) {}

  static async start(dir: string, onLog?: (line: string) => void): Promise<EtcdCluster> {
    const ports = await freePorts(6);
    const names = ['e1', 'e2', 'e3'];
    const peer = (i: number) => `http://127.0.0.1:${ports[3 + i]}`;
    const client = (i: number) => `http://127.0.0.1:${ports[i]}`;
    const initial = names.map((n, i) => `${n}=${peer(i)}`).join(',');
    const children = names.map((name, i) => {
      const child = spawn(
        'etcd',
        [
          `--name=${name}`,
          `--data-dir=${join(dir, name)}`,
          `--listen-client-urls=${client(i)}`,
          `--advertise-client-urls=${client(i)}`,
          `--listen-peer-urls=${peer(i)}`,
          `--initial-advertise-peer-urls=${peer(i)}`,
          `--initial-cluster=${initial}`,
          '--initial-cluster-state=new',
          '--initial-cluster-token=kv-bench',
          '--log-level=error',
          '--logger=zap',
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      child.stderr?.on('data', (chunk: Buffer) => onLog?.(`[${name}] ${chunk.toString().trimEnd()}`));
      return child;
    });
    const cluster = new EtcdCluster(
      names.map((_, i) => client(i)),
      children,
    );
    try {
      await cluster.leader(30_000);
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  /** The client URL of the leader, once every member agrees on one. */
  async leader(timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const statuses = await Promise.all(
        this.urls.map(async (url) => {
          try {
            const res = await fetch(`${url}/v3/maintenance/status`, {
              method: 'POST',
              body: '{}',
              signal: AbortSignal.timeout(1000),
            });
            const body = (await res.json()) as { header?: { member_id?: string }; leader?: string };
            return { url, id: body.header?.member_id, leader: body.leader };
          } catch {
            return null;
          }
        }),
      );
      const me = statuses.find((s) => s !== null && s.id !== undefined && s.id === s.leader);
      if (me && statuses.every((s) => s !== null && s.leader === me.leader)) return me.url;
      if (Date.now() > deadline) throw new Error('etcd elected no leader');
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** The members' process ids. */
  get pids(): number[] {
    return this.children.flatMap((c) => (c.pid === undefined ? [] : [c.pid]));
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
  }
}
