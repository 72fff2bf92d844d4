/**
 * Random single-bit flips in the files of a stopped node. Every flip must end one of three
 * ways, and the test counts which:
 * - refused at open with a typed `SqliteLogError` (quick_check, the schema, a row's CRC32C,
 *   the high-water mark, the header);
 * - detected on read: the open succeeded, and reading the changed row throws `LOG_CORRUPT`;
 * - harmless, proven: the open succeeded, every read returns exactly what was written, and
 *   a write and a reopen afterwards do too. Where each harmless flip landed is reported
 *   (bytes SQLite does not use, free space in a page, a header field it does not read, the
 *   spare slot of the high-water mark).
 * Never: a clean open that returns changed data. Half the flips open with the defaults
 * (which load and check the newest entries at open), half with `quickCheck: false` and no
 * tail cache, so that the per-row CRC alone must catch what quick_check would have.
 *
 * A second round flips bits in the WAL of a SIGKILLed writer: SQLite drops frames whose
 * checksum fails, which loses acknowledged writes, so those opens must be refused by the
 * high-water mark (or the flip must not matter).
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteLog, SqliteLogError, type SqliteLogOptions } from '../src/index.js';
import { rng } from './fixtures/crash-workload.js';
import { kill, killLogUsers, startLogUser } from './helpers/children.js';
import { entries } from './helpers/files.js';
import { digestLog } from './helpers/log-model.js';
import { removeTempDirs, tempDir } from './helpers/temp-dir.js';

afterAll(() => {
  killLogUsers();
  removeTempDirs();
});

const FLIPS = Number(process.env.RAFT_LOG_SQLITE_FLIPS ?? 300);
const SEED = Number(process.env.RAFT_LOG_SQLITE_FLIP_SEED ?? Date.now() % 0x7fffffff);
const FILES = ['log.db', 'log.db.hwm'] as const;

/** Everything a reader sees of the log at `path`, plus its identity. */
function observe(log: SqliteLog): string {
  return JSON.stringify({ ...digestLog(log), identity: log.identity() });
}

/** A stopped node's log: entries of many sizes (overflow pages too), a snapshot, a compaction, an identity. */
function referenceLog(dir: string): void {
  const log = SqliteLog.open(join(dir, 'log.db'), { identity: { nodeId: 3, clusterId: 77 } });
  const random = rng(12345);
  let next = 1;
  for (let term = 1; term <= 4; term++) {
    log.write({ hardState: { term, vote: 1 + (term % 3), commit: next - 1 } });
    for (let k = 0; k < 6; k++) {
      const batch = entries(next, next + 4, term).map((e) => ({
        ...e,
        data: new Uint8Array(Math.floor(random() * (k === 5 ? 9000 : 700))).fill(e.index),
      }));
      log.write({ entries: batch });
      next += 5;
    }
  }
  log.write({
    snapshot: {
      metadata: { index: 60, term: 3, membership: { voters: [1, 2, 3], learners: [4], outgoingVoters: [] } },
      data: new Uint8Array(12_000).map((_, i) => (i * 7) & 0xff),
    },
    compact: { index: 40, term: 2 },
    hardState: { term: 4, vote: 2, commit: 100 },
  });
  log.close();
}

/** Page kind of every page of the database at `path`, from SQLite's dbstat table. */
function pageOwners(path: string): Map<number, string> {
  const db = new Database(path, { readonly: true });
  const rows = db.prepare('SELECT pageno, name, pagetype FROM dbstat').all() as Array<{
    pageno: number;
    name: string;
    pagetype: string;
  }>;
  db.close();
  return new Map(rows.map((r) => [r.pageno, `${r.name} ${r.pagetype}`]));
}

const HEADER_FIELDS: Array<[number, number, string]> = [
  [24, 28, 'file change counter'],
  [40, 44, 'schema cookie'],
  [72, 92, 'reserved for expansion'],
  [92, 96, 'version-valid-for'],
  [96, 100, 'SQLite version number'],
];

