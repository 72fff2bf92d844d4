/**
 * The SIGKILL harness of the crash tests: run a fixture script under tsx, kill it
 * `killAfterMs` after it prints `ready` (or after `guardMs` if it never does: a start that
 * fails is reported, not waited for), and hand back every line it printed.
 */
import { type ChildProcess, spawn } from 'node:child_process';

export interface KilledChild {
  /** stdout, line by line. */
  readonly lines: string[];
  readonly stderr: string;
  readonly code: number | null;
}

export function runUntilKilled(
  script: string,
  args: readonly string[],
  killAfterMs: number,
  guardMs = 30_000,
): Promise<KilledChild> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(
      process.execPath,
      ['--conditions=@raft-io/source', '--import', 'tsx', script, ...args],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    const kill = () => child.kill('SIGKILL');
    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      out += chunk;
      if (timer === undefined && out.includes('ready\n')) timer = setTimeout(kill, killAfterMs);
    });
    child.stderr!.on('data', (chunk: string) => {
      stderr += chunk;
    });
    const guard = setTimeout(kill, guardMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      clearTimeout(guard);
      resolve({ lines: out.split('\n'), stderr, code });
    });
  });
}

/** A seeded xorshift32 in [0, 1): the kill times of a crash test replay from its seed. */
export function xorshift(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}
