/**
 * The high-water marks of a log store (`SqliteLogStore`: many groups' logs in one database):
 * one mark per group, kept outside SQLite and its WAL like a single log's (`high-water-mark.ts`),
 * in one file `<store>.hwm`, so that a store that lost durable state of any group (its WAL
 * deleted or damaged, the database swapped for an older copy) is refused on open.
 *
 * Format: each group owns a pair of 64-byte slots at `pair * 128` (slot A, then B); a slot
 * holds magic `RFHG`, version 1, flags (bit 0: tombstone, the group is being deleted), the
 * group id, a sequence number (one counter for the whole file), term, vote (0: none), last
 * index, last term, and a CRC32C of the rest. The valid slot with the higher sequence number
 * is the pair's record; writes alternate slots, so a torn write falls back to the previous
 * record, and a lowering or a creation writes both. A pair of zero bytes (or past the end of
 * the file) is free; a pair with no valid slot is damaged: refused on open if the database
 * holds a group without a record (free otherwise: a creation cut short by a crash). A pair
 * is reused only after its group's deletion is durable.
 *
 * Invariants, kept by `SqliteLogStore`: a group's rows are in the database only while it has
 * a live mark or a tombstone (a mark is written and flushed before the group's first row;
 * a tombstone is flushed before its rows are deleted, and a deletion a crash cut short is
 * finished on open), and every state the files can hold after a crash contains each live
 * mark (raised only to durable state, lowered durably before a write that would not contain
 * it, as for a single log).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { crc32c } from '@raft-io/core';
import { type HighWaterMark, MarkFlusher, ZERO_MARK } from './high-water-mark.js';

const MAGIC = 0x52464847; // 'RFHG'
const VERSION = 1;
const RECORD = 64;
const PAIR = 2 * RECORD;
const FLAG_TOMBSTONE = 1;

/** A pair's record, as read. */
export interface GroupMarkRecord {
  readonly group: number;
  readonly seq: number;
  readonly tombstone: boolean;
  readonly mark: HighWaterMark;
}

/** What the mark file holds: each live or tombstoned group's record and pair, and the damaged pairs. */
export interface GroupMarksRead {
  readonly records: ReadonlyMap<number, GroupMarkRecord & { readonly pair: number; readonly slot: number }>;
  /** Pairs with bytes but no valid slot. */
  readonly damaged: readonly number[];
  /** The number of pairs the file spans. */
  readonly pairs: number;
  /** The highest sequence number of any valid slot (0: none). */
  readonly maxSeq: number;
}

function encode(group: number, seq: number, tombstone: boolean, mark: HighWaterMark): Buffer {
  const b = Buffer.alloc(RECORD);
  b.writeUInt32BE(MAGIC, 0);
  b.writeUInt8(VERSION, 4);
  b.writeUInt8(tombstone ? FLAG_TOMBSTONE : 0, 5);
  let at = 8;
  for (const v of [group, seq, mark.term, mark.vote ?? 0, mark.lastIndex, mark.lastTerm]) {
    b.writeUInt32BE(Math.floor(v / 0x1_0000_0000), at);
    b.writeUInt32BE(v >>> 0, at + 4);
    at += 8;
  }
  b.writeUInt32BE(crc32c(b.subarray(0, 56)), 56);
  return b;
}

function decode(b: Buffer): GroupMarkRecord | null {
  if (b.readUInt32BE(0) !== MAGIC || b.readUInt8(4) !== VERSION) return null;
  if (crc32c(b.subarray(0, 56)) !== b.readUInt32BE(56)) return null;
  const flags = b.readUInt8(5);
  if ((flags & ~FLAG_TOMBSTONE) !== 0) return null;
  const n: number[] = [];
  for (let at = 8; at < 56; at += 8) {
    const hi = b.readUInt32BE(at);
    if (hi > 0x1fffff) return null; // above 2^53 - 1: not a number we wrote
    n.push(hi * 0x1_0000_0000 + b.readUInt32BE(at + 4));
  }
  const [group, seq, term, vote, lastIndex, lastTerm] = n as [number, number, number, number, number, number];
  if (group < 1) return null;
  return {
    group,
    seq,
    tombstone: (flags & FLAG_TOMBSTONE) !== 0,
    mark: Object.freeze({ term, vote: vote === 0 ? null : vote, lastIndex, lastTerm }),
  };
}

const isZero = (b: Buffer) => b.every((x) => x === 0);

/** Read every pair of the mark file at `file`. Throws the `fs` error if unreadable (ENOENT included). */
export function readGroupMarks(file: string): GroupMarksRead {
  const fd = openSync(file, 'r');
  const chunks: Buffer[] = [];
  try {
    for (;;) {
      const buf = Buffer.alloc(1 << 20);
      let size = 0;
      while (size < buf.length) {
        const n = readSync(fd, buf, size, buf.length - size, null);
        if (n === 0) break;
        size += n;
      }
      chunks.push(buf.subarray(0, size));
      if (size < buf.length) break;
    }
  } finally {
    closeSync(fd);
  }
  const all = Buffer.concat(chunks);
  const records = new Map<number, GroupMarkRecord & { pair: number; slot: number }>();
  const damaged: number[] = [];
  const pairs = Math.ceil(all.length / PAIR);
  let maxSeq = 0;
  for (let pair = 0; pair < pairs; pair++) {
    const a = Buffer.alloc(RECORD);
    const b = Buffer.alloc(RECORD);
    all.copy(a, 0, pair * PAIR, Math.min(all.length, pair * PAIR + RECORD));
    all.copy(b, 0, pair * PAIR + RECORD, Math.min(all.length, pair * PAIR + PAIR));
    if (isZero(a) && isZero(b)) continue;
    const ra = decode(a);
    const rb = decode(b);
    let best = ra;
    if (rb !== null && (best === null || rb.seq > best.seq)) best = rb;
    if (best === null) {
      damaged.push(pair);
      continue;
    }
    maxSeq = Math.max(maxSeq, ra?.seq ?? 0, rb?.seq ?? 0);
    const earlier = records.get(best.group);
    // Two pairs naming one group: a deleted group's old pair and its new one; the newest wins.
    if (earlier !== undefined && earlier.seq > best.seq) continue;
    records.set(best.group, { ...best, pair, slot: best === ra ? 0 : 1 });
  }
  return { records, damaged, pairs, maxSeq };
}

