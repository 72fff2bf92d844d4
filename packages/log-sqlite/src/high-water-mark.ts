/**
 * The high-water mark: a small checksummed file beside the database (`<log>.hwm`) that
 * remembers, outside SQLite and its WAL, the newest durable term and vote and the last entry
 * (index, term) the log held. A log found behind it on open (the WAL was deleted, truncated
 * or damaged, or the database was swapped for an older copy) is refused with
 * `LOG_ROLLED_BACK` instead of silently forgetting a vote or acknowledged entries.
 *
 * Invariant: every state the log's files can hold after a crash contains the mark
 * (`markBehind` is null for it). The log keeps it by writing a mark only for a state that
 * is already durable (a raise), and by lowering the mark durably *before* a write that
 * would not contain it (a truncation at or below the marked index, a hard state that goes
 * back: neither happens in Raft except a truncation of an uncommitted suffix).
 *
 * Format: two 512-byte slots (one sector each), each holding a 52-byte record: magic
 * `RFHW`, version 1, a sequence number, term, vote (0: none), last index, last term, and a
 * CRC32C of the rest. Writes alternate slots and the newest valid record wins, so a write
 * torn by a power loss falls back to the previous record. A lowering writes both slots, so
 * no record older than it can ever win again.
 *
 * Cost: a raise of the last index goes to the page cache at once and is flushed by a
 * background `fdatasync` (one in flight at a time, on libuv's pool, at most one per
 * `highWaterMarkFlushMs`): no fsync is added to `write()` or `sync()`, and at most a few
 * per second run beside them. A raise of the term or vote (an election) and a lowering are
 * flushed before the call returns.
 */
import {
  closeSync,
  fdatasync,
  fdatasyncSync,
  fsyncSync,
  openSync,
  readSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { crc32c } from '@raft-io/core';
import { fsyncPath } from './fs-sync.js';

/** What the mark remembers. `lastIndex` 0 with `lastTerm` 0 marks no entry. */
export interface HighWaterMark {
  readonly term: number;
  /** The vote in `term`, or null. */
  readonly vote: number | null;
  readonly lastIndex: number;
  readonly lastTerm: number;
}

/** The mark of a new, empty log. */
export const ZERO_MARK: HighWaterMark = Object.freeze({ term: 0, vote: null, lastIndex: 0, lastTerm: 0 });

/** The file name of the mark of the log at `logPath`. */
export const highWaterMarkPath = (logPath: string): string => `${logPath}.hwm`;

const MAGIC = 0x52464857; // 'RFHW'
const VERSION = 1;
const RECORD = 52;
const SLOT = 512;
const FILE_SIZE = 2 * SLOT;

function encode(seq: number, mark: HighWaterMark): Buffer {
  const b = Buffer.alloc(RECORD);
  b.writeUInt32BE(MAGIC, 0);
  b.writeUInt8(VERSION, 4);
  let at = 8;
  for (const v of [seq, mark.term, mark.vote ?? 0, mark.lastIndex, mark.lastTerm]) {
    b.writeUInt32BE(Math.floor(v / 0x1_0000_0000), at);
    b.writeUInt32BE(v >>> 0, at + 4);
    at += 8;
  }
  b.writeUInt32BE(crc32c(b.subarray(0, 48)), 48);
  return b;
}

function decode(b: Buffer): { seq: number; mark: HighWaterMark } | null {
  if (b.length < RECORD || b.readUInt32BE(0) !== MAGIC || b.readUInt8(4) !== VERSION) return null;
  if (crc32c(b.subarray(0, 48)) !== b.readUInt32BE(48)) return null;
  const n: number[] = [];
  for (let at = 8; at < 48; at += 8) {
    const hi = b.readUInt32BE(at);
    if (hi > 0x1fffff) return null; // above 2^53 - 1: not a number we wrote
    n.push(hi * 0x1_0000_0000 + b.readUInt32BE(at + 4));
  }
  const [seq, term, vote, lastIndex, lastTerm] = n as [number, number, number, number, number];
  return { seq, mark: Object.freeze({ term, vote: vote === 0 ? null : vote, lastIndex, lastTerm }) };
}

/** What reading a mark file found. */
export type MarkRead =
  | { readonly kind: 'missing' }
  | { readonly kind: 'damaged' }
  | { readonly kind: 'ok'; readonly seq: number; readonly mark: HighWaterMark };

/** Read the mark at `file`: the newest valid slot. Throws the `fs` error if unreadable. */
export function readHighWaterMark(file: string): MarkRead {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw error;
  }
  try {
    const buf = Buffer.alloc(FILE_SIZE);
    let size = 0;
    for (;;) {
      const n = readSync(fd, buf, size, FILE_SIZE - size, size);
      if (n === 0) break;
      size += n;
      if (size === FILE_SIZE) break;
    }
    let best: { seq: number; mark: HighWaterMark } | null = null;
    for (let slot = 0; slot < 2; slot++) {
      if (size < slot * SLOT + RECORD) continue;
      const record = decode(buf.subarray(slot * SLOT, slot * SLOT + RECORD));
      if (record !== null && (best === null || record.seq > best.seq)) best = record;
    }
    return best === null ? { kind: 'damaged' } : { kind: 'ok', ...best };
  } finally {
    closeSync(fd);
  }
}

