/**
 * The high-water mark refuses a log that lost durable state. A child process opens a log,
 * stores a new term, a vote and 20 entries, and is SIGKILLed (its writes are in the `-wal`
 * file, not yet checkpointed). Deleting, truncating or damaging that WAL, or swapping the
 * database for an older copy, makes SQLite open an older state without a word: the log
 * refuses it with `LOG_ROLLED_BACK` and changes no file. So does a log file deleted from
 * under its mark; a mark file missing or damaged is `LOG_CORRUPT`.
 */
import {
  copyFileSync,
  existsSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteLog } from '../src/index.js';
import { kill, killLogUsers, startLogUser } from './helpers/children.js';
import { entries, expectLogError, fingerprint } from './helpers/files.js';
import { removeTempDirs, tempDir } from './helpers/temp-dir.js';

afterEach(() => {
  killLogUsers();
  removeTempDirs();
});

/**
 * A log whose database holds term 1 and entries 1..20 (checkpointed), and whose WAL holds
 * what a SIGKILLed child acknowledged after that: term 2, a vote for 2, entries 21..40.
 */
async function crashedLog(mode: 'full' | 'group'): Promise<{ dir: string; path: string }> {
  const dir = tempDir();
  const path = join(dir, 'log.db');
  const log = SqliteLog.open(path);
  log.write({ hardState: { term: 1, vote: 1, commit: 0 }, entries: entries(1, 20, 1) });
  log.close();
  const holder = await startLogUser(['hold', path, mode === 'group' ? 'group' : '']);
  expect(holder.line).toBe('open 40');
  await kill(holder.child);
  expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);
  return { dir, path };
}

/** Opening `path` fails with `reason` and leaves every file in `dir` as it was. */
function expectRefused(dir: string, path: string, reason: 'LOG_ROLLED_BACK' | 'LOG_CORRUPT'): string {
  const before = fingerprint(dir);
  const error = expectLogError(() => SqliteLog.open(path), reason);
  expect(fingerprint(dir)).toEqual(before);
  return error.message;
}

const WAL_HEADER = 32;

describe('a log behind its high-water mark is refused (LOG_ROLLED_BACK)', () => {
  for (const mode of ['full', 'group'] as const) {
    it(`an intact WAL after a SIGKILL opens with every acknowledged write (control, ${mode})`, async () => {
      const { path } = await crashedLog(mode);
      const log = SqliteLog.open(path);
      expect([log.lastIndex(), log.hardState().term, log.hardState().vote]).toEqual([40, 2, 2]);
      log.close();
    }, 20_000);

    it(`the WAL deleted after acknowledged writes (${mode})`, async () => {
      const { dir, path } = await crashedLog(mode);
      rmSync(`${path}-wal`);
      expect(expectRefused(dir, path, 'LOG_ROLLED_BACK')).toMatch(/term is 1, but term 2 was stored/);
    }, 20_000);
  }

  it('the WAL truncated: its last frames (the last acknowledged writes) are gone', async () => {
    const { dir, path } = await crashedLog('full');
    const wal = `${path}-wal`;
    // Cut inside the last frame: SQLite drops the unfinished transaction at the end.
    truncateSync(wal, statSync(wal).size - 100);
    expect(expectRefused(dir, path, 'LOG_ROLLED_BACK')).toMatch(/last index is 3\d, but entries up to 40/);
  }, 20_000);

  it('the WAL damaged: one byte in a middle frame breaks the checksum chain from there on', async () => {
    const { dir, path } = await crashedLog('group');
    const wal = `${path}-wal`;
    const fd = openSync(wal, 'r+');
    const at = WAL_HEADER + Math.floor((statSync(wal).size - WAL_HEADER) / 2);
    writeSync(fd, Buffer.from([readFileSync(wal)[at]! ^ 0x10]), 0, 1, at);
    expectRefused(dir, path, 'LOG_ROLLED_BACK');
  }, 20_000);

  it('the WAL header damaged: SQLite ignores the whole WAL', async () => {
    const { dir, path } = await crashedLog('full');
    const fd = openSync(`${path}-wal`, 'r+');
    writeSync(fd, Buffer.from([0xff]), 0, 1, 12);
    expectRefused(dir, path, 'LOG_ROLLED_BACK');
  }, 20_000);

  it('the database replaced by an older copy of itself', () => {
    const dir = tempDir();
    const path = join(dir, 'log.db');
    const log = SqliteLog.open(path);
    log.write({ hardState: { term: 1, vote: 1, commit: 0 }, entries: entries(1, 20, 1) });
    log.close();
    copyFileSync(path, join(dir, 'backup'));
    const again = SqliteLog.open(path);
    again.write({ entries: entries(21, 30, 1) });
    again.close();
    copyFileSync(join(dir, 'backup'), path);
    rmSync(join(dir, 'backup'));
    expect(expectRefused(dir, path, 'LOG_ROLLED_BACK')).toMatch(/last index is 20, but entries up to 30/);
  });

  it('a vote lost within a term (same term, no vote) is refused', () => {
    const dir = tempDir();
    const path = join(dir, 'log.db');
    const log = SqliteLog.open(path);
    log.write({ hardState: { term: 4, vote: null, commit: 0 } });
    log.close();
    copyFileSync(path, join(dir, 'backup'));
    const again = SqliteLog.open(path);
    again.write({ hardState: { term: 4, vote: 3, commit: 0 } });
    again.close();
    copyFileSync(join(dir, 'backup'), path);
    rmSync(join(dir, 'backup'));
    expect(expectRefused(dir, path, 'LOG_ROLLED_BACK')).toMatch(/vote in term 4 is none, but a vote for 3/);
  });

  it('an entry replaced by one of an older term at the marked index is refused', () => {
    const dir = tempDir();
    const path = join(dir, 'log.db');
    const log = SqliteLog.open(path);
    log.write({ entries: entries(1, 10, 1) });
    log.close();
    copyFileSync(path, join(dir, 'backup'));
    const again = SqliteLog.open(path);
    // A conflicting suffix replaced: same last index, newer term.
    again.write({ truncateFrom: 6, entries: entries(6, 10, 2) });
    again.close();
    copyFileSync(join(dir, 'backup'), path);
    rmSync(join(dir, 'backup'));
    expect(expectRefused(dir, path, 'LOG_ROLLED_BACK')).toMatch(
      /entry 10 has term 1, but the entry stored there had term 2/,
    );
  });
});

