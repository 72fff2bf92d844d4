/**
 * Membership values: the codec for membership entries, the result of applying a requested
 * change, and the history of applied memberships (a snapshot needs the one at its index).
 *
 * A membership takes effect as soon as its entry is in a server's log, committed or not, and
 * is undone if that entry is truncated (dissertation §4.1). Safety of single-server changes
 * rests on two rules the leader enforces: one change at a time (a new change waits until the
 * previous one is committed) and commit-in-current-term (no change before the leader has
 * committed an entry of its own term). Several changes at once go through joint consensus:
 * `outgoingVoters` holds the old voters until the leader appends the final entry.
 */
import { InvalidArgumentError, InvariantError } from './errors.js';
import type { MembershipChange } from './events.js';
import { MAX_MEMBERS, MAX_MEMBERSHIP_BYTES } from './limits.js';
import { isVoter } from './quorum/joint.js';
import type { MemberInfo, Membership, NodeId } from './types.js';

export function membershipOf(voters: readonly NodeId[], learners: readonly NodeId[] = []): Membership {
  return { voters: [...voters], learners: [...learners], outgoingVoters: [] };
}

export function isJoint(membership: Membership): boolean {
  return membership.outgoingVoters.length > 0;
}

/** The longest member address and metadata accepted. */
export const MAX_MEMBER_ADDRESS = 256;
export const MAX_MEMBER_METADATA = 4096;

/**
 * Membership entries hold ASCII JSON `{v, l, o}` (voters, learners, outgoing voters) and,
 * when a member has any, `i: {id: {a, m}}` (address, metadata): readable in any log dump and
 * free of TextEncoder.
 */
export function encodeMembership(membership: Membership): Uint8Array {
  const raw: Record<string, unknown> = {
    v: membership.voters,
    l: membership.learners,
    o: membership.outgoingVoters,
  };
  const info = membership.info;
  if (info && Object.keys(info).length > 0) {
    const i: Record<string, { a?: string; m?: string }> = {};
    for (const [id, m] of Object.entries(info)) {
      i[id] = {
        ...(m.address !== undefined ? { a: m.address } : {}),
        ...(m.metadata !== undefined ? { m: m.metadata } : {}),
      };
    }
    raw.i = i;
  }
  const text = JSON.stringify(raw);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/**
 * Why an encoded membership (`encodeMembership`) cannot go into a log entry because of its
 * size, or null when it fits (`MAX_MEMBERSHIP_BYTES`). Checked before a change or a bootstrap
 * membership is accepted: every node would refuse to decode a larger entry.
 */
export function membershipSizeProblem(encoded: Uint8Array): string | null {
  if (encoded.length <= MAX_MEMBERSHIP_BYTES) return null;
  return `it encodes to ${encoded.length} bytes, more than MAX_MEMBERSHIP_BYTES (${MAX_MEMBERSHIP_BYTES}): shorten member addresses or metadata`;
}

/**
 * Decode a membership entry's bytes, or null when they are not a well-formed membership:
 * ASCII JSON `{v, l, o}` of unique positive safe integer ids, at least one voter, no learner
 * among the incoming voters, at most `MAX_MEMBERS` members. Bytes from the network or the disk
 * go through this before anything else sees them.
 */
export function parseMembership(bytes: Uint8Array): Membership | null {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0 || bytes.length > MAX_MEMBERSHIP_BYTES)
    return null;
  let text = '';
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c > 0x7e || c < 0x20) return null;
    text += String.fromCharCode(c);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const keys = Object.keys(raw);
  const withInfo = 'i' in raw;
  if (keys.length !== (withInfo ? 4 : 3) || !('v' in raw) || !('l' in raw) || !('o' in raw)) return null;
  const membership: Record<string, unknown> = { voters: raw.v, learners: raw.l, outgoingVoters: raw.o };
  if (withInfo) {
    const info = decodeInfo((raw as unknown as { i: unknown }).i);
    if (info === null) return null;
    membership.info = info;
  }
  return isValidMembership(membership) ? (membership as unknown as Membership) : null;
}

