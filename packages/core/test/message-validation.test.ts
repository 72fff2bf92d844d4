/**
 * `isValidMessage` field by field (issue 20: hostile-input tests sent a few malformed
 * messages; here every field of every message type gets a bad value). Each message type is
 * accepted as built, then refused with exactly one field broken: a peer's malformed message
 * is dropped and counted, never acted on.
 */
import { describe, expect, it } from 'vitest';
import { MAX_TERM } from '../src/index.js';
import { encodeMembership } from '../src/membership.js';
import { isValidMessage, MAX_READ_ID_LENGTH } from '../src/message-validation.js';

const membership = { voters: [1, 2], learners: [], outgoingVoters: [] };
const base = { from: 2, to: 1, term: 3 };
const entry = (index: number, term: number, over: Record<string, unknown> = {}) => ({
  index,
  term,
  type: 'command',
  data: new Uint8Array([1]),
  ...over,
});

const good: Record<string, Record<string, unknown>> = {
  'request-vote': {
    ...base,
    type: 'request-vote',
    preVote: false,
    transfer: false,
    lastLogIndex: 4,
    lastLogTerm: 2,
  },
  'request-vote-response': { ...base, type: 'request-vote-response', preVote: true, granted: false },
  'append-entries': {
    ...base,
    type: 'append-entries',
    prevLogIndex: 4,
    prevLogTerm: 2,
    commit: 4,
    entries: [
      entry(5, 2),
      entry(6, 3, { type: 'empty', data: new Uint8Array(0) }),
      entry(7, 3, { type: 'membership', data: encodeMembership(membership) }),
    ],
  },
  'append-entries-response': {
    ...base,
    type: 'append-entries-response',
    success: true,
    index: 4,
    hintIndex: 0,
    hintTerm: 0,
  },
  heartbeat: { ...base, type: 'heartbeat', commit: 1, context: 0, quiesce: true },
  'heartbeat-response': { ...base, type: 'heartbeat-response', context: 2 },
  'install-snapshot': {
    ...base,
    type: 'install-snapshot',
    metadata: { index: 5, term: 2, membership, checksum: 7 },
    offset: 0,
    data: new Uint8Array(2),
    done: false,
  },
  'install-snapshot-response': {
    ...base,
    type: 'install-snapshot-response',
    snapshotIndex: 5,
    offset: 2,
    done: false,
    reject: false,
  },
  'timeout-now': { ...base, type: 'timeout-now' },
  'read-index': { ...base, type: 'read-index', id: 'r' },
  'read-index-response': { ...base, type: 'read-index-response', id: 'r', index: 3, ok: true },
};

