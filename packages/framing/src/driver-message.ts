/**
 * Driver messages: what one node's driver (`RaftServer`) says to another's beside the Raft
 * messages, in frames of their own kind (4) so that the Raft core never sees them. Today:
 * a follower forwards a proposal to the leader (`forward-proposal`) and the leader answers
 * with where it committed and what the state machine returned (`forward-result`), or why it
 * failed (`forward-error`).
 *
 * `encodeDriverMessage` / `decodeDriverMessage` turn them into one protobuf `DriverEnvelope`
 * (proto/raft.proto) and back, with exact round trips. Decoding validates everything a peer
 * could get wrong and throws only `FramingError`; encoding refuses what the wire cannot
 * carry with `InvalidArgumentError`.
 */
import { InvalidArgumentError, type NodeId } from '@raft-io/core';
import { FramingError } from './errors.js';
import { raftio } from './generated/raft.js';
import { NumberReader } from './number-reader.js';
import { checkBool, checkBytes, checkId, checkUint, readBytes, readId, readUint } from './values.js';

/** The longest error code a `forward-error` carries. */
export const MAX_ERROR_CODE_LENGTH = 64;
/** The longest error message a `forward-error` carries, in characters. */
export const MAX_ERROR_MESSAGE_LENGTH = 1024;
/** The longest error name a `forward-error` carries, in characters. */
export const MAX_ERROR_NAME_LENGTH = 128;
/** The longest deadline a forwarded proposal may announce, in ms (the uint32 field). */
export const MAX_FORWARD_TIMEOUT_MS = 0xffffffff;

/** An error code: SCREAMING_SNAKE_CASE, 1 to `MAX_ERROR_CODE_LENGTH` characters. */
const ERROR_CODE = /^[A-Z][A-Z0-9_]*$/;

interface DriverMessageBase {
  readonly from: NodeId;
  readonly to: NodeId;
  /** The forwarder's request id (a positive safe integer), echoed in the answer. */
  readonly id: number;
}

/** A follower's proposal for the leader to propose in its stead. */
export interface ForwardProposalMessage extends DriverMessageBase {
  readonly type: 'forward-proposal';
  /** The entry's bytes, exactly as the follower would have proposed them. */
  readonly command: Uint8Array;
  /** How long the follower waits for the answer, in ms (0: no deadline of its own). */
  readonly timeoutMs: number;
}

/** The forwarded proposal was committed at (`index`, `term`) and applied on the leader. */
export interface ForwardResultMessage extends DriverMessageBase {
  readonly type: 'forward-result';
  readonly index: number;
  readonly term: number;
  /** The state machine's result, encoded by the leader's result codec. */
  readonly result: Uint8Array;
  /** A retry of a proposal already applied (a client session's duplicate): the first result. */
  readonly duplicate: boolean;
}

/** The forwarded proposal failed on the leader. */
export interface ForwardErrorMessage extends DriverMessageBase {
  readonly type: 'forward-error';
  /** The error's stable code (`NOT_LEADER`, `LEADERSHIP_LOST`, `TIMEOUT`, ...). */
  readonly code: string;
  readonly message: string;
  /** The leader the answering node knows of, or null. */
  readonly leader: NodeId | null;
  /** The name of an error the state machine threw (`''` otherwise). */
  readonly name: string;
}

export type DriverMessage = ForwardProposalMessage | ForwardResultMessage | ForwardErrorMessage;

export type DriverMessageType = DriverMessage['type'];

/** Every driver message type, for codecs and exhaustive tests. */
export const DRIVER_MESSAGE_TYPES: readonly DriverMessageType[] = Object.freeze([
  'forward-proposal',
  'forward-result',
  'forward-error',
] as const);

/**
 * A transport that carries driver messages beside the Raft messages (`TcpTransport` does).
 * A driver finds it on its transport by these two methods.
 */
export interface DriverChannel {
  /**
   * Queue `message` for `message.to`, like `RaftTransport.send`: false when it was dropped at
   * once (unknown peer, full queue, too large, closed). Never throws.
   */
  sendDriver(message: DriverMessage): boolean;
  /**
   * Where driver messages that arrive go (null: dropped). A message reaches the handler only
   * when its `from` is the authenticated peer it came from and its `to` is this node.
   */
  onDriverMessage(handler: ((message: DriverMessage) => void) | null): void;
}

const pb = raftio.v1;

function checkText(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || value.length > max) {
    throw new InvalidArgumentError(`${field} must be a string of at most ${max} characters`);
  }
  return value;
}

function checkCode(value: unknown): string {
  if (typeof value !== 'string' || value.length > MAX_ERROR_CODE_LENGTH || !ERROR_CODE.test(value)) {
    throw new InvalidArgumentError(
      `code must be SCREAMING_SNAKE_CASE of at most ${MAX_ERROR_CODE_LENGTH} characters, got ${String(value)}`,
    );
  }
  return value;
}

/**
 * Encodes `message` as a protobuf `DriverEnvelope` (the payload of a driver frame). Throws
 * `InvalidArgumentError` for a field the wire cannot carry.
 */
