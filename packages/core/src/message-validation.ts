/**
 * Shape checks for messages that arrive from the network. A message that fails them is
 * ignored: a malformed message never throws out of `step` and never corrupts state.
 */
import type { Message } from './messages.js';
import type { Entry, Membership, NodeId, SnapshotMetadata } from './types.js';

const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isId = (v: unknown): v is NodeId => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
const isBytes = (v: unknown): v is Uint8Array => v instanceof Uint8Array;
const isIdList = (v: unknown): boolean => Array.isArray(v) && v.every(isId);

function isMembership(v: unknown): v is Membership {
  if (v === null || typeof v !== 'object') return false;
  const m = v as Membership;
  return isIdList(m.voters) && isIdList(m.learners) && isIdList(m.outgoingVoters);
}

function isMetadata(v: unknown): v is SnapshotMetadata {
  if (v === null || typeof v !== 'object') return false;
  const m = v as SnapshotMetadata;
  return isIndex(m.index) && m.index > 0 && isIndex(m.term) && m.term > 0 && isMembership(m.membership);
}

/** Entries must follow `prevIndex` consecutively, with terms that never decrease and never pass `term`. */
function isEntryRun(entries: unknown, prevIndex: number, prevTerm: number, term: number): boolean {
  if (!Array.isArray(entries)) return false;
  let index = prevIndex;
  let lastTerm = prevTerm;
  for (const e of entries as Entry[]) {
    if (e === null || typeof e !== 'object') return false;
    if (e.index !== index + 1 || !isIndex(e.term) || e.term < lastTerm || e.term > term || e.term === 0)
      return false;
    if (e.type !== 'command' && e.type !== 'empty' && e.type !== 'membership') return false;
    if (!isBytes(e.data)) return false;
    index = e.index;
    lastTerm = e.term;
  }
  return true;
}

/** Whether `m` is a well-formed message addressed to node `self`. */
export function isValidMessage(m: unknown, self: NodeId): m is Message {
  if (m === null || typeof m !== 'object') return false;
  const msg = m as Message;
  if (!isId(msg.from) || msg.to !== self || msg.from === self || !isIndex(msg.term)) return false;
  switch (msg.type) {
    case 'request-vote':
      return (
        msg.term > 0 &&
        typeof msg.preVote === 'boolean' &&
        typeof msg.transfer === 'boolean' &&
        isIndex(msg.lastLogIndex) &&
        isIndex(msg.lastLogTerm)
      );
    case 'request-vote-response':
      return typeof msg.preVote === 'boolean' && typeof msg.granted === 'boolean';
    case 'append-entries':
      return (
        msg.term > 0 &&
        isIndex(msg.prevLogIndex) &&
        isIndex(msg.prevLogTerm) &&
        isIndex(msg.commit) &&
        isEntryRun(msg.entries, msg.prevLogIndex, msg.prevLogTerm, msg.term)
      );
    case 'append-entries-response':
      return (
        typeof msg.success === 'boolean' &&
        isIndex(msg.index) &&
        isIndex(msg.hintIndex) &&
        isIndex(msg.hintTerm)
      );
    case 'heartbeat':
      return msg.term > 0 && isIndex(msg.commit) && isIndex(msg.context);
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
      return typeof msg.id === 'string' && msg.id.length > 0;
    case 'read-index-response':
      return typeof msg.id === 'string' && isIndex(msg.index) && typeof msg.ok === 'boolean';
    default:
      return false;
  }
}
