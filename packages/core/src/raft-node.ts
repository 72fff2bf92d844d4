/**
 * `RaftNode`: the whole Raft protocol as a deterministic state machine. `step(event)` is
 * the only way in and returns the actions a driver carries out, in order. Role handlers sit
 * behind that one function, as in etcd's raft.go. The node never reads a clock, draws a
 * random number or touches I/O: ticks are time, a seeded PRNG draws the election timeout,
 * and the `RaftLog` is written once per step before the step returns.
 *
 * A step is all-or-nothing. Misuse (a malformed event, the wrong role) throws a `RaftError`
 * before anything changes. A malformed message is dropped and counted. Anything else that
 * throws mid-step (a storage failure, a broken invariant) is fatal: the step's pending writes
 * and actions are discarded and every later step throws the same error.
 */
import type { Action } from './actions.js';
import { type RaftConfig, type ResolvedRaftConfig, resolveConfig } from './config.js';
import { crc32c } from './crc32c.js';
import {
  assertNever,
  InvalidArgumentError,
  InvalidConfigError,
  InvariantError,
  LeadershipLostError,
  MembershipChangePendingError,
  NotLeaderError,
  RaftError,
  StorageError,
  TermExhaustedError,
  TransferInProgressError,
  UncommittedLimitError,
} from './errors.js';
import type { Event, MembershipChange, SnapshotEvent } from './events.js';
import { LeaderState } from './leader-state.js';
import { MAX_TERM } from './limits.js';
import { LocalDurability, promisesDurableState } from './local-durability.js';
import { LogView } from './log-view.js';
import {
  applyChanges,
  decodeMembership,
  encodeMembership,
  isMember,
  isValidMembership,
  leaveJoint,
  MembershipHistory,
  mayCampaign,
  membershipChangeBlocker,
  membershipOf,
  membershipSizeProblem,
  shouldHandOver,
  shouldLeaveJoint,
} from './membership.js';
import { MemoryLog } from './memory-log.js';
import { isValidMessage } from './message-validation.js';
import type {
  AppendEntriesMessage,
  AppendEntriesResponseMessage,
  HeartbeatMessage,
  HeartbeatResponseMessage,
  InstallSnapshotMessage,
  InstallSnapshotResponseMessage,
  Message,
  ReadIndexMessage,
  ReadIndexResponseMessage,
  RequestVoteMessage,
  RequestVoteResponseMessage,
} from './messages.js';
import { Prng } from './prng.js';
import { keepsQuiescence, leaderMayQuiesce } from './quiescence.js';
import {
  allMembers,
  allVoters,
  isVoter,
  jointActive,
  jointCommitted,
  jointVoteResult,
} from './quorum/joint.js';
import type { RaftLog } from './raft-log.js';
import { leaseTicks, NodeReads, type PendingRead, readDecision } from './read-only.js';
import { SnapshotReceiver } from './snapshot-receiver.js';
import type { Progress } from './tracker/progress.js';
import type { Entry, HardState, Membership, NodeId, Role, Snapshot, SnapshotMetadata } from './types.js';

/** One follower's replication as the leader sees it. */
export interface ProgressStatus {
  readonly match: number;
  readonly next: number;
  readonly state: 'probe' | 'replicate' | 'snapshot';
  /** Appends sent and not yet acknowledged. */
  readonly inflight: number;
  /** Ticks since this follower last answered anything. */
  readonly silentTicks: number;
  /** The member was removed and is kept until it holds its removal. */
  readonly leaving: boolean;
  /** In snapshot state: the snapshot's index and the next byte the follower wants. */
  readonly snapshot?: { readonly index: number; readonly offset: number; readonly bytes: number };
}

/** A point-in-time view of a node, for status pages and tests. */
export interface RaftStatus {
  readonly id: NodeId;
  readonly role: Role;
  readonly term: number;
  readonly vote: NodeId | null;
  readonly leader: NodeId | null;
  readonly commitIndex: number;
  readonly appliedIndex: number;
  readonly firstIndex: number;
  readonly lastIndex: number;
  readonly membership: Membership;
  /** On the leader: each follower's replication progress. */
  readonly progress?: Readonly<Record<NodeId, ProgressStatus>>;
  readonly leadTransferee: NodeId | null;
  /** A committed membership removed this node (it no longer campaigns). */
  readonly removed: boolean;
  /** Messages dropped because they were malformed, since this node started. */
  readonly malformedMessages: number;
  /** Vote requests refused because a committed membership removed their sender, or none listed it. */
  readonly ignoredFromNonVoters: number;
  /** The term is at `MAX_TERM`: this node cannot campaign. */
  readonly termExhausted: boolean;
  /** The node is quiesced (`quiesce` option): it ignores ticks until an event wakes it. */
  readonly quiesced: boolean;
}

/** The `RaftError` classes thrown for misuse: they are raised before a step changes anything. */
const API_ERRORS = [
  InvalidArgumentError,
  NotLeaderError,
  MembershipChangePendingError,
  TransferInProgressError,
  UncommittedLimitError,
  TermExhaustedError,
];

function isApiError(err: unknown): boolean {
  return API_ERRORS.some((c) => err instanceof c);
}

/**
 * The membership entries after `index`: from the log's own index when it has one, else by
 * paging through every entry.
 */
function membershipEntriesAfter(log: RaftLog, index: number, pageBytes: number): Entry[] {
  const lo = Math.max(index + 1, log.firstIndex());
  const hi = log.lastIndex() + 1;
  if (log.membershipEntries) return log.membershipEntries(lo, hi);
  const found: Entry[] = [];
  for (let i = lo; i < hi; ) {
    const page = log.entries(i, hi, pageBytes);
    for (const e of page) if (e.type === 'membership') found.push(e);
    i += page.length;
  }
  return found;
}

/** Ticks a snapshot chunk may go unanswered before the leader sends it again. */
const SNAPSHOT_RESEND_TICKS = 3;

const EMPTY = new Uint8Array(0);

export class RaftNode {
  readonly id: NodeId;
  /** The node's configuration with defaults filled in (not the cluster membership). */
  private readonly settings: ResolvedRaftConfig;
  private readonly log: LogView;
  private readonly prng: Prng;

  // Persistent state (mirrored to the RaftLog's hard state).
  private currentTerm: number;
  private votedFor: NodeId | null;
  private commit: number;
  private saved: HardState;

  // Volatile state. Invariant: applied <= commit <= log.lastIndex().
  private applied: number;
  private currentRole: Role = 'follower';
  private leaderId: NodeId | null = null;
  /** Ticks since the last election-timer reset (on a leader: since the last check-quorum). */
  private electionElapsed = 0;
  private randomizedElectionTimeout = 0;
  /** Votes of the current (pre-)election: the first answer of each voter stands. */
  private readonly votes = new Map<NodeId, boolean>();
  /**
   * With `leaseRead`, a restarted node may have acknowledged a leader's heartbeat just before
   * it crashed; it behaves as if it had just heard from a leader (no vote for anyone else)
   * until one election timeout has passed.
   */
  private restartVoteGuard: boolean;

  /** The membership in force: the newest in the log (§4.1). */
  private membershipInForce: Membership;
  /** Every membership after the snapshot, for truncation and for a snapshot's membership. */
  private readonly history: MembershipHistory;
  /** A committed membership left this node out. */
  private removed = false;

  /** Present exactly while this node is the leader. */
  private leaderState: LeaderState | null = null;
  private readonly reads = new NodeReads();
  private readonly receiver: SnapshotReceiver;
  /** A snapshot the driver must restore before the next apply (restart). */
  private pendingRestore: Snapshot | null = null;
  /**
   * With `confirmRestore`: a snapshot from the leader that the driver is restoring. The log
   * is unchanged and nothing is applied until its `restore-result` arrives.
   */
  private installing: { readonly snapshot: Snapshot; readonly from: NodeId } | null = null;

  /** With `asyncStorageWrites`: write numbers, the durable index, withheld messages (D21). */
  private readonly durability: LocalDurability | null;
  /** Messages of this step that wait for its writes to be durable (tagged when it ends). */
  private heldThisStep: Message[] = [];
  /**
   * With `asyncStorageWrites`: a candidate's own vote, counted once the write that records it
   * (write `seq`; -1 until the step that cast it ends) is durable.
   */
  private selfVote: { readonly term: number; seq: number } | null = null;

  /**
   * Quiesced (`quiesce`, D29): ticks are ignored until an event that is not idle traffic
   * (`keepsQuiescence`) wakes the node. Volatile: a restarted node starts awake.
   */
  private quiescent = false;
  /** Bytes handed out as applies since the last `advance` (`applyBudgetUntilAdvance`). */
  private applyBudgetUsed = 0;

  private malformedMessages = 0;
  private ignoredFromNonVoters = 0;
  private termExhausted: boolean;
  /** The fatal error that stopped this node, if any. */
  private failure: RaftError | null = null;
  private out: Action[] = [];

