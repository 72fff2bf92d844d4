/**
 * @raft-io/framing: the raft-io wire format. `encodeMessage` / `decodeMessage` turn every
 * core `Message` into protobuf bytes and back (proto/raft.proto, static code committed in
 * `generated/`); `encodeFrame` and `FrameDecoder` wrap them in checksummed,
 * length-prefixed frames that carry the cluster id; a handshake frame opens a connection.
 */
export { crc32c } from './crc32c.js';
export { FramingError, type FramingErrorReason, INVALID_FRAME, isFramingError } from './errors.js';
export {
  checkClusterId,
  DEFAULT_MAX_FRAME_BYTES,
  encodeFrame,
  encodeHandshakeFrame,
  FRAME_HEADER_BYTES,
  FRAME_MAGIC,
  FRAME_VERSION,
  FrameKind,
  MAX_PAYLOAD_BYTES,
} from './frame.js';
export {
  type DecodedFrame,
  FrameDecoder,
  type FrameDecoderOptions,
  type HandshakeFrame,
  type MessageFrame,
} from './frame-decoder.js';
export { decodeHandshake, encodeHandshake, type Handshake } from './handshake.js';
export { decodeMessage, encodeMessage } from './message-codec.js';
