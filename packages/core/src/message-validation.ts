/**
 * Shape checks for messages that arrive from the network. A message that fails them is
 * ignored: a malformed message never throws out of `step` and never corrupts state.
 */
import { MAX_TERM } from './limits.js';
import { isValidMembership, parseMembership } from './membership.js';
import type { Message } from './messages.js';
import type { Entry, NodeId, SnapshotMetadata } from './types.js';

const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isTerm = (v: unknown): v is number => isIndex(v) && v <= MAX_TERM;
const isId = (v: unknown): v is NodeId => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
const isBytes = (v: unknown): v is Uint8Array => v instanceof Uint8Array;

/** Longest read id accepted (a read id is the caller's handle, not data). */
export const MAX_READ_ID_LENGTH = 256;
const isReadId = (v: unknown): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= MAX_READ_ID_LENGTH;

function isMetadata(v: unknown): v is SnapshotMetadata {
  if (v === null || typeof v !== 'object') return false;
  const m = v as SnapshotMetadata;
  if (m.checksum !== undefined && !(isIndex(m.checksum) && m.checksum <= 0xffffffff)) return false;
  return isIndex(m.index) && m.index > 0 && isTerm(m.term) && m.term > 0 && isValidMembership(m.membership);
}

/** An entry's data fits its type: none for `empty`, a well-formed membership for `membership`. */
function isEntryData(e: Entry): boolean {
  if (!isBytes(e.data)) return false;
  switch (e.type) {
    case 'command':
      return true;
    case 'empty':
      return e.data.length === 0;
    case 'membership':
      return parseMembership(e.data) !== null;
    default:
      return false;
  }
}

/** Entries must follow `prevIndex` consecutively, with terms that never decrease and never pass `term`. */
function isEntryRun(entries: unknown, prevIndex: number, prevTerm: number, term: number): boolean {
  if (!Array.isArray(entries)) return false;
  let index = prevIndex;
  let lastTerm = prevTerm;
  for (const e of entries as Entry[]) {
    if (e === null || typeof e !== 'object') return false;
    if (e.index !== index + 1 || !isTerm(e.term) || e.term < lastTerm || e.term > term || e.term === 0)
      return false;
    if (!isEntryData(e)) return false;
    index = e.index;
    lastTerm = e.term;
  }
  return true;
}

/**
 * Whether `m` is a well-formed message addressed to node `self`: every field of its type has
 * the right shape, terms are at most `MAX_TERM`, entries follow `prevLogIndex` consecutively
 * and each one's data fits its type (a membership entry decodes to a valid membership).
 */
export function isValidMessage(m: unknown, self: NodeId): m is Message {
  if (m === null || typeof m !== 'object') return false;
  const msg = m as Message;
  if (!isId(msg.from) || msg.to !== self || msg.from === self || !isTerm(msg.term)) return false;
  switch (msg.type) {
    case 'request-vote':
      return (
        msg.term > 0 &&
        typeof msg.preVote === 'boolean' &&
        typeof msg.transfer === 'boolean' &&
        isIndex(msg.lastLogIndex) &&
        isTerm(msg.lastLogTerm)
      );
    case 'request-vote-response':
      return typeof msg.preVote === 'boolean' && typeof msg.granted === 'boolean';
    case 'append-entries':
      return (
        msg.term > 0 &&
        isIndex(msg.prevLogIndex) &&
        isTerm(msg.prevLogTerm) &&
        isIndex(msg.commit) &&
        isEntryRun(msg.entries, msg.prevLogIndex, msg.prevLogTerm, msg.term)
      );
    case 'append-entries-response':
      return (
        typeof msg.success === 'boolean' &&
        isIndex(msg.index) &&
        isIndex(msg.hintIndex) &&
        isTerm(msg.hintTerm)
      );
    case 'heartbeat':
      return (
        msg.term > 0 &&
        isIndex(msg.commit) &&
        isIndex(msg.context) &&
        (msg.quiesce === undefined || typeof msg.quiesce === 'boolean')
      );
    case 'heartbeat-response':
      return isIndex(msg.context);
    case 'install-snapshot':
      return (
        msg.term > 0 &&
        isMetadata(msg.metadata) &&
        isIndex(msg.offset) &&
        isBytes(msg.data) &&
        typeof msg.done === 'boolean'
      );
    case 'install-snapshot-response':
      return (
        isIndex(msg.snapshotIndex) &&
        isIndex(msg.offset) &&
        typeof msg.done === 'boolean' &&
        typeof msg.reject === 'boolean'
      );
    case 'timeout-now':
      return msg.term > 0;
    case 'read-index':
      return isReadId(msg.id);
    case 'read-index-response':
      return isReadId(msg.id) && isIndex(msg.index) && typeof msg.ok === 'boolean';
    default: {
      // An unknown type at run time; a type missing from this switch is a compile error.
      const unknownType: never = msg;
      return unknownType === undefined;
    }
  }
}
