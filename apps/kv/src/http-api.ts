/**
 * The kv HTTP API (node:http, no framework): routes, body limits, key decoding, and
 * forwarding to the leader. Any node accepts any request:
 *
 * - writes (`PUT`, `DELETE`, `POST .../cas`) are proposed on the leader; a follower forwards
 *   the request over HTTP to the leader's URL and relays its answer (one hop: a forwarded
 *   request that reaches a non-leader gets 503 `NOT_LEADER` with the leader's id and URL);
 * - reads (`GET /kv/:key`) are linearizable on every node: ReadIndex through raft-io's
 *   `read`, confirmed by the leader, served from this node's state machine;
 * - every error is JSON `{ error: { code, message } }` with a 4xx/5xx status, and the node
 *   keeps serving.
 *
 * Every response carries `x-kv-node` (the id of the node that answered).
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { type Logger, type NodeId, RaftError, type RaftServer } from 'raft-io';
import { HttpError, sendError, sendJson, toHttpError } from './http-errors.js';
import { encodeCommand, type KvCommand } from './kv-command.js';
import type { KvResult, KvStateMachine } from './kv-state-machine.js';
import type { PromMetrics } from './prom-metrics.js';

/** Header a follower sets when it forwards a request to the leader (its own id). */
export const FORWARDED_HEADER = 'x-kv-forwarded-by';
/** Header naming the node that answered. */
export const NODE_HEADER = 'x-kv-node';

export interface KvApiOptions {
  readonly server: RaftServer<KvResult>;
  readonly stateMachine: KvStateMachine;
  /** HTTP base URL of every member, this node included (`http://host:port`). */
  readonly memberUrls: ReadonlyMap<NodeId, string>;
  /** Largest request body, in bytes. Default 1 MiB (1048576). */
  readonly maxBodyBytes?: number;
  /** Longest key, in UTF-8 bytes after percent-decoding. Default 1024. */
  readonly maxKeyBytes?: number;
  /** Deadline of one request (waiting for a leader, commit, read index), in ms. Default 5000. */
  readonly requestTimeoutMs?: number;
  readonly metrics?: PromMetrics;
  readonly logger: Logger;
}

