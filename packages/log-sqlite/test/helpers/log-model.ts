/**
 * A plain reference model of a `RaftLog` (the `LogWrite` rules, applied to an array) and a
 * digest of everything a reader can observe of a log, to compare a real log with it.
 */
import { createHash } from 'node:crypto';
import {
  EMPTY_HARD_STATE,
  type Entry,
  type HardState,
  type LogWrite,
  type RaftLog,
  type Snapshot,
} from '@raft-io/core';

export interface LogModel {
  hardState: HardState;
  snapshot: Snapshot | null;
  offset: number;
  offsetTerm: number;
  entries: Entry[];
}

export function emptyModel(): LogModel {
  return { hardState: EMPTY_HARD_STATE, snapshot: null, offset: 0, offsetTerm: 0, entries: [] };
}

/** Apply `w` in the documented order: hard state, snapshot, truncateFrom, compact, entries. */
export function applyWrite(m: LogModel, w: LogWrite): LogModel {
  let entries = m.entries;
  let { offset, offsetTerm } = m;
  if (w.truncateFrom !== undefined) entries = entries.filter((e) => e.index < w.truncateFrom!);
  if (w.compact) {
    const last = offset + entries.length;
    entries = w.compact.index >= last ? [] : entries.filter((e) => e.index > w.compact!.index);
    offset = w.compact.index;
    offsetTerm = w.compact.term;
  }
  if (w.entries) entries = [...entries, ...w.entries];
  return {
    hardState: w.hardState ?? m.hardState,
    snapshot: w.snapshot ?? m.snapshot,
    offset,
    offsetTerm,
    entries,
  };
}

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);

/** What a reader observes, with data as checksums. */
export interface LogDigest {
  firstIndex: number;
  lastIndex: number;
  hardState: HardState;
  compactTerm: number;
  snapshot: { index: number; term: number; data: string } | null;
  entries: string[];
}

export function digestModel(m: LogModel): LogDigest {
  return {
    firstIndex: m.offset + 1,
    lastIndex: m.offset + m.entries.length,
    hardState: { ...m.hardState },
    compactTerm: m.offsetTerm,
    snapshot: m.snapshot && {
      index: m.snapshot.metadata.index,
      term: m.snapshot.metadata.term,
      data: sha(m.snapshot.data),
    },
    entries: m.entries.map((e) => `${e.index}/${e.term}/${e.type}/${sha(e.data)}`),
  };
}

export function digestLog(log: RaftLog): LogDigest {
  const first = log.firstIndex();
  const last = log.lastIndex();
  const snap = log.snapshot();
  return {
    firstIndex: first,
    lastIndex: last,
    hardState: { ...log.hardState() },
    compactTerm: log.term(first - 1),
    snapshot: snap && { index: snap.metadata.index, term: snap.metadata.term, data: sha(snap.data) },
    entries: log.entries(first, last + 1).map((e) => `${e.index}/${e.term}/${e.type}/${sha(e.data)}`),
  };
}
