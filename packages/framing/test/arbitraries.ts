/**
 * fast-check arbitraries for every core `Message` type, biased toward the edges the wire
 * must get right: 0, small numbers, and 2^53 - 1; empty and non-empty bytes; any Unicode.
 */
import type { Entry, Membership, Message, MessageType, SnapshotMetadata } from '@raft-io/core';
import fc from 'fast-check';
import type { DriverMessage, DriverMessageType, Handshake } from '../src/index.js';

export const uint: fc.Arbitrary<number> = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 0, max: 300 }),
  fc.maxSafeNat(),
  fc.constant(Number.MAX_SAFE_INTEGER),
);
export const id: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: 1, max: 9 }),
  fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  fc.constant(Number.MAX_SAFE_INTEGER),
  fc.maxSafeNat().filter((n) => n > 0),
);
/** Records with Object.prototype, as real messages have (toStrictEqual compares prototypes). */
function record<T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<T> {
  return fc.record(model, { noNullPrototype: true }) as fc.Arbitrary<T>;
}

const bytes = fc.uint8Array({ maxLength: 64 });
const ids = fc.array(id, { maxLength: 5 });

export const entry: fc.Arbitrary<Entry> = record({
  index: uint,
  term: uint,
  type: fc.constantFrom('command', 'empty', 'membership'),
  data: bytes,
});
const text = fc.string({ minLength: 1, maxLength: 20 });
const memberInfo = fc.oneof(
  record({ address: text }),
  record({ metadata: text }),
  record({ address: text, metadata: text }),
);
const plainMembership = record({ voters: ids, learners: ids, outgoingVoters: ids });
export const membership: fc.Arbitrary<Membership> = fc.oneof(
  plainMembership,
  fc
    .tuple(plainMembership, fc.dictionary(id.map(String), memberInfo, { minKeys: 1, maxKeys: 3 }))
    .map(([m, info]) => ({ ...m, info: Object.fromEntries(Object.entries(info)) })),
);
export const metadata: fc.Arbitrary<SnapshotMetadata> = fc.oneof(
  record({ index: uint, term: uint, membership }),
  record({ index: uint, term: uint, membership, checksum: fc.integer({ min: 0, max: 0xffffffff }) }),
);

const base = { from: id, to: id, term: uint };

export const messageByType: { readonly [T in MessageType]: fc.Arbitrary<Extract<Message, { type: T }>> } = {
  'request-vote': record({
    type: fc.constant('request-vote'),
    ...base,
    preVote: fc.boolean(),
    lastLogIndex: uint,
    lastLogTerm: uint,
    transfer: fc.boolean(),
  }),
  'request-vote-response': record({
    type: fc.constant('request-vote-response'),
    ...base,
    preVote: fc.boolean(),
    granted: fc.boolean(),
  }),
  'append-entries': record({
    type: fc.constant('append-entries'),
    ...base,
    prevLogIndex: uint,
    prevLogTerm: uint,
    entries: fc.array(entry, { maxLength: 6 }),
    commit: uint,
  }),
  'append-entries-response': record({
    type: fc.constant('append-entries-response'),
    ...base,
    success: fc.boolean(),
    index: uint,
    hintIndex: uint,
    hintTerm: uint,
  }),
  heartbeat: fc.oneof(
    record({ type: fc.constant('heartbeat'), ...base, commit: uint, context: uint }),
    record({
      type: fc.constant('heartbeat'),
      ...base,
      commit: uint,
      context: uint,
      quiesce: fc.constant(true as const),
    }),
  ),
  'heartbeat-response': record({ type: fc.constant('heartbeat-response'), ...base, context: uint }),
  'install-snapshot': record({
    type: fc.constant('install-snapshot'),
    ...base,
    metadata,
    offset: uint,
    data: bytes,
    done: fc.boolean(),
  }),
  'install-snapshot-response': record({
    type: fc.constant('install-snapshot-response'),
    ...base,
    snapshotIndex: uint,
    offset: uint,
    done: fc.boolean(),
    reject: fc.boolean(),
  }),
  'timeout-now': record({ type: fc.constant('timeout-now'), ...base }),
  'read-index': record({ type: fc.constant('read-index'), ...base, id: fc.string({ unit: 'binary' }) }),
  'read-index-response': record({
    type: fc.constant('read-index-response'),
    ...base,
    id: fc.string({ unit: 'binary' }),
    index: uint,
    ok: fc.boolean(),
  }),
};

export const message: fc.Arbitrary<Message> = fc.oneof(
  ...(Object.values(messageByType) as fc.Arbitrary<Message>[]),
);

/** A handshake, with or without a 32-byte nonce and proof (absent keys, never `undefined`). */
export const handshake: fc.Arbitrary<Handshake> = fc.record(
  {
    from: id,
    to: id,
    protocolVersion: fc.integer({ min: 1, max: 2 ** 32 - 1 }),
    nonce: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    proof: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  },
  { requiredKeys: ['from', 'to', 'protocolVersion'], noNullPrototype: true },
);

const code = fc.stringMatching(/^[A-Z][A-Z0-9_]{0,63}$/);
const driverBase = { from: id, to: id, id };

export const driverMessageByType: {
  readonly [T in DriverMessageType]: fc.Arbitrary<Extract<DriverMessage, { type: T }>>;
} = {
  'forward-proposal': record({
    type: fc.constant('forward-proposal'),
    ...driverBase,
    command: bytes,
    timeoutMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffffffff })),
  }),
  'forward-result': record({
    type: fc.constant('forward-result'),
    ...driverBase,
    index: id,
    term: id,
    result: bytes,
    duplicate: fc.boolean(),
  }),
  'forward-error': record({
    type: fc.constant('forward-error'),
    ...driverBase,
    code,
    message: fc.string({ maxLength: 1024 }),
    leader: fc.option(id, { nil: null }),
    name: fc.string({ maxLength: 128 }),
  }),
};

export const driverMessage: fc.Arbitrary<DriverMessage> = fc.oneof(
  ...(Object.values(driverMessageByType) as fc.Arbitrary<DriverMessage>[]),
);
