/**
 * Benchmark of `SqliteLog` against raw better-sqlite3 doing the same work in the same run
 * with the same pragmas, plus the machine's fsync rate as the reference for durable writes.
 *
 * - Appends: entries/s for batches of 1, 16 and 256 entries of 100 B and 1 KiB, one
 *   `write()` per batch, beside raw inserts of the same rows in one transaction per batch;
 *   at `synchronous = FULL` (the default) and `NORMAL`, and with group commit.
 * - High-water mark: entries/s of `SqliteLog` beside `SqliteLog` with the mark switched off
 *   (an internal option), same run, same files system: the mark's cost as a ratio.
 * - Reads at 1M entries: entries/s for random reads of 64 entries and random `term()`
 *   lookups, beside a raw SELECT on the same file; also at 10k entries, to show reads do
 *   not slow down as the log grows.
 *
 * Run: `pnpm bench` in this package. `BENCH_ENTRIES` sets the big log's size (default
 * 1000000), `BENCH_SECONDS` the time per append measurement (default 1), `BENCH_ONLY` runs
 * only the cases whose name contains it ('append', 'read', 'full  1024 B x 256', ...).
 */
import { closeSync, copyFileSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Entry } from '@raft-io/core';
import Database from 'better-sqlite3';
import { SqliteLog, type SqliteLogOptions } from '../src/index.js';
import { NO_HIGH_WATER_MARK } from '../src/internal-options.js';
import { MIGRATIONS } from '../src/schema.js';

const BIG = Number(process.env.BENCH_ENTRIES ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 1);
/** Alternating slices per measurement: the disk is shared, so fsync rates drift. */
const ROUNDS = 10;
const ONLY = process.env.BENCH_ONLY ?? '';
const dir = mkdtempSync(join(tmpdir(), 'raft-log-sqlite-bench-'));
let files = 0;
const nextFile = () => join(dir, `f${files++}.db`);

/** `ratio` is the median of the per-round ratios, robust to a burst of load in one slice. */
type Row = { name: string; ours: number; raw: number; ratio: number; unit: string };

function fmt(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : n.toFixed(0);
}

function printTable(title: string, list: Row[]): void {
  console.log(`\n${title}`);
  const w = Math.max(...list.map((r) => r.name.length), 10);
  console.log(
    `${'case'.padEnd(w)}  ${'SqliteLog'.padStart(10)}  ${'raw'.padStart(10)}  ${'ratio'.padStart(6)}  unit`,
  );
  for (const r of list) {
    console.log(
      `${r.name.padEnd(w)}  ${fmt(r.ours).padStart(10)}  ${fmt(r.raw).padStart(10)}  ${r.ratio.toFixed(2).padStart(6)}  ${r.unit}`,
    );
  }
}

/** Run `fn` repeatedly for about `seconds`; returns calls per second. */
function rate(fn: () => void, seconds: number): number {
  let n = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  let now = start;
  while (now < end) {
    for (let i = 0; i < 8; i++) fn();
    n += 8;
    now = performance.now();
  }
  return (n * 1000) / (now - start);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Rates of `ours` and `raw` in calls/s, measured in `ROUNDS` alternating slices (which one
 * goes first alternates too): medians of each side and of the per-round ratios.
 */
function compare(ours: () => void, raw: () => void): { ours: number; raw: number; ratio: number } {
  const a: number[] = [];
  const b: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let x: number;
    let y: number;
    if (round % 2 === 0) {
      x = rate(ours, SECONDS / ROUNDS);
      y = rate(raw, SECONDS / ROUNDS);
    } else {
      y = rate(raw, SECONDS / ROUNDS);
      x = rate(ours, SECONDS / ROUNDS);
    }
    a.push(x);
    b.push(y);
    ratios.push(x / y);
  }
  return { ours: median(a), raw: median(b), ratio: median(ratios) };
}

/** `rate` for a step that yields to the event loop after each call, as a server's batch loop does. */
async function rateAsync(fn: () => void, seconds: number): Promise<number> {
  let n = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  let now = start;
  while (now < end) {
    fn();
    await new Promise<void>((resolve) => setImmediate(resolve));
    n++;
    now = performance.now();
  }
  return (n * 1000) / (now - start);
}

