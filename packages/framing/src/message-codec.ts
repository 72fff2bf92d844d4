/**
 * `encodeMessage` / `decodeMessage`: every core `Message` to and from one protobuf
 * `Envelope` (proto/raft.proto), through the committed static code in `generated/`.
 * Round trips are exact: a decoded message deep-equals the encoded one, with plain
 * `Uint8Array` data. Decoding validates everything a peer could get wrong and throws only
 * `FramingError`; encoding refuses what the wire cannot carry with `InvalidArgumentError`.
 */
import {
  type Entry,
  type EntryType,
  InvalidArgumentError,
  type MemberInfo,
  type Membership,
  type Message,
  type SnapshotMetadata,
} from '@raft-io/core';
import { FramingError } from './errors.js';
import { raftio } from './generated/raft.js';
import { NumberReader } from './number-reader.js';
import {
  checkBool,
  checkBytes,
  checkId,
  checkString,
  checkUint,
  readBytes,
  readId,
  readUint,
} from './values.js';

const pb = raftio.v1;

const ENTRY_TYPE_TO_WIRE: Readonly<Record<EntryType, raftio.v1.EntryType>> = {
  command: pb.EntryType.ENTRY_TYPE_COMMAND,
  empty: pb.EntryType.ENTRY_TYPE_EMPTY,
  membership: pb.EntryType.ENTRY_TYPE_MEMBERSHIP,
};

const ENTRY_TYPE_FROM_WIRE: ReadonlyMap<number, EntryType> = new Map(
  Object.entries(ENTRY_TYPE_TO_WIRE).map(([k, v]) => [v, k as EntryType]),
);

// ---------------------------------------------------------------------------------------
// Encoding

function toWireEntry(e: Entry, field: string): raftio.v1.Entry.$Properties {
  const type = ENTRY_TYPE_TO_WIRE[e.type];
  if (type === undefined)
    throw new InvalidArgumentError(`${field}.type: unknown entry type ${String(e.type)}`);
  return {
    index: checkUint(e.index, `${field}.index`),
    term: checkUint(e.term, `${field}.term`),
    type,
    data: checkBytes(e.data, `${field}.data`),
  };
}

function toWireIds(ids: readonly number[], field: string): number[] {
  if (!Array.isArray(ids)) throw new InvalidArgumentError(`${field} must be an array of node ids`);
  return ids.map((id, i) => checkId(id, `${field}[${i}]`));
}

function toWireInfo(info: Membership['info'], field: string): raftio.v1.MemberInfo.$Properties[] {
  if (info === undefined) return [];
  return Object.entries(info).map(([id, m]) => ({
    id: checkId(Number(id), `${field}[${id}]`),
    address: m.address ?? '',
    metadata: m.metadata ?? '',
  }));
}

function toWireMetadata(m: SnapshotMetadata): raftio.v1.SnapshotMetadata.$Properties {
  if (m == null || m.membership == null) throw new InvalidArgumentError('metadata.membership is required');
  const checksum = m.checksum;
  if (checksum !== undefined && !(Number.isInteger(checksum) && checksum >= 0 && checksum <= 0xffffffff)) {
    throw new InvalidArgumentError('metadata.checksum must be an unsigned 32-bit integer');
  }
  return {
    index: checkUint(m.index, 'metadata.index'),
    term: checkUint(m.term, 'metadata.term'),
    membership: {
      voters: toWireIds(m.membership.voters, 'metadata.membership.voters'),
      learners: toWireIds(m.membership.learners, 'metadata.membership.learners'),
      outgoingVoters: toWireIds(m.membership.outgoingVoters, 'metadata.membership.outgoingVoters'),
      info: toWireInfo(m.membership.info, 'metadata.membership.info'),
    },
    ...(checksum !== undefined ? { checksum } : {}),
  };
}

