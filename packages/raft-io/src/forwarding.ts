/**
 * `ProposalRouter`: where a proposal goes, so that `propose` works on any node and rides out
 * elections (issue 13).
 *
 * - On the leader it is queued for the next batch.
 * - While no leader is known (an election, a node that just started) it waits, within its
 *   deadline, and goes as soon as one is.
 * - On a follower it is forwarded to the leader over the Raft transport, as a driver message
 *   (`forward-proposal`, framing's frame kind 4: the core never sees it). The leader
 *   proposes the bytes as they are, and answers when the entry is applied with where it
 *   committed and the state machine's result (`forward-result`, the result encoded by the
 *   result codec) or why it failed (`forward-error`). A `NOT_LEADER` or
 *   `TRANSFER_IN_PROGRESS` answer means nothing was appended: the proposal waits for the
 *   next leader (or a tick) and goes again. The follower resolves once it has applied the
 *   entry itself (or at its deadline), so what it reads locally afterwards includes it.
 *   Without a transport that carries driver messages, or with forwarding off, a follower
 *   rejects with `ForwardToLeaderError` as before.
 *
 * A lost forward (a connection that broke after the send) is not resent: the proposal ends
 * at its deadline with `TimeoutError`, outcome unknown, like one lost with a leader. Client
 * sessions make a retry safe.
 */
import {
  decodeCommandEntry,
  LeadershipLostError,
  type Logger,
  type NodeId,
  type RaftError,
} from '@raft-io/core';
import {
  type DriverChannel,
  type DriverMessage,
  type ForwardErrorMessage,
  type ForwardProposalMessage,
  type ForwardResultMessage,
  MAX_ERROR_MESSAGE_LENGTH,
  MAX_ERROR_NAME_LENGTH,
  MAX_FORWARD_TIMEOUT_MS,
} from '@raft-io/framing';
import { type ForwardToLeaderError, ProposalError } from './errors.js';
import type { ResultCodec } from './result-codec.js';
import { Waiter } from './waiter.js';

/** Where a proposal committed and what it came to (internal; `propose` maps it). */
export type Applied<R> = { readonly index: number; readonly term: number; readonly duplicate: boolean } & (
  | { readonly value: R }
  | { readonly encoded: Uint8Array }
);

/** Who waits for a proposal: the caller's waiter, or a peer that forwarded it. */
export interface ProposalSink<R> {
  readonly done: boolean;
  /** `performance.now()` when the caller proposed (for the queue-time metric), if known. */
  readonly startedAt?: number;
  resolve(applied: Applied<R>): void;
  reject(error: unknown): void;
}

/** A proposal on its way through the server. */
export interface Proposal<R> {
  /** The entry's data: the command, wrapped when it carries a client session. */
  readonly command: Uint8Array;
  readonly waiter: ProposalSink<R>;
  /** `performance.now()` by which the caller gives up; 0: never. */
  readonly deadline: number;
  /** Set on the leader for a proposal a follower forwarded: it is not forwarded again. */
  readonly fromPeer?: NodeId;
  index: number;
  term: number;
  /** `performance.now()` when the proposal was stepped into the core (for the metrics). */
  steppedAt?: number;
}

/** What the router needs from the server. */
export interface RouterHost<R> {
  readonly id: NodeId;
  readonly tickIntervalMs: number;
  readonly codec: ResultCodec<R>;
  readonly logger: Logger;
  /** Whether the core says this node leads. */
  isLeader(): boolean;
  /** The leader this node knows of. */
  leader(): NodeId | null;
  /** Queue a proposal for the next batch (this node leads). */
  enqueue(proposal: Proposal<R>): void;
  /** The error a follower rejects with when it cannot forward. */
  notLeader(): ForwardToLeaderError;
  /** The index the state machine has applied. */
  applied(): number;
  /** Take a place for a proposal a peer forwarded (false: `maxPendingProposals` reached). */
  admitForwarded(): boolean;
  /** Give that place back. */
  releaseForwarded(): void;
  /** The deadline for a forwarded proposal that announced none, in ms. */
  readonly proposalTimeoutMs: number;
}

