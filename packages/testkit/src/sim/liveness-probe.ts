/**
 * `LivenessProbe`: after the faults stop, proposes a no-op marker on whichever node is leader
 * (again and again until it sticks) and reports done once the marker is committed and every
 * node has applied through it. A run that does not get there within its bound has a
 * liveness violation: no leader, or a leader that cannot bring every node up to date.
 */
import type { Action, NodeId } from '@raft-io/core';
import { encodeKvCommand } from '../kv/kv-command.js';
import { isRaftError } from '../raft-error.js';
import type { Cluster, ClusterListener } from './cluster.js';

interface Attempt {
  readonly node: NodeId;
  readonly incarnation: number;
  index?: number;
  term?: number;
}

export class LivenessProbe implements ClusterListener {
  private attempt: Attempt | null = null;
  private proposing: Attempt | null = null;
  private committedIndex = 0;
  private attempts = 0;
  /** The tick a leader was first seen after the probe started, or -1. */
  leaderSeenAt = -1;

  constructor(private readonly cluster: Cluster) {
    cluster.addListener(this);
  }

  /** Call every tick of the heal phase. */
  tick(): void {
    const c = this.cluster;
    const leader = c.leader();
    if (leader !== null && this.leaderSeenAt < 0) this.leaderSeenAt = c.ticks;
    if (this.committedIndex > 0) return;
    const a = this.attempt;
    // An attempt stands while its node still leads the term it was accepted in; once that
    // leadership is gone, nothing may ever commit at its index again: propose anew.
    if (
      a !== null &&
      c.isLive(a.node) &&
      c.runtime(a.node).incarnation === a.incarnation &&
      a.index !== undefined &&
      c.node(a.node).isLeader() &&
      c.node(a.node).term() === a.term
    )
      return;
    this.attempt = null;
    if (leader === null) return;
    const attempt: Attempt = { node: leader, incarnation: c.runtime(leader).incarnation };
    this.proposing = attempt;
    try {
      c.step(leader, {
        type: 'propose',
        command: encodeKvCommand({ kind: 'noop', tag: `probe${++this.attempts}` }),
      });
      if (attempt.index !== undefined) this.attempt = attempt;
    } catch (err) {
      if (!isRaftError(err)) throw err;
    } finally {
      this.proposing = null;
    }
  }

  onAction(node: NodeId, incarnation: number, action: Action): void {
    if (action.type === 'accepted') {
      const p = this.proposing;
      if (p !== null && p.node === node && p.incarnation === incarnation && p.index === undefined) {
        p.index = action.firstIndex;
        p.term = action.term;
      }
      return;
    }
    if (action.type !== 'apply') return;
    const a = this.attempt ?? this.proposing;
    if (a === null || a.index === undefined || action.index < a.index) return;
    if (action.index === a.index && action.term === a.term) this.committedIndex = a.index;
    else if (node === a.node && incarnation === a.incarnation && this.committedIndex === 0)
      this.attempt = null; // lost: try again
  }

  /** The marker is committed and every member is up and has applied through it. */
  done(): boolean {
    if (this.committedIndex === 0) return false;
    const c = this.cluster;
    return c.members().every((id) => c.isLive(id) && c.node(id).appliedIndex() >= this.committedIndex);
  }

  /** Why it is not done yet, for the violation record. */
  explain(): string {
    const c = this.cluster;
    const nodes = c
      .status()
      .map(
        (s) =>
          `n${s.id} ${s.up ? s.role : 'down'} term=${s.term} commit=${s.commit} applied=${s.applied} last=${s.last}`,
      )
      .join('; ');
    if (this.leaderSeenAt < 0) return `no leader elected [${nodes}]`;
    if (this.committedIndex === 0)
      return `a leader was elected but no proposal committed (${this.attempts} attempts) [${nodes}]`;
    return `the probe committed at index ${this.committedIndex} but not every node applied it [${nodes}]`;
  }
}
