/**
 * Quiescence (opt-in, `RaftConfig.quiesce`; docs/decisions.md D29): a group with nothing to
 * do stops ticking and heartbeating, as CockroachDB quiesces idle ranges. Two pure rules live
 * here, so that `RaftNode` checks them in one place:
 *
 * - `leaderMayQuiesce`: when a leader may put its group to sleep. Its whole log is committed
 *   (after term 1 its last entry is of its own term: the empty entry of its election or a
 *   newer one, so an entry of its term is committed), every follower holds all of it and
 *   learns that it is committed (the quiescing heartbeat carries the commit index),
 *   nothing is in flight (no read, transfer, snapshot, uncommitted or undurable entry, no
 *   membership change), and every follower answered within an election timeout (a silent
 *   follower keeps the group awake, so it is caught up when it returns).
 * - `keepsQuiescence`: which events leave a quiesced node asleep. Time (`tick`, ignored while
 *   quiesced), the disk (`persisted`), applying (`advance`), a local `snapshot`, and the idle
 *   traffic of a quiesced group in its own term: on a follower the leader's quiescing
 *   heartbeat (a duplicate or a late copy), on a leader a heartbeat answer or an append
 *   acknowledgement (the leader re-checks `leaderMayQuiesce` after such a step and wakes if it
 *   no longer holds). Every other event wakes the node: a proposal, a read, a campaign, any
 *   other message (a vote request from a follower that lost the leader wakes the leader, which
 *   then heartbeats again), and `wake` itself.
 *
 * Safety does not rest on time in Raft, so not ticking changes no safety property; the two
 * things that do read the clock are handled by the node: a quiescing leader forfeits its
 * lease for the rest of the term (its clock stops while followers may be woken and vote),
 * and a quiesced follower is woken by its driver with `leaderUnreachable` when the leader's
 * host is gone (host-level liveness stands in for the group's heartbeats).
 */
import type { Event } from './events.js';
import type { Message } from './messages.js';
import type { NodeId, Role } from './types.js';

/** What `leaderMayQuiesce` reads of a leader. */
export interface LeaderIdleView {
  readonly commit: number;
  readonly lastIndex: number;
  readonly applied: number;
  /** The last index durable on this node (the last index without asynchronous writes). */
  readonly durableIndex: number;
  /** The newest membership entry is committed and the membership is not joint. */
  readonly membershipSettled: boolean;
  readonly transferring: boolean;
  readonly handingOver: boolean;
  /** Reads held on the leader or waiting to be released to this node's driver. */
  readonly pendingReads: number;
  /** Messages withheld until a write is durable (asynchronous writes). */
  readonly withheldMessages: number;
  readonly electionTick: number;
  /** Every follower's progress, leaving members included. */
  /** Every follower's progress, leaving members included (`Progress` fits as it is). */
  readonly followers: Iterable<FollowerIdleView>;
}

/** What `leaderMayQuiesce` reads of one follower's progress. */
export interface FollowerIdleView {
  readonly match: number;
  readonly state: 'probe' | 'replicate' | 'snapshot';
  readonly inflights: { readonly count: number };
  readonly silentTicks: number;
  /** Non-null for a member removed and kept until it holds its removal. */
  readonly leaving: object | null;
}

/** Whether a leader has nothing to do and may put its group to sleep (see the module comment). */
export function leaderMayQuiesce(v: LeaderIdleView): boolean {
  if (
    v.commit !== v.lastIndex ||
    v.applied !== v.commit ||
    v.durableIndex !== v.lastIndex ||
    !v.membershipSettled ||
    v.transferring ||
    v.handingOver ||
    v.pendingReads > 0 ||
    v.withheldMessages > 0
  ) {
    return false;
  }
  for (const pr of v.followers) {
    if (
      pr.leaving !== null ||
      pr.state !== 'replicate' ||
      pr.match !== v.lastIndex ||
      pr.inflights.count > 0 ||
      pr.silentTicks >= v.electionTick
    ) {
      return false;
    }
  }
  return true;
}

/** What `keepsQuiescence` reads of the node before the step. */
export interface QuiescedView {
  readonly id: NodeId;
  readonly role: Role;
  readonly term: number;
  readonly leader: NodeId | null;
  /** Whether `message` would be accepted as well-formed (a malformed one is dropped, and wakes nobody). */
  readonly isValid: (message: unknown) => boolean;
}

/**
 * Whether `m` is idle traffic of a quiesced group for a node in the state `v`. Any other
 * message is work (votes, appends, snapshots, transfers, reads) and wakes the node.
 */
function isIdleMessage(m: Message, v: QuiescedView): boolean {
  if (m.term !== v.term) return false;
  if (m.type === 'heartbeat') return v.role === 'follower' && m.from === v.leader && m.quiesce === true;
  if (m.type === 'heartbeat-response') return v.role === 'leader';
  if (m.type === 'append-entries-response') return v.role === 'leader' && m.success;
  return false;
}

/** Whether each event other than a message leaves a quiesced node asleep (see the module comment). */
const EVENT_KEEPS_QUIESCENCE: Readonly<Record<Exclude<Event['type'], 'message'>, boolean>> = {
  tick: true,
  persisted: true,
  advance: true,
  snapshot: true,
  wake: false,
  propose: false,
  read: false,
  campaign: false,
  'transfer-leadership': false,
  'change-membership': false,
  'restore-result': false,
};

/** Whether `event` leaves a quiesced node asleep (see the module comment). */
export function keepsQuiescence(event: Event, v: QuiescedView): boolean {
  if (event.type === 'message') {
    // A malformed message is dropped and counted: it must not keep a group awake.
    return !v.isValid(event.message) || isIdleMessage(event.message, v);
  }
  // A type unknown at run time wakes the node (the step then refuses it).
  return Object.hasOwn(EVENT_KEEPS_QUIESCENCE, event.type) ? EVENT_KEEPS_QUIESCENCE[event.type] : false;
}