/** Answers a follower gets that prove nothing was appended: the proposal may go again. */
const NOT_APPENDED = new Set(['NOT_LEADER', 'TRANSFER_IN_PROGRESS']);
const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && ERROR_CODE.test(code) ? code : 'APPLY_FAILED';
}

export class ProposalRouter<R> {
  /** Proposals waiting for a leader (`leaderChanged`) or a retry (`tick`). */
  private parked: Proposal<R>[] = [];
  /** Forwards waiting for the leader's answer, by request id. */
  private readonly inflight = new Map<number, { proposal: Proposal<R>; leader: NodeId }>();
  /** Answered forwards waiting for this node to apply their index. */
  private appliedWaits: { index: number; proposal: Proposal<R>; applied: Applied<R> }[] = [];
  private seq = 0;
  /** Counters for `stats()`. */
  forwarded = 0;
  served = 0;

  constructor(
    private readonly host: RouterHost<R>,
    private readonly channel: DriverChannel | null,
  ) {
    channel?.onDriverMessage((m) => this.onDriverMessage(m));
  }

  /** Send `proposal` where it can be proposed (see the module comment). */
  dispatch(proposal: Proposal<R>): void {
    if (proposal.waiter.done) return;
    const h = this.host;
    if (h.isLeader()) {
      h.enqueue(proposal);
      return;
    }
    if (proposal.fromPeer !== undefined) {
      // One hop only: the follower that forwarded it waits for the next leader itself.
      proposal.waiter.reject(h.notLeader());
      return;
    }
    const leader = h.leader();
    if (leader === null || leader === h.id) {
      this.parked.push(proposal);
      return;
    }
    if (this.channel === null) {
      proposal.waiter.reject(h.notLeader());
      return;
    }
    const id = ++this.seq;
    const timeoutMs =
      proposal.deadline === 0
        ? 0
        : Math.min(MAX_FORWARD_TIMEOUT_MS, Math.max(1, Math.ceil(proposal.deadline - performance.now())));
    const sent = this.channel.sendDriver({
      type: 'forward-proposal',
      from: h.id,
      to: leader,
      id,
      command: proposal.command,
      timeoutMs,
    });
    if (!sent) {
      // Not queued (no link yet, a full queue): nothing left this node; try again next tick.
      this.parked.push(proposal);
      return;
    }
    this.forwarded++;
    this.inflight.set(id, { proposal, leader });
  }

  /** The known leader changed: proposals that waited for one go now. */
  leaderChanged(): void {
    if (this.host.leader() === null) return;
    this.redispatch();
  }

  /** A tick passed: retry parked proposals, drop forwards whose caller gave up. */
  tick(): void {
    this.redispatch();
    for (const [id, f] of this.inflight) if (f.proposal.waiter.done) this.inflight.delete(id);
    this.appliedWaits = this.appliedWaits.filter((w) => !w.proposal.waiter.done);
  }

  private redispatch(): void {
    const parked = this.parked;
    this.parked = [];
    for (const p of parked) this.dispatch(p);
  }

  /** This node applied up to `index`: answered forwards at or below it resolve. */
  appliedUpTo(index: number): void {
    if (this.appliedWaits.length === 0) return;
    const still: typeof this.appliedWaits = [];
    for (const w of this.appliedWaits) {
      if (w.index <= index) w.proposal.waiter.resolve(w.applied);
      else if (!w.proposal.waiter.done) still.push(w);
    }
    this.appliedWaits = still;
  }

  /** Reject everything parked or in flight (close, fatal error). */
  rejectAll(error: RaftError): void {
    const all = [
      ...this.parked,
      ...[...this.inflight.values()].map((f) => f.proposal),
      ...this.appliedWaits.map((w) => w.proposal),
    ];
    this.parked = [];
    this.inflight.clear();
    this.appliedWaits = [];
    for (const p of all) p.waiter.reject(error);
  }

