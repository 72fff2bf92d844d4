/**
 * One writer per log, across real processes. A child opens the log, writes (with fsyncs,
 * which used to open and close the database file through `fs` and so drop SQLite's POSIX
 * lock) and stays alive; while it lives, a second process and this one are refused with
 * `LOG_LOCKED`; once it is SIGKILLed, the kernel drops its lock and the next open succeeds
 * with everything it wrote.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteLog } from '../src/index.js';
import { expectLogError } from './helpers/files.js';
import { removeTempDirs, tempDir } from './helpers/temp-dir.js';

const USER = fileURLToPath(new URL('./fixtures/log-user.ts', import.meta.url));
const children = new Set<ChildProcess>();

afterEach(() => {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
  removeTempDirs();
});

/** Start `log-user.ts` with `args`; resolves with the child and its first output line. */
export function startLogUser(args: string[]): Promise<{ child: ChildProcess; line: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@raft-io/source', '--import', 'tsx', USER, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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
      if (!out.includes('\n')) reject(new Error(`log-user exited (${code ?? signal}) without output:\n${err}`));
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

describe('one writer per log, across processes', () => {
  for (const mode of ['full', 'group'] as const) {
    it(`a second process is refused with LOG_LOCKED while the first lives, and opens once it is SIGKILLed (${mode})`, async () => {
      // Init: a child holds the log, after writes and syncs.
      const path = join(tempDir(), 'log.db');
      const holder = await startLogUser(['hold', path, mode === 'group' ? 'group' : '']);
      expect(holder.line).toBe('open 20');

      // Act + check: another process, and this one, are refused while it lives.
      expect((await startLogUser(['try', path])).line).toBe('refused LOG_LOCKED');
      expectLogError(() => SqliteLog.open(path), 'LOG_LOCKED');
      expect((await startLogUser(['try', path])).line).toBe('refused LOG_LOCKED');

      // Act: the holder dies without closing anything.
      await kill(holder.child);

      // Check: the kernel released its lock; the next process opens and finds its writes.
      expect((await startLogUser(['try', path])).line).toBe('opened 20');
      const log = SqliteLog.open(path);
      expect(log.lastIndex()).toBe(20);
      expect(log.hardState()).toMatchObject({ term: 1, vote: 2 });
      log.close();
    }, 30_000);
  }
});
