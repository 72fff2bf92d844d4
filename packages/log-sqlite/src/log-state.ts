/**
 * Loads what the log keeps in memory (hard state, compaction point, last index, snapshot
 * metadata, identity) from an opened database, checking each row's CRC32C and the
 * invariants between the tables. A file that breaks them is reported `LOG_CORRUPT`, never
 * repaired.
 */
import type { HardState, SnapshotMetadata } from '@raft-io/core';
import type { Database } from 'better-sqlite3';
import { compactionCrc, hardStateCrc, identityCrc, snapshotMetaCrc } from './checksums.js';
import { decodeMembership } from './codec.js';
import { type LogIdentity, SqliteLogError } from './errors.js';

export interface LogState {
  readonly hardState: HardState;
  readonly compactIndex: number;
  readonly compactTerm: number;
  readonly lastIndex: number;
  readonly snapshotMetadata: SnapshotMetadata | null;
  /** The node and cluster recorded in the log, or null (none recorded yet). */
  readonly identity: LogIdentity | null;
}

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/** Raised for a row that breaks the rules; `what` names the log (empty for a log of its own). */
type Corrupt = (problem: string) => SqliteLogError;

/** A raw hard state row. */
export interface HardStateRow {
  readonly term: unknown;
  readonly vote: unknown;
  readonly c: unknown;
  readonly crc: unknown;
}

/** The hard state a row holds, checked (shape and CRC32C). `group`: 0 for a log of its own. */
export function checkHardStateRow(hs: HardStateRow | undefined, corrupt: Corrupt, group = 0): HardState {
  if (hs === undefined) throw corrupt('the hard_state row is missing');
  if (!isCount(hs.term) || !isCount(hs.c) || !(hs.vote === null || (isCount(hs.vote) && hs.vote > 0))) {
    throw corrupt(`the hard state is malformed (term ${hs.term}, vote ${hs.vote}, commit ${hs.c})`);
  }
  if (hs.crc !== hardStateCrc(hs.term, hs.vote, hs.c, group))
    throw corrupt('the hard state fails its checksum');
  return Object.freeze({ term: hs.term, vote: hs.vote, commit: hs.c });
}

/** The compaction point a row holds, checked. */
export function checkCompactionRow(
  point: { readonly idx: unknown; readonly term: unknown; readonly crc: unknown } | undefined,
  corrupt: Corrupt,
  group = 0,
): { readonly index: number; readonly term: number } {
  if (point === undefined) throw corrupt('the compaction row is missing');
  if (!isCount(point.idx) || !isCount(point.term)) throw corrupt('the compaction point is malformed');
  if (point.crc !== compactionCrc(point.idx, point.term, group)) {
    throw corrupt('the compaction point fails its checksum');
  }
  return { index: point.idx, term: point.term };
}

/**
 * The last index, from the entries' span (`count` given only when scanning): the entries must
 * start right after the compaction point and, when counted, have no gap.
 */
export function checkEntrySpan(
  span: { readonly lo: number | null; readonly hi: number | null; readonly count?: number },
  compactIndex: number,
  corrupt: Corrupt,
): number {
  if (span.lo === null || span.hi === null) return compactIndex;
  if (span.lo !== compactIndex + 1) {
    throw corrupt(`the entries start at ${span.lo}, but the compaction point is ${compactIndex}`);
  }
  if (span.count !== undefined && span.count !== span.hi - span.lo + 1) {
    throw corrupt(
      `entries ${span.lo}..${span.hi} have gaps: ${span.count} rows for ${span.hi - span.lo + 1} indexes`,
    );
  }
  return span.hi;
}

/** The snapshot metadata a row holds (null: none), checked against the data row's presence. */
export function checkSnapshotMetaRow(
  meta:
    | { readonly idx: unknown; readonly term: unknown; readonly membership: unknown; readonly crc: unknown }
    | undefined,
  hasData: boolean,
  corrupt: Corrupt,
  group = 0,
): SnapshotMetadata | null {
  if ((meta === undefined) !== !hasData) throw corrupt('the snapshot metadata and data rows disagree');
  if (meta === undefined) return null;
  const membership = typeof meta.membership === 'string' ? decodeMembership(meta.membership) : null;
  if (!isCount(meta.idx) || !isCount(meta.term) || membership === null) {
    throw corrupt('the snapshot metadata is malformed');
  }
  if (meta.crc !== snapshotMetaCrc(meta.idx, meta.term, meta.membership as string, group)) {
    throw corrupt('the snapshot metadata fails its checksum');
  }
  return Object.freeze({ index: meta.idx, term: meta.term, membership });
}

/** The identity a row holds (null: none recorded), checked. */
export function checkIdentityRow(
  id: { readonly n: unknown; readonly c: unknown; readonly crc: unknown } | undefined,
  corrupt: Corrupt,
): LogIdentity | null {
  if (id === undefined) return null;
  if (!isCount(id.n) || !isCount(id.c) || id.crc !== identityCrc(id.n, id.c)) {
    throw corrupt('the identity row fails its checksum');
  }
  return Object.freeze({ nodeId: id.n, clusterId: id.c });
}

/** Read and check the log's state. `scan` also counts the entries to prove there is no gap. */
export function loadLogState(db: Database, path: string, scan: boolean): LogState {
  const corrupt = (problem: string) => new SqliteLogError('LOG_CORRUPT', path, problem);
  const hardState = checkHardStateRow(
    db.prepare('SELECT term, vote, commit_index AS c, crc FROM hard_state WHERE id = 0').get() as
      | HardStateRow
      | undefined,
    corrupt,
  );
  const point = checkCompactionRow(
    db.prepare('SELECT idx, term, crc FROM compaction WHERE id = 0').get() as
      | { idx: unknown; term: unknown; crc: unknown }
      | undefined,
    corrupt,
  );
  const span = db.prepare('SELECT min(idx) AS lo, max(idx) AS hi FROM entries').get() as {
    lo: number | null;
    hi: number | null;
  };
  const count =
    scan && span.lo !== null
      ? (db.prepare('SELECT count(*) FROM entries').pluck().get() as number)
      : undefined;
  const lastIndex = checkEntrySpan(
    { ...span, ...(count !== undefined ? { count } : {}) },
    point.index,
    corrupt,
  );
  const meta = db.prepare('SELECT idx, term, membership, crc FROM snapshot_meta WHERE id = 0').get() as
    | { idx: unknown; term: unknown; membership: unknown; crc: unknown }
    | undefined;
  const hasData = (db.prepare('SELECT count(*) FROM snapshot_data').pluck().get() as number) > 0;
  const snapshotMetadata = checkSnapshotMetaRow(meta, hasData, corrupt);
  const identity = checkIdentityRow(
    db.prepare('SELECT node_id AS n, cluster_id AS c, crc FROM identity WHERE id = 0').get() as
      | { n: unknown; c: unknown; crc: unknown }
      | undefined,
    corrupt,
  );
  return {
    identity,
    hardState,
    compactIndex: point.index,
    compactTerm: point.term,
    lastIndex,
    snapshotMetadata,
  };
}