  constructor(config: RaftConfig, log: RaftLog = new MemoryLog()) {
    this.settings = resolveConfig(config);
    this.id = this.settings.id;
    this.prng = new Prng(this.settings.seed);
    this.log = new LogView(log);
    this.durability = this.settings.asyncStorageWrites ? new LocalDurability() : null;
    this.receiver = new SnapshotReceiver(
      this.settings.maxSnapshotBytes,
      2 * this.settings.electionTick,
      this.settings.snapshotStreaming,
    );

    const hs = log.hardState();
    this.currentTerm = hs.term;
    this.votedFor = hs.vote;
    this.saved = hs;
    const snapshot = log.snapshotMetadata();
    this.applied = snapshot?.index ?? 0;
    this.commit = Math.min(Math.max(hs.commit, this.applied), this.log.lastIndex());
    this.history = new MembershipHistory(this.applied, snapshot?.membership ?? this.bootstrapMembership());
    if (snapshot) this.pendingRestore = this.storedSnapshot(snapshot);
    // Every membership entry in the log after the snapshot is in force again at once.
    for (const e of membershipEntriesAfter(log, this.applied, this.settings.maxSizePerMsg)) {
      this.history.record(e.index, decodeMembership(e.data));
    }
    this.membershipInForce = this.history.latest();
    this.removed = this.history.removedBy(this.id, this.commit);
    // A stored snapshot implies both (it was taken in a term, and the log holds its index).
    const restarted = hs.term > 0 || this.log.lastIndex() > 0;
    this.restartVoteGuard = this.settings.leaseRead && restarted;
    this.termExhausted = this.currentTerm >= MAX_TERM;
    this.resetElectionTimeout();
  }

  /**
   * The log's snapshot as the driver restores it: with `snapshotStreaming` its metadata alone
   * (the bytes are the driver's file), otherwise with its data. A log whose snapshot was
   * stored in the other mode is refused: its bytes are not where this driver looks.
   */
  private storedSnapshot(metadata: SnapshotMetadata): Snapshot {
    const streamed = metadata.bytes !== undefined;
    if (streamed !== this.settings.snapshotStreaming) {
      throw new InvalidConfigError(
        'snapshotStreaming',
        streamed
          ? `the log's snapshot at index ${metadata.index} is a streamed one (its bytes are in the driver's file)`
          : `the log's snapshot at index ${metadata.index} holds its bytes, not a streamed one's size and checksum`,
      );
    }
    if (!streamed) return this.log.snapshot()!;
    if (!isStreamedMetadata(metadata)) {
      throw new StorageError(
        `the log's streamed snapshot at index ${metadata.index} lacks a valid size or checksum`,
      );
    }
    return { metadata, data: EMPTY_BYTES };
  }

  /** The membership of a new cluster, from the config; its info must be about its members. */
  private bootstrapMembership(): Membership {
    const base = membershipOf(this.settings.voters, this.settings.learners);
    const info = this.settings.memberInfo;
    if (info === undefined) return base;
    const withInfo = { ...base, info };
    if (this.settings.voters.length > 0 && !isValidMembership(withInfo)) {
      throw new InvalidConfigError(
        'memberInfo',
        'must describe members of the cluster only, in printable ASCII',
      );
    }
    const tooLarge = membershipSizeProblem(encodeMembership(withInfo));
    if (tooLarge !== null) throw new InvalidConfigError('memberInfo', `is too large: ${tooLarge}`);
    return withInfo;
  }

  // ---------------------------------------------------------------------------------------
  // Public surface

  /**
   * Feed one event; returns the actions to carry out, in order. Misuse (proposing on a
   * follower, a malformed event) throws a `RaftError` before any state changes. A malformed
   * or stale message is ignored or answered, never thrown. A fatal error (storage, a broken
   * invariant) discards the step and stops the node: every later step throws it again.
   */
  step(event: Event): Action[] {
    if (this.failure) throw this.failure;
    const before = { role: this.currentRole, term: this.currentTerm, leader: this.leaderId };
    this.out = [];
    try {
      // Quiescence (D29): an event that is not idle traffic wakes a quiesced node; so does a
      // step after which a quiesced leader's group has work again.
      const wasQuiescent = this.quiescent;
      const keepsAsleep = wasQuiescent && this.keepsQuiescence(event);
      this.dispatch(event);
      if (wasQuiescent && this.quiescent && (!keepsAsleep || !this.stillQuiescent())) this.unquiesce();
      this.finishStep(before);
    } catch (err) {
      this.out = [];
      this.heldThisStep = [];
      if (this.selfVote?.seq === -1) this.selfVote = null;
      this.log.discard();
      // Misuse is detected before the step changes anything: the node is as before.
      if (isApiError(err)) throw err;
      this.failure =
        err instanceof RaftError && (err.code === 'STORAGE' || err.code === 'INVARIANT')
          ? err
          : new InvariantError('step-completes', `step threw ${String(err)}`, { cause: err });
      throw this.failure;
    }
    const out = this.out;
    this.out = [];
    return out;
  }

  isLeader(): boolean {
    return this.currentRole === 'leader';
  }

  /** The leader this node knows of in its current term, or null. */
  leader(): NodeId | null {
    return this.leaderId;
  }

  term(): number {
    return this.currentTerm;
  }

  role(): Role {
    return this.currentRole;
  }

  commitIndex(): number {
    return this.commit;
  }

  appliedIndex(): number {
    return this.applied;
  }

  lastIndex(): number {
    return this.log.lastIndex();
  }

  /**
   * The number of the newest write handed to the `RaftLog` (the n-th `write` since this node
   * was constructed is n). With `asyncStorageWrites`, report it in a `persisted` event once
   * that write (and so every earlier one) is durable.
   */
  writeSeq(): number {
    return this.durability?.writeSeq ?? 0;
  }

  /**
   * The last log index whose entry, and every one before it, is durable: with
   * `asyncStorageWrites`, as reported by `persisted`; otherwise the last index. Nothing beyond
   * it is applied, and a leader counts its own log only up to it.
   */
  durableIndex(): number {
    const d = this.durability;
    const last = this.log.lastIndex();
    return d === null ? last : d.durableIndex(last, this.log.unflushedFrom());
  }

  /** The highest index that may be applied now: the commit index, at most the durable index. */
  private applyLimit(): number {
    // Without asynchronous writes the durable index is the last index, never below the commit.
    return Math.min(this.commit, this.durableIndex());
  }

  membership(): Membership {
    return this.membershipInForce;
  }

  /**
   * Whether the node is quiesced (`quiesce` option): it ignores ticks, so a driver may stop
   * ticking it until it steps any other event.
   */
  quiesced(): boolean {
    return this.quiescent;
  }

  /**
   * On a leader, the snapshot pinned for the transfers in progress (D16), or null. With
   * `snapshotStreaming` the driver keeps this snapshot's file as well as the log's: the node
   * may ask for chunks of either.
   */
  pinnedSnapshot(): SnapshotMetadata | null {
    return this.leaderState?.snapshotInFlight?.metadata ?? null;
  }

  status(): RaftStatus {
    let progress: Record<NodeId, ProgressStatus> | undefined;
    const ls = this.leaderState;
    if (ls) {
      progress = {};
      for (const [id, pr] of ls.progress) {
        progress[id] = {
          match: pr.match,
          next: pr.next,
          state: pr.state,
          inflight: pr.inflights.count,
          silentTicks: pr.silentTicks,
          leaving: pr.leaving !== null,
          ...(pr.snapshot
            ? {
                snapshot: {
                  index: pr.snapshotIndex,
                  offset: pr.snapshotOffset,
                  bytes: snapshotSize(pr.snapshot),
                },
              }
            : {}),
        };
      }
    }
    return {
      id: this.id,
      role: this.currentRole,
      term: this.currentTerm,
      vote: this.votedFor,
      leader: this.leaderId,
      commitIndex: this.commit,
      appliedIndex: this.applied,
      firstIndex: this.log.firstIndex(),
      lastIndex: this.log.lastIndex(),
      membership: this.membershipInForce,
      ...(progress ? { progress } : {}),
      leadTransferee: ls?.transfer?.target ?? null,
      removed: this.removed,
      malformedMessages: this.malformedMessages,
      ignoredFromNonVoters: this.ignoredFromNonVoters,
      termExhausted: this.termExhausted,
      quiesced: this.quiescent,
    };
  }

  // ---------------------------------------------------------------------------------------
  // Step plumbing

  private dispatch(event: Event): void {
    if (event === null || typeof event !== 'object')
      throw new InvalidArgumentError('event must be an object');
    switch (event.type) {
      case 'tick':
        // A quiesced node takes no part in time (D29).
        if (!this.quiescent) this.tick();
        return;
      case 'wake':
        this.wake(event.leaderUnreachable);
        return;
      case 'advance':
        // Only the end of the step matters: it hands out the next committed entries (with
        // `applyBudgetUntilAdvance`, a whole new budget of them).
        this.applyBudgetUsed = 0;
        return;
      case 'message':
        if (isValidMessage(event.message, this.id)) this.handleMessage(event.message);
        else this.malformedMessages++;
        return;
      case 'propose':
        this.propose(event.commands ?? (event.command === undefined ? undefined : [event.command]));
        return;
      case 'read':
        this.read(event.id);
        return;
      case 'campaign':
        this.campaignRequested();
        return;
      case 'transfer-leadership':
        this.transferLeadership(event.to);
        return;
      case 'change-membership':
        this.changeMembership(event.changes);
        return;
      case 'snapshot':
        this.takeSnapshot(event);
        return;
      case 'restore-result':
        this.restoreResult(event.index, event.ok);
        return;
      case 'persisted':
        this.persisted(event.seq);
        return;
      default: {
        // Unknown at run time (a caller's bug); a type missing above is a compile error.
        const unknown: never = event;
        throw new InvalidArgumentError(`unknown event type ${String((unknown as { type: unknown }).type)}`);
      }
    }
  }

  private send(message: Message): void {
    if (this.durability !== null && promisesDurableState(message)) this.heldThisStep.push(message);
    else this.out.push({ type: 'send', to: message.to, message });
  }

