/**
 * A benchmark server in a child process of its own: started with `node ARGS`, it prints the
 * port it listens on as its first line; stopped with SIGKILL (and it exits by itself when
 * this process goes, through the IPC channel). The floors (`noop-http.ts`,
 * `replicated-floor.ts`) run this way.
 */
import { type ChildProcess, spawn } from 'node:child_process';

export interface ChildServer {
  readonly child: ChildProcess;
  readonly port: number;
}

/** Start `node ...args` and wait for the port it prints. */
export async function startChildServer(args: readonly string[], name: string): Promise<ChildServer> {
  const child = spawn(process.execPath, [...args], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before it listened`)));
      child.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
    });
    return { child, port };
  } catch (error) {
    await killChild(child);
    throw error;
  }
}

/** SIGKILL `child` and wait until it is gone. */
export function killChild(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
