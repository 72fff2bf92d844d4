/**
 * Request bodies under a global memory budget and a deadline.
 *
 * `BodyBudget` counts the body bytes the whole server holds: a body with a `content-length`
 * is reserved in full before its first byte is read (and read into one buffer of that size),
 * a chunked body is reserved chunk by chunk as it arrives. A reservation that would take the
 * total over the limit is refused, so the bytes held never exceed it, however many
 * connections upload at once. Each request holds a `BodyLease`, released once it is answered
 * (a forwarded body stays held until the leader has answered).
 *
 * The last `reserveBytes` of the budget are for small bodies (at most `SMALL_BODY_BYTES`):
 * a larger body is refused once the total would pass `limitBytes - reserveBytes`. Stalled
 * large uploads then cannot keep ordinary small writes out; small stalled ones need one
 * connection per `SMALL_BODY_BYTES` of the reserve, that is every connection.
 *
 * `readBody` reads one body under the lease, the per-request size limit and the request's
 * deadline: too large is 413 `PAYLOAD_TOO_LARGE`, no room in the budget is 503 `BUSY`, not
 * all there by the deadline is 408 `REQUEST_TIMEOUT`; after any of them the rest of the body
 * is discarded, never buffered, and the caller closes the connection.
 */
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-errors.js';
import { SMALL_BODY_BYTES } from './http-limits.js';

/** A snapshot of a `BodyBudget`'s counters. */
export interface BodyBudgetStats {
  /** The budget, in bytes. */
  readonly limitBytes: number;
  /** The part of it only small bodies may use, in bytes. */
  readonly reserveBytes: number;
  /** Body bytes held (reserved or read) right now. */
  readonly bytesInFlight: number;
  /** The most body bytes ever held at once. Never above `limitBytes`. */
  readonly peakBytesInFlight: number;
  /** Bodies refused because the budget had no room (answered 503 `BUSY`). */
  readonly refused: number;
}

export class BodyBudget {
  private inFlight = 0;
  private peak = 0;
  private refusedCount = 0;

  /**
   * @param limitBytes the most body bytes held at once.
   * @param reserveBytes the part of `limitBytes` only small bodies may use (0: none).
   */
  constructor(
    readonly limitBytes: number,
    readonly reserveBytes = 0,
  ) {}

  /** A lease for one request's body; nothing is reserved yet. */
  lease(): BodyLease {
    return new BodyLease(this);
  }

  stats(): BodyBudgetStats {
    return {
      limitBytes: this.limitBytes,
      reserveBytes: this.reserveBytes,
      bytesInFlight: this.inFlight,
      peakBytesInFlight: this.peak,
      refused: this.refusedCount,
    };
  }

  /**
   * Take `bytes` of a body that is `small` (at most `SMALL_BODY_BYTES` in all) or not, if
   * they fit (invariant: inFlight <= limitBytes).
   */
  take(bytes: number, small: boolean): boolean {
    const limit = small ? this.limitBytes : this.limitBytes - this.reserveBytes;
    if (this.inFlight + bytes > limit) {
      this.refusedCount++;
      return false;
    }
    this.inFlight += bytes;
    if (this.inFlight > this.peak) this.peak = this.inFlight;
    return true;
  }

  give(bytes: number): void {
    this.inFlight -= bytes;
  }
}

/** One request's share of the budget. `release` is idempotent. */
export class BodyLease {
  private held = 0;
  private released = false;

  constructor(private readonly budget: BodyBudget) {}

  /**
   * Reserve `bytes` more of a body that is `small` so far; false (and nothing reserved) if
   * the budget has no room.
   */
  reserve(bytes: number, small: boolean): boolean {
    if (this.released) return false;
    if (!this.budget.take(bytes, small)) return false;
    this.held += bytes;
    return true;
  }

  /** Give back everything this lease holds. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.budget.give(this.held);
    this.held = 0;
  }
}

export interface ReadBodyOptions {
  /** Largest body, in bytes (413 beyond). */
  readonly maxBytes: number;
  /** The request's deadline, a `Date.now()` value (408 once passed). */
  readonly deadline: number;
}

const tooLarge = (limit: number) => new HttpError(413, 'PAYLOAD_TOO_LARGE', `body over ${limit} bytes`);
const busy = () =>
  new HttpError(503, 'BUSY', 'the server holds as many request bodies as it may; retry shortly');

/** Read the whole body of `req` under `lease` (see the module comment). */
export function readBody(req: IncomingMessage, lease: BodyLease, options: ReadBodyOptions): Promise<Buffer> {
  const { maxBytes } = options;
  const header = req.headers['content-length'];
  // Node's parser has checked the header's syntax and refuses it next to a transfer-encoding.
  const declared = header === undefined ? null : Number(header);
  if (declared !== null && declared > maxBytes) return Promise.reject(tooLarge(maxBytes));
  if (declared !== null && !lease.reserve(declared, declared <= SMALL_BODY_BYTES))
    return Promise.reject(busy());
  return new Promise<Buffer>((resolve, reject) => {
    // With a content-length the whole body goes into one buffer of that size (no copies to
    // concatenate); chunked bodies are kept chunk by chunk, each reserved as it arrives.
    const whole = declared !== null ? Buffer.allocUnsafe(declared) : null;
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(
      () => fail(new HttpError(408, 'REQUEST_TIMEOUT', 'the request body did not arrive in time')),
      Math.max(0, options.deadline - Date.now()),
    );
    const cleanup = () => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const fail = (error: HttpError) => {
      cleanup();
      chunks.length = 0;
      // Discard whatever else arrives; the caller answers and closes the connection.
      req.resume();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      if (size + chunk.length > maxBytes) return fail(tooLarge(maxBytes));
      if (whole) {
        // Node's parser never delivers more than the content-length.
        chunk.copy(whole, size);
      } else {
        if (!lease.reserve(chunk.length, size + chunk.length <= SMALL_BODY_BYTES)) return fail(busy());
        chunks.push(chunk);
      }
      size += chunk.length;
    };
    const onEnd = () => {
      cleanup();
      resolve(whole ? whole.subarray(0, size) : Buffer.concat(chunks, size));
    };
    const onError = (error: Error) =>
      fail(new HttpError(400, 'BAD_REQUEST', `reading the body failed: ${error.message}`));
    // The connection closed before the body was complete (the client left, or Node's own
    // request timeout closed it).
    const onClose = () => {
      if (!req.complete)
        fail(new HttpError(400, 'BAD_REQUEST', 'the connection closed before the body arrived'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
