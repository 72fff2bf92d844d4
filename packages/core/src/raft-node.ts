/**
 * `RaftNode`: the whole Raft protocol as a deterministic state machine. `step(event)` is
 * the only way in and returns the actions a driver carries out, in order. Role handlers sit
 * behind that one function, as in etcd's raft.go. The node never reads a clock, draws a
 * random number or touches I/O: ticks are time, a seeded PRNG draws the election timeout,
 * and the `RaftLog` is written once per step before the step returns.
 */
import type { Action } from './actions.js';
import { type RaftConfig, type ResolvedRaftConfig, resolveConfig } from './config.js';
import {
  InvalidArgumentError,
  LeadershipLostError,
  MembershipChangePendingError,
  NotLeaderError,
  RaftError,
  TransferInProgressError,
  UncommittedLimitError,
} from './errors.js';
import type { Event, MembershipChange } from './events.js';
import { LogView } from './log-view.js';
import {
  applyChanges,
  decodeMembership,
  encodeMembership,
  isJoint,
  leaveJoint,
  MembershipHistory,
  membershipOf,
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
import {
  allMembers,
  allVoters,
  isVoter,
  jointActive,
  jointCommitted,
  jointVoteResult,
} from './quorum/joint.js';
import type { RaftLog } from './raft-log.js';
import { ReadIndexRounds } from './read-index.js';
import { SnapshotReceiver } from './snapshot-receiver.js';
import { Progress } from './tracker/progress.js';
import type { Entry, HardState, Membership, NodeId, Role, Snapshot } from './types.js';

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
  readonly progress?: Readonly<Record<NodeId, { match: number; next: number; state: string }>>;
  readonly leadTransferee: NodeId | null;
}

/**
 * The membership entries after `index`: from the log's own index when it has one, else by
 * paging through every entry.
 */
