/**
 * How log values map to SQLite columns: entry types as small integers, membership as JSON
 * text, blobs as `Uint8Array` views. Decoders return null on a malformed value so the
 * caller can report the file as corrupt; `entryFromRow` checks a row's types and CRC32C
 * before it builds an entry.
 */
import type { Entry, EntryType, MemberInfo, Membership, NodeId } from '@raft-io/core';
import { entryCrc } from './checksums.js';
import { SqliteLogError } from './errors.js';
import type { EntryRow } from './statements.js';

/** Entry types by their stored code; the position is the code. Never reorder. */
export const ENTRY_TYPES: readonly EntryType[] = Object.freeze(['command', 'empty', 'membership']);

/** The stored code of an entry type; -1 for an unknown one. */
export function entryTypeCode(type: EntryType): number {
  return type === 'command' ? 0 : type === 'empty' ? 1 : type === 'membership' ? 2 : -1;
}

/** A view of a blob SQLite returned, typed as a plain `Uint8Array` (no copy). */
export function toBytes(blob: Buffer): Uint8Array {
  return new Uint8Array(blob.buffer, blob.byteOffset, blob.byteLength);
}

export function encodeMembership(membership: Membership): string {
  return JSON.stringify({
    voters: membership.voters,
    learners: membership.learners,
    outgoingVoters: membership.outgoingVoters,
    ...(membership.info !== undefined ? { info: membership.info } : {}),
  });
}

/** `info` of a stored membership: node id -> `{ address?, metadata? }` strings, or null. */
function decodeInfo(value: unknown): Record<NodeId, MemberInfo> | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const info: Record<NodeId, MemberInfo> = {};
  for (const [key, m] of Object.entries(value)) {
    const id = Number(key);
    if (!Number.isSafeInteger(id) || id <= 0 || m === null || typeof m !== 'object') return null;
    const { address, metadata, ...rest } = m as Record<string, unknown>;
    if (Object.keys(rest).length > 0) return null;
    if (
      (address !== undefined && typeof address !== 'string') ||
      (metadata !== undefined && typeof metadata !== 'string')
    )
      return null;
    info[id] = Object.freeze({
      ...(address !== undefined ? { address } : {}),
      ...(metadata !== undefined ? { metadata } : {}),
    });
  }
  return Object.freeze(info);
}

export function isNodeIdList(value: unknown): value is NodeId[] {
  return Array.isArray(value) && value.every((id) => Number.isSafeInteger(id) && id > 0);
}

export function decodeMembership(text: string): Membership | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object') return null;
  const { voters, learners, outgoingVoters, info } = value as Record<string, unknown>;
  if (!isNodeIdList(voters) || !isNodeIdList(learners) || !isNodeIdList(outgoingVoters)) return null;
  const decodedInfo = info === undefined ? undefined : decodeInfo(info);
  if (decodedInfo === null) return null;
  return Object.freeze({
    voters: Object.freeze([...voters]),
    learners: Object.freeze([...learners]),
    outgoingVoters: Object.freeze([...outgoingVoters]),
    ...(decodedInfo !== undefined ? { info: decodedInfo } : {}),
  });
}

/**
 * The entry a raw row holds, after checking its column types and its CRC32C: a row changed
 * on disk (a flipped bit in its index, term, type or data) throws `LOG_CORRUPT`.
 */
export function entryFromRow(row: EntryRow, path: string, group = 0): Entry {
  const [index, term, type, data, crc] = row;
  if (
    typeof index !== 'number' ||
    typeof term !== 'number' ||
    typeof type !== 'number' ||
    !(data instanceof Uint8Array) ||
    typeof crc !== 'number' ||
    entryCrc(index, term, type, data, group) !== crc ||
    ENTRY_TYPES[type] === undefined
  ) {
    throw new SqliteLogError(
      'LOG_CORRUPT',
      path,
      `${group === 0 ? '' : `group ${group}: `}the entry stored at index ${String(index)} fails its checksum (the file was changed on disk)`,
    );
  }
  return { index, term, type: ENTRY_TYPES[type]!, data: toBytes(data) };
}
