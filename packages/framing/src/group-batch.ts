/**
 * Group batches: multi-Raft on one connection. A host (raft-io's `RaftHost`) runs a replica of
 * many Raft groups; everything it has for a peer host in one turn (Raft messages and driver
 * messages, of every group the two share) travels as one `GroupBatch` (proto/raft.proto) in a
 * frame of its own kind (5), so heartbeats and their answers are coalesced per host pair and
 * a single connection serves every group. An empty batch is a host heartbeat (liveness).
 *
 * The batch format is versioned inside the payload (`GROUP_BATCH_VERSION`); a batch of any
 * other version is refused, as is any item without a known body, with a group id that is not
 * a positive safe integer, or whose message fails the same validation as a plain frame's
 * (`fromEnvelope`, `fromDriverEnvelope`). Decoding throws only `FramingError`; encoding
 * refuses what the wire cannot carry with `InvalidArgumentError`.
 */
import { InvalidArgumentError, type Message } from '@raft-io/core';
import { type DriverMessage, fromDriverEnvelope, toDriverEnvelope } from './driver-message.js';
import { FramingError } from './errors.js';
import { raftio } from './generated/raft.js';
import { fromEnvelope, toEnvelope } from './message-codec.js';
import { NumberReader } from './number-reader.js';
import { checkId, readId } from './values.js';

/** The group batch format this version writes and the only one it reads. */
export const GROUP_BATCH_VERSION = 1;

/** A group id: a positive safe integer. */
export type GroupId = number;

/** One item of a batch: a Raft message or a driver message of one group. */
export type GroupItem =
  | { readonly group: GroupId; readonly message: Message; readonly driver?: undefined }
  | { readonly group: GroupId; readonly driver: DriverMessage; readonly message?: undefined };

/** What one host sends another in one frame. `items` may be empty (a host heartbeat). */
export interface GroupBatch {
  readonly items: readonly GroupItem[];
}

/**
 * A transport that carries group batches beside plain frames (`TcpTransport` does). A host
 * driver finds it on its transport by these two methods.
 */
export interface GroupChannel {
  /**
   * Queue `batch` for host `to` as one frame, like `RaftTransport.send`: false when dropped at
   * once (unknown peer, full queue, larger than the frame limit, closed). Never throws.
   */
  sendGroupBatch(to: number, batch: GroupBatch): boolean;
  /**
   * Where batches that arrive go (null: dropped), with the authenticated peer they came from.
   * A batch reaches the handler only if every message in it is from that peer and to this
   * node; otherwise the connection is closed, as for a plain frame.
   */
  onGroupBatch(handler: ((from: number, batch: GroupBatch) => void) | null): void;
}

const pb = raftio.v1;

/** Encodes `batch` as a protobuf `GroupBatch` (the payload of a group frame). */
export function encodeGroupBatch(batch: GroupBatch): Uint8Array {
  if (batch === null || typeof batch !== 'object' || !Array.isArray(batch.items)) {
    throw new InvalidArgumentError('a group batch needs an items array');
  }
  const items: raftio.v1.GroupItem.$Properties[] = new Array(batch.items.length);
  for (let i = 0; i < items.length; i++) {
    const item = batch.items[i]!;
    const group = checkId(item?.group, `items[${i}].group`);
    if (item.message !== undefined && item.driver === undefined) {
      items[i] = { group, message: toEnvelope(item.message) };
    } else if (item.driver !== undefined && item.message === undefined) {
      items[i] = { group, driver: toDriverEnvelope(item.driver) };
    } else {
      throw new InvalidArgumentError(`items[${i}] needs exactly one of message and driver`);
    }
  }
  return pb.GroupBatch.encode({ version: GROUP_BATCH_VERSION, items }).finish();
}

/**
 * Decodes one group-frame payload. Throws `FramingError` for bytes that are not a valid
 * `GroupBatch`, of another version, or with any item that is invalid (see the module comment).
 */
export function decodeGroupBatch(bytes: Uint8Array): GroupBatch {
  if (!(bytes instanceof Uint8Array))
    throw new FramingError('malformed-payload', 'payload must be a Uint8Array');
  let wire: raftio.v1.GroupBatch;
  try {
    wire = pb.GroupBatch.decode(new NumberReader(bytes));
  } catch (cause) {
    if (cause instanceof FramingError) throw cause;
    throw new FramingError('malformed-payload', `not a valid GroupBatch (${(cause as Error)?.message})`, {
      cause,
    });
  }
  if (wire.version !== GROUP_BATCH_VERSION) {
    throw new FramingError(
      'unsupported-version',
      `group batch version ${String(wire.version)}; this version reads ${GROUP_BATCH_VERSION}`,
      { field: 'version' },
    );
  }
  const items: GroupItem[] = new Array(wire.items.length);
  for (let i = 0; i < items.length; i++) {
    const w = wire.items[i]!;
    const group = readId(w.group, `items[${i}].group`);
    switch (w.body) {
      case 'message':
        items[i] = { group, message: fromEnvelope(w.message as raftio.v1.Envelope) };
        break;
      case 'driver':
        items[i] = { group, driver: fromDriverEnvelope(w.driver as raftio.v1.DriverEnvelope) };
        break;
      default:
        throw new FramingError('unknown-message-type', `items[${i}] carries no body this version knows`);
    }
  }
  return { items };
}