  /**
   * `persisted`: writes up to `seq` are durable. Withheld messages leave, a candidate counts
   * its own vote, a leader counts its durable log towards a commit; `finishStep` then applies
   * what the durable index allows.
   */
  private persisted(seq: number): void {
    const d = this.durability;
    if (d === null) throw new InvalidArgumentError('persisted needs the asyncStorageWrites option');
    if (!Number.isSafeInteger(seq) || seq < 0 || seq > d.writeSeq) {
      throw new InvalidArgumentError(
        `persisted seq ${String(seq)} is not a write of this node (last ${d.writeSeq})`,
      );
    }
    for (const message of d.persisted(seq)) this.out.push({ type: 'send', to: message.to, message });
    const vote = this.selfVote;
    if (vote !== null && vote.seq <= d.durableSeq) {
      this.selfVote = null;
      if (this.currentRole === 'candidate' && this.currentTerm === vote.term && !this.votes.has(this.id)) {
        this.votes.set(this.id, true);
        this.tallyVotes(false);
      }
    }
    // Followers learn a new commit index now rather than at the next heartbeat.
    if (this.leaderState !== null && this.maybeCommit()) this.broadcastAppend(true);
  }

  /** Apply what is committed, release reads, write the log once, report state changes. */
  private finishStep(before: { role: Role; term: number; leader: NodeId | null }): void {
    // Restart from a snapshot: restored in the first step that completes, before any apply.
    if (this.pendingRestore) {
      this.out.push({ type: 'restore', snapshot: this.pendingRestore });
      this.pendingRestore = null;
    }
    const budget = this.settings.maxApplyBytesPerStep || Number.POSITIVE_INFINITY;
    const spanning = this.settings.applyBudgetUntilAdvance;
    let applied = spanning ? this.applyBudgetUsed : 0;
    // While the driver restores a snapshot, its state machine is in flux: nothing is applied.
    if (this.installing === null) {
      do {
        while (this.applied < this.applyLimit() && applied < budget) applied += this.applyCommitted();
      } while (this.maybeLeaveJoint());
    }
    // Spanning steps, the budget is spent until `advance`, or renewed once nothing waits.
    if (spanning) this.applyBudgetUsed = this.applied < this.applyLimit() ? applied : 0;
    this.maybeHandOver();
    for (const read of this.reads.releaseApplied(this.installing === null ? this.applied : -1)) {
      this.out.push({ type: 'read-ready', id: read.id, index: read.index });
    }
    // Reads registered in this step share one heartbeat round.
    if (this.leaderState?.reads.needsRound()) this.broadcastHeartbeat();
    const hs = { term: this.currentTerm, vote: this.votedFor, commit: this.commit };
    const changed =
      hs.term !== this.saved.term || hs.vote !== this.saved.vote || hs.commit !== this.saved.commit;
    const from = this.log.flush(changed ? hs : undefined);
    if (changed) this.saved = hs;
    const d = this.durability;
    if (d !== null) {
      if (from !== undefined) d.wrote(from);
      if (this.selfVote?.seq === -1) this.selfVote.seq = d.writeSeq;
      // What this step promised leaves once its writes (and all before them) are durable.
      for (const message of this.heldThisStep) {
        if (d.allDurable()) this.out.push({ type: 'send', to: message.to, message });
        else d.withhold(message);
      }
      this.heldThisStep = [];
    }
    if (
      before.role !== this.currentRole ||
      before.term !== this.currentTerm ||
      before.leader !== this.leaderId
    ) {
      this.out.push({
        type: 'state-changed',
        role: this.currentRole,
        term: this.currentTerm,
        leader: this.leaderId,
      });
    }
  }

  private resetElectionTimeout(): void {
    this.electionElapsed = 0;
    this.randomizedElectionTimeout = this.prng.intBetween(
      this.settings.electionTick,
      2 * this.settings.electionTick,
    );
  }

  // ---------------------------------------------------------------------------------------
  // Quiescence (D29; the rules are in quiescence.ts)

  private keepsQuiescence(event: Event): boolean {
    return keepsQuiescence(event, {
      id: this.id,
      role: this.currentRole,
      term: this.currentTerm,
      leader: this.leaderId,
      isValid: (m) => isValidMessage(m, this.id),
    });
  }

  /** After an idle step: a quiesced leader's group still has nothing to do; a follower still follows. */
  private stillQuiescent(): boolean {
    const ls = this.leaderState;
    if (ls !== null) return leaderMayQuiesce(this.idleView(ls));
    // Only a follower of a leader sleeps, and an idle event (its leader's quiescing heartbeat,
    // the clock, the disk) changes neither its role nor its leader.
    return true;
  }

  private idleView(ls: LeaderState) {
    return {
      commit: this.commit,
      lastIndex: this.log.lastIndex(),
      applied: this.applied,
      durableIndex: this.durableIndex(),
      membershipSettled:
        this.history.latestIndex() <= this.commit && this.membershipInForce.outgoingVoters.length === 0,
      transferring: ls.transfer !== null,
      handingOver: ls.handingOver,
      pendingReads: ls.reads.size() + this.reads.size(),
      withheldMessages: (this.durability?.withheldCount ?? 0) + this.heldThisStep.length,
      electionTick: this.settings.electionTick,
      followers: ls.progress.values(),
    };
  }

  /**
   * On a leader's tick: count the ticks its group has had nothing to do; after
   * `quiesceAfterTicks` of them, quiesce. Returns whether it did.
   */
  private maybeQuiesce(ls: LeaderState): boolean {
    if (!leaderMayQuiesce(this.idleView(ls))) {
      ls.idleTicks = 0;
      return false;
    }
    if (++ls.idleTicks < this.settings.quiesceAfterTicks) return false;
    this.quiescent = true;
    ls.idleTicks = 0;
    ls.heartbeatElapsed = 0;
    // The lease clock stops now, while woken followers may vote at once: no lease this term.
    ls.leaseForfeited = true;
    this.electionElapsed = 0;
    for (const [id, pr] of ls.progress) {
      // Answers from before the sleep must not count in the first check-quorum after it.
      pr.recentActive = false;
      this.send({
        type: 'heartbeat',
        from: this.id,
        to: id,
        term: this.currentTerm,
        commit: Math.min(pr.match, this.commit),
        context: 0,
        quiesce: true,
      });
    }
    return true;
  }

  private unquiesce(): void {
    // Idle ticks were zeroed when the group went to sleep, and a quiesced node does not tick.
    this.quiescent = false;
  }

  /** The `wake` event: a quiesced node takes part in time again (a no-op on one that is awake). */
  private wake(leaderUnreachable: boolean | undefined): void {
    if (leaderUnreachable !== undefined && typeof leaderUnreachable !== 'boolean') {
      throw new InvalidArgumentError('wake: leaderUnreachable must be a boolean');
    }
    if (!this.quiescent) return;
    this.unquiesce();
    if (leaderUnreachable === true && this.currentRole === 'follower') {
      // The driver's host-level liveness already waited out the leader: forget it, and
      // campaign within one election timeout rather than wait out a whole one more.
      this.becomeFollower(this.currentTerm, null);
      this.electionElapsed = this.settings.electionTick;
    }
  }

  /** `log.term(commit) === term`: an entry of this term is committed (etcd's name). */
  private committedEntryInCurrentTerm(): boolean {
    return this.log.termOrUndefined(this.commit) === this.currentTerm;
  }

  /**
   * Leader stickiness (§4.2.3, with check-quorum): a node that heard from a leader less than
   * an election timeout ago (or restarted less than one ago with lease reads on) votes for
   * nobody else. A leader is always in its own lease.
   */
  private inLeaderLease(): boolean {
    if (!this.settings.checkQuorum) return false;
    if (this.currentRole === 'leader') return true;
    const heard = this.leaderId !== null || this.restartVoteGuard;
    return heard && this.electionElapsed < this.settings.electionTick;
  }

  // ---------------------------------------------------------------------------------------
  // Roles

  private becomeFollower(term: number, leader: NodeId | null): void {
    if (term > this.currentTerm) {
      this.currentTerm = term;
      this.votedFor = null;
    }
    if (leader !== this.leaderId) {
      this.failForwardedReads();
      this.receiver.reset();
    }
    this.currentRole = 'follower';
    this.leaderId = leader;
    this.resetElectionTimeout();
    this.votes.clear();
    this.selfVote = null;
    if (this.leaderState) this.stepDown(this.leaderState);
  }

  /** Leader-only state is dropped; reads it had not confirmed fail (the caller retries). */
  private stepDown(ls: LeaderState): void {
    this.leaderState = null;
    for (const read of ls.reads.drain())
      this.failRead(read, new LeadershipLostError('leadership lost before the read was confirmed'));
  }

  private becomePreCandidate(): void {
    // Pre-candidates keep their term and vote: a pre-vote changes nothing durable.
    this.currentRole = 'pre-candidate';
    this.failForwardedReads();
    this.leaderId = null;
    this.votes.clear();
    this.selfVote = null;
    this.resetElectionTimeout();
  }

  private becomeCandidate(): void {
    this.currentRole = 'candidate';
    this.currentTerm += 1;
    this.votedFor = this.id;
    this.failForwardedReads();
    this.leaderId = null;
    this.votes.clear();
    this.selfVote = null;
    this.resetElectionTimeout();
  }

