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
import { InvalidArgumentError } from './errors.js';
import type { MembershipChange } from './events.js';
import type { Membership, NodeId } from './types.js';

export function membershipOf(voters: readonly NodeId[], learners: readonly NodeId[] = []): Membership {
  return { voters: [...voters], learners: [...learners], outgoingVoters: [] };
}

export function isJoint(membership: Membership): boolean {
  return membership.outgoingVoters.length > 0;
}

/** Membership entries hold ASCII JSON, readable in any log dump and free of TextEncoder. */
export function encodeMembership(membership: Membership): Uint8Array {
  const text = JSON.stringify({ v: membership.voters, l: membership.learners, o: membership.outgoingVoters });
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

export function decodeMembership(bytes: Uint8Array): Membership {
  let text = '';
  for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]!);
  const raw = JSON.parse(text) as { v: NodeId[]; l: NodeId[]; o: NodeId[] };
  return { voters: raw.v, learners: raw.l, outgoingVoters: raw.o };
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
  for (const change of changes) {
    const id = change.id;
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) {
      throw new InvalidArgumentError(`membership change: ${String(id)} is not a valid node id`);
    }
    switch (change.type) {
      case 'add-voter':
        learners.delete(id);
        voters.add(id);
        break;
      case 'add-learner':
        voters.delete(id);
        learners.add(id);
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
  return {
    voters: next,
    learners: [...learners].sort((a, b) => a - b),
    // More than one voter changing at once is only safe through a joint configuration.
    outgoingVoters: changes.length > 1 && changedVoters > 0 ? [...current.voters] : [],
  };
}

/** The final membership that leaves a joint one. */
export function leaveJoint(membership: Membership): Membership {
  return { voters: membership.voters, learners: membership.learners, outgoingVoters: [] };
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

  reset(index: number, membership: Membership): void {
    this.changes = [{ index, membership }];
  }
}
