/**
 * Real `kv` processes for the operations tests: a `kv node` started on chosen ports with
 * chosen peers (a member of a restored cluster, or a fresh node joining a recovered one), and
 * the operations commands (`kv backup`, `restore`, `recover`, `inspect`) run as the built CLI
 * would be by an operator. Uses the built CLI (`dist/cli.js`).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { NodeId, PeerAddress } from 'raft-io';
import { formatPeers, type PeerSpec } from '../../src/index.js';

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface KvProcess {
  readonly id: NodeId;
  readonly url: string;
  readonly raft: PeerAddress;
  /** SIGKILL, and wait for the exit. */
  kill(): Promise<void>;
  /** SIGTERM, and wait for the exit. */
  stop(): Promise<void>;
}

export interface KvProcessOptions {
  readonly id: NodeId;
  readonly httpPort: number;
  readonly raftPort: number;
  readonly dataDir: string;
  readonly clusterId: number;
  readonly clusterSecret: string;
  readonly peers: readonly PeerSpec[];
  readonly join?: boolean;
  readonly tickMs?: number;
  readonly env?: Record<string, string>;
  readonly onLog?: (line: string) => void;
}

/** Start one `kv node` process; resolves once it printed its ready line. */
export async function startKvProcess(o: KvProcessOptions): Promise<KvProcess> {
  const args = [
    CLI,
    'node',
    '--id',
    String(o.id),
    '--http',
    `127.0.0.1:${o.httpPort}`,
    '--raft',
    `127.0.0.1:${o.raftPort}`,
    '--data',
    o.dataDir,
    '--cluster-id',
    String(o.clusterId),
    '--tick-ms',
    String(o.tickMs ?? 50),
    '--log-level',
    'warn',
    '--exit-with-parent',
    ...(o.peers.length > 0 ? ['--peers', formatPeers(o.peers)] : []),
    ...(o.join ? ['--new-member'] : []),
  ];
  const proc: ChildProcess = spawn(process.execPath, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...o.env, KV_CLUSTER_SECRET: o.clusterSecret },
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  let stderr = '';
  proc.stderr!.setEncoding('utf8');
  proc.stderr!.on('data', (chunk: string) => {
    if (stderr.length < 8192) stderr += chunk;
    for (const line of chunk.split('\n')) if (line) o.onLog?.(`[n${o.id}] ${line}`);
  });
  proc.stdin!.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`node ${o.id} did not start\n${stderr}`));
    }, 20_000);
    proc.stdout!.setEncoding('utf8');
    proc.stdout!.on('data', (chunk: string) => {
      if (chunk.includes('"event":"ready"')) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`node ${o.id} exited (${code ?? signal}) before it was ready\n${stderr}`));
    });
  });
  return {
    id: o.id,
    url: `http://127.0.0.1:${o.httpPort}`,
    raft: { host: '127.0.0.1', port: o.raftPort },
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await exited;
    },
  };
}

/** Run `kv <args>`; resolves with its exit code and output (never rejects). */
export function runKv(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string; json: () => Record<string, unknown> }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { ...process.env, ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: number }).code ?? 1) : 0;
        resolve({
          code: typeof code === 'number' ? code : 1,
          stdout,
          stderr,
          json: () => JSON.parse(stdout),
        });
      },
    );
  });
}