/** The `i` object of an entry as `Membership.info`, or null when malformed. */
function decodeInfo(raw: unknown): Record<NodeId, MemberInfo> | null {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const info: Record<NodeId, MemberInfo> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
    const v = value as Record<string, unknown>;
    for (const k of Object.keys(v)) if (k !== 'a' && k !== 'm') return null;
    // Only the canonical spelling of an id: "01" and "1" would name one member twice.
    if (String(Number(key)) !== key) return null;
    info[Number(key)] = {
      ...(v.a !== undefined ? { address: v.a as string } : {}),
      ...(v.m !== undefined ? { metadata: v.m as string } : {}),
    };
  }
  return info;
}

/** A printable-ASCII string of at most `max` characters. */
function isPrintable(value: unknown, max: number): value is string {
  if (typeof value !== 'string' || value.length > max) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/** Info about members of `m` only, with well-formed addresses and metadata. */
function isValidInfo(
  info: unknown,
  m: { voters: NodeId[]; learners: NodeId[]; outgoingVoters: NodeId[] },
): boolean {
  if (info === undefined) return true;
  if (info === null || typeof info !== 'object' || Array.isArray(info)) return false;
  for (const [key, value] of Object.entries(info)) {
    const id = Number(key);
    if (
      String(id) !== key ||
      !(m.voters.includes(id) || m.learners.includes(id) || m.outgoingVoters.includes(id))
    ) {
      return false;
    }
    if (value === null || typeof value !== 'object') return false;
    const { address, metadata } = value as MemberInfo;
    if (address !== undefined && !isPrintable(address, MAX_MEMBER_ADDRESS)) return false;
    if (metadata !== undefined && !isPrintable(metadata, MAX_MEMBER_METADATA)) return false;
  }
  return true;
}

/** Whether `m` is a well-formed membership (see `parseMembership` for the rules). */
export function isValidMembership(m: unknown): m is Membership {
  if (m === null || typeof m !== 'object') return false;
  const { voters, learners, outgoingVoters } = m as Record<string, unknown>;
  if (!isIdList(voters) || !isIdList(learners) || !isIdList(outgoingVoters)) return false;
  if (voters.length === 0) return false;
  if (voters.length + learners.length + outgoingVoters.length > MAX_MEMBERS) return false;
  for (const id of learners) if (voters.includes(id)) return false;
  return isValidInfo((m as Membership).info, { voters, learners, outgoingVoters });
}

/** A list of unique positive safe integers. */
function isIdList(v: unknown): v is NodeId[] {
  if (!Array.isArray(v) || v.length > MAX_MEMBERS) return false;
  const seen = new Set<number>();
  for (const id of v) {
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0 || seen.has(id)) return false;
    seen.add(id);
  }
  return true;
}

/**
 * Decode a membership entry that was validated when it entered the log. A malformed one here
 * means the log itself is damaged: an `InvariantError`, never a silent guess.
 */
export function decodeMembership(bytes: Uint8Array): Membership {
  const membership = parseMembership(bytes);
  if (membership === null) {
    throw new InvariantError('valid-membership-entry', 'a membership entry in the log does not decode');
  }
  return membership;
}

/**
 * The membership after `changes` on top of `current` (which must not be joint). One change
 * yields a simple membership; several yield a joint one whose outgoing half is `current`'s
 * voters.
 */