/** Builds the envelope for `m`, checking every field the wire carries (group batches use it too). */
export function toEnvelope(m: Message): raftio.v1.Envelope.$Properties {
  const env: raftio.v1.Envelope.$Properties = {
    from: checkId(m.from, 'from'),
    to: checkId(m.to, 'to'),
    term: checkUint(m.term, 'term'),
  };
  switch (m.type) {
    case 'request-vote':
      env.requestVote = {
        preVote: checkBool(m.preVote, 'preVote'),
        lastLogIndex: checkUint(m.lastLogIndex, 'lastLogIndex'),
        lastLogTerm: checkUint(m.lastLogTerm, 'lastLogTerm'),
        transfer: checkBool(m.transfer, 'transfer'),
      };
      break;
    case 'request-vote-response':
      env.requestVoteResponse = {
        preVote: checkBool(m.preVote, 'preVote'),
        granted: checkBool(m.granted, 'granted'),
      };
      break;
    case 'append-entries':
      if (!Array.isArray(m.entries)) throw new InvalidArgumentError('entries must be an array');
      env.appendEntries = {
        prevLogIndex: checkUint(m.prevLogIndex, 'prevLogIndex'),
        prevLogTerm: checkUint(m.prevLogTerm, 'prevLogTerm'),
        entries: m.entries.map((e, i) => toWireEntry(e, `entries[${i}]`)),
        commit: checkUint(m.commit, 'commit'),
      };
      break;
    case 'append-entries-response':
      env.appendEntriesResponse = {
        success: checkBool(m.success, 'success'),
        index: checkUint(m.index, 'index'),
        hintIndex: checkUint(m.hintIndex, 'hintIndex'),
        hintTerm: checkUint(m.hintTerm, 'hintTerm'),
      };
      break;
    case 'heartbeat':
      env.heartbeat = {
        commit: checkUint(m.commit, 'commit'),
        context: checkUint(m.context, 'context'),
        ...(m.quiesce !== undefined && checkBool(m.quiesce, 'quiesce') ? { quiesce: true } : {}),
      };
      break;
    case 'heartbeat-response':
      env.heartbeatResponse = { context: checkUint(m.context, 'context') };
      break;
    case 'install-snapshot':
      env.installSnapshot = {
        metadata: toWireMetadata(m.metadata),
        offset: checkUint(m.offset, 'offset'),
        data: checkBytes(m.data, 'data'),
        done: checkBool(m.done, 'done'),
      };
      break;
    case 'install-snapshot-response':
      env.installSnapshotResponse = {
        snapshotIndex: checkUint(m.snapshotIndex, 'snapshotIndex'),
        offset: checkUint(m.offset, 'offset'),
        done: checkBool(m.done, 'done'),
        reject: checkBool(m.reject, 'reject'),
      };
      break;
    case 'timeout-now':
      env.timeoutNow = {};
      break;
    case 'read-index':
      env.readIndex = { id: checkString(m.id, 'id') };
      break;
    case 'read-index-response':
      env.readIndexResponse = {
        id: checkString(m.id, 'id'),
        index: checkUint(m.index, 'index'),
        ok: checkBool(m.ok, 'ok'),
      };
      break;
    default:
      throw new InvalidArgumentError(`unknown message type ${String((m as { type?: unknown }).type)}`);
  }
  return env;
}

/**
 * Encodes `message` as a protobuf `Envelope` (the payload of a message frame).
 * Throws `InvalidArgumentError` if a field is out of range for the wire (an id that is not a
 * positive safe integer, a negative or unsafe index, data that is not a Uint8Array, ...).
 */
export function encodeMessage(message: Message): Uint8Array {
  return pb.Envelope.encode(toEnvelope(message)).finish();
}

// ---------------------------------------------------------------------------------------
// Decoding

function missing(field: string): FramingError {
  return new FramingError('missing-field', `${field} is required`, { field });
}

function fromWireIds(ids: readonly unknown[] | null | undefined, field: string): number[] {
  return (ids ?? []).map((id, i) => readId(id, `${field}[${i}]`));
}

function fromWireMembership(
  m: raftio.v1.Membership.$Properties | null | undefined,
  field: string,
): Membership {
  if (m == null) throw missing(field);
  const membership = {
    voters: fromWireIds(m.voters, `${field}.voters`),
    learners: fromWireIds(m.learners, `${field}.learners`),
    outgoingVoters: fromWireIds(m.outgoingVoters, `${field}.outgoingVoters`),
  };
  if (!m.info || m.info.length === 0) return membership;
  // The shape only; whether the info makes sense (members only, printable ASCII) is the core's
  // to judge, like every other value of a membership.
  const info: Record<number, MemberInfo> = {};
  for (const [i, x] of m.info.entries()) {
    const id = readId(x.id, `${field}.info[${i}].id`);
    info[id] = {
      ...(x.address ? { address: x.address } : {}),
      ...(x.metadata ? { metadata: x.metadata } : {}),
    };
  }
  return { ...membership, info };
}

function fromWireMetadata(m: raftio.v1.SnapshotMetadata.$Properties | null | undefined): SnapshotMetadata {
  if (m == null) throw missing('metadata');
  return {
    index: readUint(m.index),
    term: readUint(m.term),
    membership: fromWireMembership(m.membership, 'metadata.membership'),
    ...(m.checksum != null ? { checksum: readUint(m.checksum) } : {}),
  };
}