  private becomeLeader(): void {
    this.currentRole = 'leader';
    this.leaderId = this.id;
    this.electionElapsed = 0;
    this.votes.clear();
    this.selfVote = null;
    const ls = new LeaderState(this.settings.maxInflightMsgs, this.settings.maxInflightBytes);
    this.leaderState = ls;
    const last = this.log.lastIndex();
    for (const id of allMembers(this.membershipInForce)) {
      if (id !== this.id) ls.track(id, last + 1);
    }
    // The empty entry of the new term (DESIGN; Figure 8 and Ongaro's membership fix): it
    // commits earlier terms' entries and supersedes any uncommitted membership entry that other
    // servers may hold. In term 1 no earlier term, and so no such entry, exists anywhere.
    if (this.currentTerm > 1) this.appendEntries([{ type: 'empty', data: EMPTY }]);
    for (const id of ls.progress.keys()) this.sendAppend(id, true);
    this.maybeCommit();
  }

  // ---------------------------------------------------------------------------------------
  // Time

  private tick(): void {
    if (this.leaderState) {
      this.tickLeader(this.leaderState);
      return;
    }
    this.electionElapsed++;
    this.receiver.tick();
    if (this.restartVoteGuard && this.electionElapsed >= this.settings.electionTick)
      this.restartVoteGuard = false;
    if (this.electionElapsed >= this.randomizedElectionTimeout && this.mayCampaignNow()) this.campaign(false);
  }

  private tickLeader(ls: LeaderState): void {
    ls.ticks++;
    ls.heartbeatElapsed++;
    this.electionElapsed++;
    for (const pr of ls.progress.values()) pr.silentTicks++;
    if (this.electionElapsed >= this.settings.electionTick) {
      this.electionElapsed = 0;
      if (this.settings.checkQuorum && !this.quorumActive(ls)) {
        this.becomeFollower(this.currentTerm, null);
        return;
      }
    }
    if (ls.transfer !== null && ++ls.transfer.elapsed >= this.settings.electionTick) {
      // A transfer that has not finished within an election timeout is abandoned; a leader
      // handing over then steps down all the same (the remaining voters elect one by timeout).
      ls.transfer = null;
      if (ls.handingOver) {
        this.becomeFollower(this.currentTerm, null);
        return;
      }
    }
    for (const [id, pr] of ls.progress) {
      if (pr.state === 'snapshot') this.tickSnapshotTransfer(id, pr);
      if (pr.leaving && this.commit >= pr.leaving.index) this.tickLeaving(ls, id, pr);
    }
    if (this.settings.quiesce && this.maybeQuiesce(ls)) return;
    if (ls.heartbeatElapsed >= this.settings.heartbeatTick) {
      ls.heartbeatElapsed = 0;
      this.broadcastHeartbeat();
    }
  }

  /**
   * A removed member is kept until it holds its removal and has had an election timeout of
   * heartbeats to learn that it is committed, so it stops campaigning; one that never answers
   * is forgotten after four election timeouts.
   */
  private tickLeaving(ls: LeaderState, id: NodeId, pr: Progress): void {
    const leaving = pr.leaving!;
    leaving.ticks++;
    const told = pr.match >= leaving.index && leaving.ticks >= this.settings.electionTick;
    if (told || leaving.ticks >= 4 * this.settings.electionTick) ls.progress.delete(id);
  }

  /** CheckQuorum: did a quorum (this node included) talk to us since the last round? */
  private quorumActive(ls: LeaderState): boolean {
    const active = jointActive(
      this.membershipInForce,
      (id) => id === this.id || ls.progress.get(id)?.recentActive === true,
    );
    for (const pr of ls.progress.values()) pr.recentActive = false;
    return active;
  }

  // ---------------------------------------------------------------------------------------
  // Elections

  /** May this node start an election now (a voter, or finishing a change; term not exhausted)? */
  private mayCampaignNow(): boolean {
    if (this.currentRole === 'leader' || this.removed) return false;
    if (!mayCampaign(this.history, this.id, this.commit)) return false;
    if (this.currentTerm >= MAX_TERM) {
      this.termExhausted = true;
      return false;
    }
    return true;
  }

  /** The application's `campaign` event. */
  private campaignRequested(): void {
    if (this.currentTerm >= MAX_TERM && this.currentRole !== 'leader')
      throw new TermExhaustedError(this.currentTerm);
    // With lease reads, a node inside a leader's lease must not start an election: the lease
    // rests on every node that acknowledged the leader refusing to elect anyone else.
    if (this.settings.leaseRead && this.inLeaderLease()) return;
    if (this.mayCampaignNow()) this.campaign(false);
  }

  /** Start an election: a pre-vote round first unless disabled or transferring leadership. */
  private campaign(transfer: boolean): void {
    if (this.settings.preVote && !transfer) {
      this.becomePreCandidate();
      this.requestVotes(true, false);
    } else {
      this.becomeCandidate();
      this.requestVotes(false, transfer);
    }
  }

  private requestVotes(preVote: boolean, transfer: boolean): void {
    const term = preVote ? this.currentTerm + 1 : this.currentTerm;
    // A pre-vote changes nothing durable; a real vote for ourselves counts only once the
    // write that records it is durable (D21), or a crash could let us vote twice in a term.
    if (preVote || this.durability === null) this.votes.set(this.id, true);
    else this.selfVote = { term: this.currentTerm, seq: -1 };
    if (this.tallyVotes(preVote)) return;
    const lastLogIndex = this.log.lastIndex();
    const lastLogTerm = this.log.lastTerm();
    for (const id of allVoters(this.membershipInForce)) {
      if (id === this.id) continue;
      this.send({
        type: 'request-vote',
        from: this.id,
        to: id,
        term,
        preVote,
        lastLogIndex,
        lastLogTerm,
        transfer,
      });
    }
  }

  /** Count votes; on a decision move on and return true. */
  private tallyVotes(preVote: boolean): boolean {
    const result = jointVoteResult(this.membershipInForce, this.votes);
    if (result === 'won') {
      if (preVote) {
        // The pre-vote is won: the real election, in a new term.
        this.becomeCandidate();
        this.requestVotes(false, false);
      } else {
        this.becomeLeader();
      }
      return true;
    }
    if (result === 'lost') {
      this.becomeFollower(this.currentTerm, null);
      return true;
    }
    return false;
  }

  /** Whether a log ending at (`term`, `index`) is newer than ours (§5.4.1's comparison). */
  private newerThanOurLog(term: number, index: number): boolean {
    const lastTerm = this.log.lastTerm();
    return term > lastTerm || (term === lastTerm && index > this.log.lastIndex());
  }

  private handleRequestVote(m: RequestVoteMessage): void {
    const canVote =
      this.votedFor === m.from ||
      (this.votedFor === null && this.leaderId === null) ||
      (m.preVote && m.term > this.currentTerm);
    const upToDate =
      this.newerThanOurLog(m.lastLogTerm, m.lastLogIndex) ||
      (m.lastLogTerm === this.log.lastTerm() && m.lastLogIndex === this.log.lastIndex());
    if (canVote && upToDate) {
      // A granted vote answers in the candidate's term (a pre-vote's future term included).
      this.send({
        type: 'request-vote-response',
        from: this.id,
        to: m.from,
        term: m.term,
        preVote: m.preVote,
        granted: true,
      });
      if (!m.preVote) {
        // Recorded in the hard state before the response leaves (flush precedes any send).
        this.votedFor = m.from;
        this.electionElapsed = 0;
      }
    } else {
      this.rejectVote(m);
    }
  }

  private rejectVote(m: RequestVoteMessage): void {
    this.send({
      type: 'request-vote-response',
      from: this.id,
      to: m.from,
      term: this.currentTerm,
      preVote: m.preVote,
      granted: false,
    });
  }

  private handleVoteResponse(m: RequestVoteResponseMessage): void {
    const expectPreVote = this.currentRole === 'pre-candidate';
    if (this.currentRole !== 'candidate' && !expectPreVote) return;
    if (m.preVote !== expectPreVote) return;
    // The first answer of a voter in this election stands (a duplicate cannot flip it).
    if (this.votes.has(m.from)) return;
    this.votes.set(m.from, m.granted);
    this.tallyVotes(m.preVote);
  }

  // ---------------------------------------------------------------------------------------
  // Messages

  private handleMessage(m: Message): void {
    // A vote request from a node that a committed membership removed (it may not know, and
    // its term climbs) or that no membership we know of ever listed must not disrupt the
    // cluster (§4.2.3), whatever its term. Unless its log is newer than ours: then it may have
    // been added by entries we lack, and it is our view that is stale. (A node removed by an
    // entry not yet committed still counts: it may be the one that finishes the change.)
    if (
      m.type === 'request-vote' &&
      !this.newerThanOurLog(m.lastLogTerm, m.lastLogIndex) &&
      (this.history.removedBy(m.from, this.commit) || !this.history.everListed(m.from))
    ) {
      this.ignoredFromNonVoters++;
      this.answerNonVoter(m);
      return;
    }
    if (!this.checkTerm(m)) return;
    switch (m.type) {
      case 'request-vote':
        this.handleRequestVote(m);
        return;
      case 'request-vote-response':
        this.handleVoteResponse(m);
        return;
      case 'append-entries':
        this.acceptLeader(m.from);
        this.handleAppendEntries(m);
        return;
      case 'heartbeat':
        this.acceptLeader(m.from);
        this.handleHeartbeat(m);
        return;
      case 'install-snapshot':
        this.acceptLeader(m.from);
        this.handleInstallSnapshot(m);
        return;
      case 'timeout-now':
        this.handleTimeoutNow(m.from);
        return;
      case 'read-index':
        this.handleReadIndexRequest(m);
        return;
      case 'read-index-response':
        this.handleReadIndexResponse(m);
        return;
      case 'append-entries-response':
      case 'heartbeat-response':
      case 'install-snapshot-response':
        if (this.leaderState) this.handleLeaderResponse(this.leaderState, m);
        return;
      default:
        assertNever(m, 'message type');
    }
  }