/** Write a new mark file holding `mark` in both slots, atomically (temp file + rename). */
export function createHighWaterMark(file: string, mark: HighWaterMark): void {
  const temp = `${file}.creating-${process.pid}`;
  const buf = Buffer.alloc(FILE_SIZE);
  encode(0, mark).copy(buf, 0);
  encode(1, mark).copy(buf, SLOT);
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, buf, 0, FILE_SIZE, 0);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
  fsyncPath(dirname(file));
}

/**
 * Why the log state is behind `mark`, or null when it contains it. `termAt(i)` answers
 * for `compactIndex < i <= lastIndex`.
 */
export function markBehind(
  mark: HighWaterMark,
  state: {
    readonly term: number;
    readonly vote: number | null;
    readonly compactIndex: number;
    readonly compactTerm: number;
    readonly lastIndex: number;
  },
  termAt: (index: number) => number,
): string | null {
  if (state.term < mark.term) return `its term is ${state.term}, but term ${mark.term} was stored`;
  if (state.term === mark.term && mark.vote !== null && state.vote !== mark.vote) {
    return `its vote in term ${mark.term} is ${state.vote ?? 'none'}, but a vote for ${mark.vote} was stored`;
  }
  const { lastIndex: i, lastTerm: t } = mark;
  if (i > state.lastIndex) return `its last index is ${state.lastIndex}, but entries up to ${i} were stored`;
  if (i === state.compactIndex && state.compactTerm !== t) {
    return `its compaction point ${i} has term ${state.compactTerm}, but the entry stored there had term ${t}`;
  }
  if (i > state.compactIndex) {
    const found = termAt(i);
    if (found !== t) return `its entry ${i} has term ${found}, but the entry stored there had term ${t}`;
  }
  return null;
}

/** `a` is at or past `b` in term and vote: same term with the same vote or `b` without one, or a newer term. */
export function hardStateCovers(
  a: { readonly term: number; readonly vote: number | null },
  b: { readonly term: number; readonly vote: number | null },
): boolean {
  return a.term > b.term || (a.term === b.term && (b.vote === null || a.vote === b.vote));
}

/** An open mark file that the log raises and lowers. */
export class HighWaterMarkFile {
  private readonly flusher: MarkFlusher<{ seq: number; mark: HighWaterMark }>;
  private seq: number;
  private written: HighWaterMark;
  /** The newest mark known to be flushed, and its sequence number. */
  private flushed: HighWaterMark;
  private flushedSeq: number;

  /**
   * `flushIntervalMs`: the least time between two background flushes (a raise of the last
   * index waits for the next one); a new term or vote and a lowering flush at once.
   */
  constructor(
    readonly file: string,
    seq: number,
    mark: HighWaterMark,
    flushIntervalMs: number,
  ) {
    this.flusher = new MarkFlusher(file, flushIntervalMs, {
      capture: () => ({ seq: this.seq, mark: this.written }),
      flushed: ({ seq: s, mark: m }) => this.setFlushed(s, m),
    });
    this.seq = seq;
    this.written = mark;
    this.flushed = mark;
    this.flushedSeq = seq;
  }

  /** The error of a background flush; the log turns it into `LOG_FAILED`. */
  get failure(): unknown {
    return this.flusher.failure;
  }

  /** The newest mark written (maybe not yet flushed). */
  get mark(): HighWaterMark {
    return this.written;
  }

  /** The newest mark known to be on disk. */
  get durable(): HighWaterMark {
    return this.flushed;
  }

