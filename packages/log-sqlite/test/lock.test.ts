/**
 * One writer per log, across real processes. A child opens the log, writes (with fsyncs,
 * which used to open and close the database file through `fs` and so drop SQLite's POSIX
 * lock) and stays alive; while it lives, a second process and this one are refused with
 * `LOG_LOCKED`; once it is SIGKILLed, the kernel drops its lock and the next open succeeds
 * with everything it wrote.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteLog } from '../src/index.js';
import { kill, killLogUsers, startLogUser } from './helpers/children.js';
import { expectLogError } from './helpers/files.js';
import { removeTempDirs, tempDir } from './helpers/temp-dir.js';

afterEach(() => {
  killLogUsers();
  removeTempDirs();
});

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
