/**
 * `MembershipCalls`: the membership calls of `RaftServer`, made to finish when their effect
 * is real (issue 13):
 *
 * - one call at a time, in the order made: a second change issued right after the first
 *   waits its turn (within its own deadline) instead of failing with
 *   `MembershipChangePendingError`; a change the core refuses for now (the previous one is
 *   not committed yet, a leader that has not committed an entry of its term, a transfer
 *   under way) is retried every tick until the deadline;
 * - a change resolves once it is committed and, for a joint change, once the joint
 *   configuration has been left (the leader appends that entry by itself; a new leader
 *   would finish it too, so the wait rides out a leader change);
 * - `addLearner(id, { catchUp: true })` then waits until the learner is within
 *   `catchUpLagEntries` of the leader's log, having answered it (progress `replicate`);
 * - `addVoter` adds the node as a learner, waits for it to catch up, then promotes it. A new
 *   voter that is far behind would otherwise count in every quorum while it catches up: in a
 *   cluster of three with one node down, adding an empty fourth voter stops all commits until
 *   the newcomer holds the whole log (the dissertation's §4.2.1 "catching up new servers").
 *
 * Each call first waits for a leader (within its deadline); a node that is not the leader
 * then rejects with `ForwardToLeaderError`. Losing leadership before a change commits
 * rejects with `LeadershipLostError` (the outcome is unknown: retry on the new leader; an
 * `addVoter` retried finds the learner in place and goes on from there).
 */
import {
  LeadershipLostError,
  type MemberInfo,
  type Membership,
  type MembershipAction,
  type MembershipChange,
  type NodeId,
  type ProgressStatus,
  RaftError,
} from '@raft-io/core';
import { Waiter } from './waiter.js';

/** One membership call. */
export type MembershipOp =
  /** Any changes (one: a single-server change; several: joint consensus). */
  | { readonly kind: 'change'; readonly changes: readonly MembershipChange[] }
  | {
      readonly kind: 'add-learner';
      readonly id: NodeId;
      readonly info: MemberInfo;
      readonly catchUp: boolean;
    }
  | { readonly kind: 'add-voter'; readonly id: NodeId; readonly info: MemberInfo; readonly catchUp: boolean };

/** How the core took a change: accepted at (`index`, `term`), or refused. */
export type ChangeStepResult =
  | { readonly index: number; readonly term: number }
  | { readonly error: RaftError };

/** What the calls need from the server. */
export interface MembershipHost {
  readonly id: NodeId;
  isLeader(): boolean;
  /** The membership in force. */
  membership(): Membership;
  /** The leader's last log index. */
  lastIndex(): number;
  /** On the leader: `id`'s replication progress. */
  progress(id: NodeId): ProgressStatus | undefined;
  /** Step the change in the next batch and report how the core took it. */
  submit(changes: readonly MembershipChange[], done: (result: ChangeStepResult) => void): void;
  /** Resolves once a leader is known (at once if one is); rejects when `waiter` settles. */
  leaderKnown(waiter: { readonly done: boolean; readonly promise: Promise<unknown> }): Promise<void>;
  /** The error for a call on a follower (names the leader). */
  notLeader(): RaftError;
  /** Milliseconds of one tick: the pace of retries. */
  readonly tickIntervalMs: number;
}

/** Error codes of a change the core refuses only for now. */
const RETRY_CODES = new Set(['MEMBERSHIP_CHANGE_PENDING', 'TRANSFER_IN_PROGRESS']);

interface Call {
  readonly op: MembershipOp;
  readonly waiter: Waiter<void>;
}

/** What the active call waits for; resolved by the server's hooks. */
type Wait =
  | { stage: 'stepping'; resolve: () => void; reject: (error: unknown) => void }
  | {
      stage: 'committing';
      index: number;
      term: number;
      resolve: () => void;
      reject: (error: unknown) => void;
    }
  | { stage: 'leaving'; resolve: () => void; reject: (error: unknown) => void }
  | { stage: 'catching-up'; id: NodeId; resolve: () => void; reject: (error: unknown) => void }
  | { stage: 'retrying'; resolve: () => void; reject: (error: unknown) => void };