/** [message type, field, bad value]; '*' applies to every type. */
const broken: [string, string, unknown][] = [
  ['*', 'from', 0],
  ['*', 'from', 1], // from this node itself
  ['*', 'to', 9], // not to this node
  ['*', 'term', -1],
  ['*', 'term', MAX_TERM + 1],
  ['*', 'term', 1.5],
  ['*', 'from', 1.5],
  ['request-vote', 'term', 0],
  ['request-vote', 'preVote', 'no'],
  ['request-vote', 'transfer', 1],
  ['request-vote', 'lastLogIndex', -1],
  ['request-vote', 'lastLogTerm', MAX_TERM + 1],
  ['request-vote-response', 'preVote', null],
  ['request-vote-response', 'granted', 'yes'],
  ['append-entries', 'term', 0],
  ['append-entries', 'prevLogIndex', -1],
  ['append-entries', 'prevLogTerm', -1],
  ['append-entries', 'commit', 0.5],
  ['append-entries', 'entries', 'x'],
  ['append-entries', 'entries', {}], // not iterable: refused, not thrown
  ['append-entries', 'entries', [null]],
  ['append-entries', 'entries', [entry(6, 2)]], // does not follow prevLogIndex 4
  ['append-entries', 'entries', [entry(5, 1)]], // a term below prevLogTerm
  ['append-entries', 'entries', [entry(5, 4)]], // a term above the message's
  ['append-entries', 'entries', [entry(5, 3), entry(6, 2)]], // terms going down
  ['append-entries', 'entries', [entry(5, MAX_TERM + 1)]],
  ['append-entries', 'entries', [entry(5, 2, { data: [1] })]], // data not bytes
  ['append-entries', 'entries', [entry(5, 2, { type: 'empty' })]], // an empty entry with data
  ['append-entries', 'entries', [entry(5, 2, { type: 'membership', data: new Uint8Array([1, 2]) })]],
  ['append-entries', 'entries', [entry(5, 2, { type: 'other' })]],
  ['append-entries-response', 'success', 1],
  ['append-entries-response', 'index', -1],
  ['append-entries-response', 'hintIndex', -1],
  ['append-entries-response', 'hintTerm', MAX_TERM + 1],
  ['heartbeat', 'term', 0],
  ['heartbeat', 'commit', -1],
  ['heartbeat', 'context', -1],
  ['heartbeat', 'quiesce', 'yes'],
  ['heartbeat-response', 'context', -1],
  ['install-snapshot', 'term', 0],
  ['install-snapshot', 'metadata', null],
  ['install-snapshot', 'metadata', { index: 0, term: 2, membership }],
  ['install-snapshot', 'metadata', { index: 5, term: 0, membership }],
  ['install-snapshot', 'metadata', { index: 5, term: MAX_TERM + 1, membership }],
  ['install-snapshot', 'metadata', { index: 5, term: 2, membership: { voters: [] } }],
  ['install-snapshot', 'metadata', { index: 5, term: 2, membership, checksum: 2 ** 32 }],
  ['install-snapshot', 'metadata', { index: 5, term: 2, membership, checksum: -1 }],
  ['install-snapshot', 'offset', -1],
  ['install-snapshot', 'data', [1]],
  ['install-snapshot', 'done', 'no'],
  ['install-snapshot-response', 'snapshotIndex', -1],
  ['install-snapshot-response', 'offset', -1],
  ['install-snapshot-response', 'done', 0],
  ['install-snapshot-response', 'reject', 0],
  ['timeout-now', 'term', 0],
  ['read-index', 'id', ''],
  ['read-index', 'id', 'x'.repeat(MAX_READ_ID_LENGTH + 1)],
  ['read-index', 'id', 7],
  ['read-index', 'id', ['x']], // has a length, is not a string
  ['read-index-response', 'id', ''],
  ['read-index-response', 'index', -1],
  ['read-index-response', 'ok', 'yes'],
];

describe('isValidMessage', () => {
  it('accepts a well-formed message of every type, and one without the optional fields', () => {
    for (const [type, m] of Object.entries(good)) expect(isValidMessage(m, 1), type).toBe(true);
    const { quiesce: _, ...plainHeartbeat } = good.heartbeat!;
    expect(isValidMessage(plainHeartbeat, 1)).toBe(true);
    const { checksum: __, ...metadata } = good['install-snapshot']!.metadata as Record<string, unknown>;
    expect(isValidMessage({ ...good['install-snapshot'], metadata }, 1)).toBe(true);
    expect(isValidMessage({ ...good['read-index'], id: 'x'.repeat(MAX_READ_ID_LENGTH) }, 1)).toBe(true);
    expect(isValidMessage({ ...good['request-vote'], term: MAX_TERM }, 1)).toBe(true);
    const snapshot = good['install-snapshot']!;
    const largest = { ...(snapshot.metadata as object), checksum: 0xffffffff };
    expect(isValidMessage({ ...snapshot, metadata: largest }, 1)).toBe(true);
  });

  it('refuses an append of term 0 also when it carries no entry (whose terms would refuse it anyway)', () => {
    const empty = { ...good['append-entries'], prevLogIndex: 0, prevLogTerm: 0, entries: [] };
    expect(isValidMessage(empty, 1)).toBe(true);
    expect(isValidMessage({ ...empty, term: 0 }, 1)).toBe(false);
    // Nor an entry of term 0 right after the start of the log (no term below it to compare).
    expect(isValidMessage({ ...empty, entries: [entry(1, 0)] }, 1)).toBe(false);
    expect(isValidMessage({ ...empty, entries: [entry(1, 1)] }, 1)).toBe(true);
  });

  it('refuses anything that is not an object, or of an unknown type', () => {
    for (const m of [null, undefined, 7, 'heartbeat']) expect(isValidMessage(m, 1)).toBe(false);
    expect(isValidMessage({ ...base, type: 'gossip' }, 1)).toBe(false);
  });

  for (const [type, field, value] of broken) {
    const types = type === '*' ? Object.keys(good) : [type];
    it(`refuses ${type === '*' ? 'any message' : type} with ${field} = ${JSON.stringify(value)?.slice(0, 40)}`, () => {
      for (const t of types) expect(isValidMessage({ ...good[t], [field]: value }, 1), t).toBe(false);
    });
  }
});
