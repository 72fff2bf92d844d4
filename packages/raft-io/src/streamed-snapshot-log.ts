/**
 * `StreamedSnapshotLog`: the `RaftLog` wrapper that lets any log keep a streamed snapshot's
 * metadata (D28). With `snapshotStreaming` the core stores snapshots as metadata with the
 * file's `bytes` and `checksum` and empty data; `SqliteLog` (and most logs) keep a snapshot's
 * index, term, membership and data, not extra metadata fields. So this wrapper writes the two
 * facts as the snapshot's data, a 20-byte descriptor (`RFSS`, version 1, three zero bytes,
 * the size as a float64, the CRC32C as a u32; big-endian), and reads them back into the
 * metadata. The log's own row checksum covers the descriptor; anything else in that place is
 * refused (`StorageError`), since the snapshot's bytes would then not be in the file the
 * driver looks for.
 */
import {
  type Entry,
  type HardState,
  type LogWrite,
  type RaftLog,
  type Snapshot,
  type SnapshotMetadata,
  StorageError,
} from '@raft-io/core';

const MAGIC = [0x52, 0x46, 0x53, 0x53] as const; // "RFSS"
const VERSION = 1;
export const DESCRIPTOR_BYTES = 20;
const EMPTY = new Uint8Array(0);

/** The descriptor of a streamed snapshot of `bytes` bytes with CRC32C `checksum`. */
export function encodeDescriptor(bytes: number, checksum: number): Uint8Array {
  const out = new Uint8Array(DESCRIPTOR_BYTES);
  out.set(MAGIC, 0);
  out[4] = VERSION;
  const view = new DataView(out.buffer);
  view.setFloat64(8, bytes);
  view.setUint32(16, checksum);
  return out;
}

/** The size and checksum in a descriptor, or null when `data` is not one. */
export function decodeDescriptor(data: Uint8Array): { bytes: number; checksum: number } | null {
  if (data.length !== DESCRIPTOR_BYTES) return null;
  for (let i = 0; i < MAGIC.length; i++) if (data[i] !== MAGIC[i]) return null;
  if (data[4] !== VERSION || data[5] !== 0 || data[6] !== 0 || data[7] !== 0) return null;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const bytes = view.getFloat64(8);
  if (!Number.isSafeInteger(bytes) || bytes < 0) return null;
  return { bytes, checksum: view.getUint32(16) };
}

export class StreamedSnapshotLog implements RaftLog {
  /** The metadata with the file's facts, read once per snapshot written. */
  private metadata: SnapshotMetadata | null | undefined;
  readonly membershipEntries?: (lo: number, hi: number) => Entry[];
  readonly sync?: () => void;
  readonly syncAsync?: () => Promise<void>;
  readonly close?: () => void;

  constructor(readonly inner: RaftLog) {
    // Optional methods stay optional: the driver looks at which ones the log has.
    if (inner.membershipEntries) this.membershipEntries = (lo, hi) => inner.membershipEntries!(lo, hi);
    if (inner.sync) this.sync = () => inner.sync!();
    if (inner.syncAsync) this.syncAsync = () => inner.syncAsync!();
    if (inner.close) this.close = () => inner.close!();
  }

  hardState(): HardState {
    return this.inner.hardState();
  }

  snapshotMetadata(): SnapshotMetadata | null {
    if (this.metadata !== undefined) return this.metadata;
    const stored = this.inner.snapshotMetadata();
    if (stored === null) {
      this.metadata = null;
      return null;
    }
    const snapshot = this.inner.snapshot();
    const facts = snapshot === null ? null : decodeDescriptor(snapshot.data);
    if (facts === null) {
      throw new StorageError(
        `the log's snapshot at index ${stored.index} is not a streamed snapshot's descriptor (was it written without snapshotStreaming?)`,
      );
    }
    this.metadata = Object.freeze({ ...stored, ...facts });
    return this.metadata;
  }

  snapshot(): Snapshot | null {
    const metadata = this.snapshotMetadata();
    return metadata === null ? null : { metadata, data: EMPTY };
  }

  firstIndex(): number {
    return this.inner.firstIndex();
  }

  lastIndex(): number {
    return this.inner.lastIndex();
  }

  term(index: number): number {
    return this.inner.term(index);
  }

  entries(lo: number, hi: number, maxBytes?: number): Entry[] {
    return this.inner.entries(lo, hi, maxBytes);
  }

  write(write: LogWrite): void {
    const snapshot = write.snapshot;
    if (snapshot === undefined) {
      this.inner.write(write);
      return;
    }
    const { bytes, checksum, ...metadata } = snapshot.metadata;
    if (bytes === undefined || checksum === undefined) {
      throw new StorageError('a streamed snapshot reached the log without its size and checksum');
    }
    this.metadata = undefined;
    this.inner.write({ ...write, snapshot: { metadata, data: encodeDescriptor(bytes, checksum) } });
  }
}
