/**
 * `LeaderSpreader`: keeps the leaders of a sharded kv's groups spread over its nodes. Every
 * `everyMs` it runs one pass on this node (never two at once), of two rules:
 *
 * 1. `RaftHost.balanceLeaders()`: a node that leads more than its fair share
 *    (`ceil(groups with a leader / nodes)`) hands the excess to the members that lead the
 *    fewest, by leadership transfer;
 * 2. if that moved nothing: a node that leads more than `floor(groups with a leader / nodes)`
 *    hands one group to a live member that leads fewer than that. The ceiling alone leaves
 *    4 groups on 3 nodes at 2/2/0 (the third node came back from a crash); with this rule
 *    they end at 2/1/1. Leadership only moves to a node below the floor, and the giver stays
 *    at or above it, so the nodes below the floor only get fewer: passes converge.
 *
 * Every node runs one, so leadership spreads after the start and again after a node came
 * back. A pass does at most one transfer per group, each bounded by `transferTimeoutMs`.
 */
import type { Logger, NodeId, RaftHost } from 'raft-io';

export interface LeaderSpreaderOptions {
  /** Time between two passes, in ms. */
  readonly everyMs: number;
  /** How long one transfer may take before the pass gives up on it, in ms. Default 5000. */
  readonly transferTimeoutMs?: number;
  readonly logger: Logger;
}

export class LeaderSpreader {
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> | null = null;
  private closed = false;
  /** Passes run and leadership transfers that finished, since the start. */
  passes = 0;
  transfers = 0;

  constructor(
    private readonly host: RaftHost,
    private readonly options: LeaderSpreaderOptions,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.runPass(), this.options.everyMs);
  }

  /** Run a pass now (unless one runs); resolves when it is over. Never rejects. */
  runPass(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.pass ??= (async () => {
      try {
        const timeoutMs = this.options.transferTimeoutMs ?? 5_000;
        let moved = await this.host.balanceLeaders({ timeoutMs });
        if (moved === 0) moved = await this.fillBelowFloor(timeoutMs);
        this.passes++;
        this.transfers += moved;
        if (moved > 0) this.options.logger.info({ moved }, 'handed leadership of shards to other nodes');
      } catch (error) {
        // The host closes under a pass at shutdown: nothing to spread any more.
        if (!this.closed) this.options.logger.warn({ err: error }, 'spreading shard leaders failed');
      } finally {
        this.pass = null;
      }
    })();
    return this.pass;
  }

  /** Rule 2: hand one group this node leads to a live member below the floor. Resolves with 0 or 1. */
  private async fillBelowFloor(timeoutMs: number): Promise<number> {
    const self = this.host.id;
    const led = new Map<NodeId, number>();
    const members = new Set<NodeId>([self]);
    const mine: { voters: readonly NodeId[]; transfer: (to: NodeId) => Promise<void> }[] = [];
    for (const id of this.host.groups()) {
      const group = this.host.group(id);
      if (group === undefined) continue;
      const { membership, leader } = group.status();
      for (const voter of membership.voters) members.add(voter);
      if (leader === null) continue;
      led.set(leader, (led.get(leader) ?? 0) + 1);
      if (leader === self)
        mine.push({
          voters: membership.voters,
          transfer: (to) => group.transferLeadership(to, { timeoutMs }),
        });
    }
    const total = [...led.values()].reduce((a, b) => a + b, 0);
    const floor = Math.floor(total / members.size);
    if (mine.length <= floor) return 0;
    const below = [...members]
      .filter((id) => id !== self && !this.host.isHostDown(id) && (led.get(id) ?? 0) < floor)
      .sort((a, b) => (led.get(a) ?? 0) - (led.get(b) ?? 0));
    for (const to of below) {
      const group = mine.find((g) => g.voters.includes(to));
      if (group === undefined) continue;
      return group.transfer(to).then(
        () => 1,
        () => 0,
      );
    }
    return 0;
  }

  /** Stop; resolves once a running pass is over. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.pass;
  }
}