function fromWireEntries(entries: readonly raftio.v1.Entry.$Properties[] | null | undefined): Entry[] {
  const out: Entry[] = new Array(entries?.length ?? 0);
  for (let i = 0; i < out.length; i++) {
    const e = entries![i]!;
    const type = ENTRY_TYPE_FROM_WIRE.get(e.type ?? 0);
    if (type === undefined) {
      const field = `entries[${i}].type`;
      throw new FramingError('invalid-value', `${field}: unknown entry type ${String(e.type)}`, { field });
    }
    out[i] = { index: readUint(e.index), term: readUint(e.term), type, data: readBytes(e.data) };
  }
  return out;
}

function decodeEnvelope(bytes: Uint8Array): raftio.v1.Envelope {
  try {
    return pb.Envelope.decode(new NumberReader(bytes));
  } catch (cause) {
    if (cause instanceof FramingError) throw cause;
    throw new FramingError('malformed-payload', `not a valid Envelope (${(cause as Error)?.message})`, {
      cause,
    });
  }
}

/**
 * Decodes one message-frame payload. Throws `FramingError` (never anything else) for bytes
 * that are not a valid Envelope, carry no known message type, lack a required field, or hold
 * an out-of-range value (ids must be positive; numbers at most `Number.MAX_SAFE_INTEGER`).
 */
export function decodeMessage(bytes: Uint8Array): Message {
  if (!(bytes instanceof Uint8Array))
    throw new FramingError('malformed-payload', 'payload must be a Uint8Array');
  return fromEnvelope(decodeEnvelope(bytes));
}

/** The message a decoded envelope holds, validated as `decodeMessage` says (group batches use it too). */
export function fromEnvelope(env: raftio.v1.Envelope): Message {
  const base = { from: readId(env.from, 'from'), to: readId(env.to, 'to'), term: readUint(env.term) };
  switch (env.body) {
    case 'requestVote': {
      const b = env.requestVote!;
      return {
        type: 'request-vote',
        ...base,
        preVote: b.preVote === true,
        lastLogIndex: readUint(b.lastLogIndex),
        lastLogTerm: readUint(b.lastLogTerm),
        transfer: b.transfer === true,
      };
    }
    case 'requestVoteResponse': {
      const b = env.requestVoteResponse!;
      return {
        type: 'request-vote-response',
        ...base,
        preVote: b.preVote === true,
        granted: b.granted === true,
      };
    }
    case 'appendEntries': {
      const b = env.appendEntries!;
      return {
        type: 'append-entries',
        ...base,
        prevLogIndex: readUint(b.prevLogIndex),
        prevLogTerm: readUint(b.prevLogTerm),
        entries: fromWireEntries(b.entries),
        commit: readUint(b.commit),
      };
    }
    case 'appendEntriesResponse': {
      const b = env.appendEntriesResponse!;
      return {
        type: 'append-entries-response',
        ...base,
        success: b.success === true,
        index: readUint(b.index),
        hintIndex: readUint(b.hintIndex),
        hintTerm: readUint(b.hintTerm),
      };
    }
    case 'heartbeat': {
      const b = env.heartbeat!;
      return {
        type: 'heartbeat',
        ...base,
        commit: readUint(b.commit),
        context: readUint(b.context),
        ...(b.quiesce === true ? { quiesce: true } : {}),
      };
    }
    case 'heartbeatResponse':
      return { type: 'heartbeat-response', ...base, context: readUint(env.heartbeatResponse!.context) };
    case 'installSnapshot': {
      const b = env.installSnapshot!;
      return {
        type: 'install-snapshot',
        ...base,
        metadata: fromWireMetadata(b.metadata),
        offset: readUint(b.offset),
        data: readBytes(b.data),
        done: b.done === true,
      };
    }
    case 'installSnapshotResponse': {
      const b = env.installSnapshotResponse!;
      return {
        type: 'install-snapshot-response',
        ...base,
        snapshotIndex: readUint(b.snapshotIndex),
        offset: readUint(b.offset),
        done: b.done === true,
        reject: b.reject === true,
      };
    }
    case 'timeoutNow':
      return { type: 'timeout-now', ...base };
    case 'readIndex':
      return { type: 'read-index', ...base, id: env.readIndex!.id ?? '' };
    case 'readIndexResponse': {
      const b = env.readIndexResponse!;
      return {
        type: 'read-index-response',
        ...base,
        id: b.id ?? '',
        index: readUint(b.index),
        ok: b.ok === true,
      };
    }
    default:
      throw new FramingError(
        'unknown-message-type',
        'the envelope carries no message body this version knows',
      );
  }
}