/** `compare` with `rateAsync`. */
async function compareAsync(
  ours: () => void,
  raw: () => void,
): Promise<{ ours: number; raw: number; ratio: number }> {
  const a: number[] = [];
  const b: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const first = round % 2 === 0 ? ours : raw;
    const second = round % 2 === 0 ? raw : ours;
    const x = await rateAsync(first, SECONDS / ROUNDS);
    const y = await rateAsync(second, SECONDS / ROUNDS);
    const [o, r] = round % 2 === 0 ? [x, y] : [y, x];
    a.push(o);
    b.push(r);
    ratios.push(o / r);
  }
  return { ours: median(a), raw: median(b), ratio: median(ratios) };
}

function fsyncRate(): number {
  const path = join(dir, 'fsync.bin');
  const fd = openSync(path, 'w');
  const buf = Buffer.alloc(100, 1);
  const r = rate(() => {
    writeSync(fd, buf);
    fsyncSync(fd);
  }, 1);
  closeSync(fd);
  return r;
}

function makeEntries(from: number, count: number, size: number): Entry[] {
  const out: Entry[] = [];
  for (let i = 0; i < count; i++) {
    out.push({ index: from + i, term: 1, type: 'command', data: new Uint8Array(size).fill(i % 251) });
  }
  return out;
}

/** A raw better-sqlite3 database with the log's schema and the same pragmas. */
function rawDatabase(path: string, synchronous: 'FULL' | 'NORMAL'): Database.Database {
  const db = new Database(path);
  db.pragma('locking_mode = EXCLUSIVE');
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('cache_size = -16384');
  db.pragma('journal_size_limit = 67108864');
  MIGRATIONS[0]!.up(db);
  return db;
}

/** Batch `k` of the pool, renumbered in place to start at `from` (no allocation while timed). */
function batchAt(pool: Entry[][], from: number): Entry[] {
  const entries = pool[from % pool.length]!;
  for (let i = 0; i < entries.length; i++) (entries[i] as { index: number }).index = from + i;
  return entries;
}

function appendBench(synchronous: 'full' | 'normal', size: number, batch: number): Row {
  const options: SqliteLogOptions = { synchronous };
  const log = SqliteLog.open(nextFile(), options);
  const raw = rawDatabase(nextFile(), synchronous === 'full' ? 'FULL' : 'NORMAL');
  const pool = Array.from({ length: 64 }, () => makeEntries(0, batch, size));
  const insert = raw.prepare('INSERT INTO entries (idx, term, type, data) VALUES (?, ?, ?, ?)');
  const insertBatch = raw.transaction((entries: Entry[]) => {
    for (const e of entries) insert.run(e.index, e.term, 0, e.data);
  });
  // The same pre-built batches for both, so only the storage path is timed.
  let ourNext = 1;
  let rawNext = 1;
  const ours = () => {
    log.write({ entries: batchAt(pool, ourNext) });
    ourNext += batch;
  };
  const rawWrite = () => {
    insertBatch(batchAt(pool, rawNext));
    rawNext += batch;
  };
  const r = compare(ours, rawWrite);
  log.close();
  raw.close();
  const name = `append ${synchronous.padEnd(6)} ${String(size).padStart(4)} B x ${String(batch).padStart(3)}`;
  return { name, ours: r.ours * batch, raw: r.raw * batch, ratio: r.ratio, unit: 'entries/s' };
}

function groupBench(size: number, batch: number): Row {
  // Group commit: a write() per batch without fsync, then one sync() for the batch; beside
  // raw inserts at NORMAL followed by an fsync of the WAL file: the same durability work.
  const log = SqliteLog.open(nextFile(), { groupCommit: true });
  const rawPath = nextFile();
  const raw = rawDatabase(rawPath, 'NORMAL');
  const insert = raw.prepare('INSERT INTO entries (idx, term, type, data) VALUES (?, ?, ?, ?)');
  const insertBatch = raw.transaction((entries: Entry[]) => {
    for (const e of entries) insert.run(e.index, e.term, 0, e.data);
  });
  insertBatch(makeEntries(1, 1, size));
  const walFd = openSync(`${rawPath}-wal`, 'r+');
  const pool = Array.from({ length: 64 }, () => makeEntries(0, batch, size));
  let ourNext = 1;
  let rawNext = 2;
  const r = compare(
    () => {
      log.write({ entries: batchAt(pool, ourNext) });
      log.sync();
      ourNext += batch;
    },
    () => {
      insertBatch(batchAt(pool, rawNext));
      fsyncSync(walFd);
      rawNext += batch;
    },
  );
  closeSync(walFd);
  log.close();
  raw.close();
  const name = `append group  ${String(size).padStart(4)} B x ${String(batch).padStart(3)}`;
  return { name, ours: r.ours * batch, raw: r.raw * batch, ratio: r.ratio, unit: 'entries/s' };
}