export function encodeDriverMessage(message: DriverMessage): Uint8Array {
  return pb.DriverEnvelope.encode(toDriverEnvelope(message)).finish();
}

/** The envelope of `message`, checked as `encodeDriverMessage` says (group batches use it too). */
export function toDriverEnvelope(message: DriverMessage): raftio.v1.DriverEnvelope.$Properties {
  const env: raftio.v1.DriverEnvelope.$Properties = {
    from: checkId(message.from, 'from'),
    to: checkId(message.to, 'to'),
  };
  const id = checkId(message.id, 'id');
  switch (message.type) {
    case 'forward-proposal': {
      const timeoutMs = checkUint(message.timeoutMs, 'timeoutMs');
      if (timeoutMs > MAX_FORWARD_TIMEOUT_MS)
        throw new InvalidArgumentError(`timeoutMs must be at most ${MAX_FORWARD_TIMEOUT_MS}`);
      env.forwardProposal = { id, command: checkBytes(message.command, 'command'), timeoutMs };
      break;
    }
    case 'forward-result':
      env.forwardResult = {
        id,
        index: checkId(message.index, 'index'),
        term: checkId(message.term, 'term'),
        result: checkBytes(message.result, 'result'),
        duplicate: checkBool(message.duplicate, 'duplicate'),
      };
      break;
    case 'forward-error':
      env.forwardError = {
        id,
        code: checkCode(message.code),
        message: checkText(message.message, 'message', MAX_ERROR_MESSAGE_LENGTH),
        leader: message.leader === null ? 0 : checkId(message.leader, 'leader'),
        name: checkText(message.name, 'name', MAX_ERROR_NAME_LENGTH),
      };
      break;
    default:
      throw new InvalidArgumentError(
        `unknown driver message type ${String((message as { type?: unknown }).type)}`,
      );
  }
  return env;
}

function invalid(field: string, message: string): FramingError {
  return new FramingError('invalid-value', `${field}: ${message}`, { field });
}

function readText(value: unknown, field: string, max: number): string {
  const text = typeof value === 'string' ? value : '';
  if (text.length > max) throw invalid(field, `longer than ${max} characters`);
  return text;
}

/** Decode side: a positive index or term (a committed entry's). */
function readPositive(value: unknown, field: string): number {
  const n = readUint(value);
  if (n < 1) throw invalid(field, 'must be positive');
  return n;
}

/**
 * Decodes one driver-frame payload. Throws `FramingError` (never anything else) for bytes
 * that are not a valid `DriverEnvelope`, carry no known body, or hold an out-of-range value.
 */
export function decodeDriverMessage(bytes: Uint8Array): DriverMessage {
  if (!(bytes instanceof Uint8Array))
    throw new FramingError('malformed-payload', 'payload must be a Uint8Array');
  let env: raftio.v1.DriverEnvelope;
  try {
    env = pb.DriverEnvelope.decode(new NumberReader(bytes));
  } catch (cause) {
    if (cause instanceof FramingError) throw cause;
    throw new FramingError('malformed-payload', `not a valid DriverEnvelope (${(cause as Error)?.message})`, {
      cause,
    });
  }
  return fromDriverEnvelope(env);
}

/** The driver message a decoded envelope holds, validated as `decodeDriverMessage` says. */
export function fromDriverEnvelope(env: raftio.v1.DriverEnvelope): DriverMessage {
  const from = readId(env.from, 'from');
  const to = readId(env.to, 'to');
  switch (env.body) {
    case 'forwardProposal': {
      const b = env.forwardProposal!;
      return {
        type: 'forward-proposal',
        from,
        to,
        id: readId(b.id, 'id'),
        command: readBytes(b.command),
        timeoutMs: readUint(b.timeoutMs),
      };
    }
    case 'forwardResult': {
      const b = env.forwardResult!;
      return {
        type: 'forward-result',
        from,
        to,
        id: readId(b.id, 'id'),
        index: readPositive(b.index, 'index'),
        term: readPositive(b.term, 'term'),
        result: readBytes(b.result),
        duplicate: b.duplicate === true,
      };
    }
    case 'forwardError': {
      const b = env.forwardError!;
      const code = typeof b.code === 'string' ? b.code : '';
      if (code.length === 0 || code.length > MAX_ERROR_CODE_LENGTH || !ERROR_CODE.test(code))
        throw invalid('code', 'must be SCREAMING_SNAKE_CASE of 1 to 64 characters');
      const leader = readUint(b.leader);
      return {
        type: 'forward-error',
        from,
        to,
        id: readId(b.id, 'id'),
        code,
        message: readText(b.message, 'message', MAX_ERROR_MESSAGE_LENGTH),
        leader: leader === 0 ? null : leader,
        name: readText(b.name, 'name', MAX_ERROR_NAME_LENGTH),
      };
    }
    default:
      throw new FramingError(
        'unknown-message-type',
        'the driver envelope carries no message body this version knows',
      );
  }
}
