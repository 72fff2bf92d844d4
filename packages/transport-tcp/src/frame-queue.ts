/**
 * The bounded queue of encoded frames waiting for one peer's connection. Bounded both in
 * frames and in bytes; when full, the newest frame is refused (its `send` returns false):
 * the frames already queued are older and were promised first, and Raft resends what
 * matters (the next heartbeat or append carries the same state again).
 */
export class FrameQueue {
  #frames: Uint8Array[] = [];
  #head = 0;
  #bytes = 0;

  constructor(
    /** Most frames held. */
    readonly maxMessages: number,
    /** Most bytes held (sum of frame sizes). */
    readonly maxBytes: number,
  ) {}

  /** Frames held. */
  get length(): number {
    return this.#frames.length - this.#head;
  }

  /** Bytes held. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Appends `frame` unless that would pass a bound; returns whether it was queued. */
  push(frame: Uint8Array): boolean {
    if (this.length + 1 > this.maxMessages || this.#bytes + frame.length > this.maxBytes) return false;
    this.#frames.push(frame);
    this.#bytes += frame.length;
    return true;
  }

  /**
   * Removes frames from the front, in order, until at least `targetBytes` are taken or the
   * queue is empty (always at least one frame if any); returns them.
   */
  take(targetBytes: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    let taken = 0;
    while (this.#head < this.#frames.length && (out.length === 0 || taken < targetBytes)) {
      const frame = this.#frames[this.#head]!;
      // Stop before a frame that would overshoot the batch, unless the batch is empty.
      if (out.length > 0 && taken + frame.length > targetBytes) break;
      this.#frames[this.#head++] = EMPTY;
      out.push(frame);
      taken += frame.length;
    }
    this.#bytes -= taken;
    // Compact once the consumed prefix dominates, keeping take() amortized O(1) per frame.
    if (this.#head > 1024 && this.#head * 2 > this.#frames.length) {
      this.#frames = this.#frames.slice(this.#head);
      this.#head = 0;
    }
    return out;
  }

  /** Drops everything; returns how many frames were dropped. */
  clear(): number {
    const n = this.length;
    this.#frames = [];
    this.#head = 0;
    this.#bytes = 0;
    return n;
  }
}

const EMPTY = new Uint8Array(0);
