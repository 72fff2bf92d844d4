/**
 * The snapshot a stopped node's log stores, wherever its bytes are, for the offline tools
 * (`recover`, `restoreBackup`, `inspectDataDir`). A log written by a server without
 * `snapshotStreaming` keeps the snapshot's bytes in the log; one written with it keeps a
 * 20-byte descriptor there (size and CRC32C, `StreamedSnapshotLog`) and the bytes in the file
 * `snapshot-<index>-<term>.snap` of the snapshot directory (D28). The offline tools must
 * never take one for the other: a descriptor handed to a state machine as its state is
 * silent corruption (D30).
 *
 * How a directory is told apart: by the stored snapshot itself (a descriptor, or metadata
 * with `bytes`, is a file; anything else is bytes), and for a log with no snapshot, by the
 * snapshot directory (a streaming server creates it at its first start). That is only the
 * default: the operator's `snapshotStreaming` says how a tool writes.
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError, type RaftLog, type SnapshotMetadata, StorageError } from '@raft-io/core';
import { SNAPSHOT_DIR_NAME } from './options.js';
import { MAX_SESSION_TABLE_BYTES, type ReplicatedMachine } from './replicated-machine.js';
import { readSnapshotFile, type StreamedFacts, snapshotFileName } from './snapshot-files.js';
import { decodeDescriptor, StreamedSnapshotLog } from './streamed-snapshot-log.js';

/** Where the snapshot files of a node are: `snapshotDir`, else `<dataDir>/snapshots`, else unknown. */
export interface SnapshotDirOptions {
  /** The node's data directory. */
  readonly dataDir?: string;
  /**
   * The directory of its snapshot files with `snapshotStreaming`, as given to `RaftServer`.
   * Default `<dataDir>/snapshots`.
   */
  readonly snapshotDir?: string;
}

export function snapshotDirOf(options: SnapshotDirOptions): string | null {
  if (options.snapshotDir !== undefined) {
    if (typeof options.snapshotDir !== 'string' || options.snapshotDir === '')
      throw new InvalidArgumentError('snapshotDir must be a directory path');
    return options.snapshotDir;
  }
  return typeof options.dataDir === 'string' && options.dataDir !== ''
    ? join(options.dataDir, SNAPSHOT_DIR_NAME)
    : null;
}

/** A log's snapshot as it is stored: its bytes in the log, or a streamed one's file. */
export type StoredSnapshot =
  | { readonly kind: 'bytes'; readonly metadata: SnapshotMetadata; readonly data: Uint8Array }
  | {
      readonly kind: 'file';
      readonly metadata: SnapshotMetadata & StreamedFacts;
      /** The file's name in the snapshot directory. */
      readonly name: string;
    };

/** The log's snapshot as stored (see the module comment), or null when it has none. */
export function storedSnapshot(log: RaftLog): StoredSnapshot | null {
  const snapshot = log.snapshot();
  if (snapshot === null) return null;
  const { metadata, data } = snapshot;
  // A log that keeps the facts itself (a `StreamedSnapshotLog`, a core log in streaming).
  let facts: StreamedFacts | null =
    metadata.bytes !== undefined && metadata.checksum !== undefined
      ? { bytes: metadata.bytes, checksum: metadata.checksum }
      : null;
  // A plain log written through `StreamedSnapshotLog` by a streaming server.
  facts ??= decodeDescriptor(data);
  if (facts === null) return { kind: 'bytes', metadata, data };
  return { kind: 'file', metadata: { ...metadata, ...facts }, name: snapshotFileName(metadata) };
}

/** What a tool writes by default: as the log's snapshot is; with none, as the directory shows. */
export function defaultStreaming(stored: StoredSnapshot | null, dir: string | null): boolean {
  if (stored !== null) return stored.kind === 'file';
  return dir !== null && existsSync(dir);
}

/** The snapshot directory a streamed snapshot needs, or `InvalidArgumentError`. */
export function requireSnapshotDir(dir: string | null, what: string): string {
  if (dir === null) throw new InvalidArgumentError(`${what}: give snapshotDir (or dataDir)`);
  return dir;
}

/**
 * The size on disk of the stored snapshot's file, or null when it is missing; a cheap check
 * (no read) for reports and dry runs.
 */
export async function storedFileSize(
  dir: string,
  stored: StoredSnapshot & { kind: 'file' },
): Promise<number | null> {
  try {
    return (await stat(join(dir, stored.name))).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Restore the stored snapshot into `machine`: its bytes, or its file read chunk by chunk
 * (size and CRC32C checked). A damaged or missing file rejects with `StorageError`, even when
 * the state machine gives up on the bytes before the check at the file's end (the file is
 * then read through once more to tell a damaged file from bytes it does not decode).
 */
export async function restoreStored(
  machine: ReplicatedMachine<unknown>,
  stored: StoredSnapshot,
  dir: string | null,
): Promise<void> {
  if (stored.kind === 'bytes') {
    await machine.restore(stored.data);
    return;
  }
  const path = join(requireSnapshotDir(dir, 'the log’s snapshot is a streamed one'), stored.name);
  try {
    await machine.restoreStream(readSnapshotFile(path, stored.metadata), MAX_SESSION_TABLE_BYTES);
  } catch (error) {
    if (error instanceof StorageError) throw error;
    for await (const _ of readSnapshotFile(path, stored.metadata)) {
      // read through: the size and CRC32C are checked at the end
    }
    throw error;
  }
}

/**
 * The log a streamed snapshot is written through: the log itself when it keeps the facts in
 * its metadata, else wrapped so that they go in as the descriptor (as `RaftServer` does).
 */
export function streamedWriter(log: RaftLog, stored: StoredSnapshot | null): RaftLog {
  if (log instanceof StreamedSnapshotLog) return log;
  const native = stored?.kind === 'file' && log.snapshotMetadata()?.bytes !== undefined;
  return native ? log : new StreamedSnapshotLog(log);
}
