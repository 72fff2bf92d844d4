/**
 * Helpers for `RaftHost` tests: hosts on 127.0.0.1 (ports chosen by the OS, then told to each
 * other), each with its data directory, and a state machine per group that records what it
 * applied.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RaftHost, type RaftHostOptions, type StateMachine } from '../../src/index.js';

export const decode = (b: Uint8Array) => new TextDecoder().decode(b);
export const encode = (s: string) => new TextEncoder().encode(s);

/** A state machine that keeps the commands it applied (as text); apply returns their count. */
export class RecordingMachine implements StateMachine<number> {
  applied: string[] = [];
  apply(command: Uint8Array): number {
    this.applied.push(decode(command));
    return this.applied.length;
  }
  snapshot(): Uint8Array {
    return encode(JSON.stringify(this.applied));
  }
  restore(data: Uint8Array): void {
    this.applied = JSON.parse(decode(data)) as string[];
  }
}

export interface HostRig {
  readonly dir: string;
  readonly hosts: RaftHost[];
  /** Build (not start) host `id` on its data directory, with the rig's options. */
  make(id: number, extra?: Partial<RaftHostOptions>): RaftHost;
  close(): Promise<void>;
}

/** `n` started hosts that know each other's addresses. */
export async function startHosts(n: number, extra: Partial<RaftHostOptions> = {}): Promise<HostRig> {
  const dir = mkdtempSync(join(tmpdir(), 'raft-host-'));
  const make = (id: number, more: Partial<RaftHostOptions> = {}) =>
    new RaftHost({
      id,
      dataDir: join(dir, `host-${id}`),
      tcp: { clusterId: 11, listen: { host: '127.0.0.1', port: 0 } },
      tickIntervalMs: 20,
      logger: 'silent',
      ...extra,
      ...more,
    });
  const hosts = Array.from({ length: n }, (_, i) => make(i + 1));
  await Promise.all(hosts.map((h) => h.start()));
  introduce(hosts);
  return {
    dir,
    hosts,
    make,
    async close() {
      await Promise.all(hosts.map((h) => h.close()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Tell every host where every other one listens. */
export function introduce(hosts: readonly RaftHost[]): void {
  for (const a of hosts)
    for (const b of hosts) if (a !== b && b.address()) a.setPeerAddress(b.id, b.address()!);
}

/** Resolves once `check()` holds (polled every 20 ms); rejects after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms: ${check.toString()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
