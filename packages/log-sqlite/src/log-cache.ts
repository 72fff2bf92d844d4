/**
 * `LogCache`: what one Raft log keeps in memory beside its rows, and the rules that do not
 * depend on where the rows live. `SqliteLog` (one log per file) and `SqliteLogStore`'s group
 * logs (many logs in one file, keyed by group) both hold one: it validates a `LogWrite` in full
 * before anything changes (`plan`), brings the in-memory view along once the write committed
 * (`committed`), answers `term` and `entries` from the tail cache or the rows, and works out
 * which writes must lower the high-water mark first (`loweredMark`).
 *
 * Invariant: `compactIndex <= last`, the tail cache holds a contiguous suffix ending at `last`,
 * and `lastTerm` is the term of the entry at `last` (of the compaction point when empty).
 */
import {
  CompactedError,
  type Entry,
  type HardState,
  type LogWrite,
  type SnapshotMetadata,
  UnavailableError,
} from '@raft-io/core';
import { entryTypeCode, isNodeIdList } from './codec.js';
import { SqliteLogError, toSqliteLogError } from './errors.js';
import { MAX_LOG_VALUE_BYTES } from './file-format.js';
import { type HighWaterMark, hardStateCovers } from './high-water-mark.js';
import type { EntryRow } from './statements.js';
import { TailCache } from './tail-cache.js';

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isPositive = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;

const tooLarge = (what: string, data: Uint8Array) =>
  `${what} is ${data.length} bytes: larger than SQLite allows (at most ${MAX_LOG_VALUE_BYTES})`;

/** What a validated write will do, worked out before any change. */
export interface WritePlan {
  /** Delete entries `>= truncateFrom`, if set (only when that deletes something). */
  readonly truncateFrom: number | undefined;
  /** Move the compaction point, if set (only when it moves forward). */
  readonly compact: { readonly index: number; readonly term: number } | undefined;
  /** The last index once the write is done. */
  readonly lastIndex: number;
}

/** Where the rows of one log are read from (prepared statements, bound to the log's key). */
export interface EntryRows {
  /** The raw row at `index`, or undefined. */
  at(index: number): EntryRow | undefined;
  /** Raw rows `[lo, hi)` in order. */
  range(lo: number, hi: number): EntryRow[];
  /** Raw rows `[lo, hi)` in order, at most `limit`. */
  rangeLimit(lo: number, hi: number, limit: number): EntryRow[];
  /** Raw rows of the newest `limit` entries, newest first. */
  newest(limit: number): Iterable<EntryRow>;
  /** The entry a raw row holds, checked (its CRC32C included); throws `LOG_CORRUPT`. */
  toEntry(row: EntryRow): Entry;
}

/** The state a log's rows hold, as loaded (and checked) on open. */
export interface LoadedLog {
  readonly hardState: HardState;
  readonly snapshotMetadata: SnapshotMetadata | null;
  readonly compactIndex: number;
  readonly compactTerm: number;
  readonly lastIndex: number;
}

export class LogCache {
  hard: HardState;
  snapMeta: SnapshotMetadata | null;
  /** Compaction point: entries start at `compactIndex + 1`. */
  compactIndex: number;
  compactTerm: number;
  last: number;
  /** Term of the entry at `last` (of the compaction point when the log is empty). */
  lastTerm: number;
  readonly tail: TailCache;

  constructor(
    state: LoadedLog,
    private readonly maxTailEntries: number,
    maxTailBytes: number,
    private readonly rows: EntryRows,
    /** The file, for errors; `what` names the log in it (empty for a log of its own). */
    private readonly path: string,
    private readonly what = '',
  ) {
    this.hard = state.hardState;
    this.snapMeta = state.snapshotMetadata;
    this.compactIndex = state.compactIndex;
    this.compactTerm = state.compactTerm;
    this.last = state.lastIndex;
    this.tail = new TailCache(maxTailEntries, maxTailBytes, this.last);
    this.loadTail(maxTailBytes);
    this.lastTerm = this.term(this.last);
  }

  /** The mark of the current state (durable or not: the caller knows). */
  summary(): HighWaterMark {
    return { term: this.hard.term, vote: this.hard.vote, lastIndex: this.last, lastTerm: this.lastTerm };
  }

  corrupt(problem: string): SqliteLogError {
    return new SqliteLogError('LOG_CORRUPT', this.path, `${this.what}${problem}`);
  }

  /** Run a read of the rows, turning SQLite's errors into `SqliteLogError`. */
  read<T>(fn: () => T, during: string): T {
    try {
      return fn();
    } catch (error) {
      throw toSqliteLogError(this.path, error, `${this.what}${during}`);
    }
  }

