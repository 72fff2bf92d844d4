/**
 * The follower's side of a chunked install-snapshot: it assembles chunks in offset order,
 * answers every chunk with the next offset it wants (so a lost, duplicated or reordered
 * chunk costs a resend, never corruption), and starts over when the leader sends another
 * snapshot.
 */
import type { InstallSnapshotMessage } from './messages.js';
import type { Snapshot, SnapshotMetadata } from './types.js';

export type ChunkResult = { readonly offset: number; readonly snapshot?: Snapshot };

export class SnapshotReceiver {
  private metadata: SnapshotMetadata | null = null;
  private term = 0;
  private chunks: Uint8Array[] = [];
  private received = 0;

  /** Take one chunk; returns the next offset wanted, and the whole snapshot once complete. */
  accept(m: InstallSnapshotMessage): ChunkResult {
    const same =
      this.metadata !== null &&
      this.term === m.term &&
      this.metadata.index === m.metadata.index &&
      this.metadata.term === m.metadata.term;
    if (!same) {
      // Another snapshot (or another leader's): only its first chunk can start it. A later
      // chunk of it (perhaps stale) leaves the install in progress alone.
      if (m.offset !== 0) return { offset: 0 };
      this.metadata = m.metadata;
      this.term = m.term;
      this.chunks = [];
      this.received = 0;
    }
    if (m.offset !== this.received) return { offset: this.received };
    if (m.data.length > 0) {
      this.chunks.push(m.data.slice());
      this.received += m.data.length;
    }
    if (!m.done) return { offset: this.received };
    const data = new Uint8Array(this.received);
    let at = 0;
    for (const chunk of this.chunks) {
      data.set(chunk, at);
      at += chunk.length;
    }
    const snapshot: Snapshot = { metadata: this.metadata!, data };
    this.reset();
    return { offset: data.length, snapshot };
  }

  reset(): void {
    this.metadata = null;
    this.term = 0;
    this.chunks = [];
    this.received = 0;
  }
}