type Route = 'kv' | 'cas' | 'status' | 'metrics' | 'unknown';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Read the whole body, refusing more than `limit` bytes with 413. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.reject(new HttpError(413, 'PAYLOAD_TOO_LARGE', `body over ${limit} bytes`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        reject(new HttpError(413, 'PAYLOAD_TOO_LARGE', `body over ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks));
    });
    req.on('error', (error) =>
      reject(new HttpError(400, 'BAD_REQUEST', `reading the body failed: ${error.message}`)),
    );
  });
}

function parseKey(raw: string, maxKeyBytes: number): string {
  let key: string;
  try {
    key = decodeURIComponent(raw);
  } catch {
    throw new HttpError(400, 'BAD_KEY', 'the key is not valid percent-encoded UTF-8');
  }
  if (key.length === 0) throw new HttpError(400, 'BAD_KEY', 'the key is empty');
  if (encoder.encode(key).length > maxKeyBytes) {
    throw new HttpError(400, 'BAD_KEY', `the key is over ${maxKeyBytes} bytes`);
  }
  return key;
}

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
  private readonly server: RaftServer<KvResult>;
  private readonly sm: KvStateMachine;
  private readonly maxBodyBytes: number;
  private readonly maxKeyBytes: number;
  private readonly timeoutMs: number;
  /** Keep-alive connections to the leader for forwarded requests. */
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

  constructor(private readonly options: KvApiOptions) {
    this.server = options.server;
    this.sm = options.stateMachine;
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
    this.maxKeyBytes = options.maxKeyBytes ?? 1024;
    this.timeoutMs = options.requestTimeoutMs ?? 5000;
    this.handler = (req, res) => {
      void this.handle(req, res);
    };
  }

  /** Close the keep-alive connections used for forwarding. */
  close(): void {
    this.agent.destroy();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    let route: Route = 'unknown';
    res.setHeader(NODE_HEADER, String(this.server.id));
    try {
      const path = (req.url ?? '/').split('?')[0]!;
      const method = req.method ?? 'GET';
      const match = /^\/kv\/([^/]*)(\/cas)?$/.exec(path);
      if (path === '/status') {
        route = 'status';
        this.allow(method, ['GET'], res);
        sendJson(res, 200, this.statusBody());
      } else if (path === '/metrics') {
        route = 'metrics';
        this.allow(method, ['GET'], res);
        await this.metricsBody(res);
      } else if (match?.[2]) {
        route = 'cas';
        this.allow(method, ['POST'], res);
        const key = parseKey(match[1]!, this.maxKeyBytes);
        const body = await readBody(req, this.maxBodyBytes);
        const { expected, value } = parseCas(body);
        await this.write(req, res, { op: 'cas', key, expected, value }, body, (r) => {
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
      } else if (match) {
        route = 'kv';
        this.allow(method, ['GET', 'PUT', 'DELETE'], res);
        const key = parseKey(match[1]!, this.maxKeyBytes);
        if (method === 'GET') await this.get(res, key);
        else if (method === 'PUT') {
          const value = await readBody(req, this.maxBodyBytes);
          await this.write(req, res, { op: 'put', key, value: new Uint8Array(value) }, value, (r) => {
            if (r.op === 'put') sendJson(res, 200, { index: r.index, created: r.created });
          });
        } else {
          req.resume();
          await this.write(req, res, { op: 'delete', key }, Buffer.alloc(0), (r) => {
            if (r.op === 'delete') sendJson(res, 200, { index: r.index, deleted: r.deleted });
          });
        }
      } else {
        req.resume();
        throw new HttpError(404, 'NOT_FOUND', `no route ${method} ${path}`);
      }
    } catch (error) {
      const e = toHttpError(error);
      if (e.status === 413) res.setHeader('connection', 'close');
      if (e.status >= 500)
        this.options.logger.warn({ code: e.code, err: error, url: req.url }, 'request failed');
      sendError(res, e);
    } finally {
      const m = this.options.metrics;
      if (m) {
        m.httpRequests.inc({ method: req.method ?? '', route, status: String(res.statusCode) });
        m.httpDuration.observe({ method: req.method ?? '', route }, (performance.now() - started) / 1000);
      }
    }
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

  /** A linearizable GET: retried while leadership settles, within the request deadline. */
  private async get(res: ServerResponse, key: string): Promise<void> {
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      try {
        let index = 0;
        const value = await this.server.read(
          () => {
            index = this.server.appliedIndex();
            return this.sm.get(key);
          },
          { timeoutMs: Math.max(1, deadline - Date.now()) },
        );
        res.setHeader('x-kv-index', String(index));
        if (value === undefined) throw new HttpError(404, 'KEY_NOT_FOUND', `no key ${JSON.stringify(key)}`);
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': value.length });
        res.end(value);
        return;
      } catch (error) {
        if (!this.retryable(error) || Date.now() >= deadline) throw error;
        await this.settle(deadline);
      }
    }
  }

  private retryable(error: unknown): boolean {
    return error instanceof RaftError && (error.code === 'NOT_LEADER' || error.code === 'LEADERSHIP_LOST');
  }

  /** Wait for a leader (or a moment if one is known) before a retry. */
  private async settle(deadline: number): Promise<void> {
    if (this.server.leader() === null) {
      await this.server.waitForLeader({ timeoutMs: Math.max(1, deadline - Date.now()) }).catch(() => {});
    } else {
      await sleep(20);
    }
  }

  /**
   * Propose on the leader, or forward to it. Only errors that prove the command was not
   * appended (not leader) lead to forwarding; leadership lost after appending is an
   * unknown outcome and answers 503 `LEADERSHIP_LOST`.
   */
  private async write(
    req: IncomingMessage,
    res: ServerResponse,
    command: KvCommand,
    body: Buffer,
    answer: (result: KvResult) => void,
  ): Promise<void> {
    const deadline = Date.now() + this.timeoutMs;
    const encoded = encodeCommand(command);
    for (;;) {
      if (this.server.isLeader()) {
        try {
          answer(await this.server.propose(encoded, { timeoutMs: Math.max(1, deadline - Date.now()) }));
          return;
        } catch (error) {
          if (!(error instanceof RaftError && error.code === 'NOT_LEADER')) throw error;
        }
      }
      const leader = this.server.leader();
      if (leader === null) {
        if (Date.now() >= deadline) throw new HttpError(503, 'NO_LEADER', 'no leader is known; retry');
        await this.settle(deadline);
        continue;
      }
      if (leader === this.server.id) {
        if (Date.now() >= deadline) throw new HttpError(503, 'NO_LEADER', 'leadership is changing; retry');
        await sleep(5);
        continue;
      }
      const leaderUrl = this.options.memberUrls.get(leader) ?? null;
      if (req.headers[FORWARDED_HEADER] !== undefined || leaderUrl === null) {
        throw new HttpError(
          503,
          'NOT_LEADER',
          `node ${this.server.id} is not the leader; node ${leader} is`,
          {
            leader,
            leaderUrl,
          },
        );
      }
      if ((await this.forward(req, res, body, leaderUrl, deadline)) === 'done') return;
      // The leader refused the connection (it is gone): nothing reached it, so waiting for
      // the next leader and trying again is safe.
      if (Date.now() >= deadline)
        throw new HttpError(503, 'NO_LEADER', `the leader at ${leaderUrl} is unreachable`);
      await sleep(50);
    }
  }

  /**
   * Relay the request to the leader and its answer to the client: 'done' once answered
   * (with the leader's response, or 502 when the outcome is unknown), 'refused' when the
   * connection was refused, so that nothing was sent.
   */
  private forward(
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    leaderUrl: string,
    deadline: number,
  ): Promise<'done' | 'refused'> {
    return new Promise((resolve) => {
      const target = new URL(req.url ?? '/', leaderUrl);
      const out = http.request(
        target,
        {
          method: req.method ?? 'GET',
          agent: this.agent,
          timeout: Math.max(1, deadline - Date.now()),
          headers: {
            'content-type': req.headers['content-type'] ?? 'application/octet-stream',
            'content-length': body.length,
            [FORWARDED_HEADER]: String(this.server.id),
          },
        },
        (upstream) => {
          const headers: Record<string, string> = {};
          for (const name of ['content-type', 'content-length', NODE_HEADER, 'x-kv-index', 'allow']) {
            const v = upstream.headers[name];
            if (typeof v === 'string') headers[name] = v;
          }
          res.writeHead(upstream.statusCode ?? 502, headers);
          upstream.pipe(res);
          upstream.on('end', () => resolve('done'));
          upstream.on('error', () => {
            res.destroy();
            resolve('done');
          });
        },
      );
      out.on('timeout', () => out.destroy(new Error('timed out')));
      out.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'ECONNREFUSED') {
          resolve('refused');
          return;
        }
        sendError(
          res,
          new HttpError(
            502,
            'FORWARD_FAILED',
            `forwarding to the leader at ${leaderUrl} failed: ${error.message}`,
          ),
        );
        resolve('done');
      });
      out.end(body);
    });
  }

  private statusBody(): Record<string, unknown> {
    const s = this.server.status();
    const urls = this.options.memberUrls;
    const members = [
      ...s.membership.voters.map((id) => ({ id, url: urls.get(id) ?? null, voter: true })),
      ...s.membership.learners.map((id) => ({ id, url: urls.get(id) ?? null, voter: false })),
    ].sort((a, b) => a.id - b.id);
    return {
      id: s.id,
      url: urls.get(s.id) ?? null,
      role: s.role,
      term: s.term,
      leader: s.leader,
      leaderUrl: s.leader === null ? null : (urls.get(s.leader) ?? null),
      commitIndex: s.commitIndex,
      appliedIndex: s.appliedIndex,
      lastIndex: s.lastIndex,
      snapshotIndex: s.snapshotIndex,
      keys: this.sm.size,
      members,
    };
  }

  private async metricsBody(res: ServerResponse): Promise<void> {
    const registry = this.options.metrics?.registry;
    if (!registry) throw new HttpError(404, 'NOT_FOUND', 'metrics are off');
    const text = await registry.metrics();
    res.writeHead(200, { 'content-type': registry.contentType, 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }
}