  /**
   * Raise the mark to `mark`, a state that is durable now. Flushed before returning when
   * `now`, else by a background flush.
   */
  raise(mark: HighWaterMark, now: boolean): void {
    if (sameMark(mark, this.written)) return;
    this.put(mark);
    if (now) this.flusher.flushNow();
    else this.flusher.flushSoon();
  }

  /**
   * Lower the mark to `mark`, durably in both slots, before a write that would not contain
   * the current one: once this returns, no older record can win after any crash.
   */
  lower(mark: HighWaterMark): void {
    this.put(mark);
    this.flusher.flushNow();
    this.put(mark);
    this.flusher.flushNow();
  }

  /** Flush what was written and close the file (after a background flush, if one runs). */
  close(): void {
    this.flusher.close();
  }

  /** Write `mark` into the slot after the newest one (sequence n lives in slot n mod 2). */
  private put(mark: HighWaterMark): void {
    this.seq++;
    this.flusher.write(encode(this.seq, mark), (this.seq % 2) * SLOT);
    this.written = mark;
  }

  private setFlushed(seq: number, mark: HighWaterMark): void {
    if (seq > this.flushedSeq) {
      this.flushedSeq = seq;
      this.flushed = mark;
    }
  }
}

/**
 * The writes and flushes of a mark file, shared by a log's mark (`HighWaterMarkFile`) and a
 * store's per-group marks (`GroupMarkFile`): records are written to the page cache at once;
 * `flushNow` fdatasyncs before it returns, `flushSoon` in the background, one at a time and at
 * most once per `flushIntervalMs`. `capture` is called when a flush starts and `flushed` with
 * its result once it is done, so the owner knows what is on disk.
 */
export class MarkFlusher<T> {
  private fd: number | null;
  private flushing = false;
  /** When the last background flush started (performance.now() ms), and the timer of the next. */
  private lastFlushStart = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | null = null;
  /** A record was written after the flush in flight started (or with none in flight). */
  private dirty = false;
  private closing = false;
  /** Flushes run so far (fdatasync calls on the file). */
  flushes = 0;
  /** The error of a background flush; the owner turns it into `LOG_FAILED`. */
  failure: unknown;

  constructor(
    readonly file: string,
    private readonly flushIntervalMs: number,
    private readonly hooks: { capture(): T; flushed(token: T): void },
  ) {
    this.fd = openSync(file, 'r+');
  }

  /** Write `bytes` at `offset` (to the page cache; a flush makes it durable). */
  write(bytes: Buffer, offset: number): void {
    writeSync(this.live(), bytes, 0, bytes.length, offset);
    this.dirty = true;
  }

  flushNow(): void {
    const token = this.hooks.capture();
    fdatasyncSync(this.live());
    this.flushes++;
    this.dirty = false;
    this.hooks.flushed(token);
  }

  /** Flush in the background, at most once per `flushIntervalMs`, one flush at a time. */
  flushSoon(): void {
    // In flight: its completion comes back here for what is dirty. Timer set: it will.
    if (this.flushing || this.timer !== null) return;
    const wait = this.lastFlushStart + this.flushIntervalMs - performance.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = null;
        if (!this.closing && this.fd !== null && this.dirty) this.flushSoon();
      }, wait);
      // A pending flush never keeps the process alive; close() flushes what is left.
      this.timer.unref();
      return;
    }
    const fd = this.live();
    this.lastFlushStart = performance.now();
    this.flushing = true;
    this.dirty = false;
    const token = this.hooks.capture();
    this.flushes++;
    fdatasync(fd, (error) => {
      this.flushing = false;
      if (error) this.failure ??= error;
      else this.hooks.flushed(token);
      if (this.closing) this.release();
      else if (this.dirty && this.failure === undefined) this.flushSoon();
    });
  }

  /** Flush what was written and close the file (after a background flush, if one runs). */
  close(): void {
    if (this.fd === null || this.closing) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    // Also when a background flush runs: close() returns with the newest record durable.
    if (this.dirty || this.flushing) this.flushNow();
    this.closing = true;
    if (!this.flushing) this.release();
  }

  private release(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private live(): number {
    if (this.fd === null || this.closing) throw new Error('the high-water mark file is closed');
    return this.fd;
  }
}

function sameMark(a: HighWaterMark, b: HighWaterMark): boolean {
  return a.term === b.term && a.vote === b.vote && a.lastIndex === b.lastIndex && a.lastTerm === b.lastTerm;
}
