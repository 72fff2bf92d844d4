/**
 * The kv API's cluster administration, small on purpose (the membership endpoints will grow
 * with issue 13):
 *
 * - `POST /leader` `{"to": id}`: hand leadership to voter `id`; answers once `id` leads.
 * - `POST /members` `{"id": id, "raft": "host:port", "url": "http://host:port", "learner": false}`:
 *   add a voter (or a learner) listening for Raft at `raft`; `url` (optional) is its HTTP API.
 * - `DELETE /members/:id`: remove voter or learner `id` (the leader itself included).
 *
 * Each runs on the leader: a follower answers 503 `NOT_LEADER` with `leader` and `leaderUrl`
 * (no forwarding: these are rare, and the caller knows where to go). With a status token
 * they need it, like `/status`. Bodies are JSON (see `RouteRequest.readJson`).
 */
import { type NodeId, NotLeaderError, type RaftServer } from 'raft-io';
import { parseHostPort, UsageError } from './addresses.js';
import type { ApiRoute, RouteRequest } from './http-api.js';
import { HttpError, sendJson } from './http-errors.js';

const MEMBER_PATH = /^\/members\/(\d+)$/;

function nodeId(value: unknown, what: string): NodeId {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new HttpError(400, 'BAD_REQUEST', `${what} must be a positive integer node id`);
  }
  return value;
}

function object(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new HttpError(400, 'BAD_REQUEST', 'the body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/** An http(s) base URL without path, query or credentials, as `http://host:port`. */
function baseUrl(value: unknown): string {
  if (typeof value !== 'string' || value.length > 200) {
    throw new HttpError(400, 'BAD_REQUEST', 'url must be a string like http://host:port');
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', 'url must be a string like http://host:port');
  }
  if (
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.username !== '' ||
    url.password !== '' ||
    (url.pathname !== '/' && url.pathname !== '') ||
    url.search !== '' ||
    url.hash !== ''
  ) {
    throw new HttpError(400, 'BAD_REQUEST', 'url must be a base URL like http://host:port');
  }
  return url.origin;
}

export interface MembershipRouteOptions {
  readonly server: RaftServer<unknown>;
  /** HTTP URLs of the members; an added member's `url` is recorded here. */
  readonly memberUrls: Map<NodeId, string>;
}

/** The `/leader` and `/members` routes. */
export function membershipRoute(options: MembershipRouteOptions): ApiRoute {
  const { server, memberUrls } = options;
  const leaderOnly = () => {
    if (server.isLeader()) return;
    const leader = server.leader();
    throw new HttpError(503, 'NOT_LEADER', `node ${server.id} is not the leader`, {
      leader,
      leaderUrl: leader === null ? null : (memberUrls.get(leader) ?? null),
    });
  };
  const timeout = (r: RouteRequest) => ({ timeoutMs: Math.max(1, r.deadline - Date.now()) });
  const run = async (fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (error) {
      // The node lost leadership between the check and the call.
      if (error instanceof NotLeaderError) leaderOnly();
      throw error;
    }
  };
  return {
    name: 'membership',
    matches: (path) => path === '/leader' || path === '/members' || MEMBER_PATH.test(path),
    async handle(r) {
      if (r.path === '/leader') {
        r.allow(['POST']);
        r.authorize();
        const body = object(await r.readJson());
        const to = nodeId(body.to, 'to');
        leaderOnly();
        if (to !== server.id) await run(() => server.transferLeadership(to, timeout(r)));
        sendJson(r.res, 200, { ok: true, leader: server.leader() });
      } else if (r.path === '/members') {
        r.allow(['POST']);
        r.authorize();
        const body = object(await r.readJson());
        const id = nodeId(body.id, 'id');
        let raft: { host: string; port: number };
        try {
          raft = parseHostPort(typeof body.raft === 'string' ? body.raft : '', 'raft', false);
        } catch (error) {
          if (error instanceof UsageError) throw new HttpError(400, 'BAD_REQUEST', error.message);
          throw error;
        }
        const url = body.url === undefined || body.url === null ? null : baseUrl(body.url);
        if (body.learner !== undefined && typeof body.learner !== 'boolean') {
          throw new HttpError(400, 'BAD_REQUEST', 'learner must be true or false');
        }
        leaderOnly();
        if (url !== null) memberUrls.set(id, url);
        await run(() =>
          body.learner === true
            ? server.addLearner(id, { address: raft, ...timeout(r) })
            : server.addVoter(id, { address: raft, ...timeout(r) }),
        );
        sendJson(r.res, 200, { ok: true, membership: server.status().membership });
      } else {
        r.allow(['DELETE']);
        r.authorize();
        r.req.resume();
        const id = nodeId(Number(MEMBER_PATH.exec(r.path)![1]), 'the member id');
        leaderOnly();
        await run(() => server.removeMember(id, timeout(r)));
        sendJson(r.res, 200, { ok: true, membership: server.status().membership });
      }
    },
  };
}