/**
 * The high-water mark's cost: the same appends (and, with group commit, a sync per batch)
 * on two logs, one with the mark switched off. "raw" is the log without the mark here.
 * Each batch yields to the event loop, as `RaftServer` does between batches, so the mark's
 * background flushes run and complete as they would in a server.
 */
async function markBench(
  mode: 'full' | 'group',
  size: number,
  batch: number,
  flushMs?: number,
): Promise<Row> {
  const options: SqliteLogOptions = {
    ...(mode === 'group' ? { groupCommit: true } : {}),
    ...(flushMs === undefined ? {} : { highWaterMarkFlushMs: flushMs }),
  };
  const withMark = SqliteLog.open(nextFile(), options);
  const without = SqliteLog.open(nextFile(), { ...options, [NO_HIGH_WATER_MARK]: true } as SqliteLogOptions);
  const pool = Array.from({ length: 64 }, () => makeEntries(0, batch, size));
  const step = (log: SqliteLog) => () => {
    log.write({ entries: batchAt(pool, log.lastIndex() + 1) });
    log.sync();
  };
  const r = await compareAsync(step(withMark), step(without));
  withMark.close();
  without.close();
  const every = flushMs === undefined ? '' : ` (flush ${flushMs} ms)`;
  const name = `mark ${mode.padEnd(6)} ${String(size).padStart(4)} B x ${String(batch).padStart(3)}${every}`;
  return { name, ours: r.ours * batch, raw: r.raw * batch, ratio: r.ratio, unit: 'entries/s' };
}

/** Seeded xorshift so both sides read the same random positions. */
function positions(seed: number, count: number, lo: number, hi: number): number[] {
  let x = seed;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out.push(lo + (x % (hi - lo)));
  }
  return out;
}

function readBench(path: string, size: number, label: string): Row[] {
  const span = 64;
  // The raw side reads a copy of the same file, so both run interleaved (one writer per file).
  const copy = `${path}.copy`;
  copyFileSync(path, copy);
  const log = SqliteLog.open(path, { synchronous: 'normal' });
  const raw = new Database(copy);
  raw.pragma('locking_mode = EXCLUSIVE');
  raw.pragma('cache_size = -16384');
  // Raw (array) rows: the fastest way better-sqlite3 reads, as the log itself does.
  const range = raw
    .prepare('SELECT idx, term, type, data FROM entries WHERE idx >= ? AND idx < ? ORDER BY idx')
    .raw();
  const term = raw.prepare('SELECT term FROM entries WHERE idx = ?').pluck();
  const last = log.lastIndex();
  // Positions outside the tail cache, so every read is a query.
  const lo = log.firstIndex();
  const hi = Math.max(lo + 1, last - 2048 - span);
  const at = positions(12345, 1 << 16, lo, hi);
  let i = 0;
  let j = 0;
  const p = () => at[i++ & 0xffff]!;
  const q = () => at[j++ & 0xffff]!;
  const tailLo = last - 1000;
  const row = (
    name: string,
    r: { ours: number; raw: number; ratio: number },
    per: number,
    unit: string,
  ): Row => ({
    name,
    ours: r.ours * per,
    raw: r.raw * per,
    ratio: r.ratio,
    unit,
  });
  const out = [
    row(
      `read 64 at random, ${label}`,
      compare(
        () => {
          const from = p();
          log.entries(from, from + span);
        },
        () => {
          const from = q();
          range.all(from, from + span);
        },
      ),
      span,
      'entries/s',
    ),
    row(
      `read <= ${span * size} B (maxBytes), ${label}`,
      compare(
        () => {
          const from = p();
          log.entries(from, Math.min(last + 1, from + 4096), span * size);
        },
        () => {
          const from = q();
          range.all(from, from + span);
        },
      ),
      span,
      'entries/s',
    ),
    row(
      `term() at random, ${label}`,
      compare(
        () => log.term(p()),
        () => term.get(q()),
      ),
      1,
      'lookups/s',
    ),
    row(
      `read 64 of the newest 1000 (tail cache), ${label}`,
      compare(
        () => {
          const from = tailLo + (i++ % 900);
          log.entries(from, from + span);
        },
        () => {
          const from = tailLo + (j++ % 900);
          range.all(from, from + span);
        },
      ),
      span,
      'entries/s',
    ),
  ];
  log.close();
  raw.close();
  rmSync(copy, { force: true });
  return out;
}

