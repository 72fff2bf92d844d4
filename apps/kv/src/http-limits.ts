/**
 * The resource limits of the kv HTTP server, their defaults and their checks. Together they
 * bound what one client, or many, can make a node hold: open connections (the cap), time
 * (headers, request and keep-alive deadlines) and memory (the per-request body limit, the
 * global budget of body bytes in flight, and pipelined requests per connection). Worst case
 * memory for bodies is `maxBodyBytesInFlight`, whatever the number of connections; at most
 * `maxConnections * maxPipelinedRequests` requests are in flight at once.
 */
import { InvalidArgumentError } from 'raft-io';

export interface HttpLimits {
  /**
   * Most open HTTP connections. A connection beyond it is closed as soon as it is accepted
   * (Node's `server.maxConnections`). Default 512.
   */
  readonly maxConnections: number;
  /**
   * Most requests one connection may have in flight at once (HTTP/1.1 pipelining: Node runs
   * every pipelined request at once, however many a client sends without reading the
   * answers). A connection that sends more is closed. Default 8.
   */
  readonly maxPipelinedRequests: number;
  /** Largest request body, in bytes; a larger one is answered 413 and its connection closed. Default 1 MiB (1048576). */
  readonly maxBodyBytes: number;
  /**
   * Budget of request-body bytes held by the whole server at once, in bytes. A body is
   * reserved in full when its `content-length` arrives (chunk by chunk without one) and
   * released when its request is answered; a body that does not fit is answered 503 `BUSY`
   * at once and its connection closed. Part of it is kept for small bodies (see
   * `smallBodyReserveBytes`). At least `maxBodyBytes`. Default 32 MiB (33554432).
   */
  readonly maxBodyBytesInFlight: number;
  /**
   * Time from a connection's (or a request's) first byte to the end of its headers, in ms;
   * then 408 and the connection is closed (slowloris). Default 5000.
   */
  readonly headersTimeoutMs: number;
  /**
   * Deadline of one request from the end of its headers, in ms: reading the body (then 408
   * and the connection is closed), waiting for a leader, the commit or the read index, and
   * forwarding to the leader (then 503 / 504). Default 5000.
   */
  readonly requestTimeoutMs: number;
  /** How long a keep-alive connection may sit idle between two requests, in ms. Default 5000. */
  readonly keepAliveTimeoutMs: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  maxConnections: 512,
  maxPipelinedRequests: 8,
  maxBodyBytes: 1024 * 1024,
  maxBodyBytesInFlight: 32 * 1024 * 1024,
  headersTimeoutMs: 5000,
  requestTimeoutMs: 5000,
  keepAliveTimeoutMs: 5000,
};

/** `DEFAULT_HTTP_LIMITS` overridden by `given`, checked; throws `InvalidArgumentError`. */
export function resolveHttpLimits(given: Partial<HttpLimits> = {}): HttpLimits {
  const limits: HttpLimits = { ...DEFAULT_HTTP_LIMITS };
  for (const [name, value] of Object.entries(given) as [keyof HttpLimits, unknown][]) {
    if (value === undefined) continue;
    if (!(name in DEFAULT_HTTP_LIMITS)) throw new InvalidArgumentError(`unknown HTTP limit ${name}`);
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
      throw new InvalidArgumentError(`${name} must be a positive integer, got ${String(value)}`);
    }
    (limits as Record<keyof HttpLimits, number>)[name] = value;
  }
  if (limits.maxBodyBytesInFlight < limits.maxBodyBytes) {
    throw new InvalidArgumentError(
      `maxBodyBytesInFlight (${limits.maxBodyBytesInFlight}) is below maxBodyBytes (${limits.maxBodyBytes}): a largest body could never be read`,
    );
  }
  return limits;
}

/** A body of at most this many bytes is small: it may use the budget's reserve. 16 KiB. */
export const SMALL_BODY_BYTES = 16 * 1024;

/**
 * The part of the body budget that only small bodies (at most `SMALL_BODY_BYTES`) may use:
 * `maxConnections * SMALL_BODY_BYTES`, so that stalled uploads can keep small writes out
 * only by holding every connection, as long as the budget allows it (at most
 * `maxBodyBytesInFlight - maxBodyBytes`, so that a largest body still fits). Defaults:
 * 512 * 16 KiB = 8 MiB of the 32 MiB.
 */
export function smallBodyReserveBytes(limits: HttpLimits): number {
  return Math.min(
    limits.maxConnections * SMALL_BODY_BYTES,
    limits.maxBodyBytesInFlight - limits.maxBodyBytes,
  );
}