  term(index: number): number {
    if (index < this.compactIndex) throw new CompactedError(index);
    if (index === this.compactIndex) return this.compactTerm;
    if (index > this.last) throw new UnavailableError(index);
    const cached = this.tail.get(index);
    if (cached !== undefined) return cached.term;
    const row = this.read(() => this.rows.at(index), 'reading a term');
    if (row === undefined) throw this.corrupt(`entry ${index} is missing`);
    return this.rows.toEntry(row).term;
  }

  entries(lo: number, hi: number, maxBytes = Number.POSITIVE_INFINITY): Entry[] {
    if (lo <= this.compactIndex) throw new CompactedError(lo);
    if (hi > this.last + 1) throw new UnavailableError(hi - 1);
    if (lo >= hi) return [];
    if (lo >= this.tail.first()) return this.tail.slice(lo, hi, maxBytes);
    return this.read(() => this.queryEntries(lo, hi, maxBytes), 'reading entries');
  }

  /** Check `write` against the rules and the current state; throws before any change. */
  plan(write: LogWrite): WritePlan {
    const invalid = (problem: string) =>
      new SqliteLogError('LOG_INVALID_WRITE', this.path, `${this.what}${problem}`);
    if (write === null || typeof write !== 'object') throw invalid('a write must be an object');
    const { hardState: hs, snapshot, truncateFrom, compact, entries } = write;
    if (hs !== undefined) {
      if (!isCount(hs.term) || !isCount(hs.commit) || !(hs.vote === null || isPositive(hs.vote))) {
        throw invalid(`malformed hard state ${JSON.stringify(hs)}`);
      }
    }
    if (snapshot !== undefined) {
      const m = snapshot.metadata;
      if (
        !isCount(m?.index) ||
        !isCount(m.term) ||
        !isNodeIdList(m.membership?.voters) ||
        !isNodeIdList(m.membership.learners) ||
        !isNodeIdList(m.membership.outgoingVoters) ||
        !(snapshot.data instanceof Uint8Array)
      ) {
        throw invalid('malformed snapshot');
      }
      if (snapshot.data.length > MAX_LOG_VALUE_BYTES) throw invalid(tooLarge('the snapshot', snapshot.data));
    }
    let offset = this.compactIndex;
    let last = this.last;
    let truncate: number | undefined;
    if (truncateFrom !== undefined) {
      if (!isPositive(truncateFrom)) throw invalid(`truncateFrom ${truncateFrom} is not a positive integer`);
      if (truncateFrom <= offset) {
        throw invalid(`cannot truncate from ${truncateFrom}: compacted through ${offset}`);
      }
      if (truncateFrom <= last) {
        truncate = truncateFrom;
        last = truncateFrom - 1;
      }
    }
    let moveTo: WritePlan['compact'];
    if (compact !== undefined) {
      if (!isCount(compact.index) || !isCount(compact.term))
        throw invalid(`malformed compact ${JSON.stringify(compact)}`);
      // A compaction point at or behind the current one changes nothing.
      if (compact.index > offset) {
        moveTo = { index: compact.index, term: compact.term };
        offset = compact.index;
        last = Math.max(last, offset);
      }
    }
    if (entries !== undefined) {
      if (!Array.isArray(entries)) throw invalid('entries must be an array');
      let expected = last + 1;
      for (const e of entries) {
        if (e?.index !== expected) {
          throw invalid(`append out of order: expected index ${expected}, got ${e?.index}`);
        }
        if (!isPositive(e.term) || entryTypeCode(e.type) < 0 || !(e.data instanceof Uint8Array)) {
          throw invalid(`malformed entry at index ${expected}`);
        }
        if (e.data.length > MAX_LOG_VALUE_BYTES)
          throw invalid(tooLarge(`the entry at index ${expected}`, e.data));
        expected++;
      }
      last = expected - 1;
    }
    return { truncateFrom: truncate, compact: moveTo, lastIndex: last };
  }

  /**
   * The mark to lower to, durably, before `write` (planned as `plan`), or null when its
   * result contains `mark`: a truncation at or below the marked index, a hard state behind
   * the marked term and vote, or a compaction point on the marked index with another term.
   * Such a write is rare (Raft only truncates an uncommitted suffix).
   */
  loweredMark(mark: HighWaterMark, write: LogWrite, plan: WritePlan): HighWaterMark | null {
    let { term, vote, lastIndex, lastTerm } = mark;
    let lower = false;
    const hs = write.hardState;
    if (hs !== undefined && !hardStateCovers(hs, mark)) {
      term = Math.min(mark.term, hs.term);
      vote = null;
      lower = true;
    }
    if (plan.truncateFrom !== undefined && plan.truncateFrom <= mark.lastIndex) {
      // Entries below the marked index have not changed since the mark was written (any
      // truncation there lowered it), so the entry before the cut is in every state the
      // files may hold after a crash, before and after this write.
      lastIndex = plan.truncateFrom - 1;
      lastTerm = this.term(lastIndex);
      lower = true;
    } else if (
      plan.compact !== undefined &&
      plan.compact.index === mark.lastIndex &&
      plan.compact.term !== mark.lastTerm
    ) {
      lastIndex = 0;
      lastTerm = 0;
      lower = true;
    }
    return lower ? { term, vote, lastIndex, lastTerm } : null;
  }

