/**
 * `kv node --join <url of any member>`: a new node asks a running cluster to add it.
 *
 * 1. `fetchMembers` asks the member at the URL for the membership (`GET /members`): every
 *    member's Raft address and HTTP URL. The node starts with no voters of its own, dialling
 *    those members until the membership reaches it.
 * 2. `requestJoin` asks the leader to add it (`POST /members`): raft-io's `addVoter`, which
 *    adds it as a learner, waits for it to catch up, then promotes it. A follower answers
 *    `NOT_LEADER` with the leader's URL, which is followed; an election, a timeout or a busy
 *    leader is retried until the join deadline (a retry goes on where the last one got: the
 *    node is a learner already, say). Any other refusal is final: `JoinRefusedError` with the
 *    cluster's code (`MEMBER_EXISTS` for an id taken at another address, `UNAUTHORIZED`
 *    without the status token, ...).
 */
import type { NodeId } from 'raft-io';
import type { PeerSpec } from './addresses.js';
import { parseHostPort } from './addresses.js';
import type { MembersBody } from './membership-api.js';

/** The cluster refused to add this node (or could not be reached by the deadline). */
export class JoinRefusedError extends Error {
  constructor(
    /** The cluster's error code, e.g. `MEMBER_EXISTS`; `UNREACHABLE` when nobody answered. */
    readonly code: string,
    message: string,
    /** The HTTP status of the refusal (0: no answer). */
    readonly status: number,
  ) {
    super(message);
    this.name = 'JoinRefusedError';
  }
}

export interface JoinOptions {
  /** Bearer token for the admin endpoints (`KV_STATUS_TOKEN`), if the cluster has one. */
  readonly token?: string;
  /** Give up after this many ms. Default 60000. */
  readonly timeoutMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function headers(token: string | undefined, json: boolean): Record<string, string> {
  return {
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...(json ? { 'content-type': 'application/json' } : {}),
  };
}

/** Answers that mean "not now": retried until the deadline. */
const TRANSIENT = new Set([429, 502, 503, 504]);

/** The members of the cluster as the member at `url` knows them. */
export async function fetchMembers(url: string, options: JoinOptions = {}): Promise<MembersBody> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/members`, {
        headers: headers(options.token, false),
        signal: AbortSignal.timeout(Math.max(1, Math.min(5000, deadline - Date.now()))),
      });
      const body = (await res.json()) as MembersBody & { error?: { code: string; message: string } };
      if (res.ok) return body;
      if (!TRANSIENT.has(res.status))
        throw new JoinRefusedError(
          body.error?.code ?? 'REFUSED',
          body.error?.message ?? res.statusText,
          res.status,
        );
      last = body.error?.message ?? res.statusText;
    } catch (error) {
      if (error instanceof JoinRefusedError) throw error;
      last = (error as Error).message;
    }
    await sleep(200);
  }
  throw new JoinRefusedError('UNREACHABLE', `no member answered at ${url}: ${last}`, 0);
}

/** The members (other than `self`) as the peers a joining node dials. */
export function peersOf(members: MembersBody, self: NodeId): PeerSpec[] {
  const peers: PeerSpec[] = [];
  for (const m of members.members) {
    if (m.id === self || m.raft === null || m.url === null) continue;
    peers.push({ id: m.id, raft: parseHostPort(m.raft, `member ${m.id}`, false), url: m.url });
  }
  return peers;
}

/** Ask the cluster (through `via`, any member) to add node `id` at `raft` with HTTP URL `url`. */
export async function requestJoin(
  via: string,
  node: { readonly id: NodeId; readonly raft: string; readonly url: string },
  options: JoinOptions = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let target = via;
  let last = 'no answer';
  while (Date.now() < deadline) {
    let status = 0;
    let body: { error?: { code: string; message: string }; leaderUrl?: string | null } = {};
    try {
      const res = await fetch(`${target}/members`, {
        method: 'POST',
        headers: headers(options.token, true),
        body: JSON.stringify(node),
        signal: AbortSignal.timeout(Math.max(1, Math.min(30_000, deadline - Date.now()))),
      });
      status = res.status;
      body = (await res.json().catch(() => ({}))) as typeof body;
    } catch (error) {
      last = (error as Error).message;
    }
    if (status === 200) return;
    if (status === 503 && body.error?.code === 'NOT_LEADER' && body.leaderUrl) {
      target = body.leaderUrl;
      continue;
    }
    if (status !== 0 && !TRANSIENT.has(status)) {
      throw new JoinRefusedError(
        body.error?.code ?? 'REFUSED',
        body.error?.message ?? `HTTP ${status}`,
        status,
      );
    }
    if (status !== 0) last = body.error?.message ?? `HTTP ${status}`;
    // An election, a timeout, a busy leader, or the leader gone: ask any member again.
    if (status === 0) target = via;
    await sleep(200);
  }
  throw new JoinRefusedError('UNREACHABLE', `the cluster did not add node ${node.id} in time: ${last}`, 0);
}