function fill(log: SqliteLog, upTo: number, size: number): void {
  for (let next = log.lastIndex() + 1; next <= upTo; next += 4096) {
    log.write({ entries: makeEntries(next, Math.min(4096, upTo - next + 1), size) });
  }
}

async function main(): Promise<void> {
  console.log(`raft-io log-sqlite benchmark: node ${process.version}, files in ${dir}`);
  const fsyncs = fsyncRate();
  console.log(
    `fsync rate (write 100 B + fsyncSync, 1 s): ${fmt(fsyncs)}/s: the ceiling for durable write() calls/s`,
  );

  const appends: Row[] = [];
  const name = (mode: string, size: number, batch: number) =>
    `append ${mode.padEnd(6)} ${String(size).padStart(4)} B x ${String(batch).padStart(3)}`;
  for (const mode of ['full', 'normal', 'group'] as const) {
    for (const size of [100, 1024]) {
      for (const batch of [1, 16, 256]) {
        if (!name(mode, size, batch).includes(ONLY)) continue;
        appends.push(mode === 'group' ? groupBench(size, batch) : appendBench(mode, size, batch));
      }
    }
  }
  if (appends.length > 0) {
    printTable(
      'Appends: one write() per batch vs raw inserts in one transaction per batch (same pragmas)',
      appends,
    );
    const worst = Math.min(...appends.map((r) => r.ratio));
    console.log(`worst append ratio: ${worst.toFixed(2)} (target >= 0.80)`);
  }

  const marks: Row[] = [];
  for (const mode of ['full', 'group'] as const) {
    for (const batch of [1, 16, 256]) {
      const name = `mark ${mode.padEnd(6)}  100 B x ${String(batch).padStart(3)}`;
      if (name.includes(ONLY)) marks.push(await markBench(mode, 100, batch));
    }
    // The same with a flush as soon as the previous one is done: the window closed, the cost.
    if (`mark ${mode} 0 ms`.includes(ONLY) || 'mark'.includes(ONLY))
      marks.push(await markBench(mode, 100, 1, 0));
  }
  if (marks.length > 0) {
    printTable('High-water mark: SqliteLog vs SqliteLog with the mark off ("raw"), same run', marks);
  }

  if (ONLY !== '' && !ONLY.startsWith('read')) return;
  const size = 100;
  const path = nextFile();
  const log = SqliteLog.open(path, { synchronous: 'normal' });
  fill(log, 10_000, size);
  log.close();
  const small = readBench(path, size, '10k');
  const log2 = SqliteLog.open(path, { synchronous: 'normal' });
  const t0 = performance.now();
  fill(log2, BIG, size);
  const fillSeconds = (performance.now() - t0) / 1000;
  log2.close();
  let t = performance.now();
  SqliteLog.open(path).close();
  const openChecked = performance.now() - t;
  t = performance.now();
  SqliteLog.open(path, { quickCheck: false }).close();
  const openUnchecked = performance.now() - t;
  const big = readBench(path, size, fmt(BIG));
  printTable(`Reads (${size} B entries; random positions outside the tail cache unless noted)`, [
    ...small,
    ...big,
  ]);
  console.log(
    `\nfilled ${fmt(BIG - 10_000)} entries (4096 per write, NORMAL) in ${fillSeconds.toFixed(1)} s; open at ${fmt(BIG)}: ${openChecked.toFixed(0)} ms with quickCheck, ${openUnchecked.toFixed(0)} ms without`,
  );
}

try {
  await main();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