  /** Proposals parked or in flight here. */
  get pending(): number {
    return this.parked.length + this.inflight.size + this.appliedWaits.length;
  }

  // -----------------------------------------------------------------------------------------
  // Driver messages

  private onDriverMessage(m: DriverMessage): void {
    switch (m.type) {
      case 'forward-proposal':
        this.serve(m);
        return;
      case 'forward-result':
        this.onResult(m);
        return;
      case 'forward-error':
        this.onError(m);
        return;
    }
  }

  private onResult(m: ForwardResultMessage): void {
    const f = this.inflight.get(m.id);
    // An answer from a node we did not ask is ignored (it cannot be ours).
    if (f === undefined || f.leader !== m.from) return;
    this.inflight.delete(m.id);
    const applied: Applied<R> = { index: m.index, term: m.term, duplicate: m.duplicate, encoded: m.result };
    if (this.host.applied() >= m.index) f.proposal.waiter.resolve(applied);
    else this.appliedWaits.push({ index: m.index, proposal: f.proposal, applied });
  }

  private onError(m: ForwardErrorMessage): void {
    const f = this.inflight.get(m.id);
    if (f === undefined || f.leader !== m.from) return;
    this.inflight.delete(m.id);
    if (NOT_APPENDED.has(m.code)) {
      // Nothing was appended: wait for the leader to change (or a tick) and go again.
      this.parked.push(f.proposal);
      return;
    }
    f.proposal.waiter.reject(
      m.code === 'LEADERSHIP_LOST'
        ? new LeadershipLostError(`node ${m.from}: ${m.message}`)
        : new ProposalError(m.code, `node ${m.from}: ${m.message}`, m.name, m.from),
    );
  }

  /** On the leader: propose a follower's forwarded command and answer it once settled. */
  private serve(m: ForwardProposalMessage): void {
    const h = this.host;
    const answerError = (code: string, message: string, name = '') => {
      const reply: ForwardErrorMessage = {
        type: 'forward-error',
        from: h.id,
        to: m.from,
        id: m.id,
        code,
        message: message.slice(0, MAX_ERROR_MESSAGE_LENGTH),
        leader: h.leader(),
        name: name.slice(0, MAX_ERROR_NAME_LENGTH),
      };
      this.channel?.sendDriver(reply);
    };
    if (!h.isLeader()) {
      answerError('NOT_LEADER', `node ${h.id} is not the leader`);
      return;
    }
    if (decodeCommandEntry(m.command).kind === 'malformed') {
      answerError('INVALID_ARGUMENT', 'the forwarded command is not a valid entry');
      return;
    }
    if (!h.admitForwarded()) {
      answerError('PENDING_LIMIT', 'too many pending proposals on the leader; back off and retry');
      return;
    }
    this.served++;
    const waiter = new Waiter<Applied<R>>({
      timeoutMs: m.timeoutMs === 0 ? h.proposalTimeoutMs : m.timeoutMs,
      what: 'forwarded proposal',
      onSettle: () => h.releaseForwarded(),
    });
    waiter.promise.then(
      (applied) => {
        let result: Uint8Array;
        try {
          result = 'value' in applied ? h.codec.encode(applied.value) : applied.encoded;
        } catch (error) {
          answerError(
            'RESULT_NOT_ENCODABLE',
            `applied at index ${applied.index}, but the result cannot be encoded: ${(error as Error).message}`,
          );
          return;
        }
        this.channel?.sendDriver({
          type: 'forward-result',
          from: h.id,
          to: m.from,
          id: m.id,
          index: applied.index,
          term: applied.term,
          result,
          duplicate: applied.duplicate,
        });
      },
      (error: unknown) => {
        const e = error instanceof Error ? error : new Error(String(error));
        answerError(errorCode(error), e.message, e.name);
      },
    );
    h.enqueue({ command: m.command, waiter, deadline: 0, index: 0, term: 0, fromPeer: m.from });
  }
}
