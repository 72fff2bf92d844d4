/**
 * The kv API's cluster administration, on raft-io's membership calls (which finish when
 * their effect is real, one at a time, riding out elections):
 *
 * - `GET /members`: every member with its Raft address and HTTP URL (replicated in the
 *   membership: any node answers), voter or learner, the leader and its URL.
 * - `POST /members` `{"id": id, "raft": "host:port", "url": "http://host:port", "learner": false}`:
 *   add a voter the safe way (a learner first, caught up, then promoted) or, with `learner`,
 *   a learner (answered once caught up). Asking again for a member already there at the same
 *   address is a success (a joining node that retries); an id that is a member at another
 *   address is refused with 409 `MEMBER_EXISTS` (remove it first).
 * - `POST /members/:id/promote`: make learner `id` a voter (once caught up).
 * - `DELETE /members/:id`: remove voter or learner `id` (the leader itself included).
 * - `POST /leader` `{"to": id}`: hand leadership to voter `id`; answers once `id` leads.
 *
 * The changes run on the leader: a follower answers 503 `NOT_LEADER` with `leader` and
 * `leaderUrl` (the caller knows where to go; `kv node --join` follows it). With a status token
 * they need it, like `/status`. Bodies are JSON (see `RouteRequest.readJson`).
 */
import { type NodeId, NotLeaderError, type RaftServer } from 'raft-io';
import { parseHostPort, UsageError } from './addresses.js';
import type { ApiRoute, RouteRequest } from './http-api.js';
import { HttpError, sendJson } from './http-errors.js';

const MEMBER_PATH = /^\/members\/(\d+)$/;
const PROMOTE_PATH = /^\/members\/(\d+)\/promote$/;

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

/** One member as `GET /members` lists it. */
export interface MemberEntry {
  readonly id: NodeId;
  readonly role: 'voter' | 'learner';
  /** Raft address (`host:port`), from the membership; null if it carries none. */
  readonly raft: string | null;
  /** HTTP base URL, from the membership (or this node's bootstrap list); null if unknown. */
  readonly url: string | null;
}

/** The body of `GET /members`. */
export interface MembersBody {
  readonly members: MemberEntry[];
  readonly leader: NodeId | null;
  readonly leaderUrl: string | null;
}

export interface MembershipRouteOptions {
  readonly server: RaftServer<unknown>;
  /** HTTP URLs of the members (kept in line with the membership by the node). */
  readonly memberUrls: ReadonlyMap<NodeId, string>;
}

/** `GET /members` of a node. */
export function membersBody(server: RaftServer<unknown>, urls: ReadonlyMap<NodeId, string>): MembersBody {
  const status = server.status();
  const m = status.membership;
  const entry = (id: NodeId, role: MemberEntry['role']): MemberEntry => ({
    id,
    role,
    raft: m.info?.[id]?.address ?? null,
    url: urls.get(id) ?? null,
  });
  const members = [
    ...m.voters.map((id) => entry(id, 'voter')),
    ...m.learners.map((id) => entry(id, 'learner')),
  ].sort((a, b) => a.id - b.id);
  const leader = status.leader;
  return { members, leader, leaderUrl: leader === null ? null : (urls.get(leader) ?? null) };
}

/** The `/leader` and `/members` routes. */
export function membershipRoute(options: MembershipRouteOptions): ApiRoute {
  const { server, memberUrls } = options;
  const notLeader = () => {
    const leader = server.leader();
    return new HttpError(503, 'NOT_LEADER', `node ${server.id} is not the leader`, {
      leader,
      leaderUrl: leader === null ? null : (memberUrls.get(leader) ?? null),
    });
  };
  const timeout = (r: RouteRequest) => ({ timeoutMs: Math.max(1, r.deadline - Date.now()) });
  /** Run a membership call; a follower answers NOT_LEADER with the leader's URL. */
  const run = async (fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (error) {
      if (error instanceof NotLeaderError) throw notLeader();
      throw error;
    }
  };
  const answer = (r: RouteRequest) =>
    sendJson(r.res, 200, {
      ok: true,
      membership: server.status().membership,
      ...membersBody(server, memberUrls),
    });
  return {
    name: 'membership',
    matches: (path) =>
      path === '/leader' || path === '/members' || MEMBER_PATH.test(path) || PROMOTE_PATH.test(path),
    async handle(r) {
      if (r.path === '/leader') {
        r.allow(['POST']);
        r.authorize();
        const body = object(await r.readJson());
        const to = nodeId(body.to, 'to');
        await run(() => server.transferLeadership(to, timeout(r)));
        sendJson(r.res, 200, { ok: true, leader: server.leader() });
      } else if (r.path === '/members') {
        r.allow(['GET', 'POST']);
        r.authorize();
        if (r.method === 'GET') {
          r.req.resume();
          sendJson(r.res, 200, membersBody(server, memberUrls));
          return;
        }
        const body = object(await r.readJson());
        const id = nodeId(body.id, 'id');
        let raft: string;
        try {
          const a = parseHostPort(typeof body.raft === 'string' ? body.raft : '', 'raft', false);
          raft = a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
        } catch (error) {
          if (error instanceof UsageError) throw new HttpError(400, 'BAD_REQUEST', error.message);
          throw error;
        }
        const url = body.url === undefined || body.url === null ? undefined : baseUrl(body.url);
        if (body.learner !== undefined && typeof body.learner !== 'boolean') {
          throw new HttpError(400, 'BAD_REQUEST', 'learner must be true or false');
        }
        const known = server.status().membership.info?.[id]?.address;
        const member = [
          ...server.status().membership.voters,
          ...server.status().membership.learners,
        ].includes(id);
        if (member && known !== undefined && known !== raft) {
          throw new HttpError(
            409,
            'MEMBER_EXISTS',
            `node ${id} is already a member, at ${known}; remove it first to add it at ${raft}`,
          );
        }
        const add = { address: raft, ...(url !== undefined ? { metadata: url } : {}), ...timeout(r) };
        await run(() =>
          body.learner === true ? server.addLearner(id, { ...add, catchUp: true }) : server.addVoter(id, add),
        );
        answer(r);
      } else if (PROMOTE_PATH.test(r.path)) {
        r.allow(['POST']);
        r.authorize();
        r.req.resume();
        const id = nodeId(Number(PROMOTE_PATH.exec(r.path)![1]), 'the member id');
        if (
          !server.status().membership.learners.includes(id) &&
          !server.status().membership.voters.includes(id)
        ) {
          throw new HttpError(404, 'NOT_A_MEMBER', `node ${id} is not a learner of this cluster`);
        }
        await run(() => server.addVoter(id, timeout(r)));
        answer(r);
      } else {
        r.allow(['DELETE']);
        r.authorize();
        r.req.resume();
        const id = nodeId(Number(MEMBER_PATH.exec(r.path)![1]), 'the member id');
        await run(() => server.removeMember(id, timeout(r)));
        answer(r);
      }
    },
  };
}
