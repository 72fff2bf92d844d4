/**
 * Child processes that use a log (`fixtures/log-user.ts`): start one and read its first
 * line, SIGKILL it, and make sure none outlives a test.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const USER = fileURLToPath(new URL('../fixtures/log-user.ts', import.meta.url));
const children = new Set<ChildProcess>();

/** SIGKILL every child still running (call in `afterEach`). */
export function killLogUsers(): void {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
}

/** Start `log-user.ts` with `args`; resolves with the child and its first output line. */
export function startLogUser(args: string[]): Promise<{ child: ChildProcess; line: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@raft-io/source', '--import', 'tsx', USER, ...args],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.add(child);
    let out = '';
    let err = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const end = out.indexOf('\n');
      if (end >= 0) resolve({ child, line: out.slice(0, end) });
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      children.delete(child);
      if (!out.includes('\n'))
        reject(new Error(`log-user exited (${code ?? signal}) without output:\n${err}`));
    });
  });
}

/** SIGKILL `child` and wait until it is gone. */
export function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('close', () => resolve());
    child.kill('SIGKILL');
  });
}
