/**
 * How log values map to SQLite columns: entry types as small integers, membership as JSON
 * text, blobs as `Uint8Array` views. Decoders return null on a malformed value so the
 * caller can report the file as corrupt.
 */
import type { EntryType, Membership, NodeId } from '@raft-io/core';

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
  });
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
  const { voters, learners, outgoingVoters } = value as Record<string, unknown>;
  if (!isNodeIdList(voters) || !isNodeIdList(learners) || !isNodeIdList(outgoingVoters)) return null;
  return Object.freeze({
    voters: Object.freeze([...voters]),
    learners: Object.freeze([...learners]),
    outgoingVoters: Object.freeze([...outgoingVoters]),
  });
}
