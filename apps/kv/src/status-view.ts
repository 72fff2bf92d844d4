/**
 * The body of `GET /status`, built so that it cannot throw on an unexpected membership: the
 * membership comes from a log entry, and one entry of a shape nobody expected must not turn
 * every later `/status` into a 500. Members are read defensively (arrays of positive safe
 * integers; anything else is skipped and flagged with `membershipMalformed: true`).
 */
import type { NodeId, RaftServerStatus } from 'raft-io';

export interface MemberView {
  readonly id: NodeId;
  readonly url: string | null;
  readonly voter: boolean;
}

const isNodeId = (v: unknown): v is NodeId => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

/** The valid ids of `list`, and whether anything in it (or its own shape) was not valid. */
function ids(list: unknown, optional: boolean): { ids: NodeId[]; malformed: boolean } {
  if (list === undefined && optional) return { ids: [], malformed: false };
  if (!Array.isArray(list)) return { ids: [], malformed: true };
  const valid = list.filter(isNodeId);
  return { ids: valid, malformed: valid.length !== list.length };
}

/**
 * The members of `membership` (any value), sorted by id, each once (a voter wins over a
 * learner of the same id), with the URL each is known by.
 */
export function membersOf(
  membership: unknown,
  urls: ReadonlyMap<NodeId, string>,
): { members: MemberView[]; malformed: boolean } {
  const m = (typeof membership === 'object' && membership !== null ? membership : {}) as Record<
    string,
    unknown
  >;
  const voters = ids(m.voters, false);
  const learners = ids(m.learners, false);
  const outgoing = ids(m.outgoingVoters, true);
  const byId = new Map<NodeId, MemberView>();
  for (const id of learners.ids) byId.set(id, { id, url: urls.get(id) ?? null, voter: false });
  for (const id of voters.ids) byId.set(id, { id, url: urls.get(id) ?? null, voter: true });
  return {
    members: [...byId.values()].sort((a, b) => a.id - b.id),
    malformed:
      typeof membership !== 'object' ||
      membership === null ||
      voters.malformed ||
      learners.malformed ||
      outgoing.malformed,
  };
}

/** The `/status` body of a node. */
/** A group's role, term, leader (and its URL) and indexes: the part of `/status` every group shares. */
export function groupView(s: RaftServerStatus, urls: ReadonlyMap<NodeId, string>) {
  return {
    role: s.role,
    term: s.term,
    leader: s.leader,
    leaderUrl: s.leader === null ? null : (urls.get(s.leader) ?? null),
    commitIndex: s.commitIndex,
    appliedIndex: s.appliedIndex,
  };
}

export function statusView(
  s: RaftServerStatus,
  urls: ReadonlyMap<NodeId, string>,
  keys: number,
): Record<string, unknown> {
  const { members, malformed } = membersOf(s.membership as unknown, urls);
  return {
    id: s.id,
    url: urls.get(s.id) ?? null,
    ...groupView(s, urls),
    lastIndex: s.lastIndex,
    snapshotIndex: s.snapshotIndex,
    keys,
    members,
    ...(malformed ? { membershipMalformed: true } : {}),
    // The leader: every peer's health (raft-io's `PeerHealth`) with its URL; elsewhere: the
    // last contact with the leader.
    ...(s.peers ? { peers: s.peers.map((p) => ({ ...p, url: urls.get(p.id) ?? null })) } : {}),
    ...(s.leaderContact ? { leaderContact: s.leaderContact } : {}),
  };
}
