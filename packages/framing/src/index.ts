/**
 * @raft-io/framing: the raft-io wire format. `encodeMessage` / `decodeMessage` turn every
 * core `Message` into protobuf bytes and back (proto/raft.proto, static code committed in
 * `generated/`), and `encodeDriverMessage` / `decodeDriverMessage` the messages between two
 * drivers (forwarded proposals) that the core never sees, and `encodeGroupBatch` /
 * `decodeGroupBatch` many groups' messages between two multi-Raft hosts; `encodeFrame` and `FrameDecoder` wrap them in checksummed,
 * length-prefixed frames that carry the cluster id; a handshake frame opens a connection;
 * `FrameAuthenticator` / `FrameVerifier` authenticate every frame of a session (format 2).
 */
export { crc32c } from '@raft-io/core';
export {
  DRIVER_MESSAGE_TYPES,
  type DriverChannel,
  type DriverMessage,
  type DriverMessageType,
  decodeDriverMessage,
  encodeDriverMessage,
  type ForwardErrorMessage,
  type ForwardProposalMessage,
  type ForwardResultMessage,
  MAX_ERROR_CODE_LENGTH,
  MAX_ERROR_MESSAGE_LENGTH,
  MAX_ERROR_NAME_LENGTH,
  MAX_FORWARD_TIMEOUT_MS,
} from './driver-message.js';
export { FramingError, type FramingErrorReason, INVALID_FRAME, isFramingError } from './errors.js';
export {
  AUTHENTICATED_FRAME_HEADER_BYTES,
  checkClusterId,
  DEFAULT_MAX_FRAME_BYTES,
  encodeDriverFrame,
  encodeFrame,
  encodeGroupFrame,
  encodeHandshakeFrame,
  encodeKeepaliveFrame,
  FRAME_HEADER_BYTES,
  FRAME_MAGIC,
  FRAME_TAG_BYTES,
  FRAME_VERSION,
  FRAME_VERSION_AUTHENTICATED,
  FrameKind,
  MAX_PAYLOAD_BYTES,
} from './frame.js';
export { FrameAuthenticator, FrameVerifier, MIN_FRAME_KEY_BYTES } from './frame-auth.js';
export {
  BLOCK_BYTES,
  type DecodedFrame,
  type DriverFrame,
  FrameDecoder,
  type FrameDecoderOptions,
  type GroupFrame,
  type HandshakeFrame,
  type KeepaliveFrame,
  type MessageFrame,
} from './frame-decoder.js';
export {
  decodeGroupBatch,
  encodeGroupBatch,
  GROUP_BATCH_VERSION,
  type GroupBatch,
  type GroupChannel,
  type GroupId,
  type GroupItem,
} from './group-batch.js';
export {
  decodeHandshake,
  encodeHandshake,
  HANDSHAKE_NONCE_BYTES,
  HANDSHAKE_PROOF_BYTES,
  type Handshake,
} from './handshake.js';
export { decodeMessage, encodeMessage } from './message-codec.js';