function sameInfo(a: MemberInfo | undefined, b: MemberInfo): boolean {
  return (
    (b.address === undefined || a?.address === b.address) &&
    (b.metadata === undefined || a?.metadata === b.metadata)
  );
}

function infoOf(info: MemberInfo): MemberInfo {
  return {
    ...(info.address !== undefined ? { address: info.address } : {}),
    ...(info.metadata !== undefined ? { metadata: info.metadata } : {}),
  };
}

export class MembershipCalls {
  private readonly queue: Call[] = [];
  private active: Call | null = null;
  private wait: Wait | null = null;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly host: MembershipHost,
    private readonly catchUpLagEntries: number,
  ) {}

  /** Queue a call; resolves once its effect is real (see the module comment). */
  enqueue(
    op: MembershipOp,
    what: string,
    options: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<void> {
    const waiter: Waiter<void> = new Waiter<void>({
      timeoutMs: options.timeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
      what,
      onSettle: (_ok, error) => {
        // A call that timed out or was aborted stops where it is (a change already stepped
        // may still commit: its outcome is unknown, as the error says).
        if (this.active?.waiter === waiter) this.cancel(error);
      },
    });
    if (!waiter.done) {
      this.queue.push({ op, waiter });
      this.next();
    }
    return waiter.promise;
  }

  /** Calls queued or running. */
  get pending(): number {
    return this.queue.length + (this.active === null ? 0 : 1);
  }

  private next(): void {
    if (this.active !== null) return;
    let call = this.queue.shift();
    while (call?.waiter.done) call = this.queue.shift();
    if (call === undefined) return;
    this.active = call;
    const c = call;
    this.run(c)
      .then(
        () => c.waiter.resolve(),
        (error: unknown) => c.waiter.reject(error),
      )
      .finally(() => {
        if (this.active === c) {
          this.active = null;
          this.wait = null;
          clearTimeout(this.retryTimer);
          this.next();
        }
      });
  }

  private async run(call: Call): Promise<void> {
    await this.leading(call);
    const op = call.op;
    if (op.kind === 'change') {
      await this.change(call, op.changes);
      return;
    }
    const { id } = op;
    const info = infoOf(op.info);
    const m = () => this.host.membership();
    if (op.kind === 'add-learner') {
      if (!m().learners.includes(id) || !sameInfo(m().info?.[id], info)) {
        await this.change(call, [{ type: 'add-learner', id, ...info }]);
      }
      if (op.catchUp) await this.caughtUp(call, id);
      return;
    }
    const isVoter = () => m().voters.includes(id);
    if (isVoter() && sameInfo(m().info?.[id], info)) return;
    if (op.catchUp && !isVoter()) {
      if (!m().learners.includes(id) || !sameInfo(m().info?.[id], info)) {
        await this.change(call, [{ type: 'add-learner', id, ...info }]);
      }
      await this.caughtUp(call, id);
    }
    await this.change(call, [{ type: 'add-voter', id, ...info }]);
  }

  /**
   * Wait for a leader to be known (an election in progress is ridden out), then fail with
   * `ForwardToLeaderError` unless it is this node.
   */
  private async leading(call: Call): Promise<void> {
    await this.host.leaderKnown(call.waiter);
    if (!this.host.isLeader()) throw this.host.notLeader();
  }

  /** Step `changes` (retrying refusals that are for now), wait for commit and joint leave. */
  private async change(call: Call, changes: readonly MembershipChange[]): Promise<void> {
    for (;;) {
      if (call.waiter.done) throw new LeadershipLostError('the call ended');
      await this.leading(call);
      let retry = false;
      await new Promise<void>((resolve, reject) => {
        this.wait = { stage: 'stepping', resolve, reject };
        this.host.submit(changes, (result) => {
          const w = this.wait;
          if (w?.stage !== 'stepping') return;
          if ('error' in result) {
            this.wait = null;
            // Refused for now, or leadership lost before the step: nothing was appended.
            if (RETRY_CODES.has(result.error.code) || result.error.code === 'NOT_LEADER') {
              retry = true;
              resolve();
            } else reject(result.error);
            return;
          }
          // From here on the hooks (`applied`, `leadershipLost`) settle it; set synchronously,
          // since the entry may commit within the batch that appended it (a lone voter).
          this.wait = { stage: 'committing', index: result.index, term: result.term, resolve, reject };
        });
      });
      if (!retry) return;
      await new Promise<void>((resolve, reject) => {
        const w: Wait = { stage: 'retrying', resolve, reject };
        this.wait = w;
        this.retryTimer = setTimeout(() => {
          if (this.wait !== w) return;
          this.wait = null;
          resolve();
        }, this.host.tickIntervalMs);
      });
    }
  }

  /** Wait until learner `id` answers the leader and is within `catchUpLagEntries` of its log. */
  private async caughtUp(call: Call, id: NodeId): Promise<void> {
    await this.leading(call);
    return new Promise<void>((resolve, reject) => {
      this.wait = { stage: 'catching-up', id, resolve, reject };
      this.afterBatch();
    });
  }

  // -----------------------------------------------------------------------------------------
  // Hooks, called by the server

  /** A committed membership entry was applied on this node. */
  applied(action: MembershipAction): void {
    const w = this.wait;
    if (w === null) return;
    if (w.stage === 'committing' && action.index === w.index) {
      if (action.term !== w.term) {
        this.wait = null;
        w.reject(new LeadershipLostError('the membership change was lost in a leader change'));
      } else if (action.membership.outgoingVoters.length > 0) {
        // Joint: resolved once the entry that leaves it is committed.
        this.wait = { stage: 'leaving', resolve: w.resolve, reject: w.reject };
      } else {
        this.wait = null;
        w.resolve();
      }
    } else if (w.stage === 'leaving' && action.membership.outgoingVoters.length === 0) {
      this.wait = null;
      w.resolve();
    }
  }

  /** After every batch: is the learner being waited for caught up? */
  afterBatch(): void {
    const w = this.wait;
    if (w?.stage !== 'catching-up') return;
    if (!this.host.isLeader()) {
      this.wait = null;
      w.reject(new LeadershipLostError('leadership lost while the learner caught up'));
      return;
    }
    const m = this.host.membership();
    if (!m.learners.includes(w.id) && !m.voters.includes(w.id)) {
      this.wait = null;
      w.reject(new RaftError('INVALID_ARGUMENT', `node ${w.id} left the membership while it caught up`));
      return;
    }
    const pr = this.host.progress(w.id);
    if (
      pr !== undefined &&
      pr.state === 'replicate' &&
      this.host.lastIndex() - pr.match <= this.catchUpLagEntries
    ) {
      this.wait = null;
      w.resolve();
    }
  }

  /** This node stopped leading: a change not yet committed has an unknown outcome. */
  leadershipLost(): void {
    const w = this.wait;
    // A joint change that is committed is left by whoever leads next: keep waiting. A retry
    // finds out for itself (it checks leadership before it steps again).
    if (w === null || w.stage === 'leaving' || w.stage === 'retrying') return;
    this.wait = null;
    w.reject(new LeadershipLostError());
  }

  private cancel(error: unknown): void {
    const w = this.wait;
    this.wait = null;
    clearTimeout(this.retryTimer);
    w?.reject(error);
  }

  /** Reject every call (close, fatal error). */
  rejectAll(error: RaftError): void {
    const calls = [...this.queue];
    this.queue.length = 0;
    for (const c of calls) c.waiter.reject(error);
    this.active?.waiter.reject(error);
  }
}
