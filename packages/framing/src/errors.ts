/**
 * The one error this package throws for bad input from the wire: `FramingError`, with the
 * stable code `INVALID_FRAME` and a `reason` naming what was wrong. A transport drops the
 * connection on it; a decoder that threw one is poisoned and refuses further input.
 */
import { RaftError, type RaftErrorCode } from '@raft-io/core';

/** The code of every `FramingError`. */
export const INVALID_FRAME = 'INVALID_FRAME';

/**
 * What was wrong with the bytes:
 * - `bad-magic`, `unsupported-version`, `unknown-kind`: the frame header is not ours;
 * - `too-large`: the header announces a frame over `maxFrameBytes` (refused before buffering);
 * - `checksum-mismatch`: the payload's CRC32C differs from the header's;
 * - `unauthenticated`: a plain frame where the decoder requires authenticated ones;
 * - `bad-tag`: an authenticated frame whose tag is wrong (forged, changed, replayed, reordered);
 * - `truncated`: the stream ended in the middle of a frame;
 * - `malformed-payload`: the payload is not a valid protobuf message of the frame's kind;
 * - `unknown-message-type`: an envelope with no body, or a body this version does not know;
 * - `missing-field`: a required sub-message (snapshot metadata, membership) is absent;
 * - `invalid-value`: a field is out of range (an id that is not positive, an unknown entry type);
 * - `unsafe-integer`: a 64-bit number above `Number.MAX_SAFE_INTEGER`;
 * - `poisoned`: the decoder already failed; the connection must be dropped.
 */
export type FramingErrorReason =
  | 'bad-magic'
  | 'unsupported-version'
  | 'unknown-kind'
  | 'too-large'
  | 'checksum-mismatch'
  | 'unauthenticated'
  | 'bad-tag'
  | 'truncated'
  | 'malformed-payload'
  | 'unknown-message-type'
  | 'missing-field'
  | 'invalid-value'
  | 'unsafe-integer'
  | 'poisoned';

/** Bytes from the wire that are not a valid frame or message. Code `INVALID_FRAME`. */
export class FramingError extends RaftError {
  /** What was wrong; stable, for logs and metrics. */
  readonly reason: FramingErrorReason;
  /** The offending field, when one field is to blame (e.g. `from`, `entries[3].type`). */
  readonly field: string | undefined;

  constructor(reason: FramingErrorReason, message: string, options?: { cause?: unknown; field?: string }) {
    // core's RaftErrorCode union has no INVALID_FRAME member: the cast keeps the runtime
    // code stable until core widens the union (see the package README).
    super(INVALID_FRAME as unknown as RaftErrorCode, `${reason}: ${message}`, options);
    this.reason = reason;
    this.field = options?.field;
  }
}

/** True when `error` is a `FramingError` (also across duplicated package copies). */
export function isFramingError(error: unknown): error is FramingError {
  return (
    error instanceof FramingError ||
    (error instanceof Error && (error as { code?: unknown }).code === INVALID_FRAME && 'reason' in error)
  );
}