/** Where a harmless flip landed, for the report. */
function where(file: string, offset: number, bytes: Buffer, owners: Map<number, string>): string {
  if (file.endsWith('.hwm')) return offset % 512 < 52 ? 'hwm: a record slot' : 'hwm: slot padding';
  const pageSize = bytes.readUInt16BE(16) === 1 ? 65536 : bytes.readUInt16BE(16);
  const page = Math.floor(offset / pageSize) + 1;
  if (page === 1 && offset < 100) {
    const field = HEADER_FIELDS.find(([lo, hi]) => offset >= lo && offset < hi);
    return `db header: ${field?.[2] ?? `byte ${offset}`}`;
  }
  const owner = owners.get(page);
  if (owner === undefined) return 'db: a free page';
  if (owner.endsWith('overflow')) return `db: ${owner}`;
  // A b-tree page: the gap between the cell pointers and the cell content is unused.
  const base = (page - 1) * pageSize;
  const hdr = base + (page === 1 ? 100 : 0);
  const interior = bytes[hdr] === 2 || bytes[hdr] === 5;
  const cells = bytes.readUInt16BE(hdr + 3);
  const content = bytes.readUInt16BE(hdr + 5) || 65536;
  const gapFrom = hdr + (interior ? 12 : 8) + 2 * cells;
  if (offset >= gapFrom && offset < base + content) return `db: ${owner} page, unused gap`;
  return `db: ${owner} page, cell area (free block or unused bytes)`;
}

type Outcome = 'refused at open' | 'detected on read' | 'harmless';

/** Open `dir/log.db` with `options`, read all, then write and reopen: what happened. */
function tryFlipped(
  dir: string,
  options: SqliteLogOptions,
  expected: string,
): { outcome: Outcome; detail: string } {
  const path = join(dir, 'log.db');
  let log: SqliteLog;
  try {
    log = SqliteLog.open(path, options);
  } catch (error) {
    if (!(error instanceof SqliteLogError)) throw error;
    return { outcome: 'refused at open', detail: error.reason };
  }
  try {
    const seen = observe(log);
    expect(seen, 'a flip opened cleanly and returned changed data').toBe(expected);
    // Harmless so far: prove it stays so through a write and a reopen.
    const last = log.lastIndex();
    log.write({ entries: entries(last + 1, last + 1, 4) });
    log.close();
    const again = SqliteLog.open(path, options);
    try {
      expect(again.lastIndex()).toBe(last + 1);
      expect(again.entries(last + 1, last + 2)[0]!.data[0]).toBe((last + 1) % 256);
      again.write({ truncateFrom: last + 1 });
    } finally {
      again.close();
    }
    const back = SqliteLog.open(path, options);
    try {
      expect(observe(back)).toBe(expected);
    } finally {
      back.close();
    }
    return { outcome: 'harmless', detail: '' };
  } catch (error) {
    if (error instanceof SqliteLogError && error.reason === 'LOG_CORRUPT') {
      return { outcome: 'detected on read', detail: 'LOG_CORRUPT' };
    }
    throw error;
  } finally {
    if (!log.closed) log.close();
  }
}

function flipBit(file: string, offset: number, bit: number): void {
  const bytes = readFileSync(file);
  bytes[offset] = bytes[offset]! ^ (1 << bit);
  writeFileSync(file, bytes);
}

function report(title: string, counts: Map<string, number>): void {
  const lines = [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `  ${String(n).padStart(4)}  ${k}`);
  console.log(`${title}\n${lines.join('\n')}`);
}

