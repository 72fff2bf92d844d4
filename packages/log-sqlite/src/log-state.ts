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

/** Read and check the log's state. `scan` also counts the entries to prove there is no gap. */
export function loadLogState(db: Database, path: string, scan: boolean): LogState {
  const corrupt = (problem: string) => new SqliteLogError('LOG_CORRUPT', path, problem);

  const hs = db.prepare('SELECT term, vote, commit_index AS c, crc FROM hard_state WHERE id = 0').get() as
    | { term: unknown; vote: unknown; c: unknown; crc: unknown }
    | undefined;
  if (hs === undefined) throw corrupt('the hard_state row is missing');
  if (!isCount(hs.term) || !isCount(hs.c) || !(hs.vote === null || (isCount(hs.vote) && hs.vote > 0))) {
    throw corrupt(`the hard state is malformed (term ${hs.term}, vote ${hs.vote}, commit ${hs.c})`);
  }
  if (hs.crc !== hardStateCrc(hs.term, hs.vote, hs.c)) throw corrupt('the hard state fails its checksum');

  const point = db.prepare('SELECT idx, term, crc FROM compaction WHERE id = 0').get() as
    | { idx: unknown; term: unknown; crc: unknown }
    | undefined;
  if (point === undefined) throw corrupt('the compaction row is missing');
  if (!isCount(point.idx) || !isCount(point.term)) throw corrupt('the compaction point is malformed');
  if (point.crc !== compactionCrc(point.idx, point.term)) {
    throw corrupt('the compaction point fails its checksum');
  }

  const span = db.prepare('SELECT min(idx) AS lo, max(idx) AS hi FROM entries').get() as {
    lo: number | null;
    hi: number | null;
  };
  let lastIndex = point.idx;
  if (span.lo !== null && span.hi !== null) {
    if (span.lo !== point.idx + 1) {
      throw corrupt(`the entries start at ${span.lo}, but the compaction point is ${point.idx}`);
    }
    if (scan) {
      const count = db.prepare('SELECT count(*) FROM entries').pluck().get() as number;
      if (count !== span.hi - span.lo + 1) {
        throw corrupt(
          `entries ${span.lo}..${span.hi} have gaps: ${count} rows for ${span.hi - span.lo + 1} indexes`,
        );
      }
    }
    lastIndex = span.hi;
  }

  const meta = db.prepare('SELECT idx, term, membership, crc FROM snapshot_meta WHERE id = 0').get() as
    | { idx: unknown; term: unknown; membership: unknown; crc: unknown }
    | undefined;
  const hasData = db.prepare('SELECT count(*) FROM snapshot_data').pluck().get() as number;
  if ((meta === undefined) !== (hasData === 0)) throw corrupt('the snapshot metadata and data rows disagree');
  let snapshotMetadata: SnapshotMetadata | null = null;
  if (meta !== undefined) {
    const membership = typeof meta.membership === 'string' ? decodeMembership(meta.membership) : null;
    if (!isCount(meta.idx) || !isCount(meta.term) || membership === null) {
      throw corrupt('the snapshot metadata is malformed');
    }
    if (meta.crc !== snapshotMetaCrc(meta.idx, meta.term, meta.membership as string)) {
      throw corrupt('the snapshot metadata fails its checksum');
    }
    snapshotMetadata = Object.freeze({ index: meta.idx, term: meta.term, membership });
  }

  const id = db.prepare('SELECT node_id AS n, cluster_id AS c, crc FROM identity WHERE id = 0').get() as
    | { n: unknown; c: unknown; crc: unknown }
    | undefined;
  let identity: LogIdentity | null = null;
  if (id !== undefined) {
    if (!isCount(id.n) || !isCount(id.c) || id.crc !== identityCrc(id.n, id.c)) {
      throw corrupt('the identity row fails its checksum');
    }
    identity = Object.freeze({ nodeId: id.n, clusterId: id.c });
  }

  return {
    identity,
    hardState: Object.freeze({ term: hs.term, vote: hs.vote, commit: hs.c }),
    compactIndex: point.idx,
    compactTerm: point.term,
    lastIndex,
    snapshotMetadata,
  };
}