export function applyChanges(current: Membership, changes: readonly MembershipChange[]): Membership {
  if (changes.length === 0) throw new InvalidArgumentError('change-membership needs at least one change');
  const voters = new Set(current.voters);
  const learners = new Set(current.learners);
  const info = new Map<NodeId, MemberInfo>(
    Object.entries(current.info ?? {}).map(([k, v]) => [Number(k), v]),
  );
  const given = (change: MemberInfo & { id: NodeId }) => {
    const { address, metadata } = change;
    if (address !== undefined && !isPrintable(address, MAX_MEMBER_ADDRESS)) {
      throw new InvalidArgumentError(
        `membership change: the address of node ${change.id} must be printable ASCII, at most ${MAX_MEMBER_ADDRESS} characters`,
      );
    }
    if (metadata !== undefined && !isPrintable(metadata, MAX_MEMBER_METADATA)) {
      throw new InvalidArgumentError(
        `membership change: the metadata of node ${change.id} must be printable ASCII, at most ${MAX_MEMBER_METADATA} characters`,
      );
    }
    if (address === undefined && metadata === undefined) return;
    const old = info.get(change.id) ?? {};
    info.set(change.id, {
      ...((address ?? old.address) !== undefined ? { address: (address ?? old.address)! } : {}),
      ...((metadata ?? old.metadata) !== undefined ? { metadata: (metadata ?? old.metadata)! } : {}),
    });
  };
  for (const change of changes) {
    const id = change.id;
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) {
      throw new InvalidArgumentError(`membership change: ${String(id)} is not a valid node id`);
    }
    switch (change.type) {
      case 'add-voter':
        learners.delete(id);
        voters.add(id);
        given(change);
        break;
      case 'add-learner':
        voters.delete(id);
        learners.add(id);
        given(change);
        break;
      case 'remove':
        voters.delete(id);
        learners.delete(id);
        break;
      default:
        throw new InvalidArgumentError(
          `membership change: unknown type ${String((change as { type: unknown }).type)}`,
        );
    }
  }
  if (voters.size === 0) throw new InvalidArgumentError('membership change would leave no voters');
  const next = [...voters].sort((a, b) => a - b);
  const changedVoters = symmetricDifference(current.voters, next);
  // More than one voter changing at once is only safe through a joint configuration.
  const outgoingVoters = changes.length > 1 && changedVoters > 0 ? [...current.voters] : [];
  return withInfo({ voters: next, learners: [...learners].sort((a, b) => a - b), outgoingVoters }, info);
}

/** `m` with the info of its members among `info` (none: no `info` field). */
function withInfo(
  m: { voters: readonly NodeId[]; learners: readonly NodeId[]; outgoingVoters: readonly NodeId[] },
  info: ReadonlyMap<NodeId, MemberInfo>,
): Membership {
  const kept: Record<NodeId, MemberInfo> = {};
  let any = false;
  for (const id of [...info.keys()].sort((a, b) => a - b)) {
    if (m.voters.includes(id) || m.learners.includes(id) || m.outgoingVoters.includes(id)) {
      kept[id] = info.get(id)!;
      any = true;
    }
  }
  return any
    ? { ...m, info: kept }
    : { voters: m.voters, learners: m.learners, outgoingVoters: m.outgoingVoters };
}

/** The final membership that leaves a joint one (the outgoing voters' info goes with them). */
export function leaveJoint(membership: Membership): Membership {
  const info = new Map(Object.entries(membership.info ?? {}).map(([k, v]) => [Number(k), v] as const));
  return withInfo({ voters: membership.voters, learners: membership.learners, outgoingVoters: [] }, info);
}

function symmetricDifference(a: readonly NodeId[], b: readonly NodeId[]): number {
  const sa = new Set(a);
  const sb = new Set(b);
  let n = 0;
  for (const x of sa) if (!sb.has(x)) n++;
  for (const x of sb) if (!sa.has(x)) n++;
  return n;
}

/**
 * The memberships in the log by index: the base (snapshot or bootstrap) and every membership
 * entry after it, so the one in force (the newest) and the one at a snapshot's index are known.
 */
export class MembershipHistory {
  private changes: { index: number; membership: Membership }[];

  constructor(index: number, membership: Membership) {
    this.changes = [{ index, membership }];
  }

  record(index: number, membership: Membership): void {
    this.changes.push({ index, membership });
  }

  /** The membership in force at `index` (the last one applied at or before it). */
  at(index: number): Membership {
    let found = this.changes[0]!.membership;
    for (const c of this.changes) {
      if (c.index > index) break;
      found = c.membership;
    }
    return found;
  }

  /** The newest membership in the log. */
  latest(): Membership {
    return this.changes[this.changes.length - 1]!.membership;
  }

  /** The index of the newest membership entry (or of the base it started from). */
  latestIndex(): number {
    return this.changes[this.changes.length - 1]!.index;
  }

