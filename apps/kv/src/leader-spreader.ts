/**
 * `LeaderSpreader`: keeps the leaders of a sharded kv's groups spread over its nodes. Every
 * `everyMs` it runs one `RaftHost.balanceLeaders()` pass on this node (never two at once):
 * a node that leads more than its fair share (`ceil(groups with a leader / nodes)`) hands
 * the excess to the members that lead the fewest, by leadership transfer. Every node runs
 * one, so leadership spreads after the start and again after a node came back from a crash.
 * A pass does at most one transfer per group, each bounded by `transferTimeoutMs`.
 */
import type { Logger, RaftHost } from 'raft-io';

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
        const moved = await this.host.balanceLeaders({
          timeoutMs: this.options.transferTimeoutMs ?? 5_000,
        });
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

  /** Stop; resolves once a running pass is over. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.pass;
  }
}