  /** The write (planned as `plan`) committed: bring the in-memory view along. */
  committed(write: LogWrite, plan: WritePlan): void {
    if (write.hardState !== undefined) {
      const { term, vote, commit } = write.hardState;
      this.hard = Object.freeze({ term, vote, commit });
    }
    if (write.snapshot !== undefined) this.snapMeta = freezeMetadata(write.snapshot.metadata);
    let last = this.last;
    if (plan.truncateFrom !== undefined) {
      this.tail.truncateFrom(plan.truncateFrom);
      last = plan.truncateFrom - 1;
    }
    if (plan.compact !== undefined) {
      this.compactIndex = plan.compact.index;
      this.compactTerm = plan.compact.term;
      this.tail.compact(plan.compact.index, Math.max(last, plan.compact.index));
    }
    this.last = plan.lastIndex;
    const entries = write.entries ?? [];
    // The cache keeps the entries handed in, as MemoryLog does: no copy on the hot path.
    if (entries.length > 0) {
      this.tail.append(entries);
      this.lastTerm = entries[entries.length - 1]!.term;
    } else if (plan.truncateFrom !== undefined || plan.compact !== undefined) {
      this.lastTerm = this.term(this.last);
    }
  }

  private queryEntries(lo: number, hi: number, maxBytes: number): Entry[] {
    const out: Entry[] = [];
    if (maxBytes === Number.POSITIVE_INFINITY) {
      for (const row of this.rows.range(lo, hi)) out.push(this.rows.toEntry(row));
      return this.checked(out, lo, hi, false);
    }
    // Fetch in growing chunks: a byte limit usually stops long before `hi`. The first
    // chunk is sized from the mean size of recent entries, to need one query.
    let size = 0;
    let next = lo;
    let chunk = Math.max(
      16,
      Math.min(4096, Math.ceil(maxBytes / Math.max(1, this.tail.averageBytes(256))) + 2),
    );
    let cut = false;
    fetch: while (next < hi) {
      const rows = this.rows.rangeLimit(next, hi, chunk);
      if (rows.length === 0) break;
      for (const row of rows) {
        size += row[3].length;
        if (out.length > 0 && size > maxBytes) {
          cut = true;
          break fetch;
        }
        out.push(this.rows.toEntry(row));
      }
      next = out[out.length - 1]!.index + 1;
      chunk = Math.min(chunk * 4, 4096);
    }
    return this.checked(out, lo, hi, cut);
  }

  /** The rows must be exactly `lo, lo + 1, ...` (all of `[lo, hi)` unless cut by size). */
  private checked(out: Entry[], lo: number, hi: number, cut: boolean): Entry[] {
    const complete = cut ? out.length > 0 : out.length === hi - lo;
    const last = out[out.length - 1];
    if (!complete || out[0]!.index !== lo || last!.index !== lo + out.length - 1) {
      throw this.corrupt(`entries ${lo}..${hi - 1} have gaps`);
    }
    return out;
  }

  /** Fill the tail cache with the newest entries, newest first, within both of its limits. */
  private loadTail(maxBytes: number): void {
    const want = Math.min(this.maxTailEntries, this.last - this.compactIndex);
    if (want <= 0) return;
    const newest: Entry[] = [];
    let bytes = 0;
    for (const row of this.read(() => this.rows.newest(want), 'reading the newest entries')) {
      bytes += row[3].length;
      if (bytes > maxBytes) break;
      newest.push(this.rows.toEntry(row));
    }
    newest.reverse();
    if (
      newest.length > 0 &&
      (newest[newest.length - 1]!.index !== this.last || newest[0]!.index !== this.last - newest.length + 1)
    ) {
      throw this.corrupt('the newest entries are not contiguous');
    }
    this.tail.reset(this.last - newest.length);
    this.tail.append(newest);
  }
}

export function freezeMetadata(m: SnapshotMetadata): SnapshotMetadata {
  return Object.freeze({
    index: m.index,
    term: m.term,
    membership: Object.freeze({
      voters: Object.freeze([...m.membership.voters]),
      learners: Object.freeze([...m.membership.learners]),
      outgoingVoters: Object.freeze([...m.membership.outgoingVoters]),
      ...(m.membership.info !== undefined ? { info: Object.freeze({ ...m.membership.info }) } : {}),
    }),
  });
}