  /**
   * The term rules (§5.1), with pre-vote and leader stickiness. Returns false when the
   * message must be dropped after any answer was sent.
   */
  private checkTerm(m: Message): boolean {
    if (m.term > this.currentTerm) {
      if (m.type === 'request-vote') {
        // Leader stickiness: a node that recently heard from a leader ignores the request,
        // unless it comes from a leadership transfer.
        if (this.inLeaderLease() && !m.transfer) return false;
        // A pre-vote request does not change our term.
        if (m.preVote) return true;
      }
      if (m.type === 'request-vote-response' && m.preVote && m.granted) return true;
      const fromLeader =
        m.type === 'append-entries' || m.type === 'heartbeat' || m.type === 'install-snapshot';
      this.becomeFollower(m.term, fromLeader ? m.from : null);
      return true;
    }
    if (m.term < this.currentTerm) {
      this.answerStale(m);
      return false;
    }
    return true;
  }

  /**
   * A request from an older term is answered with our term (§5.1), so the sender learns it
   * and steps down or campaigns in a newer term. It may never hear of the newer term
   * otherwise: pre-vote and leader stickiness keep vote requests from it, and a candidate
   * whose membership lacks it never asks it. Responses from an older term are dropped.
   */
  private answerStale(m: Message): void {
    switch (m.type) {
      case 'append-entries':
      case 'heartbeat':
        this.send({
          type: 'append-entries-response',
          from: this.id,
          to: m.from,
          term: this.currentTerm,
          success: false,
          index: 0,
          hintIndex: 0,
          hintTerm: 0,
        });
        return;
      case 'request-vote':
        this.rejectVote(m);
        return;
      case 'request-vote-response':
      case 'append-entries-response':
      case 'heartbeat-response':
      case 'install-snapshot':
      case 'install-snapshot-response':
      case 'timeout-now':
      case 'read-index':
      case 'read-index-response':
        return;
      default:
        assertNever(m, 'message type');
    }
  }

  /**
   * A removed or unknown node asks for votes: refuse in our term (without taking its term);
   * if a committed entry removed it, a leader sends it the log up to its removal so it learns
   * it.
   */
  private answerNonVoter(m: RequestVoteMessage): void {
    this.rejectVote(m);
    const ls = this.leaderState;
    if (ls && !ls.progress.has(m.from) && this.history.removedBy(m.from, this.commit)) {
      ls.track(m.from, this.log.lastIndex() + 1).leaving = { index: this.commit, ticks: 0 };
      this.sendAppend(m.from, true);
    }
  }

  /** A message from the leader of our term: follow it. Two leaders in one term cannot be. */
  private acceptLeader(from: NodeId): void {
    const known = this.leaderId; // a leader names itself
    if (known !== null && known !== from) {
      throw new InvariantError(
        'election-safety',
        `node ${from} sent leader messages in term ${this.currentTerm}, whose leader is node ${known}`,
      );
    }
    if (this.currentRole !== 'follower' || this.leaderId !== from)
      this.becomeFollower(this.currentTerm, from);
    this.electionElapsed = 0;
  }

  /** Leadership transfer: the leader of our term asks us to campaign now (§3.10). */
  private handleTimeoutNow(from: NodeId): void {
    // Only our leader may ask; a forged or stale request from anyone else changes nothing.
    if (this.currentRole !== 'follower' || from !== this.leaderId || !this.mayCampaignNow()) return;
    this.campaign(true);
  }

  // ---------------------------------------------------------------------------------------
  // Follower: replication

  private handleAppendEntries(m: AppendEntriesMessage): void {
    const reply = (success: boolean, index: number, hintIndex = 0, hintTerm = 0) =>
      this.send({
        type: 'append-entries-response',
        from: this.id,
        to: m.from,
        term: this.currentTerm,
        success,
        index,
        hintIndex,
        hintTerm,
      });
    if (m.prevLogIndex < this.commit) {
      // Stale or duplicated: everything up to our commit index already matches the leader's
      // log (Leader Completeness). Check what we can of that before we say so.
      this.checkCommittedPrefix(m);
      reply(true, this.commit);
      return;
    }
    if (this.log.matchTerm(m.prevLogIndex, m.prevLogTerm)) {
      const lastNew = m.prevLogIndex + m.entries.length;
      const conflict = this.findConflict(m.entries);
      // The entries start at prevLogIndex + 1 > commit (validated), so none rewrites a
      // committed one here; stale appends took the branch above.
      if (conflict > 0) this.appendToLog(m.entries.slice(conflict - m.entries[0]!.index));
      this.commitTo(Math.min(m.commit, lastNew));
      reply(true, lastNew);
      return;
    }
    if (m.prevLogIndex === this.commit) {
      throw new InvariantError(
        'committed-entries-never-change',
        `the leader's term at committed index ${m.prevLogIndex} is ${m.prevLogTerm}, ours is ${String(this.log.termOrUndefined(m.prevLogIndex))}`,
      );
    }
    // Fast back-off: point the leader at our last index whose term is at most its prevLogTerm.
    const hintIndex = this.findConflictByTerm(Math.min(m.prevLogIndex, this.log.lastIndex()), m.prevLogTerm);
    reply(false, m.prevLogIndex, hintIndex, this.log.termOrUndefined(hintIndex) ?? 0);
  }

  /** A stale append's entries at or below our commit index must be the ones we hold. */
  private checkCommittedPrefix(m: AppendEntriesMessage): void {
    const held = (i: number) => i >= this.log.firstIndex() - 1 && i <= this.commit;
    if (held(m.prevLogIndex) && this.log.term(m.prevLogIndex) !== m.prevLogTerm) {
      throw new InvariantError(
        'committed-entries-never-change',
        `the leader's term at committed index ${m.prevLogIndex} differs from ours`,
      );
    }
    for (const e of m.entries) {
      if (held(e.index) && this.log.term(e.index) !== e.term) {
        throw new InvariantError(
          'committed-entries-never-change',
          `the leader's entry ${e.index} conflicts with a committed one`,
        );
      }
    }
  }

  /** Index of the first entry that is new or conflicts with ours; 0 if all are present. */
  private findConflict(entries: readonly Entry[]): number {
    for (const e of entries) {
      if (!this.log.matchTerm(e.index, e.term)) return e.index;
    }
    return 0;
  }

  /** The largest index <= `index` whose term is <= `term` (or the first index we still know). */
  private findConflictByTerm(index: number, term: number): number {
    const floor = this.log.firstIndex() - 1;
    let i = index;
    while (i > floor) {
      const t = this.log.termOrUndefined(i);
      if (t === undefined || t <= term) break;
      i--;
    }
    return i;
  }

  private commitTo(index: number): void {
    if (index > this.commit) this.commit = index;
  }

  private handleHeartbeat(m: HeartbeatMessage): void {
    // The leader sends at most our match index, so this never commits an entry we lack.
    this.commitTo(Math.min(m.commit, this.log.lastIndex()));
    if (m.quiesce === true && this.settings.quiesce) {
      // The leader put the group to sleep (D29): no election timer until an event wakes us,
      // and no answer (the leader wants none). A node without the option answers as usual:
      // its driver may not know to wake it when the leader is gone.
      this.quiescent = true;
      this.electionElapsed = 0;
      return;
    }
    this.send({
      type: 'heartbeat-response',
      from: this.id,
      to: m.from,
      term: this.currentTerm,
      context: m.context,
    });
  }

  private handleInstallSnapshot(m: InstallSnapshotMessage): void {
    const reply = (offset: number, done: boolean, reject = false) =>
      this.send({
        type: 'install-snapshot-response',
        from: this.id,
        to: m.from,
        term: this.currentTerm,
        snapshotIndex: m.metadata.index,
        offset,
        done,
        reject,
      });
    // The driver is restoring a snapshot: it answers for it once done; chunks wait.
    if (this.installing !== null) return;
    if (m.metadata.index <= this.commit) {
      // We already hold everything this snapshot covers (a stale chunk must not disturb an
      // install in progress).
      reply(0, true);
      return;
    }
    const result = this.receiver.accept(m);
    if ((result.kind === 'next' || result.kind === 'complete') && result.chunk !== undefined) {
      // Streaming: the driver appends the bytes to its file; the core keeps none of them.
      const { checksum: _, ...metadata } = m.metadata;
      this.out.push({ type: 'write-snapshot-chunk', metadata, ...result.chunk });
    }
    switch (result.kind) {
      case 'next':
        reply(result.offset, false);
        return;
      case 'too-large':
      case 'corrupt':
        reply(0, false, true);
        return;
      case 'complete':
        if (this.settings.confirmRestore && !this.log.matchTerm(m.metadata.index, m.metadata.term)) {
          // Restored first, stored only if that worked (see `restoreResult`).
          this.installing = { snapshot: result.snapshot, from: m.from };
          this.out.push({ type: 'restore', snapshot: result.snapshot, confirm: true });
          return;
        }
        this.installSnapshot(result.snapshot, false);
        reply(result.offset, true);
        return;
      default:
        assertNever(result, 'snapshot chunk result');
    }
  }

