/**
 * The follower's side of a chunked install-snapshot: it assembles chunks in offset order,
 * answers every chunk with the next offset it wants (so a lost, duplicated or reordered
 * chunk costs a resend, never corruption), and starts over when the leader sends another
 * snapshot. Bounded: a snapshot larger than `maxBytes` is refused, and a partial one is
 * dropped when its leader or term changes or no chunk arrived for `idleTicks` ticks; one
 * whose bytes do not match the leader's checksum is refused.
 *
 * With `streaming` (the `snapshotStreaming` option, docs/decisions.md D28) it holds no
 * bytes: each accepted chunk is handed back (`chunk`) for the driver to append to its file,
 * the checksum runs over the chunks as they pass, and the complete snapshot has empty `data`
 * and its size in `metadata.bytes`. Every other rule is the same.
 */
import { crc32c } from './crc32c.js';
import type { InstallSnapshotMessage } from './messages.js';
import type { Snapshot, SnapshotMetadata } from './types.js';

/** Streaming: bytes accepted at `offset` (0 starts a new snapshot), for the driver's file. */
export interface AcceptedChunk {
  readonly offset: number;
  readonly data: Uint8Array;
}

export type ChunkResult =
  | { readonly kind: 'next'; readonly offset: number; readonly chunk?: AcceptedChunk }
  | {
      readonly kind: 'complete';
      readonly offset: number;
      readonly snapshot: Snapshot;
      readonly chunk?: AcceptedChunk;
    }
  /** The snapshot is larger than the limit: the follower refuses it. */
  | { readonly kind: 'too-large' }
  /** The assembled bytes do not match the checksum the leader sent: refused. */
  | { readonly kind: 'corrupt' };

export class SnapshotReceiver {
  private metadata: SnapshotMetadata | null = null;
  private from = 0;
  private term = 0;
  private chunks: Uint8Array[] = [];
  private received = 0;
  private idle = 0;
  /** Streaming: the CRC32C of the bytes accepted so far. */
  private crc = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly idleTicks: number,
    private readonly streaming = false,
  ) {}

  /** Bytes held for the snapshot being received. */
  bytes(): number {
    return this.received;
  }

  /** Take one chunk; returns the next offset wanted, and the whole snapshot once complete. */
  accept(m: InstallSnapshotMessage): ChunkResult {
    const same =
      this.metadata !== null &&
      this.term === m.term &&
      this.from === m.from &&
      this.metadata.index === m.metadata.index &&
      this.metadata.term === m.metadata.term;
    if (!same) {
      // Another snapshot (or another leader's): only its first chunk can start it. A later
      // chunk of it (perhaps stale) leaves the install in progress alone.
      if (m.offset !== 0) return { kind: 'next', offset: 0 };
      this.reset();
      this.metadata = m.metadata;
      this.term = m.term;
      this.from = m.from;
    }
    this.idle = 0;
    if (m.offset !== this.received) return { kind: 'next', offset: this.received };
    if (this.received + m.data.length > this.maxBytes) {
      this.reset();
      return { kind: 'too-large' };
    }
    if (this.streaming) return this.acceptStreamed(m);
    this.chunks.push(m.data.slice());
    this.received += m.data.length;
    if (!m.done) return { kind: 'next', offset: this.received };
    const data = new Uint8Array(this.received);
    let at = 0;
    for (const chunk of this.chunks) {
      data.set(chunk, at);
      at += chunk.length;
    }
    // The checksum checks the transfer; the snapshot as stored goes without it.
    const { checksum, ...metadata } = this.metadata!;
    this.reset();
    if (checksum !== undefined && crc32c(data) !== checksum) return { kind: 'corrupt' };
    const snapshot: Snapshot = { metadata, data };
    return { kind: 'complete', offset: data.length, snapshot };
  }

  /** Streaming: pass the chunk on to the driver's file; keep only its length and checksum. */
  private acceptStreamed(m: InstallSnapshotMessage): ChunkResult {
    const chunk = m.data.length > 0 || m.offset === 0 ? { offset: m.offset, data: m.data } : undefined;
    this.crc = crc32c(m.data, this.crc);
    this.received += m.data.length;
    if (!m.done) return { kind: 'next', offset: this.received, ...(chunk ? { chunk } : {}) };
    const { checksum, ...rest } = this.metadata!;
    const bytes = this.received;
    const crc = this.crc;
    this.reset();
    // The stored metadata describes the driver's file: it needs the leader's checksum (one
    // that is missing never equals the number computed).
    if (crc !== checksum) return { kind: 'corrupt' };
    const snapshot: Snapshot = { metadata: { ...rest, checksum, bytes }, data: EMPTY };
    return { kind: 'complete', offset: bytes, snapshot, ...(chunk ? { chunk } : {}) };
  }

  /** One tick passed: a partial snapshot idle for `idleTicks` ticks is dropped. */
  tick(): void {
    if (this.metadata !== null && ++this.idle >= this.idleTicks) this.reset();
  }

  reset(): void {
    this.metadata = null;
    this.term = 0;
    this.from = 0;
    this.chunks = [];
    this.received = 0;
    this.idle = 0;
    this.crc = 0;
  }
}

const EMPTY = new Uint8Array(0);
