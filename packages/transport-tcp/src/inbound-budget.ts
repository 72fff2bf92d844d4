/**
 * `InboundBudget`: one budget of buffered inbound bytes for all established connections
 * (the bytes of frames received in part; a connection still in its handshake holds at most
 * one small handshake frame and is not counted). Over the budget, a connection that brings
 * more bytes is paused (`socket.pause()`: the kernel's window then pushes back on the
 * sender) until the total is under the budget again.
 *
 * Paused connections that each hold part of a frame could wait for each other forever, so
 * one of them, the one holding the most, is the finisher: it reads on until its frame is
 * complete and its bytes are released. Memory is therefore bounded by the budget plus one
 * frame plus one socket read per connection, and some frame always makes progress.
 */

/** A connection as the budget sees it. */
export interface BudgetMember {
  /** Stops reading from the socket. */
  pause(): void;
  /** Reads again. */
  resume(): void;
}

export class InboundBudget {
  #used = 0;
  readonly #held = new Map<BudgetMember, number>();
  /** Paused members, in the order they were paused. */
  readonly #paused = new Set<BudgetMember>();
  #finisher: BudgetMember | null = null;

  constructor(
    /** The budget, in bytes. */
    readonly limit: number,
  ) {}

  /** Bytes buffered by all members. */
  get used(): number {
    return this.#used;
  }

  /** Members paused by the budget. */
  get pausedCount(): number {
    return this.#paused.size;
  }

  /** Whether `member` is paused by the budget. */
  isPaused(member: BudgetMember): boolean {
    return this.#paused.has(member);
  }

  /**
   * `member` now holds `buffered` bytes, after it read a chunk in which it completed a frame
   * or not (`completedFrame`); pauses it if over budget. A finisher that completed its frame
   * is one no more: it queues up again like everyone else.
   */
  update(member: BudgetMember, buffered: number, completedFrame: boolean): void {
    this.#used += buffered - (this.#held.get(member) ?? 0);
    if (buffered > 0) this.#held.set(member, buffered);
    else this.#held.delete(member);
    if (member === this.#finisher && (completedFrame || buffered === 0)) this.#finisher = null;
    if (this.#used > this.limit && member !== this.#finisher && !this.#paused.has(member)) {
      this.#paused.add(member);
      member.pause();
    }
    this.#balance();
  }

  /** `member` is gone (closed): its bytes are released. */
  remove(member: BudgetMember): void {
    this.#used -= this.#held.get(member) ?? 0;
    this.#held.delete(member);
    this.#paused.delete(member);
    if (member === this.#finisher) this.#finisher = null;
    this.#balance();
  }

  #balance(): void {
    if (this.#used <= this.limit) {
      this.#finisher = null;
      const paused = [...this.#paused];
      this.#paused.clear();
      for (const m of paused) m.resume();
      return;
    }
    if (this.#finisher !== null) return;
    let best: BudgetMember | null = null;
    let most = 0;
    for (const m of this.#paused) {
      const held = this.#held.get(m) ?? 0;
      if (held > most) {
        most = held;
        best = m;
      }
    }
    if (best !== null) {
      this.#finisher = best;
      this.#paused.delete(best);
      best.resume();
    }
  }
}