  /** The driver restored (or failed to restore) the snapshot of `installing`. */
  private restoreResult(index: number, ok: boolean): void {
    if (!Number.isSafeInteger(index) || typeof ok !== 'boolean') {
      throw new InvalidArgumentError('restore-result needs an integer index and a boolean ok');
    }
    const pending = this.installing;
    if (pending === null || pending.snapshot.metadata.index !== index) return;
    this.installing = null;
    const { metadata } = pending.snapshot;
    if (ok) this.installSnapshot(pending.snapshot, true);
    this.send({
      type: 'install-snapshot-response',
      from: this.id,
      to: pending.from,
      term: this.currentTerm,
      snapshotIndex: metadata.index,
      offset: ok ? snapshotSize(pending.snapshot) : 0,
      done: ok,
      reject: !ok,
    });
  }

  /**
   * Make `snapshot` the node's state. `restored`: the driver's state machine already holds it
   * (confirmed restore), so no `restore` action, and if our log meanwhile holds its last entry
   * (from a newer leader) it still counts as applied.
   */
  private installSnapshot(snapshot: Snapshot, restored: boolean): void {
    const { index, term } = snapshot.metadata;
    if (this.log.matchTerm(index, term)) {
      // Our log already has the entry: the snapshot only tells us it is committed.
      this.commitTo(index);
      if (restored) this.applied = Math.max(this.applied, index);
      return;
    }
    this.log.install(snapshot);
    this.commit = index;
    this.applied = index;
    this.history.reset(index, snapshot.metadata.membership);
    const wasMember = isMember(this.membershipInForce, this.id);
    this.membershipInForce = snapshot.metadata.membership;
    if (isMember(this.membershipInForce, this.id)) this.removed = false;
    else if (wasMember) this.removed = true;
    // This snapshot supersedes one still waiting to be restored after a restart: restoring
    // that older one after this would roll the state machine back.
    this.pendingRestore = null;
    // Restore before anything else is applied or read.
    if (!restored) this.out.push({ type: 'restore', snapshot });
    this.out.push({ type: 'membership', index, term, membership: this.membershipInForce });
  }

  // ---------------------------------------------------------------------------------------
  // Leader: proposals and replication

  private requireLeader(): LeaderState {
    if (this.leaderState === null) throw new NotLeaderError(this.leaderId, this.id);
    return this.leaderState;
  }

  private propose(commands: readonly Uint8Array[] | undefined): void {
    if (!Array.isArray(commands) || commands.length === 0) {
      throw new InvalidArgumentError(
        'propose needs `command` (a Uint8Array) or a non-empty `commands` array',
      );
    }
    let size = 0;
    for (const c of commands) {
      if (!(c instanceof Uint8Array))
        throw new InvalidArgumentError('a proposed command must be a Uint8Array');
      size += c.length;
    }
    const ls = this.requireLeader();
    if (ls.transfer !== null) throw new TransferInProgressError(ls.transfer.target);
    const limit = this.settings.maxUncommittedEntriesSize;
    if (limit > 0 && ls.uncommittedSize > 0 && ls.uncommittedSize + size > limit) {
      throw new UncommittedLimitError(limit, ls.uncommittedSize + size);
    }
    const first = this.appendEntries(commands.map((data) => ({ type: 'command' as const, data })));
    this.out.push({
      type: 'accepted',
      kind: 'commands',
      term: this.currentTerm,
      firstIndex: first,
      lastIndex: first + commands.length - 1,
    });
    this.broadcastAppend(false);
  }

