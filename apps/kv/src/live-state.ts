/**
 * A kv node's `LiveNodeState` (the cluster view's picture of one node), built from the
 * `RaftServer`'s status, the transport's per-peer counters, the partition filter and, under
 * `kv cluster`, the launcher's view of the processes.
 */
import type { NodeId, RaftServer } from 'raft-io';
import type { LiveNodeState, LivePeer, ProcessState } from './live-types.js';
import type { FilteredTransport } from './raft-filter.js';
import { membersOf } from './status-view.js';

export interface LiveStateSources {
  readonly server: RaftServer<unknown>;
  readonly transport: FilteredTransport;
  readonly memberUrls: ReadonlyMap<NodeId, string>;
  /** Keys in the state machine. */
  readonly keys: () => number;
  /** The launcher's process states, or null when not under a launcher. */
  readonly processes: () => Readonly<Record<string, ProcessState>> | null;
}

export function liveState(s: LiveStateSources): LiveNodeState {
  const status = s.server.status();
  const { members } = membersOf(status.membership as unknown, s.memberUrls);
  const blocked = s.transport.blocked();
  const links = new Map(s.transport.stats().peers.map((p) => [p.id, p]));
  const ids = new Set<NodeId>([...members.map((m) => m.id), ...links.keys()]);
  ids.delete(status.id);
  const peers: LivePeer[] = [...ids]
    .sort((a, b) => a - b)
    .map((id) => {
      const link = links.get(id);
      const progress = status.progress?.[id];
      return {
        id,
        connected: link?.connected ?? false,
        blocked: blocked.includes(id),
        queued: link?.queuedMessages ?? 0,
        progress: progress
          ? {
              match: progress.match,
              next: progress.next,
              state: progress.state,
              inflight: progress.inflight,
              silentTicks: progress.silentTicks,
            }
          : null,
        lag: progress ? Math.max(0, status.lastIndex - progress.match) : null,
      };
    });
  const raft = s.server.address();
  return {
    id: status.id,
    url: s.memberUrls.get(status.id) ?? null,
    raft: raft === null ? null : `${raft.host.includes(':') ? `[${raft.host}]` : raft.host}:${raft.port}`,
    role: status.role,
    term: status.term,
    vote: status.vote,
    leader: status.leader,
    commitIndex: status.commitIndex,
    appliedIndex: status.appliedIndex,
    firstIndex: status.firstIndex,
    lastIndex: status.lastIndex,
    snapshotIndex: status.snapshotIndex,
    keys: s.keys(),
    removed: status.removed,
    lifecycle: status.lifecycle,
    members,
    peers,
    blocked,
    processes: s.processes(),
    at: Date.now(),
  };
}