describe('the high-water mark follows the log down when Raft truncates', () => {
  it('a truncation below the mark lowers it first: the truncated log reopens, after a SIGKILL too', async () => {
    // Init: 40 entries, the mark at 40.
    const dir = tempDir();
    const path = join(dir, 'log.db');
    const log = SqliteLog.open(path, { groupCommit: true });
    log.write({ hardState: { term: 1, vote: 1, commit: 0 }, entries: entries(1, 40, 1) });
    log.sync();
    // Act: a conflicting suffix replaced by a shorter one (the mark must come down to 24).
    log.write({ hardState: { term: 2, vote: 2, commit: 0 }, truncateFrom: 25, entries: entries(25, 30, 2) });
    // Check: before the sync the mark is at most the common prefix; crash here (files copied
    // as they are) and reopen.
    expect(log.highWaterMark().lastIndex).toBeLessThanOrEqual(24);
    for (const name of ['log.db', 'log.db-wal', 'log.db.hwm'])
      copyFileSync(join(dir, name), join(dir, `crash-${name}`));
    log.sync();
    log.close();
    const crashed = join(dir, 'crash-log.db');
    const reopened = SqliteLog.open(crashed);
    expect([reopened.lastIndex(), reopened.term(30)]).toEqual([30, 2]);
    reopened.close();
    const again = SqliteLog.open(path);
    expect(again.highWaterMark()).toEqual({ term: 2, vote: 2, lastIndex: 30, lastTerm: 2 });
    again.close();
  });
});

describe('the files of a log belong together', () => {
  it('a log whose mark file is missing is refused (LOG_CORRUPT): the files were not moved together', () => {
    const dir = tempDir();
    const path = join(dir, 'log.db');
    SqliteLog.open(path).close();
    rmSync(`${path}.hwm`);
    expect(expectRefused(dir, path, 'LOG_CORRUPT')).toMatch(/high-water mark file .* is missing/);
  });

  it('a log file deleted from under its mark is not silently recreated empty (LOG_ROLLED_BACK)', () => {
    const dir = tempDir();
    const path = join(dir, 'log.db');
    const log = SqliteLog.open(path);
    log.write({ hardState: { term: 3, vote: 1, commit: 0 } });
    log.close();
    rmSync(path);
    expect(expectRefused(dir, path, 'LOG_ROLLED_BACK')).toMatch(
      /log file is missing, but its high-water mark/,
    );
    expect(existsSync(path)).toBe(false);
  });

  it('a mark with both slots damaged is refused (LOG_CORRUPT); one damaged slot falls back to the other', () => {
    const dir = tempDir();
    const path = join(dir, 'log.db');
    const log = SqliteLog.open(path);
    log.write({ hardState: { term: 3, vote: 1, commit: 0 }, entries: entries(1, 5, 3) });
    log.close();
    const hwm = `${path}.hwm`;
    const flip = (at: number) => {
      const fd = openSync(hwm, 'r+');
      writeSync(fd, Buffer.from([readFileSync(hwm)[at]! ^ 1]), 0, 1, at);
    };
    flip(20);
    const again = SqliteLog.open(path);
    expect(again.lastIndex()).toBe(5);
    again.close();
    // Closing rewrote one slot; damage both now.
    flip(20);
    flip(512 + 20);
    expectRefused(dir, path, 'LOG_CORRUPT');
  });
});
