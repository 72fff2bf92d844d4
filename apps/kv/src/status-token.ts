/**
 * The bearer token that guards `/status` and `/metrics` (member ids, URLs, terms and log
 * indexes are exactly what a forger of Raft messages needs). A request passes with
 * `Authorization: Bearer <token>`. The check compares SHA-256 digests with
 * `crypto.timingSafeEqual`: constant time, whatever the length or content of what the client
 * sent, so the answer's timing tells nothing about the token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { InvalidArgumentError } from 'raft-io';

/** Environment variable the CLI reads the token from (argv is visible to other local users). */
export const STATUS_TOKEN_ENV = 'KV_STATUS_TOKEN';
/** Shortest token accepted, in characters: shorter ones are guessable. */
export const MIN_STATUS_TOKEN_LENGTH = 16;

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
const BEARER = /^Bearer +(\S+) *$/i;

export class StatusToken {
  private readonly expected: Buffer;

  /** Throws `InvalidArgumentError` for a token under 16 characters or with whitespace or controls. */
  constructor(token: string) {
    if (token.length < MIN_STATUS_TOKEN_LENGTH || !/^[\x21-\x7e]+$/.test(token)) {
      throw new InvalidArgumentError(
        `the status token must be at least ${MIN_STATUS_TOKEN_LENGTH} printable ASCII characters without spaces`,
      );
    }
    this.expected = digest(token);
  }

  /** Whether an `Authorization` header value carries the token. */
  accepts(authorization: string | undefined): boolean {
    const match = BEARER.exec(authorization ?? '');
    // Digest something in every case, so a missing header costs the same as a wrong one.
    const same = timingSafeEqual(digest(match?.[1] ?? ''), this.expected);
    return same && match !== null;
  }
}