/** The open mark file of a store. */
export class GroupMarkFile {
  private readonly flusher: MarkFlusher<null>;
  /** Each group's pair and newest mark written. */
  private readonly groups = new Map<number, { pair: number; mark: HighWaterMark; slot?: number }>();
  /** The sequence number of the newest slot written (one counter for the file). */
  private seq: number;
  /** Pairs no group uses, lowest first, and the next pair past the end. */
  private readonly free: number[];
  private next: number;

  constructor(
    readonly file: string,
    read: GroupMarksRead,
    /** The groups whose records to keep (live groups of the database), with their marks. */
    live: ReadonlyMap<number, { readonly mark: HighWaterMark; readonly pair: number; readonly slot: number }>,
    flushIntervalMs: number,
  ) {
    this.flusher = new MarkFlusher(file, flushIntervalMs, { capture: () => null, flushed: () => {} });
    this.seq = read.maxSeq;
    const used = new Set<number>();
    for (const [group, r] of live) {
      this.groups.set(group, { pair: r.pair, mark: r.mark, slot: r.slot });
      used.add(r.pair);
    }
    this.free = [];
    for (let p = 0; p < read.pairs; p++) if (!used.has(p)) this.free.push(p);
    this.next = read.pairs;
  }

  /** Background flush failures; the store turns one into `LOG_FAILED`. */
  get failure(): unknown {
    return this.flusher.failure;
  }

  /** fdatasync calls on the mark file so far. */
  get flushes(): number {
    return this.flusher.flushes;
  }

  /** The newest mark written for `group` (maybe not yet flushed), or undefined. */
  mark(group: number): HighWaterMark | undefined {
    return this.groups.get(group)?.mark;
  }

  has(group: number): boolean {
    return this.groups.has(group);
  }

  /** New groups: each one's zero mark in both slots of a free pair, all flushed before this returns. */
  create(groups: Iterable<number>): void {
    let wrote = false;
    for (const group of groups) {
      if (this.groups.has(group)) continue;
      const pair = this.free.shift() ?? this.next++;
      const g = { pair, mark: ZERO_MARK };
      this.groups.set(group, g);
      this.putBoth(group, g, ZERO_MARK, false);
      wrote = true;
    }
    if (wrote) this.flusher.flushNow();
  }

  /**
   * Raise `group`'s mark to `mark`, a state that is durable now: written at once, flushed
   * before this returns when `now`, else by a background flush.
   */
  raise(group: number, mark: HighWaterMark, now: boolean): void {
    const g = this.groups.get(group);
    if (g === undefined || sameMark(g.mark, mark)) return;
    this.put(group, g, mark, false);
    if (now) this.flusher.flushNow();
    else this.flusher.flushSoon();
  }

  /** Flush now (a raise of a term or vote made by `raise(…, false)` calls of one sync). */
  flushNow(): void {
    this.flusher.flushNow();
  }

  /** Lower `group`'s mark, durably in both slots, before a write that would not contain it. */
  lower(group: number, mark: HighWaterMark): void {
    const g = this.groups.get(group);
    if (g === undefined) return;
    this.putBoth(group, g, mark, false);
    this.flusher.flushNow();
  }

  /** The group is being deleted: a tombstone in both slots, flushed before its rows go. */
  tombstone(group: number): void {
    const g = this.groups.get(group);
    if (g === undefined) return;
    this.putBoth(group, g, ZERO_MARK, true);
    this.flusher.flushNow();
  }

  /** The group's rows are gone: its pair may be reused (its tombstone stays until then). */
  release(group: number): void {
    const g = this.groups.get(group);
    if (g === undefined) return;
    this.groups.delete(group);
    this.free.push(g.pair);
    this.free.sort((a, b) => a - b);
  }

  close(): void {
    this.flusher.close();
  }

  /**
   * Write `mark` into the slot of `g`'s pair that does not hold its newest record (the slot
   * is chosen by the file-wide sequence number's parity, so the two writes of `putBoth` take
   * both slots and a single write never overwrites the newest record).
   */
  private put(
    group: number,
    g: { pair: number; mark: HighWaterMark; slot?: number },
    mark: HighWaterMark,
    tombstone: boolean,
  ): void {
    this.seq++;
    const slot = g.slot === undefined ? this.seq % 2 : 1 - g.slot;
    g.slot = slot;
    this.flusher.write(encode(group, this.seq, tombstone, mark), g.pair * PAIR + slot * RECORD);
    g.mark = mark;
  }

  private putBoth(
    group: number,
    g: { pair: number; mark: HighWaterMark; slot?: number },
    mark: HighWaterMark,
    tombstone: boolean,
  ): void {
    this.put(group, g, mark, tombstone);
    this.put(group, g, mark, tombstone);
  }
}

function sameMark(a: HighWaterMark, b: HighWaterMark): boolean {
  return a.term === b.term && a.vote === b.vote && a.lastIndex === b.lastIndex && a.lastTerm === b.lastTerm;
}