  /** Forget entries at or after `index` (a truncated log suffix); returns whether any went. */
  truncateFrom(index: number): boolean {
    const before = this.changes.length;
    // The first record is the base (snapshot or bootstrap membership): never truncated.
    while (this.changes.length > 1 && this.changes[this.changes.length - 1]!.index >= index)
      this.changes.pop();
    return this.changes.length !== before;
  }

  /** Forget changes before `index` (kept: the one in force at it). */
  prune(index: number): void {
    const keep = this.at(index);
    this.changes = [{ index, membership: keep }, ...this.changes.filter((c) => c.index > index)];
  }

  /**
   * Whether a committed membership removed `id`: some membership at or before `commit`
   * listed it and the one in force at `commit` does not. (A node that was never listed, such
   * as one waiting to join, is not removed.)
   */
  removedBy(id: NodeId, commit: number): boolean {
    if (isMember(this.at(commit), id)) return false;
    return this.changes.some((c) => c.index <= commit && isMember(c.membership, id));
  }

  /** Whether any membership held (the base or an entry after it) lists `id`. */
  everListed(id: NodeId): boolean {
    return this.changes.some((c) => isMember(c.membership, id));
  }

  reset(index: number, membership: Membership): void {
    this.changes = [{ index, membership }];
  }
}

// -----------------------------------------------------------------------------------------
// Membership policy: the rules a leader checks before it changes the membership, and what a
// node does by itself when a change is committed. Pure functions of the facts they name.

/** The facts that decide whether a leader may start a membership change now. */
export interface ChangeContext {
  /** The membership in force (the newest in the log). */
  readonly membership: Membership;
  /** Index of the newest membership entry (or of the snapshot/bootstrap it came from). */
  readonly latestIndex: number;
  readonly commit: number;
  readonly term: number;
  /** `log.term(commit) === term`: an entry of the leader's own term is committed. */
  readonly committedEntryInCurrentTerm: boolean;
}

/**
 * Why a leader may not start a membership change now, or null when it may:
 * - one change at a time: the newest membership entry must be committed, and a joint
 *   membership is left (by the leader, by itself) before the next change;
 * - commit in the current term (Ongaro's 2015 fix to the single-server change bug): another
 *   server may hold an uncommitted membership entry of an earlier term, so the leader first
 *   commits an entry of its own term, which supersedes it. An empty or clean log on the
 *   leader is no exemption. Term 1 is: no earlier term exists, so no such entry either.
 */
export function membershipChangeBlocker(ctx: ChangeContext): string | null {
  if (isJoint(ctx.membership)) return 'the membership is joint; the leader leaves it first';
  if (ctx.latestIndex > ctx.commit) return 'the previous membership change is not committed yet';
  if (ctx.term > 1 && !ctx.committedEntryInCurrentTerm) {
    return 'the leader has not committed an entry of its term yet; retry';
  }
  return null;
}

/** A leader leaves a joint membership by itself once the joint entry is committed (§4.3). */
export function shouldLeaveJoint(membership: Membership, latestIndex: number, commit: number): boolean {
  return isJoint(membership) && latestIndex <= commit;
}

/** A leader whose newest membership, committed, leaves it out hands leadership over (§4.2.2). */
export function shouldHandOver(
  membership: Membership,
  self: NodeId,
  latestIndex: number,
  commit: number,
): boolean {
  return !isVoter(membership, self) && latestIndex <= commit;
}

/**
 * May `self` campaign? A voter of the newest membership may; so may a voter of the committed
 * membership that an uncommitted newer one removes, or nobody might be left to finish the
 * change (the new voters may lack the entry that makes them the majority).
 */
export function mayCampaign(history: MembershipHistory, self: NodeId, commit: number): boolean {
  if (isVoter(history.latest(), self)) return true;
  // With no change pending, the committed membership is the newest one, checked above.
  return isVoter(history.at(commit), self);
}

/** Whether `id` is a voter or learner of `membership`. */
export function isMember(membership: Membership, id: NodeId): boolean {
  return isVoter(membership, id) || membership.learners.includes(id);
}
