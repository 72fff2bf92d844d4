/**
 * The kv HTTP API (node:http, no framework): routes, body limits, key decoding, and
 * forwarding to the leader. Any node accepts any request:
 *
 * - writes (`PUT`, `DELETE`, `POST .../cas`) are proposed through raft-io on the node asked:
 *   a follower's `RaftServer` forwards the encoded command to the leader over the Raft
 *   transport, and rides out an election within the request deadline;
 * - a write with an `Idempotency-Key` header is exactly-once: raft-io's client sessions
 *   (the key is the client, sequence 1), so a client may retry a write whose outcome it did
 *   not learn (a timeout, a dropped connection, `LEADERSHIP_LOST`) with the same key and get
 *   the first answer (`idempotent-replayed: true`) instead of a second write; the same key with
 *   another request is refused with 422 `IDEMPOTENCY_KEY_REUSED`;
 * - reads (`GET /kv/:key`) are linearizable on every node: ReadIndex through raft-io's
 *   `read`, confirmed by the leader, served from this node's state machine;
 * - every error is JSON `{ error: { code, message } }` with a 4xx/5xx status, and the node
 *   keeps serving;
 * - each request has one deadline, `requestTimeoutMs` from the end of its headers, that
 *   covers reading its body and answering it; bodies are read under the per-request size
 *   limit and the server-wide body budget (`body-budget.ts`); a refused or late body closes
 *   its connection, since the rest of it is never read;
 * - with a status token, `/status` and `/metrics` need `Authorization: Bearer <token>`.
 *
 * All of this holds per key's Raft group: one group for every key, or in sharded mode the
 * key's shard (`shard-hash.ts`), whose leader may be another node than another shard's
 * (`KvKeyspace`).
 *
 * Keys are parsed by `parseTarget` (`kv-path.ts`) on the node asked, and the command that
 * is proposed (and forwarded) carries the parsed key, so the leader writes the very key the
 * follower saw.
 *
 * Every response carries `x-kv-node` (the id of the node that answered).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Logger, MAX_CLIENT_ID_LENGTH, type NodeId, type RaftGroup, type SessionRef } from 'raft-io';
import { BodyBudget, type BodyBudgetStats, type BodyLease, readBody } from './body-budget.js';
import { HttpError, sendError, sendJson, toHttpError } from './http-errors.js';
import { type HttpLimits, resolveHttpLimits, smallBodyReserveBytes } from './http-limits.js';
import { encodeCommand, type KvCommand } from './kv-command.js';
import { DEFAULT_MAX_KEY_BYTES, parseTarget } from './kv-path.js';
import type { KvResult, KvStateMachine } from './kv-state-machine.js';
import { applyMemberCors } from './member-cors.js';
import type { PromMetrics } from './prom-metrics.js';
import type { StatusToken } from './status-token.js';

/** Header naming the node that answered. */
export const NODE_HEADER = 'x-kv-node';
/** The request header that makes a write exactly-once (its value names the write). */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** Set on the answer to a retried write that was applied before: the first answer, replayed. */
export const REPLAYED_HEADER = 'idempotent-replayed';

/** The session of a write from its `Idempotency-Key` header (printable ASCII), if any. */
function idempotencySession(req: IncomingMessage): SessionRef | undefined {
  const key = req.headers[IDEMPOTENCY_HEADER];
  if (key === undefined) return undefined;
  if (
    typeof key !== 'string' ||
    key.length === 0 ||
    key.length > MAX_CLIENT_ID_LENGTH ||
    !/^[ -~]+$/.test(key)
  ) {
    throw new HttpError(
      400,
      'BAD_IDEMPOTENCY_KEY',
      `Idempotency-Key must be 1 to ${MAX_CLIENT_ID_LENGTH} printable ASCII characters`,
    );
  }
  return { clientId: key, sequence: 1 };
}

/** The calls the API makes on the Raft group of a key (a `RaftServer` or a `RaftHost` group). */
export type KvReplica = Pick<RaftGroup<KvResult>, 'read' | 'appliedIndex' | 'proposeWithIndex'>;

