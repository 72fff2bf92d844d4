/**
 * `HostLiveness`: whether each peer host is alive, as a `RaftHost` knows it: any frame from
 * the host counts (group batches, and the empty batch each host sends every tick it has
 * nothing else for a peer), on the host's tick clock. A host heard from within `timeoutTicks`
 * ticks is alive; it stands in for the heartbeats of every quiesced group it leads (a
 * follower of a quiesced group is woken with `leaderUnreachable` only once its leader's host
 * is deemed down). A host never heard from counts from the start.
 *
 * Our own pauses are not the peers' silence: when the clock hands over several ticks at once
 * (this process was stalled by a GC or an overloaded machine, so frames that arrived meanwhile
 * were not read yet), only one of them counts against each peer. Otherwise one long pause
 * would deem every peer down and wake the followers of thousands of sleeping groups at once.
 */
import type { NodeId } from '@raft-io/core';

export class HostLiveness {
  private readonly lastHeard = new Map<NodeId, number>();
  private now = 0;

  constructor(private readonly timeoutTicks: number) {}

  /** `n` ticks of the host's clock passed (more than one: this process was paused). */
  advance(n: number): void {
    this.now += n;
    if (n > 1) {
      for (const [id, at] of this.lastHeard) this.lastHeard.set(id, Math.min(this.now, at + n - 1));
    }
  }

  /** A frame from host `id` arrived. */
  heard(id: NodeId): void {
    this.lastHeard.set(id, this.now);
  }

  /** Whether host `id` is deemed down: nothing heard from it for more than `timeoutTicks`. */
  isDown(id: NodeId): boolean {
    return this.silentTicks(id) > this.timeoutTicks;
  }

  /** Ticks since host `id` was last heard from (pauses of this process counted once). */
  silentTicks(id: NodeId): number {
    return this.now - (this.lastHeard.get(id) ?? 0);
  }
}