describe('random bit flips in a stopped node', () => {
  it(`every one of ${FLIPS} flips in the database and the mark is refused, detected on read, or harmless (seed ${SEED})`, () => {
    // Init: the reference files, and what a reader sees of them.
    const refDir = tempDir();
    referenceLog(refDir);
    const refPath = join(refDir, 'log.db');
    const check = SqliteLog.open(refPath);
    const expected = observe(check);
    check.close();
    const owners = pageOwners(refPath);
    const sizes = FILES.map((name) => statSync(join(refDir, name)).size);
    const total = sizes[0]! + sizes[1]!;
    const random = rng(SEED);
    const outcomes = new Map<string, number>();
    const harmless = new Map<string, number>();

    for (let i = 0; i < FLIPS; i++) {
      // Act: copy the files, flip one bit (files weighted by size), open and read.
      const dir = tempDir();
      for (const name of FILES) copyFileSync(join(refDir, name), join(dir, name));
      let at = Math.floor(random() * total);
      const which = at < sizes[0]! ? 0 : 1;
      if (which === 1) at -= sizes[0]!;
      const file = join(dir, FILES[which]);
      const before = readFileSync(file);
      flipBit(file, at, Math.floor(random() * 8));
      const options: SqliteLogOptions = i % 2 === 0 ? {} : { quickCheck: false, tailCacheEntries: 0 };
      // Check: one of the three endings (tryFlipped fails the test on changed data).
      const { outcome, detail } = tryFlipped(dir, options, expected);
      const key = `${outcome}${detail && outcome !== 'detected on read' ? ` (${detail})` : ''}`;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
      if (outcome === 'harmless') {
        const spot = where(FILES[which], at, before, owners);
        harmless.set(spot, (harmless.get(spot) ?? 0) + 1);
      }
    }
    report(`bit flips (seed ${SEED}): ${FLIPS} flips in ${total} bytes`, outcomes);
    report('harmless flips landed in', harmless);
    const sum = [...outcomes.values()].reduce((a, b) => a + b, 0);
    expect(sum).toBe(FLIPS);
  }, 120_000);

  it('every flip in the WAL of a SIGKILLed writer is refused (LOG_ROLLED_BACK or LOG_CORRUPT) or harmless', async () => {
    // Init: a writer acknowledged a vote and 20 entries, all in its WAL, and was killed.
    const refDir = tempDir();
    const refPath = join(refDir, 'log.db');
    const log = SqliteLog.open(refPath);
    log.write({ hardState: { term: 1, vote: 1, commit: 0 }, entries: entries(1, 10, 1) });
    log.close();
    const holder = await startLogUser(['hold', refPath, 'group']);
    expect(holder.line).toBe('open 30');
    await kill(holder.child);
    const names = ['log.db', 'log.db-wal', 'log.db.hwm'];
    const copy = (dir: string) => {
      for (const name of names)
        if (existsSync(join(refDir, name))) copyFileSync(join(refDir, name), join(dir, name));
    };
    const control = tempDir();
    copy(control);
    const opened = SqliteLog.open(join(control, 'log.db'));
    const expected = observe(opened);
    opened.close();
    const wal = join(refDir, 'log.db-wal');
    const size = statSync(wal).size;
    const random = rng(SEED ^ 0x5a5a5a5a);
    const outcomes = new Map<string, number>();
    const flips = Math.max(20, Math.floor(FLIPS / 3));
    for (let i = 0; i < flips; i++) {
      const dir = tempDir();
      mkdirSync(dir, { recursive: true });
      copy(dir);
      flipBit(join(dir, 'log.db-wal'), Math.floor(random() * size), Math.floor(random() * 8));
      const { outcome, detail } = tryFlipped(dir, {}, expected);
      const key = `${outcome}${detail ? ` (${detail})` : ''}`;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    }
    report(`WAL bit flips (seed ${SEED}): ${flips} flips in ${size} bytes`, outcomes);
    // Every WAL byte is under SQLite's frame checksums: a flip loses the frames from there
    // on, so none can be harmless unless it hits bytes no frame covers.
    for (const key of outcomes.keys())
      expect(key).toMatch(/refused at open \(LOG_ROLLED_BACK|LOG_CORRUPT\)|harmless/);
  }, 120_000);
});
