/**
 * Errors of the kv HTTP API and how each becomes a response: a status code and the JSON body
 * `{ error: { code, message } }` (plus fields such as `leader` where they help). raft-io's
 * typed errors map by their stable `code`.
 */
import type { ServerResponse } from 'node:http';
import { RaftError } from 'raft-io';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** HTTP status for each raft-io error code. */
const STATUS_BY_CODE: Record<string, number> = {
  INVALID_ARGUMENT: 400,
  INVALID_CONFIG: 400,
  MEMBERSHIP_CHANGE_PENDING: 409,
  NOT_LEADER: 503,
  LEADERSHIP_LOST: 503,
  TRANSFER_IN_PROGRESS: 503,
  UNCOMMITTED_LIMIT: 429,
  PENDING_LIMIT: 429,
  TIMEOUT: 504,
  ABORTED: 503,
  CLOSED: 503,
  STORAGE: 503,
  SESSION_REFUSED: 409,
  RESULT_NOT_KEPT: 409,
  APPLY_FAILED: 500,
};

/** Turn anything thrown while serving into an `HttpError`. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof RaftError) {
    const extra: Record<string, unknown> = {};
    if (error.code === 'NOT_LEADER') extra.leader = (error as { leader?: unknown }).leader ?? null;
    return new HttpError(STATUS_BY_CODE[error.code] ?? 500, error.code, error.message, extra);
  }
  return new HttpError(500, 'INTERNAL', error instanceof Error ? error.message : String(error));
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendError(res: ServerResponse, error: HttpError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, error.status, { error: { code: error.code, message: error.message }, ...error.extra });
}