  /** Append new entries of this term to the leader's log; returns the first index. */
  private appendEntries(items: readonly { type: Entry['type']; data: Uint8Array }[]): number {
    const ls = this.leaderState!;
    const first = this.log.lastIndex() + 1;
    const entries: Entry[] = new Array(items.length);
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      entries[i] = { index: first + i, term: this.currentTerm, type: item.type, data: item.data };
      ls.uncommittedSize += item.data.length;
    }
    this.appendToLog(entries);
    // A quorum of one commits at once.
    this.maybeCommit();
    return first;
  }

  /**
   * Append to the log, truncating a conflicting suffix; a membership entry appended or
   * truncated changes the membership in force at once (§4.1).
   */
  private appendToLog(entries: readonly Entry[]): void {
    let changed = entries[0]!.index <= this.log.lastIndex() && this.history.truncateFrom(entries[0]!.index);
    this.log.append(entries);
    for (const e of entries) {
      if (e.type === 'membership') {
        this.history.record(e.index, decodeMembership(e.data));
        changed = true;
      }
    }
    if (changed) this.membershipChanged();
  }

  /**
   * Adopt the newest membership. A leader starts tracking new members (and sends them their
   * first append at once), keeps removed ones until they hold their removal, aborts a
   * transfer to a node that is no longer a voter, and decides waiting reads again (the quorum
   * that confirms them changed).
   */
  private membershipChanged(): void {
    this.membershipInForce = this.history.latest();
    const ls = this.leaderState;
    if (ls === null) return;
    const members = new Set(allMembers(this.membershipInForce));
    const next = this.log.lastIndex() + 1;
    for (const id of members) {
      if (id === this.id) continue;
      const pr = ls.progress.get(id);
      if (pr === undefined) {
        ls.track(id, next);
        this.sendAppend(id, true);
      } else {
        pr.leaving = null;
      }
    }
    for (const [id, pr] of ls.progress) {
      if (!members.has(id) && pr.leaving === null)
        pr.leaving = { index: this.history.latestIndex(), ticks: 0 };
    }
    if (ls.transfer !== null && !isVoter(this.membershipInForce, ls.transfer.target)) ls.transfer = null;
    this.releaseConfirmedReads(ls);
  }

  /** Send every follower what it lacks; with `sendIfEmpty`, at least the new commit index. */
  private broadcastAppend(sendIfEmpty: boolean): void {
    for (const id of this.leaderState!.progress.keys()) {
      // Pipelining: a replicating follower gets as many batches as its window allows.
      if (this.sendAppend(id, sendIfEmpty)) while (this.sendAppend(id, false));
    }
  }

  /**
   * Send `to` the entries it lacks (or a snapshot if they are compacted). With
   * `sendIfEmpty`, an append without entries carries the commit index or probes.
   * Returns whether a message went out.
   */
  private sendAppend(to: NodeId, sendIfEmpty: boolean): boolean {
    const pr = this.leaderState!.progress.get(to);
    if (!pr || pr.isPaused()) return false;
    const prevLogIndex = pr.next - 1;
    const prevLogTerm = this.log.termOrUndefined(prevLogIndex);
    // Compacted (next < firstIndex): no term at next - 1, so a snapshot instead.
    if (prevLogTerm === undefined) return this.startSnapshot(to, pr);
    const last = this.log.lastIndex();
    // Empty when the follower has everything (`next` is past the last index).
    const entries = this.log.entries(pr.next, last + 1, this.settings.maxSizePerMsg);
    if (entries.length === 0 && !sendIfEmpty) return false;
    this.send({
      type: 'append-entries',
      from: this.id,
      to,
      term: this.currentTerm,
      prevLogIndex,
      prevLogTerm,
      entries,
      commit: this.commit,
    });
    if (entries.length > 0 && pr.state === 'replicate') {
      let bytes = 0;
      for (const e of entries) bytes += e.data.length;
      pr.next = entries[entries.length - 1]!.index + 1;
      pr.inflights.add(pr.next - 1, bytes);
    } else {
      // Read only in the probe state (becomeProbe clears it).
      pr.probeSent = true;
    }
    return true;
  }

  /** A heartbeat to every follower; each broadcast is a new round (see read-only.ts). */
  private broadcastHeartbeat(): void {
    const ls = this.leaderState!;
    const context = ls.reads.openRound(ls.ticks, this.settings.electionTick);
    for (const [id, pr] of ls.progress) {
      this.send({
        type: 'heartbeat',
        from: this.id,
        to: id,
        term: this.currentTerm,
        // Never tell a follower to commit past what it is known to hold.
        commit: Math.min(pr.match, this.commit),
        context,
      });
    }
  }

  private handleLeaderResponse(
    ls: LeaderState,
    m: AppendEntriesResponseMessage | HeartbeatResponseMessage | InstallSnapshotResponseMessage,
  ): void {
    const pr = ls.progress.get(m.from);
    if (!pr) return;
    pr.recentActive = true;
    pr.silentTicks = 0;
    switch (m.type) {
      case 'append-entries-response':
        this.handleAppendResponse(ls, m, pr);
        return;
      case 'heartbeat-response':
        this.handleHeartbeatResponse(ls, m, pr);
        return;
      case 'install-snapshot-response':
        this.handleSnapshotResponse(ls, m, pr);
        return;
      default:
        assertNever(m, 'response type');
    }
  }

  private handleAppendResponse(ls: LeaderState, m: AppendEntriesResponseMessage, pr: Progress): void {
    if (!m.success) {
      // Skip a whole term per round trip: the largest index of ours whose term is at most
      // the follower's term at its hint.
      const probe = m.hintTerm > 0 ? this.findConflictByTerm(m.hintIndex, m.hintTerm) : m.hintIndex;
      if (pr.maybeDecrease(m.index, probe)) {
        if (pr.state === 'replicate') pr.becomeProbe();
        this.sendAppend(m.from, true);
      }
      return;
    }
    // A probe answered at the match point we already knew (e.g. 0 on a fresh follower) is
    // still the answer that lets replication start.
    const probeAnswered = pr.state === 'probe' && m.index === pr.match;
    if (!pr.maybeUpdate(m.index) && !probeAnswered) return;
    if (pr.state === 'probe') pr.becomeReplicate();
    else if (pr.state === 'replicate') pr.inflights.freeLE(m.index);
    // Followers learn the new commit index now rather than at the next heartbeat.
    if (this.maybeCommit()) this.broadcastAppend(true);
    // Keep the pipeline full while the window allows (this also resumes a paused follower).
    while (this.sendAppend(m.from, false)) {
      /* each call sends one more batch */
    }
    if (ls.transfer?.target === m.from && pr.match === this.log.lastIndex()) this.sendTimeoutNow(ls, m.from);
  }

  private handleHeartbeatResponse(ls: LeaderState, m: HeartbeatResponseMessage, pr: Progress): void {
    // A probe that went unanswered (lost) is retried on the heartbeat's answer; a full
    // window frees a slot, since its appends may have been lost and only a new one can
    // draw the rejection that resets the follower's progress.
    if (pr.state === 'probe') pr.probeSent = false;
    else if (pr.state === 'replicate' && pr.inflights.full()) pr.inflights.freeFirst();
    if (pr.match < this.log.lastIndex()) this.sendAppend(m.from, true);
    if (m.context > 0) {
      ls.reads.ack(m.from, m.context);
      this.releaseConfirmedReads(ls);
    }
  }

  /** Advance the commit index to what a quorum holds, counting only this term's entries. */
  private maybeCommit(): boolean {
    const ls = this.leaderState!;
    // Our own log counts only as far as it is durable (D21): a commit never rests on a copy
    // that a crash could take back.
    const own = this.durableIndex();
    const index = jointCommitted(this.membershipInForce, (id) =>
      id === this.id ? own : (ls.progress.get(id)?.match ?? 0),
    );
    // The Figure 8 rule: a leader commits by counting replicas only of its own term's entries.
    if (index <= this.commit || this.log.termOrUndefined(index) !== this.currentTerm) return false;
    const hadTermCommit = this.committedEntryInCurrentTerm();
    this.commit = index;
    if (!hadTermCommit) {
      // The commit index is now the cluster's: reads held for it are decided again.
      for (const read of ls.reads.takeAwaitingCommit()) this.leaderRead(ls, read);
    }
    return true;
  }

  // ---------------------------------------------------------------------------------------
  // Leader: snapshots

  private startSnapshot(to: NodeId, pr: Progress): boolean {
    const snapshot = this.snapshotFor(pr);
    if (snapshot === null) return false;
    pr.becomeSnapshot(snapshot);
    return this.sendSnapshotChunk(to, pr);
  }

  /**
   * The snapshot a follower needing one gets: the one in flight to other followers while one
   * is (if it is newer than what the follower holds; else the follower waits for those
   * transfers to end), otherwise the log's newest, which then becomes the one in flight.
   */
  private snapshotFor(pr: Progress): Snapshot | null {
    const ls = this.leaderState!;
    const inFlight = ls.snapshotInFlight;
    if (inFlight && ls.snapshotInUse(inFlight, pr)) {
      return inFlight.metadata.index > pr.match ? inFlight : null;
    }
    if (this.settings.snapshotStreaming) {
      // The bytes are the driver's file: its stored metadata has the size and the checksum.
      const metadata = this.log.snapshotMetadata();
      if (metadata === null) throw noSnapshot();
      if (!isStreamedMetadata(metadata)) {
        throw new StorageError(
          `the log's streamed snapshot at index ${metadata.index} lacks a valid size or checksum`,
        );
      }
      const streamed = { metadata, data: EMPTY_BYTES };
      ls.snapshotInFlight = streamed;
      return streamed;
    }
    const stored = this.log.snapshot();
    if (stored === null) throw noSnapshot();
    // The follower checks what it assembled against the checksum of what we send.
    const snapshot = { metadata: { ...stored.metadata, checksum: crc32c(stored.data) }, data: stored.data };
    ls.snapshotInFlight = snapshot;
    return snapshot;
  }

  /** Resend a chunk that went unanswered; give up on a follower silent for an election timeout. */
  private tickSnapshotTransfer(to: NodeId, pr: Progress): void {
    if (pr.silentTicks >= this.settings.electionTick) {
      // Unreachable: stop holding the snapshot for it. Its next answer starts over.
      this.endSnapshotTransfer(pr);
      return;
    }
    if (++pr.snapshotIdle >= SNAPSHOT_RESEND_TICKS) this.sendSnapshotChunk(to, pr);
  }

  private endSnapshotTransfer(pr: Progress): void {
    pr.becomeProbe();
    const ls = this.leaderState!;
    if (ls.snapshotInFlight && !ls.snapshotInUse(ls.snapshotInFlight)) ls.snapshotInFlight = null;
  }

  private sendSnapshotChunk(to: NodeId, pr: Progress): boolean {
    const snapshot = pr.snapshot!;
    const size = snapshotSize(snapshot);
    const start = Math.min(pr.snapshotOffset, size);
    const end = Math.min(start + this.settings.snapshotChunkSize, size);
    pr.snapshotIdle = 0;
    pr.snapshotSent = start;
    if (this.settings.snapshotStreaming) {
      // The driver reads the bytes from its file. The wire metadata is what the in-memory
      // path sends: the size stays home (the follower counts what it receives).
      const { bytes: _, ...metadata } = snapshot.metadata;
      const message: InstallSnapshotMessage = {
        type: 'install-snapshot',
        from: this.id,
        to,
        term: this.currentTerm,
        metadata,
        offset: start,
        data: EMPTY_BYTES,
        done: end >= size,
      };
      this.out.push({ type: 'send-snapshot-chunk', to, message, length: end - start });
      return true;
    }
    this.send({
      type: 'install-snapshot',
      from: this.id,
      to,
      term: this.currentTerm,
      metadata: snapshot.metadata,
      offset: start,
      data: snapshot.data.subarray(start, end),
      done: end >= snapshot.data.length,
    });
    return true;
  }

  private handleSnapshotResponse(_ls: LeaderState, m: InstallSnapshotResponseMessage, pr: Progress): void {
    if (pr.state !== 'snapshot' || m.snapshotIndex !== pr.snapshotIndex) return;
    if (m.reject) {
      this.endSnapshotTransfer(pr);
      this.sendAppend(m.from, true);
    } else if (m.done) {
      pr.match = Math.max(pr.match, pr.snapshotIndex);
      this.endSnapshotTransfer(pr);
      this.sendAppend(m.from, true);
    } else if (m.offset !== pr.snapshotSent) {
      // The follower wants another chunk than the one in flight: trust its offset (it may
      // have started over). An answer naming the chunk in flight is a duplicate.
      pr.snapshotOffset = m.offset;
      this.sendSnapshotChunk(m.from, pr);
    }
  }

  /** The application snapshotted its state at applied `index`: store it, compact the log. */
  private takeSnapshot(event: SnapshotEvent): void {
    const { index } = event;
    if (!Number.isSafeInteger(index) || index < 0)
      throw new InvalidArgumentError(`snapshot index ${index} is invalid`);
    let data: Uint8Array;
    let file: { bytes: number; checksum: number } | null = null;
    if (this.settings.snapshotStreaming) {
      // The driver's file holds the bytes: the event gives their size and checksum only.
      const facts = { bytes: event.bytes, checksum: event.checksum };
      if (event.data !== undefined || !isStreamedMetadata(facts)) {
        throw new InvalidArgumentError(
          'with snapshotStreaming a snapshot gives bytes and checksum (unsigned 32-bit), not data',
        );
      }
      data = EMPTY_BYTES;
      file = facts;
    } else {
      if (!(event.data instanceof Uint8Array))
        throw new InvalidArgumentError('snapshot data must be a Uint8Array');
      data = event.data;
    }
    if (index > this.applied) {
      throw new InvalidArgumentError(`snapshot index ${index} is past the applied index ${this.applied}`);
    }
    const current = this.log.snapshotMetadata();
    // (A log compacted past `index` holds a snapshot at or after it: the second test covers it.)
    if (index === 0 || (current && index <= current.index)) return;
    const membership = this.history.at(index);
    // A node that joined (no voters of its own) and got the log from its start does not know
    // the membership in force before the first membership entry it holds: the cluster's
    // first one is configuration, not an entry. A snapshot there would carry no voters, and
    // every node would refuse it as malformed. It waits for an index it knows (the entry that
    // added it is one).
    if (membership.voters.length === 0) return;
    const metadata = { index, term: this.log.term(index), membership, ...(file ?? {}) };
    const snapshot: Snapshot = { metadata, data };
    const compactIndex = Math.max(this.log.firstIndex() - 1, index - this.settings.compactionTail);
    this.log.compact(snapshot, compactIndex);
    this.history.prune(index);
  }

  // ---------------------------------------------------------------------------------------
  // Applying

  /** Emit `apply` actions for the next page of committed entries; returns its bytes. */
  private applyCommitted(): number {
    const entries = this.log.entries(this.applied + 1, this.applyLimit() + 1, this.settings.maxSizePerMsg);
    const ls = this.leaderState;
    let bytes = 0;
    for (const entry of entries) {
      bytes += entry.data.length;
      this.applied = entry.index;
      if (ls) ls.uncommittedSize = Math.max(0, ls.uncommittedSize - entry.data.length);
      switch (entry.type) {
        case 'command':
          this.out.push({ type: 'apply', index: entry.index, term: entry.term, command: entry.data });
          break;
        case 'membership':
          this.applyMembership(entry);
          break;
        case 'empty':
          break;
        default:
          assertNever(entry.type, 'entry type');
      }
    }
    return bytes;
  }

  /** A membership entry is committed and applied: report it, and this node's removal. */
  private applyMembership(entry: Entry): void {
    const membership = decodeMembership(entry.data);
    this.out.push({ type: 'membership', index: entry.index, term: entry.term, membership });
    const member = isMember(membership, this.id);
    if (!member && !this.removed) {
      this.removed = true;
      this.out.push({ type: 'removed', index: entry.index, term: entry.term });
    } else if (member) {
      this.removed = false;
    }
  }

  /** A leader whose newest membership, committed, leaves it out hands over (§4.2.2). */
  private maybeHandOver(): void {
    const ls = this.leaderState;
    if (
      ls === null ||
      ls.handingOver ||
      !shouldHandOver(this.membershipInForce, this.id, this.history.latestIndex(), this.commit)
    ) {
      return;
    }
    // It keeps leading, without counting itself, until the most up-to-date voter holds its
    // whole log, then hands over with timeout-now; it steps down then, or when the transfer
    // times out (the new voters, who hold the new membership, elect a leader by themselves).
    ls.handingOver = true;
    let best: NodeId | null = null;
    let bestMatch = -1;
    for (const [id, pr] of ls.progress) {
      if (isVoter(this.membershipInForce, id) && pr.match > bestMatch) {
        best = id;
        bestMatch = pr.match;
      }
    }
    if (best === null) this.becomeFollower(this.currentTerm, null);
    else this.startTransfer(ls, best);
  }

  /** Leave a joint configuration by itself once the joint entry is committed (§4.3). */
  private maybeLeaveJoint(): boolean {
    if (
      this.leaderState === null ||
      !shouldLeaveJoint(this.membershipInForce, this.history.latestIndex(), this.commit)
    ) {
      return false;
    }
    this.appendMembership(encodeMembership(leaveJoint(this.membershipInForce)), false);
    return true;
  }

  // ---------------------------------------------------------------------------------------
  // Membership changes

  private changeMembership(changes: readonly MembershipChange[]): void {
    if (!Array.isArray(changes)) throw new InvalidArgumentError('change-membership needs a `changes` array');
    const ls = this.requireLeader();
    if (ls.transfer !== null) throw new TransferInProgressError(ls.transfer.target);
    const blocker = membershipChangeBlocker({
      membership: this.membershipInForce,
      latestIndex: this.history.latestIndex(),
      commit: this.commit,
      term: this.currentTerm,
      committedEntryInCurrentTerm: this.committedEntryInCurrentTerm(),
    });
    if (blocker !== null) throw new MembershipChangePendingError(blocker);
    const next = applyChanges(this.membershipInForce, changes);
    if (!isValidMembership(next))
      throw new InvalidArgumentError('the membership change gives an invalid membership');
    // Encoded once: checked for size, then appended.
    const data = encodeMembership(next);
    const tooLarge = membershipSizeProblem(data);
    if (tooLarge !== null) throw new InvalidArgumentError(`the membership change is refused: ${tooLarge}`);
    this.appendMembership(data, true);
  }

  /**
   * Append a membership entry (`encodeMembership`'s bytes); `announce` answers a request with
   * an `accepted` action.
   */
  private appendMembership(data: Uint8Array, announce: boolean): void {
    const index = this.appendEntries([{ type: 'membership', data }]);
    if (announce) {
      this.out.push({
        type: 'accepted',
        kind: 'membership',
        term: this.currentTerm,
        firstIndex: index,
        lastIndex: index,
      });
    }
    this.broadcastAppend(false);
  }

  // ---------------------------------------------------------------------------------------
  // Leadership transfer (§3.10)

  private transferLeadership(to: NodeId): void {
    const ls = this.requireLeader();
    if (!isVoter(this.membershipInForce, to))
      throw new InvalidArgumentError(`node ${String(to)} is not a voter`);
    // Nothing to do for ourselves; a pending transfer to the same node keeps running.
    if (to === this.id || ls.transfer?.target === to) return;
    this.startTransfer(ls, to);
  }

  private startTransfer(ls: LeaderState, to: NodeId): void {
    // The transfer must finish within an election timeout or it is abandoned.
    ls.transfer = { target: to, elapsed: 0 };
    const pr = ls.progress.get(to)!;
    if (pr.match === this.log.lastIndex()) this.sendTimeoutNow(ls, to);
    else this.sendAppend(to, true);
  }

  /** `to` holds our whole log: tell it to campaign now. A leader handing over is done then. */
  private sendTimeoutNow(ls: LeaderState, to: NodeId): void {
    this.send({ type: 'timeout-now', from: this.id, to, term: this.currentTerm });
    // `to` may win without the stickiness of the followers that back our lease.
    ls.timeoutNowSent = true;
    if (ls.handingOver) this.becomeFollower(this.currentTerm, null);
  }

  // ---------------------------------------------------------------------------------------
  // Linearizable reads (§6.4; see read-only.ts)

  private read(id: string): void {
    if (typeof id !== 'string' || id.length === 0)
      throw new InvalidArgumentError('read needs a non-empty string id');
    if (this.leaderState) {
      this.leaderRead(this.leaderState, { id, from: this.id });
      return;
    }
    if (this.leaderId === null || this.currentRole !== 'follower')
      throw new NotLeaderError(this.leaderId, this.id);
    this.reads.forward(id);
    this.send({ type: 'read-index', from: this.id, to: this.leaderId, term: this.currentTerm, id });
  }

  /** Decide a read on the leader, for itself or a follower (`read.from`). */
  private leaderRead(ls: LeaderState, read: PendingRead): void {
    if (ls.reads.full()) {
      this.failRead(read, new RaftError('UNAVAILABLE', 'too many reads waiting on the leader; retry'));
      return;
    }
    const decision = readDecision({
      term: this.currentTerm,
      committedEntryInCurrentTerm: this.committedEntryInCurrentTerm(),
      soleVoterIsSelf: this.soleVoterIsSelf(),
      leaseValid: this.leaseValid(ls),
    });
    switch (decision) {
      case 'serve-now':
        this.readConfirmed(read, this.commit);
        return;
      case 'heartbeat-round':
        ls.reads.register(read, this.commit);
        return;
      case 'await-term-commit':
        ls.reads.awaitCommit(read);
        return;
      default:
        assertNever(decision, 'read decision');
    }
  }

  /** The only voter of the membership in force (both halves when joint) is this node. */
  private soleVoterIsSelf(): boolean {
    const voters = allVoters(this.membershipInForce);
    return voters.length === 1 && voters[0] === this.id;
  }

  /**
   * The lease holds: lease reads on, an entry of this term committed, no `timeout-now` sent
   * in this term, and less than `leaseTicks` since the lease's start tick.
   */
  private leaseValid(ls: LeaderState): boolean {
    if (
      !this.settings.leaseRead ||
      ls.timeoutNowSent ||
      ls.leaseForfeited ||
      !this.committedEntryInCurrentTerm()
    )
      return false;
    const start = ls.reads.leaseStart(this.membershipInForce, this.id, ls.ticks);
    return ls.ticks < start + leaseTicks(this.settings.electionTick);
  }

  private releaseConfirmedReads(ls: LeaderState): void {
    for (const read of ls.reads.releaseConfirmed(this.membershipInForce, this.id)) {
      this.readConfirmed(read, read.index);
    }
  }

  private readConfirmed(read: PendingRead, index: number): void {
    if (read.from === this.id) this.reads.confirmed({ id: read.id, index });
    else this.sendReadIndexResponse(read.from, read.id, index, true);
  }

  private failRead(read: PendingRead, error: RaftError): void {
    if (read.from === this.id) this.out.push({ type: 'read-failed', id: read.id, error });
    else this.sendReadIndexResponse(read.from, read.id, 0, false);
  }

  private sendReadIndexResponse(to: NodeId, id: string, index: number, ok: boolean): void {
    this.send({ type: 'read-index-response', from: this.id, to, term: this.currentTerm, id, index, ok });
  }

  private handleReadIndexRequest(m: ReadIndexMessage): void {
    if (this.leaderState === null) {
      this.sendReadIndexResponse(m.from, m.id, 0, false);
      return;
    }
    this.leaderRead(this.leaderState, { id: m.id, from: m.from });
  }

  private handleReadIndexResponse(m: ReadIndexResponseMessage): void {
    if (!this.reads.answered(m.id)) return;
    if (m.ok) this.reads.confirmed({ id: m.id, index: m.index });
    else this.out.push({ type: 'read-failed', id: m.id, error: new NotLeaderError(this.leaderId, this.id) });
  }

  private failForwardedReads(): void {
    for (const id of this.reads.dropForwarded()) {
      this.out.push({
        type: 'read-failed',
        id,
        error: new LeadershipLostError('the leader changed before answering the read'),
      });
    }
  }
}

const EMPTY_BYTES = new Uint8Array(0);

/** The size of a snapshot's data: its bytes, or with `snapshotStreaming` its file's. */
function snapshotSize(snapshot: Snapshot): number {
  return snapshot.metadata.bytes ?? snapshot.data.length;
}

/** A streamed snapshot's file facts: a size and an unsigned 32-bit CRC32C. */
function isStreamedMetadata(m: {
  bytes?: unknown;
  checksum?: unknown;
}): m is { bytes: number; checksum: number } {
  return (
    Number.isSafeInteger(m.bytes) &&
    (m.bytes as number) >= 0 &&
    Number.isInteger(m.checksum) &&
    (m.checksum as number) >= 0 &&
    (m.checksum as number) <= 0xffffffff
  );
}

function noSnapshot(): InvariantError {
  return new InvariantError(
    'compacted-log-has-snapshot',
    `a follower needs compacted entries but the log holds no snapshot`,
  );
}
