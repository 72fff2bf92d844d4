/**
 * The benchmark's replicated floor: three Node processes (`replicated-floor-node.ts`) that do
 * only what any replicated durable store of this shape must do per request — HTTP in, each
 * turn's puts sent to two peers in one frame, appended and fdatasync'ed on every member,
 * answered once two of three hold them; gets answered after one peer answers a round. No
 * Raft, no SQLite, no checksums, no authentication. Loaded with the same generator in the
 * same run, it shows how close to this machine's limit for the shape raft-io is, and whether
 * a target is within that limit at all.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { killChild, startChildServer } from './child-server.js';

const NODE_SCRIPT = fileURLToPath(new URL('./replicated-floor-node.ts', import.meta.url));

export interface ReplicatedFloor {
  /** The leader's base URL. */
  readonly url: string;
  /** The three processes: the two followers, then the leader. */
  readonly pids: readonly number[];
  stop(): Promise<void>;
}

/** Start the floor's three processes with their files in `dir`. */
export async function startReplicatedFloor(dir: string): Promise<ReplicatedFloor> {
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.map(killChild));
  };
  const start = async (args: string[]) => {
    const { child, port } = await startChildServer(
      ['--import', 'tsx', NODE_SCRIPT, ...args],
      'a replicated-floor process',
    );
    children.push(child);
    return port;
  };
  try {
    const dirs = ['leader', 'follower-1', 'follower-2'].map((name) => {
      const d = join(dir, name);
      mkdirSync(d, { recursive: true });
      return d;
    });
    const ports = [await start(['follower', dirs[1]!]), await start(['follower', dirs[2]!])];
    const port = await start(['leader', dirs[0]!, ...ports.map(String)]);
    return { url: `http://127.0.0.1:${port}`, pids: children.map((c) => c.pid!), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