/**
 * Where a key lives: the Raft group that replicates it (this node's member of it, which
 * forwards to the group's leader) and this node's state machine of that group. One group for
 * every key (`kv-node.ts`), or the key's shard (`sharded-node.ts`).
 */
export interface KvKeyspace {
  replicaOf(key: string): { readonly replica: KvReplica; readonly stateMachine: KvStateMachine };
}

export interface KvApiOptions {
  /** This node's id (the `x-kv-node` header of every answer). */
  readonly id: NodeId;
  /** The group and state machine of each key. */
  readonly keyspace: KvKeyspace;
  /** The body of `GET /status`. */
  readonly status: () => Record<string, unknown>;
  /** HTTP base URL of every member, this node included (`http://host:port`). */
  readonly memberUrls: ReadonlyMap<NodeId, string>;
  /**
   * Body size, body budget and request deadline (see `HttpLimits`; the connection limits
   * apply to the server, `KvHttpServer`). Defaults: `DEFAULT_HTTP_LIMITS`.
   */
  readonly limits?: Partial<HttpLimits>;
  /** Longest key, in UTF-8 bytes after percent-decoding. Default 1024. */
  readonly maxKeyBytes?: number;
  /** When set, `/status` and `/metrics` need `Authorization: Bearer <token>`. Default: open. */
  readonly statusToken?: StatusToken;
  readonly metrics?: PromMetrics;
  readonly logger: Logger;
  /**
   * More routes (the cluster view, its event stream, membership and launcher endpoints),
   * tried in order for a path the kv routes do not serve. Default: none.
   */
  readonly routes?: readonly ApiRoute[];
}

/** A route served beside the kv routes (see `KvApiOptions.routes`). */
export interface ApiRoute {
  /** The route's name in metrics (`route` label). */
  readonly name: string;
  /** Whether this route serves `path` (the request target without its query). */
  matches(path: string): boolean;
  /** Serve the request; throw `HttpError` to answer with an error. */
  handle(request: RouteRequest): Promise<void> | void;
}

/** What a route gets: the request, the response, and the API's checks and body reader. */
export interface RouteRequest {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly method: string;
  /** The request target without its query. */
  readonly path: string;
  /** Milliseconds since the epoch by which the request must be answered. */
  readonly deadline: number;
  /** Refuse (405, with `Allow`) a method not in `allowed`. */
  allow(allowed: readonly string[]): void;
  /** With a status token, refuse (401) a request without it. */
  authorize(): void;
  /**
   * Read the body as JSON under the body limits. Refuses (415) a body that is not sent as
   * `application/json`: a page of another site can send a text/plain POST without asking,
   * but not a JSON one (the browser asks the node first, and CORS says no).
   */
  readJson(): Promise<unknown>;
}

type Route = string;

/** Errors after which the rest of the request body is unread: the connection must close. */
const CLOSES_CONNECTION = new Set(['PAYLOAD_TOO_LARGE', 'BUSY', 'REQUEST_TIMEOUT']);

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function parseCas(body: Buffer): { expected: Uint8Array | null; value: Uint8Array | null } {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'BAD_JSON', 'the body is not JSON');
  }
  const o = json as { expected?: unknown; value?: unknown } | null;
  const ok = (v: unknown) => v === null || typeof v === 'string';
  if (
    o === null ||
    typeof o !== 'object' ||
    !('expected' in o) ||
    !('value' in o) ||
    !ok(o.expected) ||
    !ok(o.value)
  ) {
    throw new HttpError(
      400,
      'BAD_REQUEST',
      'cas needs JSON { "expected": string | null, "value": string | null } (null expected: must be absent; null value: delete)',
    );
  }
  const bytes = (v: unknown) => (v === null ? null : encoder.encode(v as string));
  return { expected: bytes(o.expected), value: bytes(o.value) };
}

