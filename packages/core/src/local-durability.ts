/**
 * `LocalDurability`: what a node with `asyncStorageWrites` knows about its own disk (docs/
 * decisions.md D21). Every write the node hands its `RaftLog` gets the next sequence number;
 * the driver reports with `persisted` which are durable. It keeps the writes not yet durable
 * that changed entries (to compute the durable index), and the messages withheld until a
 * write is durable (vote grants, append and snapshot acknowledgements).
 *
 * Invariant: `durableSeq <= writeSeq`; `unstable` and `withheld` are in ascending `seq`.
 */
import type { Message } from './messages.js';

export class LocalDurability {
  /** Number of the newest write handed to the log (the n-th write since construction is n). */
  writeSeq = 0;
  /** Every write numbered at or below this is durable. */
  durableSeq = 0;
  /** Writes not reported durable that changed entries: the lowest index each changed. */
  private readonly unstable: { readonly seq: number; readonly from: number }[] = [];
  /** The lowest `from` in `unstable` (Infinity when empty). */
  private lowestUnstable = Number.POSITIVE_INFINITY;
  /** Messages that may leave once write `seq` is durable, in the order they were made. */
  private readonly withheld: { readonly seq: number; readonly message: Message }[] = [];

  /** A write was handed to the log; `from` is the lowest index it changed (Infinity: none). */
  wrote(from: number): void {
    this.writeSeq++;
    if (from !== Number.POSITIVE_INFINITY) {
      this.unstable.push({ seq: this.writeSeq, from });
      if (from < this.lowestUnstable) this.lowestUnstable = from;
    }
  }

  /** Messages withheld until a write is durable. */
  get withheldCount(): number {
    return this.withheld.length;
  }

  /** Whether every write handed out so far is durable. */
  allDurable(): boolean {
    return this.durableSeq >= this.writeSeq;
  }

  /**
   * The last index of a log ending at `lastIndex` whose entries are all durable, given that
   * the step in progress changed entries from `unflushedFrom` on (Infinity: none).
   */
  durableIndex(lastIndex: number, unflushedFrom: number): number {
    return Math.min(lastIndex, this.lowestUnstable - 1, unflushedFrom - 1);
  }

  /** Hold `message` until every write made so far is durable. */
  withhold(message: Message): void {
    this.withheld.push({ seq: this.writeSeq, message });
  }

  /**
   * Writes up to `seq` are durable (the caller checked `seq <= writeSeq`). Returns the
   * messages that may now leave, in order; none for an old report.
   */
  persisted(seq: number): Message[] {
    if (seq <= this.durableSeq) return [];
    this.durableSeq = seq;
    let dropped = 0;
    while (dropped < this.unstable.length && this.unstable[dropped]!.seq <= seq) dropped++;
    if (dropped > 0) {
      this.unstable.splice(0, dropped);
      this.lowestUnstable = Number.POSITIVE_INFINITY;
      for (const u of this.unstable) if (u.from < this.lowestUnstable) this.lowestUnstable = u.from;
    }
    let released = 0;
    while (released < this.withheld.length && this.withheld[released]!.seq <= seq) released++;
    if (released === 0) return [];
    return this.withheld.splice(0, released).map((w) => w.message);
  }
}

/**
 * Whether `message` promises state that must be durable before it leaves: a vote grant (not a
 * pre-vote's), a successful append acknowledgement, a finished snapshot acknowledgement.
 */
export function promisesDurableState(message: Message): boolean {
  switch (message.type) {
    case 'request-vote-response':
      return message.granted && !message.preVote;
    case 'append-entries-response':
      return message.success;
    case 'install-snapshot-response':
      return message.done;
    default:
      return false;
  }
}
