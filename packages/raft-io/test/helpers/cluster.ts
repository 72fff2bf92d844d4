/**
 * Helpers to run several `RaftServer`s in one process for the tests: wait for a condition,
 * find the leader, close everything.
 */
import type { NodeId, RaftServer } from '../../src/index.js';

/** Poll `check` until it returns a value other than undefined/false, or fail after `timeoutMs`. */
export async function until<T>(
  what: string,
  check: () => T | undefined | false,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The one server that is leader and that every running server follows. */
export function agreedLeader<R>(servers: readonly RaftServer<R>[]): RaftServer<R> | undefined {
  const running = servers.filter((s) => s.status().lifecycle === 'running');
  const leaders = running.filter((s) => s.isLeader());
  if (leaders.length !== 1) return undefined;
  const leader = leaders[0]!;
  return running.every((s) => s.leader() === leader.id) ? leader : undefined;
}

export async function waitForLeader<R>(
  servers: readonly RaftServer<R>[],
  timeoutMs = 10_000,
): Promise<RaftServer<R>> {
  return until('a leader all servers follow', () => agreedLeader(servers), timeoutMs);
}

export function byId<R>(servers: readonly RaftServer<R>[], id: NodeId): RaftServer<R> {
  const server = servers.find((s) => s.id === id);
  if (!server) throw new Error(`no server ${id}`);
  return server;
}

/** `n` TCP ports on 127.0.0.1 that were free a moment ago (bound to 0, then released). */
export async function freePorts(n: number): Promise<number[]> {
  const { createServer } = await import('node:net');
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<import('node:net').Server>((resolve, reject) => {
          const s = createServer();
          s.once('error', reject);
          s.listen(0, '127.0.0.1', () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as import('node:net').AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  return ports;
}