function membershipEntriesAfter(log: RaftLog, index: number, pageBytes: number): Entry[] {
  const lo = Math.max(index + 1, log.firstIndex());
  const hi = log.lastIndex() + 1;
  if (lo >= hi) return [];
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

export class RaftNode {
  readonly id: NodeId;
  private readonly cfg: ResolvedRaftConfig;
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
  private electionElapsed = 0;
  private heartbeatElapsed = 0;
  private randomizedElectionTimeout = 0;
  private votes = new Map<NodeId, boolean>();

  // Membership in force: the newest in the log (§4.1). `history` keeps every one after the
  // snapshot, for truncation and for the membership at a snapshot's index.
  private config: Membership;
  private readonly history: MembershipHistory;

  // Leader state.
  private progress = new Map<NodeId, Progress>();
  /** This leader knows the cluster's commit index (it committed in its term, or had no tail). */
  private committedInTerm = false;
  private uncommittedSize = 0;
  private leadTransferee: NodeId | null = null;
  /** Ticks since the transfer started; it is abandoned after an election timeout. */
  private transferElapsed = 0;
  /** This leader applied a membership without itself: it hands over, then steps down. */
  private removedSelf = false;
  private readonly reads = new ReadIndexRounds();
  /** Reads that arrived before `committedInTerm`: they wait for it. */
  private readsAwaitingCommit: { id: string; from: NodeId }[] = [];
  private snapshotCache: Snapshot | null = null;

  // Reads confirmed and waiting for `applied` to reach their index (this node's own reads).
  private readyReads: { id: string; index: number }[] = [];
  /** Reads forwarded to the leader, awaiting its answer. */
  private forwardedReads = new Set<string>();

  private readonly receiver = new SnapshotReceiver();
  /** A snapshot the driver must restore before the next apply (restart or install). */
  private pendingRestore: Snapshot | null = null;

  private out: Action[] = [];

  constructor(config: RaftConfig, log: RaftLog = new MemoryLog()) {
    this.cfg = resolveConfig(config);
    this.id = this.cfg.id;
    this.prng = new Prng(this.cfg.seed);
    this.log = new LogView(log);

    const hs = log.hardState();
    this.currentTerm = hs.term;
    this.votedFor = hs.vote;
    this.saved = hs;
    const snapshot = log.snapshotMetadata();
    this.applied = snapshot?.index ?? 0;
    this.commit = Math.min(Math.max(hs.commit, this.applied), this.log.lastIndex());
    this.history = new MembershipHistory(
      this.applied,
      snapshot?.membership ?? membershipOf(this.cfg.voters, this.cfg.learners),
    );
    if (snapshot) this.pendingRestore = log.snapshot();
    // Every membership entry in the log after the snapshot is in force again at once.
    for (const e of membershipEntriesAfter(log, this.applied, this.cfg.maxSizePerMsg)) {
      this.history.record(e.index, decodeMembership(e.data));
    }
    this.config = this.history.latest();
    this.resetElectionTimeout();
  }

  // ---------------------------------------------------------------------------------------
  // Public surface

  /**
   * Feed one event; returns the actions to carry out, in order. Misuse (proposing on a
   * follower, a malformed event) throws a `RaftError` before any state changes. A malformed
   * or stale message is ignored or answered, never thrown.
   */
  step(event: Event): Action[] {
    this.out = [];
    const before = { role: this.currentRole, term: this.currentTerm, leader: this.leaderId };
    if (event === null || typeof event !== 'object')
      throw new InvalidArgumentError('event must be an object');
    switch (event.type) {
      case 'tick':
        this.tick();
        break;
      case 'advance':
        // Only the end of the step matters: it hands out the next committed entries.
        break;
      case 'message':
        if (isValidMessage(event.message, this.id)) this.handleMessage(event.message);
        break;
      case 'propose':
        this.propose(event.commands ?? (event.command === undefined ? undefined : [event.command]));
        break;
      case 'read':
        this.read(event.id);
        break;
      case 'campaign':
        this.campaign(false);
        break;
      case 'transfer-leadership':
        this.transferLeadership(event.to);
        break;
      case 'change-membership':
        this.changeMembership(event.changes);
        break;
      case 'snapshot':
        this.takeSnapshot(event.index, event.data);
        break;
      default:
        throw new InvalidArgumentError(`unknown event type ${String((event as { type: unknown }).type)}`);
    }
    this.finishStep(before);
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

  membership(): Membership {
    return this.config;
  }

  status(): RaftStatus {
    let progress: Record<NodeId, { match: number; next: number; state: string }> | undefined;
    if (this.currentRole === 'leader') {
      progress = {};
      for (const [id, pr] of this.progress)
        progress[id] = { match: pr.match, next: pr.next, state: pr.state };
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
      membership: this.config,
      ...(progress ? { progress } : {}),
      leadTransferee: this.leadTransferee,
    };
  }

  // ---------------------------------------------------------------------------------------
  // Step plumbing

  private send(message: Message): void {
    this.out.push({ type: 'send', to: message.to, message });
  }

  /** Apply what is committed, release reads, write the log once, report state changes. */
  private finishStep(before: { role: Role; term: number; leader: NodeId | null }): void {
    // Restart from a snapshot: restored in the first step that completes (a step that throws
    // leaves it pending), before any apply.
    if (this.pendingRestore) {
      this.out.push({ type: 'restore', snapshot: this.pendingRestore });
      this.pendingRestore = null;
    }
    const budget = this.cfg.maxApplyBytesPerStep || Number.POSITIVE_INFINITY;
    let applied = 0;
    do {
      while (this.applied < this.commit && applied < budget) applied += this.applyCommitted();
    } while (this.maybeAutoLeave());
    this.maybeHandOver();
    this.releaseReadyReads();
    if (this.currentRole === 'leader') {
      const round = this.reads.openRound();
      if (round > 0) this.broadcastHeartbeat();
    }
    const hs = { term: this.currentTerm, vote: this.votedFor, commit: this.commit };
    const changed =
      hs.term !== this.saved.term || hs.vote !== this.saved.vote || hs.commit !== this.saved.commit;
    this.log.flush(changed ? hs : undefined);
    if (changed) this.saved = hs;
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
    this.randomizedElectionTimeout = this.prng.intBetween(this.cfg.electionTick, 2 * this.cfg.electionTick);
  }

  /**
   * May this node campaign? A voter of the newest membership may; so may a voter of the
   * committed membership that an uncommitted newer one removes, or nobody might be left to
   * finish the change (the new voters may lack the entry that makes them the majority).
   */
  private promotable(): boolean {
    if (isVoter(this.config, this.id)) return true;
    return this.history.latestIndex() > this.commit && isVoter(this.history.at(this.commit), this.id);
  }

  // ---------------------------------------------------------------------------------------
  // Roles

  private becomeFollower(term: number, leader: NodeId | null): void {
    const wasLeader = this.currentRole === 'leader';
    if (term > this.currentTerm) {
      this.currentTerm = term;
      this.votedFor = null;
    }
    if (leader !== this.leaderId) this.failForwardedReads();
    this.currentRole = 'follower';
    this.leaderId = leader;
    this.heartbeatElapsed = 0;
    this.resetElectionTimeout();
    this.votes.clear();
    if (wasLeader) this.stepDownCleanup();
  }

  /** Leader-only state is dropped; reads it had not confirmed fail (the caller retries). */
  private stepDownCleanup(): void {
    this.progress.clear();
    this.leadTransferee = null;
    this.removedSelf = false;
    this.snapshotCache = null;
    const waiting = [...this.reads.clear(), ...this.readsAwaitingCommit];
    this.readsAwaitingCommit = [];
    for (const read of waiting) {
      if (read.from === this.id) {
        this.out.push({
          type: 'read-failed',
          id: read.id,
          error: new LeadershipLostError('leadership lost before the read was confirmed'),
        });
      } else {
        this.sendReadIndexResponse(read.from, read.id, 0, false);
      }
    }
  }

  private becomePreCandidate(): void {
    // Pre-candidates keep their term and vote: a pre-vote changes nothing durable.
    this.currentRole = 'pre-candidate';
    this.failForwardedReads();
    this.leaderId = null;
    this.votes.clear();
    this.resetElectionTimeout();
  }

  private becomeCandidate(): void {
    this.currentRole = 'candidate';
    this.currentTerm += 1;
    this.votedFor = this.id;
    this.failForwardedReads();
    this.leaderId = null;
    this.votes.clear();
    this.resetElectionTimeout();
  }

  private becomeLeader(): void {
    this.currentRole = 'leader';
    this.leaderId = this.id;
    this.heartbeatElapsed = 0;
    this.electionElapsed = 0;
    this.votes.clear();
    this.progress.clear();
    this.leadTransferee = null;
    this.removedSelf = false;
    this.uncommittedSize = 0;
    const last = this.log.lastIndex();
    for (const id of allMembers(this.config)) {
      if (id === this.id) continue;
      this.progress.set(id, new Progress(last + 1, this.cfg.maxInflightMsgs, this.cfg.maxInflightBytes));
    }
    if (last > this.commit) {
      // The Figure 8 rule: earlier terms' entries commit only through an entry of this term.
      this.committedInTerm = false;
      this.appendEntries([{ type: 'empty', data: new Uint8Array(0) }]);
    } else {
      // Nothing past the commit index: this leader's commit index is the cluster's.
      this.committedInTerm = true;
    }
    for (const id of this.progress.keys()) this.sendAppend(id, true);
    this.maybeCommit();
  }

  // ---------------------------------------------------------------------------------------
  // Time

  private tick(): void {
    if (this.currentRole === 'leader') {
      this.tickLeader();
      return;
    }
    this.electionElapsed++;
    if (this.promotable() && this.electionElapsed >= this.randomizedElectionTimeout) {
      this.campaign(false);
    }
  }

  private tickLeader(): void {
    this.heartbeatElapsed++;
    this.electionElapsed++;
    if (this.electionElapsed >= this.cfg.electionTick) {
      this.electionElapsed = 0;
      if (this.cfg.checkQuorum && !this.quorumActive()) {
        this.becomeFollower(this.currentTerm, null);
        return;
      }
    }
    if (this.leadTransferee !== null && ++this.transferElapsed >= this.cfg.electionTick) {
      // A transfer that has not finished within an election timeout is abandoned; a removed
      // leader then steps down all the same (the remaining voters elect one by timeout).
      this.leadTransferee = null;
      if (this.removedSelf) {
        this.becomeFollower(this.currentTerm, null);
        return;
      }
    }
    for (const [id, pr] of this.progress) {
      if (pr.state === 'snapshot' && ++pr.snapshotIdle >= SNAPSHOT_RESEND_TICKS)
        this.sendSnapshotChunk(id, pr);
    }
    if (this.heartbeatElapsed >= this.cfg.heartbeatTick) {
      this.heartbeatElapsed = 0;
      this.broadcastHeartbeat();
    }
  }

  /** CheckQuorum: did a quorum (this node included) talk to us since the last round? */
  private quorumActive(): boolean {
    const active = jointActive(
      this.config,
      (id) => id === this.id || this.progress.get(id)?.recentActive === true,
    );
    for (const pr of this.progress.values()) pr.recentActive = false;
    return active;
  }

  // ---------------------------------------------------------------------------------------
  // Elections

  /** Start an election: a pre-vote round first unless disabled or transferring leadership. */
  private campaign(transfer: boolean): void {
    if (this.currentRole === 'leader' || !this.promotable()) return;
    if (this.cfg.preVote && !transfer) {
      this.becomePreCandidate();
      this.requestVotes(true, false);
    } else {
      this.startElection(transfer);
    }
  }

  /** The real election: a new term, a vote for ourselves, and vote requests. */
  private startElection(transfer: boolean): void {
    this.becomeCandidate();
    this.requestVotes(false, transfer);
  }

  private requestVotes(preVote: boolean, transfer: boolean): void {
    const term = preVote ? this.currentTerm + 1 : this.currentTerm;
    this.votes.set(this.id, true);
    if (this.tallyVotes(preVote)) return;
    const lastLogIndex = this.log.lastIndex();
    const lastLogTerm = this.log.lastTerm();
    for (const id of allVoters(this.config)) {
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
    const result = jointVoteResult(this.config, this.votes);
    if (result === 'won') {
      if (preVote) this.startElection(false);
      else this.becomeLeader();
      return true;
    }
    if (result === 'lost') {
      this.becomeFollower(this.currentTerm, null);
      return true;
    }
    return false;
  }

  private handleRequestVote(m: RequestVoteMessage): void {
    const canVote =
      this.votedFor === m.from ||
      (this.votedFor === null && this.leaderId === null) ||
      (m.preVote && m.term > this.currentTerm);
    const upToDate =
      m.lastLogTerm > this.log.lastTerm() ||
      (m.lastLogTerm === this.log.lastTerm() && m.lastLogIndex >= this.log.lastIndex());
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
      this.send({
        type: 'request-vote-response',
        from: this.id,
        to: m.from,
        term: this.currentTerm,
        preVote: m.preVote,
        granted: false,
      });
    }
  }

  private handleVoteResponse(m: RequestVoteResponseMessage): void {
    const expectPreVote = this.currentRole === 'pre-candidate';
    if (this.currentRole !== 'candidate' && !expectPreVote) return;
    if (m.preVote !== expectPreVote) return;
    this.votes.set(m.from, m.granted);
    this.tallyVotes(m.preVote);
  }

  // ---------------------------------------------------------------------------------------
  // Messages

  private handleMessage(m: Message): void {
    if (!this.checkTerm(m)) return;
    switch (m.type) {
      case 'request-vote':
        this.handleRequestVote(m);
        return;
      case 'request-vote-response':
        this.handleVoteResponse(m);
        return;
      case 'append-entries':
        if (this.acceptLeader(m.from)) this.handleAppendEntries(m);
        return;
      case 'heartbeat':
        if (this.acceptLeader(m.from)) this.handleHeartbeat(m);
        return;
      case 'install-snapshot':
        if (this.acceptLeader(m.from)) this.handleInstallSnapshot(m);
        return;
      case 'timeout-now':
        // Leadership transfer: campaign now, skipping pre-vote and leader stickiness.
        if (this.currentRole !== 'leader') this.campaign(true);
        return;
      case 'read-index':
        this.handleReadIndexRequest(m);
        return;
      case 'read-index-response':
        this.handleReadIndexResponse(m);
        return;
      default:
        if (this.currentRole === 'leader') this.handleLeaderResponse(m);
    }
  }

  /**
   * The term rules (§5.1), with pre-vote and leader stickiness. Returns false when the
   * message must be dropped after any answer was sent.
   */
  private checkTerm(m: Message): boolean {
    if (m.term > this.currentTerm) {
      if (m.type === 'request-vote') {
        const inLease =
          this.cfg.checkQuorum && this.leaderId !== null && this.electionElapsed < this.cfg.electionTick;
        // Leader stickiness: a node that recently heard from a leader ignores the request.
        if (inLease && !m.transfer) return false;
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
      if (m.type === 'append-entries' || m.type === 'heartbeat') {
        // A stale leader (e.g. after a partition) learns our term and steps down (§5.1: the
        // receiver answers with its term). It may never hear of the newer term otherwise:
        // pre-vote and leader stickiness keep vote requests from it, and a candidate whose
        // membership counts it as a learner never asks it (testkit membership seed 2876).
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
      } else if (m.type === 'request-vote' && m.preVote) {
        this.send({
          type: 'request-vote-response',
          from: this.id,
          to: m.from,
          term: this.currentTerm,
          preVote: true,
          granted: false,
        });
      }
      return false;
    }
    return true;
  }

  /** A message from the leader of our term: follow it. Returns false if we are the leader. */
  private acceptLeader(from: NodeId): boolean {
    if (this.currentRole === 'leader') return false; // two leaders in one term cannot happen
    if (this.currentRole !== 'follower' || this.leaderId !== from)
      this.becomeFollower(this.currentTerm, from);
    this.electionElapsed = 0;
    return true;
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
      // Stale or duplicated: everything up to our commit index already matches the leader.
      reply(true, this.commit);
      return;
    }
    if (this.log.matchTerm(m.prevLogIndex, m.prevLogTerm)) {
      const lastNew = m.prevLogIndex + m.entries.length;
      const conflict = this.findConflict(m.entries);
      if (conflict > 0) {
        // Never truncate a committed entry (Leader Completeness makes this impossible).
        if (conflict <= this.commit) return;
        this.appendToLog(m.entries.slice(conflict - m.entries[0]!.index));
      }
      this.commitTo(Math.min(m.commit, lastNew));
      reply(true, lastNew);
      return;
    }
    // Fast back-off: point the leader at our last index whose term is at most its prevLogTerm.
    const hintIndex = this.findConflictByTerm(Math.min(m.prevLogIndex, this.log.lastIndex()), m.prevLogTerm);
    reply(false, m.prevLogIndex, hintIndex, this.log.termOrUndefined(hintIndex) ?? 0);
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
    if (m.metadata.index <= this.commit) {
      // We already hold everything this snapshot covers (a stale chunk must not disturb an
      // install in progress).
      reply(0, true);
      return;
    }
    const { offset, snapshot } = this.receiver.accept(m);
    if (!snapshot) {
      reply(offset, false);
      return;
    }
    const { index, term } = snapshot.metadata;
    if (this.log.matchTerm(index, term)) {
      // Our log already has the entry: the snapshot only tells us it is committed.
      this.commitTo(index);
    } else {
      this.log.install(snapshot);
      this.commit = index;
      this.applied = index;
      this.config = snapshot.metadata.membership;
      this.history.reset(index, this.config);
      // This snapshot supersedes one still waiting to be restored after a restart: restoring
      // that older one after this would roll the state machine back.
      this.pendingRestore = null;
      // Restore before anything else is applied or read.
      this.out.push({ type: 'restore', snapshot });
      this.out.push({ type: 'membership', index, term, membership: this.config });
    }
    reply(offset, true);
  }

  // ---------------------------------------------------------------------------------------
  // Leader: proposals and replication

  private requireLeader(): void {
    if (this.currentRole !== 'leader') throw new NotLeaderError(this.leaderId, this.id);
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
    this.requireLeader();
    if (this.leadTransferee !== null) throw new TransferInProgressError(this.leadTransferee);
    const limit = this.cfg.maxUncommittedEntriesSize;
    if (limit > 0 && this.uncommittedSize > 0 && this.uncommittedSize + size > limit) {
      throw new UncommittedLimitError(limit, this.uncommittedSize + size);
    }
    const first = this.appendEntries(commands.map((data) => ({ type: 'command' as const, data })));
    this.out.push({
      type: 'accepted',
      kind: 'commands',
      term: this.currentTerm,
      firstIndex: first,
      lastIndex: first + commands.length - 1,
    });
    this.broadcastAppend();
  }

  /** Append new entries of this term to the leader's log; returns the first index. */
  private appendEntries(items: readonly { type: Entry['type']; data: Uint8Array }[]): number {
    const first = this.log.lastIndex() + 1;
    const entries: Entry[] = new Array(items.length);
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      entries[i] = { index: first + i, term: this.currentTerm, type: item.type, data: item.data };
      this.uncommittedSize += item.data.length;
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

  /** Adopt the newest membership; a leader starts or stops tracking members. */
  private membershipChanged(): void {
    this.config = this.history.latest();
    if (this.currentRole !== 'leader') return;
    const members = new Set(allMembers(this.config));
    const next = this.log.lastIndex() + 1;
    for (const id of members) {
      if (id !== this.id && !this.progress.has(id)) {
        this.progress.set(id, new Progress(next, this.cfg.maxInflightMsgs, this.cfg.maxInflightBytes));
      }
    }
    for (const id of [...this.progress.keys()]) if (!members.has(id)) this.progress.delete(id);
  }

  /** Send every follower what it lacks; with `sendIfEmpty`, at least the new commit index. */
  private broadcastAppend(sendIfEmpty = false): void {
    for (const id of this.progress.keys()) {
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
    const pr = this.progress.get(to);
    if (!pr || pr.isPaused()) return false;
    const prevLogIndex = pr.next - 1;
    const prevLogTerm = this.log.termOrUndefined(prevLogIndex);
    if (prevLogTerm === undefined || pr.next < this.log.firstIndex()) {
      return this.startSnapshot(to, pr);
    }
    const last = this.log.lastIndex();
    const entries = pr.next <= last ? this.log.entries(pr.next, last + 1, this.cfg.maxSizePerMsg) : [];
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
    if (entries.length > 0) {
      const lastSent = entries[entries.length - 1]!.index;
      if (pr.state === 'replicate') {
        let bytes = 0;
        for (const e of entries) bytes += e.data.length;
        pr.next = lastSent + 1;
        pr.inflights.add(lastSent, bytes);
      } else {
        pr.probeSent = true;
      }
    } else if (pr.state === 'probe') {
      pr.probeSent = true;
    }
    return true;
  }

  private broadcastHeartbeat(): void {
    const context = this.reads.currentRound();
    for (const [id, pr] of this.progress) {
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

  private handleLeaderResponse(m: Message): void {
    const pr = this.progress.get(m.from);
    if (!pr) return;
    pr.recentActive = true;
    switch (m.type) {
      case 'append-entries-response':
        this.handleAppendResponse(m, pr);
        return;
      case 'heartbeat-response':
        this.handleHeartbeatResponse(m, pr);
        return;
      case 'install-snapshot-response':
        this.handleSnapshotResponse(m, pr);
        return;
      default:
        return;
    }
  }

  private handleAppendResponse(m: AppendEntriesResponseMessage, pr: Progress): void {
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
    const wasPaused = pr.isPaused();
    // A probe answered at the match point we already knew (e.g. 0 on a fresh follower) is
    // still the answer that lets replication start.
    const probeAnswered = pr.state === 'probe' && m.index === pr.match;
    if (!pr.maybeUpdate(m.index) && !probeAnswered) return;
    if (pr.state === 'probe') pr.becomeReplicate();
    else if (pr.state === 'replicate') pr.inflights.freeLE(m.index);
    if (this.maybeCommit()) {
      // Followers learn the new commit index now rather than at the next heartbeat.
      this.broadcastAppend(true);
    } else if (wasPaused) {
      this.sendAppend(m.from, false);
    }
    // Keep the pipeline full while the window allows.
    while (this.sendAppend(m.from, false)) {
      /* each call sends one more batch */
    }
    if (this.leadTransferee === m.from && pr.match === this.log.lastIndex()) this.sendTimeoutNow(m.from);
  }

  private handleHeartbeatResponse(m: HeartbeatResponseMessage, pr: Progress): void {
    // A probe that went unanswered (lost) is retried on the heartbeat's answer; a full
    // window frees a slot, since its appends may have been lost and only a new one can
    // draw the rejection that resets the follower's progress.
    if (pr.state === 'probe') pr.probeSent = false;
    else if (pr.state === 'replicate' && pr.inflights.full()) pr.inflights.freeFirst();
    if (pr.match < this.log.lastIndex()) this.sendAppend(m.from, true);
    if (m.context > 0) {
      this.reads.ack(m.from, m.context);
      this.releaseConfirmedReads();
    }
  }

  /** Advance the commit index to what a quorum holds, counting only this term's entries. */
  private maybeCommit(): boolean {
    const last = this.log.lastIndex();
    const index = jointCommitted(this.config, (id) =>
      id === this.id ? last : (this.progress.get(id)?.match ?? 0),
    );
    if (index <= this.commit || this.log.termOrUndefined(index) !== this.currentTerm) return false;
    this.commit = index;
    if (!this.committedInTerm) {
      this.committedInTerm = true;
      this.onCommittedInTerm();
    }
    return true;
  }

  private onCommittedInTerm(): void {
    const waiting = this.readsAwaitingCommit;
    this.readsAwaitingCommit = [];
    for (const read of waiting) this.leaderRead(read.id, read.from);
  }

  // ---------------------------------------------------------------------------------------
  // Leader: snapshots

  private startSnapshot(to: NodeId, pr: Progress): boolean {
    const meta = this.log.store.snapshotMetadata();
    if (!meta) return false; // compacted without a snapshot cannot happen with a compliant log
    pr.becomeSnapshot(meta.index);
    return this.sendSnapshotChunk(to, pr);
  }

  private sendSnapshotChunk(to: NodeId, pr: Progress): boolean {
    let snapshot = this.snapshotCache;
    if (!snapshot || snapshot.metadata.index !== pr.snapshotIndex) {
      snapshot = this.log.store.snapshot();
      this.snapshotCache = snapshot;
    }
    if (!snapshot) return false;
    if (snapshot.metadata.index !== pr.snapshotIndex) {
      // A newer snapshot replaced the one being sent: start over with it.
      pr.becomeSnapshot(snapshot.metadata.index);
    }
    const start = Math.min(pr.snapshotOffset, snapshot.data.length);
    const end = Math.min(start + this.cfg.snapshotChunkSize, snapshot.data.length);
    pr.snapshotIdle = 0;
    pr.snapshotSent = start;
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

  private handleSnapshotResponse(m: InstallSnapshotResponseMessage, pr: Progress): void {
    if (pr.state !== 'snapshot' || m.snapshotIndex !== pr.snapshotIndex) return;
    if (m.reject) {
      pr.becomeProbe();
      this.sendAppend(m.from, true);
    } else if (m.done) {
      pr.match = Math.max(pr.match, pr.snapshotIndex);
      pr.becomeProbe();
      this.sendAppend(m.from, true);
    } else if (m.offset !== pr.snapshotSent) {
      // The follower wants another chunk than the one in flight: trust its offset (it may
      // have started over). An answer naming the chunk in flight is a duplicate.
      pr.snapshotOffset = m.offset;
      this.sendSnapshotChunk(m.from, pr);
    }
  }

  /** The application snapshotted its state at applied `index`: store it, compact the log. */
  private takeSnapshot(index: number, data: Uint8Array): void {
    if (!Number.isSafeInteger(index) || index < 0)
      throw new InvalidArgumentError(`snapshot index ${index} is invalid`);
    if (!(data instanceof Uint8Array)) throw new InvalidArgumentError('snapshot data must be a Uint8Array');
    if (index > this.applied) {
      throw new InvalidArgumentError(`snapshot index ${index} is past the applied index ${this.applied}`);
    }
    const current = this.log.store.snapshotMetadata();
    if (index === 0 || (current && index <= current.index) || index < this.log.firstIndex() - 1) return;
    const membership = this.history.at(index);
    const snapshot: Snapshot = { metadata: { index, term: this.log.term(index), membership }, data };
    const compactIndex = Math.max(this.log.firstIndex() - 1, index - this.cfg.compactionTail);
    this.log.compact(snapshot, compactIndex);
    this.history.prune(index);
    this.snapshotCache = snapshot;
  }

  // ---------------------------------------------------------------------------------------
  // Applying

  /** Emit `apply` actions for the next page of committed entries; returns its bytes. */
  private applyCommitted(): number {
    const entries = this.log.entries(this.applied + 1, this.commit + 1, this.cfg.maxSizePerMsg);
    let bytes = 0;
    for (const entry of entries) {
      bytes += entry.data.length;
      this.applied = entry.index;
      if (this.currentRole === 'leader')
        this.uncommittedSize = Math.max(0, this.uncommittedSize - entry.data.length);
      if (entry.type === 'command') {
        this.out.push({ type: 'apply', index: entry.index, term: entry.term, command: entry.data });
      } else if (entry.type === 'membership') {
        this.applyMembership(entry);
      }
    }
    return bytes;
  }

  /** A membership entry is committed and applied: report it. */
  private applyMembership(entry: Entry): void {
    const membership = decodeMembership(entry.data);
    this.out.push({ type: 'membership', index: entry.index, term: entry.term, membership });
  }

  /** A leader whose newest membership, committed, leaves it out hands over (§4.2.2). */
  private maybeHandOver(): void {
    if (
      this.currentRole === 'leader' &&
      !this.removedSelf &&
      !isVoter(this.config, this.id) &&
      this.history.latestIndex() <= this.commit
    ) {
      this.handOver();
    }
  }

  /**
   * The leader's removal is committed (§4.2.2). It keeps leading, without counting itself,
   * until the most up-to-date voter holds its whole log, then hands over with timeout-now;
   * it steps down then, or when the transfer times out (the new voters, who hold the new
   * membership, elect a leader by themselves).
   */
  private handOver(): void {
    this.removedSelf = true;
    let best: NodeId | null = null;
    let bestMatch = -1;
    for (const [id, pr] of this.progress) {
      if (isVoter(this.config, id) && pr.match > bestMatch) {
        best = id;
        bestMatch = pr.match;
      }
    }
    if (best === null) this.becomeFollower(this.currentTerm, null);
    else this.startTransfer(best);
  }

  /** Leave a joint configuration by itself once the joint entry is committed (§4.3). */
  private maybeAutoLeave(): boolean {
    if (this.currentRole !== 'leader' || !isJoint(this.config) || this.history.latestIndex() > this.commit) {
      return false;
    }
    this.appendMembership(leaveJoint(this.config), false);
    return true;
  }

  // ---------------------------------------------------------------------------------------
  // Membership changes

  private changeMembership(changes: readonly MembershipChange[]): void {
    if (!Array.isArray(changes)) throw new InvalidArgumentError('change-membership needs a `changes` array');
    this.requireLeader();
    if (this.leadTransferee !== null) throw new TransferInProgressError(this.leadTransferee);
    if (isJoint(this.config) || this.history.latestIndex() > this.commit) {
      throw new MembershipChangePendingError();
    }
    if (!this.committedInTerm) {
      // Commit-in-current-term rule (the fix to the single-server change bug). A leader only
      // lacks this with an uncommitted tail, so its election's empty entry is on its way.
      throw new MembershipChangePendingError('the leader has not committed an entry of its term yet; retry');
    }
    this.appendMembership(applyChanges(this.config, changes), true);
  }

  /** Append a membership entry; `announce` answers a request with an `accepted` action. */
  private appendMembership(next: Membership, announce: boolean): void {
    const index = this.appendEntries([{ type: 'membership', data: encodeMembership(next) }]);
    if (announce) {
      this.out.push({
        type: 'accepted',
        kind: 'membership',
        term: this.currentTerm,
        firstIndex: index,
        lastIndex: index,
      });
    }
    this.broadcastAppend();
  }

  // ---------------------------------------------------------------------------------------
  // Leadership transfer (§3.10)

  private transferLeadership(to: NodeId): void {
    this.requireLeader();
    if (!isVoter(this.config, to)) throw new InvalidArgumentError(`node ${String(to)} is not a voter`);
    if (to === this.id || this.leadTransferee === to) return;
    this.startTransfer(to);
  }

  private startTransfer(to: NodeId): void {
    this.leadTransferee = to;
    // The transfer must finish within an election timeout or it is abandoned.
    this.transferElapsed = 0;
    const pr = this.progress.get(to)!;
    if (pr.match === this.log.lastIndex()) this.sendTimeoutNow(to);
    else this.sendAppend(to, true);
  }

  /** `to` holds our whole log: tell it to campaign now. A removed leader is done then. */
  private sendTimeoutNow(to: NodeId): void {
    this.send({ type: 'timeout-now', from: this.id, to, term: this.currentTerm });
    if (this.removedSelf) this.becomeFollower(this.currentTerm, null);
  }

  // ---------------------------------------------------------------------------------------
  // Linearizable reads (§6.4)

  private read(id: string): void {
    if (typeof id !== 'string' || id.length === 0)
      throw new InvalidArgumentError('read needs a non-empty string id');
    if (this.currentRole === 'leader') {
      this.leaderRead(id, this.id);
      return;
    }
    if (this.leaderId === null || this.currentRole !== 'follower')
      throw new NotLeaderError(this.leaderId, this.id);
    this.forwardedReads.add(id);
    this.send({ type: 'read-index', from: this.id, to: this.leaderId, term: this.currentTerm, id });
  }

  /** Register a read on the leader, for itself or a follower (`from`). */
  private leaderRead(id: string, from: NodeId): void {
    if (!this.committedInTerm) {
      this.readsAwaitingCommit.push({ id, from });
      return;
    }
    const singleVoter = allVoters(this.config).length === 1;
    if (singleVoter || this.cfg.leaseRead) {
      // A quorum of one needs no round; a lease trusts check-quorum's recent contact.
      this.readConfirmed(id, from, this.commit);
      return;
    }
    this.reads.add(id, from, this.commit);
  }

  private releaseConfirmedReads(): void {
    const round = jointCommitted(this.config, (id) => this.reads.acked(id, this.id));
    for (const read of this.reads.release(round)) this.readConfirmed(read.id, read.from, read.index);
  }

  private readConfirmed(id: string, from: NodeId, index: number): void {
    if (from === this.id) this.readyReads.push({ id, index });
    else this.sendReadIndexResponse(from, id, index, true);
  }

  private sendReadIndexResponse(to: NodeId, id: string, index: number, ok: boolean): void {
    this.send({ type: 'read-index-response', from: this.id, to, term: this.currentTerm, id, index, ok });
  }

  private handleReadIndexRequest(m: ReadIndexMessage): void {
    if (this.currentRole !== 'leader') {
      this.sendReadIndexResponse(m.from, m.id, 0, false);
      return;
    }
    this.leaderRead(m.id, m.from);
  }

  private handleReadIndexResponse(m: ReadIndexResponseMessage): void {
    if (!this.forwardedReads.delete(m.id)) return;
    if (m.ok) this.readyReads.push({ id: m.id, index: m.index });
    else this.out.push({ type: 'read-failed', id: m.id, error: new NotLeaderError(this.leaderId, this.id) });
  }

  private failForwardedReads(): void {
    for (const id of this.forwardedReads) {
      this.out.push({
        type: 'read-failed',
        id,
        error: new RaftError('LEADERSHIP_LOST', 'the leader changed before answering the read'),
      });
    }
    this.forwardedReads.clear();
  }

  /** Serve every confirmed read whose index is applied, in arrival order. */
  private releaseReadyReads(): void {
    if (this.readyReads.length === 0) return;
    const waiting: { id: string; index: number }[] = [];
    for (const read of this.readyReads) {
      if (read.index <= this.applied) this.out.push({ type: 'read-ready', id: read.id, index: read.index });
      else waiting.push(read);
    }
    this.readyReads = waiting;
  }
}