export class KvApi {
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void;
  private readonly limits: HttpLimits;
  private readonly maxKeyBytes: number;
  private readonly bodies: BodyBudget;

  constructor(private readonly options: KvApiOptions) {
    this.limits = resolveHttpLimits(options.limits);
    this.maxKeyBytes = options.maxKeyBytes ?? DEFAULT_MAX_KEY_BYTES;
    this.bodies = new BodyBudget(this.limits.maxBodyBytesInFlight, smallBodyReserveBytes(this.limits));
    this.handler = (req, res) => {
      void this.handle(req, res);
    };
  }

  /** The body budget's counters (bytes held now and at most, bodies refused). */
  bodyStats(): BodyBudgetStats {
    return this.bodies.stats();
  }

  /** Release what the API holds (nothing since writes are forwarded by raft-io). */
  close(): void {}

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const deadline = Date.now() + this.limits.requestTimeoutMs;
    const lease = this.bodies.lease();
    let route: Route = 'unknown';
    res.setHeader(NODE_HEADER, String(this.options.id));
    try {
      if (applyMemberCors(req, res, this.options.memberUrls)) {
        route = 'preflight';
        return;
      }
      const method = req.method ?? 'GET';
      const target = parseTarget(req.url ?? '/', this.maxKeyBytes);
      route = target.route;
      if (target.route === 'status') {
        this.allow(method, ['GET'], res);
        this.authorize(req, res);
        sendJson(res, 200, this.options.status());
      } else if (target.route === 'metrics') {
        this.allow(method, ['GET'], res);
        this.authorize(req, res);
        await this.metricsBody(res);
      } else if (target.route === 'cas') {
        this.allow(method, ['POST'], res);
        const { key } = target;
        const body = await this.readBody(req, lease, deadline);
        const { expected, value } = parseCas(body);
        await this.write(req, res, { op: 'cas', key, expected, value }, deadline, (r) => {
          if (r.op !== 'cas') return;
          if (r.ok) sendJson(res, 200, { ok: true, index: r.index });
          else {
            sendJson(res, 409, {
              error: { code: 'CAS_MISMATCH', message: 'the current value is not the expected one' },
              current: r.current === null ? null : decoder.decode(r.current),
              index: r.index,
            });
          }
        });
      } else if (target.route === 'kv') {
        this.allow(method, ['GET', 'PUT', 'DELETE'], res);
        const { key } = target;
        if (method === 'GET') await this.get(res, key, deadline);
        else if (method === 'PUT') {
          const value = await this.readBody(req, lease, deadline);
          const command: KvCommand = { op: 'put', key, value };
          await this.write(req, res, command, deadline, (r) => {
            if (r.op === 'put') sendJson(res, 200, { index: r.index, created: r.created });
          });
        } else {
          req.resume();
          await this.write(req, res, { op: 'delete', key }, deadline, (r) => {
            if (r.op === 'delete') sendJson(res, 200, { index: r.index, deleted: r.deleted });
          });
        }
      } else {
        const extra = this.options.routes?.find((r) => r.matches(target.path));
        if (extra === undefined) {
          req.resume();
          throw new HttpError(404, 'NOT_FOUND', `no route ${method} ${target.path}`);
        }
        route = extra.name;
        await extra.handle({
          req,
          res,
          method,
          path: target.path,
          deadline,
          allow: (allowed) => this.allow(method, [...allowed], res),
          authorize: () => this.authorize(req, res),
          readJson: async () => {
            const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
            if (type !== 'application/json') {
              req.resume();
              throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
            }
            const body = await this.readBody(req, lease, deadline);
            try {
              return JSON.parse(body.toString('utf8')) as unknown;
            } catch {
              throw new HttpError(400, 'BAD_JSON', 'the body is not JSON');
            }
          },
        });
      }
    } catch (error) {
      const e = toHttpError(error);
      if (CLOSES_CONNECTION.has(e.code)) res.setHeader('connection', 'close');
      if (e.code === 'BUSY') res.setHeader('retry-after', '1');
      // A body refused for lack of budget is counted (kv_http_bodies_refused_total), not
      // logged: a flood of them must not grow the log.
      if (e.status >= 500 && e.code !== 'BUSY')
        this.options.logger.warn({ code: e.code, err: error, url: req.url }, 'request failed');
      sendError(res, e);
    } finally {
      // The body (and a forwarded copy of it) is no longer needed once the request is answered.
      lease.release();
      const m = this.options.metrics;
      if (m) {
        m.httpRequests.inc({ method: req.method ?? '', route, status: String(res.statusCode) });
        m.httpDuration.observe({ method: req.method ?? '', route }, (performance.now() - started) / 1000);
      }
    }
  }

  private readBody(req: IncomingMessage, lease: BodyLease, deadline: number): Promise<Buffer> {
    return readBody(req, lease, { maxBytes: this.limits.maxBodyBytes, deadline });
  }

  /** With a status token, refuse a request without it (401, and `www-authenticate`). */
  private authorize(req: IncomingMessage, res: ServerResponse): void {
    const token = this.options.statusToken;
    if (token === undefined || token.accepts(req.headers.authorization)) return;
    res.setHeader('www-authenticate', 'Bearer realm="kv"');
    throw new HttpError(401, 'UNAUTHORIZED', 'this endpoint needs Authorization: Bearer <status token>');
  }

  private allow(method: string, allowed: string[], res: ServerResponse): void {
    if (allowed.includes(method)) return;
    res.setHeader('allow', allowed.join(', '));
    throw new HttpError(
      405,
      'METHOD_NOT_ALLOWED',
      `${method} is not allowed here; use ${allowed.join(', ')}`,
    );
  }

  /**
   * A linearizable GET on the node asked: raft-io's `read` on the key's group (ReadIndex
   * confirmed by the group's leader), which waits out an election within the request deadline.
   */
  private async get(res: ServerResponse, key: string, deadline: number): Promise<void> {
    const { replica, stateMachine } = this.options.keyspace.replicaOf(key);
    let index = 0;
    const value = await replica.read(
      () => {
        index = replica.appliedIndex();
        return stateMachine.get(key);
      },
      { timeoutMs: Math.max(1, deadline - Date.now()) },
    );
    res.setHeader('x-kv-index', String(index));
    if (value === undefined) throw new HttpError(404, 'KEY_NOT_FOUND', `no key ${JSON.stringify(key)}`);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': value.length });
    res.end(value);
  }

  /**
   * Propose the command on this node's member of the key's group: raft-io forwards it to the
   * group's leader from a follower and waits out an election, within the request deadline.
   * With an `Idempotency-Key` the write is exactly-once: a retry answers with the first
   * result, marked `idempotent-replayed`.
   */
  private async write(
    req: IncomingMessage,
    res: ServerResponse,
    command: KvCommand,
    deadline: number,
    answer: (result: KvResult) => void,
  ): Promise<void> {
    const session = idempotencySession(req);
    try {
      const { replica } = this.options.keyspace.replicaOf(command.key);
      const { result, duplicate } = await replica.proposeWithIndex(encodeCommand(command), {
        timeoutMs: Math.max(1, deadline - Date.now()),
        ...(session ? { session } : {}),
      });
      if (duplicate) res.setHeader(REPLAYED_HEADER, 'true');
      answer(result);
    } catch (error) {
      if ((error as { reason?: unknown }).reason === 'command-mismatch') {
        throw new HttpError(
          422,
          'IDEMPOTENCY_KEY_REUSED',
          'this Idempotency-Key was used for another request; use a new key per request',
        );
      }
      throw error;
    }
  }

  private async metricsBody(res: ServerResponse): Promise<void> {
    const registry = this.options.metrics?.registry;
    if (!registry) throw new HttpError(404, 'NOT_FOUND', 'metrics are off');
    const text = await registry.metrics();
    res.writeHead(200, { 'content-type': registry.contentType, 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }
}
