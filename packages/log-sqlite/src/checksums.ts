/**
 * The CRC32C of every stored row (schema version 2). Each checksum covers all the row's
 * values, numbers as big-endian 64-bit integers after a one-byte tag naming the row kind, so
 * a row is valid only where it was written: an entry's bytes copied into the snapshot row,
 * or a changed index, term or type, all fail the check. A read that finds a mismatch reports
 * `LOG_CORRUPT`; nothing is ever "repaired".
 */
import { crc32c, crc32cByte, crc32cU64 } from '@raft-io/core';

const encoder = new TextEncoder();

/**
 * Where a row's CRC starts: 0 for a log of its own; for a group's row in a store of many
 * (`SqliteLogStore`), a tag and the group id, so that a row copied to another group fails.
 */
function start(group: number): number {
  return group === 0 ? 0 : crc32cU64(crc32cByte(0, TAG_GROUP), group);
}

/** The CRC of `tag` followed by `values` as big-endian 64-bit integers. */
function fill(tag: number, values: readonly number[], group: number): number {
  let crc = crc32cByte(start(group), tag);
  for (const v of values) crc = crc32cU64(crc, v);
  return crc;
}

const TAG_ENTRY = 0x45; // 'E'
const TAG_HARD_STATE = 0x48; // 'H'
const TAG_COMPACTION = 0x43; // 'C'
const TAG_SNAPSHOT_META = 0x4d; // 'M'
const TAG_SNAPSHOT_DATA = 0x53; // 'S'
const TAG_IDENTITY = 0x49; // 'I'
const TAG_GROUP = 0x47; // 'G'

// Every function takes the row's group last: 0 (the default) for a log of its own.

/** An entry: index, term, stored type code, data. */
export function entryCrc(index: number, term: number, type: number, data: Uint8Array, group = 0): number {
  // The hot path (every entry written and read): no array, no buffer.
  return crc32c(
    data,
    crc32cU64(crc32cU64(crc32cU64(crc32cByte(start(group), TAG_ENTRY), index), term), type),
  );
}

/** The hard state row; a null vote counts as 0 (a real vote is a positive node id). */
export function hardStateCrc(term: number, vote: number | null, commit: number, group = 0): number {
  return fill(TAG_HARD_STATE, [term, vote ?? 0, commit], group);
}

/** The compaction point row. */
export function compactionCrc(index: number, term: number, group = 0): number {
  return fill(TAG_COMPACTION, [index, term], group);
}

/** The snapshot metadata row, membership as the stored JSON text. */
export function snapshotMetaCrc(index: number, term: number, membership: string, group = 0): number {
  return crc32c(encoder.encode(membership), fill(TAG_SNAPSHOT_META, [index, term], group));
}

/** The snapshot data row, bound to the snapshot's index and term. */
export function snapshotDataCrc(index: number, term: number, data: Uint8Array, group = 0): number {
  return crc32c(data, fill(TAG_SNAPSHOT_DATA, [index, term], group));
}

/** The identity row. */
export function identityCrc(nodeId: number, clusterId: number): number {
  return fill(TAG_IDENTITY, [nodeId, clusterId], 0);
}
