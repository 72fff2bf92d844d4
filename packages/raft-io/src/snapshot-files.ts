/**
 * `SnapshotFiles`: the snapshot files of a server with `snapshotStreaming` (D28), in one
 * directory beside the log. A snapshot is `snapshot-<index>-<term>.snap`, the state machine's
 * bytes as they are; the log names the one in force with its size and CRC32C.
 *
 * Crash safety: a file gets its final name only whole and durable (written as `.tmp` or
 * received as `receiving.partial`, fsynced, renamed, the directory fsynced), and the log
 * names it only after that, so a crash at any point leaves the log naming a whole file: the
 * old one or the new one. Opening removes everything the log does not name (a `.tmp` or
 * `.partial` a crash cut short, a renamed file the log never came to name, an old file whose
 * removal a crash interrupted) and checks the named file's size; every read of a whole file
 * checks its CRC32C before the last chunk is handed out, so a damaged file fails before a
 * state machine finishes restoring from it.
 *
 * Memory: reads and writes go one chunk at a time (`chunkBytes`); a received chunk waits in
 * a queue only until its write, and the queue is bounded (`maxQueuedBytes`): past it the
 * partial file is marked failed and its restore refused.
 */
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { type FileHandle, mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32c, type SnapshotMetadata, StorageError } from '@raft-io/core';

/** What the log records of a streamed snapshot. */
export interface StreamedFacts {
  readonly bytes: number;
  readonly checksum: number;
}

const PARTIAL = 'receiving.partial';
const FINAL = /^snapshot-(\d+)-(\d+)\.snap$/;

export function snapshotFileName(m: { readonly index: number; readonly term: number }): string {
  return `snapshot-${m.index}-${m.term}.snap`;
}

export interface SnapshotFilesOptions {
  /** Bytes per read of a whole file (restore, backup). Default 1 MiB. */
  readonly chunkBytes?: number;
  /** Received bytes waiting for their write before the partial file is given up. Default 64 MiB. */
  readonly maxQueuedBytes?: number;
}

/** The receiving side: one partial file, written in order by one chain of writes. */
interface Receiving {
  readonly name: string;
  readonly handle: Promise<FileHandle>;
  /** The last write queued; every write waits for the one before. */
  tail: Promise<void>;
  size: number;
  queued: number;
  failed: unknown;
}

export class SnapshotFiles {
  private readonly chunkBytes: number;
  private readonly maxQueuedBytes: number;
  /** Final files known to exist, and how many readers each has open. */
  private readonly known = new Map<string, number>();
  private receiving: Receiving | null = null;
  private closed = false;
  /** Called when the received bytes waiting for their write fall to zero (backpressure). */
  onDrained: (() => void) | undefined;

  private constructor(
    readonly dir: string,
    options: SnapshotFilesOptions,
  ) {
    this.chunkBytes = options.chunkBytes ?? 1024 * 1024;
    this.maxQueuedBytes = options.maxQueuedBytes ?? 64 * 1024 * 1024;
  }

  /**
   * Open `dir` (created if missing) for a log whose snapshot is `stored`: its file must be
   * there with its size; every other file is removed. Throws `StorageError`.
   */
  static async open(
    dir: string,
    stored: SnapshotMetadata | null,
    options: SnapshotFilesOptions = {},
  ): Promise<SnapshotFiles> {
    const files = new SnapshotFiles(dir, options);
    await mkdir(dir, { recursive: true });
    const keep = stored === null ? null : snapshotFileName(stored);
    let found = false;
    for (const name of await readdir(dir)) {
      if (name === keep) {
        found = true;
        continue;
      }
      if (FINAL.test(name) || name === PARTIAL || name.endsWith('.tmp')) await unlink(join(dir, name));
    }
    if (stored !== null) {
      if (!found) throw new StorageError(`the log names snapshot file ${keep} but ${dir} has no such file`);
      const size = (await stat(join(dir, keep!))).size;
      if (size !== stored.bytes) {
        throw new StorageError(`snapshot file ${keep} holds ${size} bytes; the log recorded ${stored.bytes}`);
      }
      files.known.set(keep!, 0);
    }
    syncDir(dir);
    return files;
  }

  /** Received bytes waiting for their write (the driver holds further chunks while high). */
  receiveBacklog(): number {
    return this.receiving?.queued ?? 0;
  }

  /** Final file names on disk (for tests and status). */
  names(): string[] {
    return [...this.known.keys()];
  }

  /**
   * Write a snapshot from `chunks` as the file for `index` and `term`: durable and under its
   * final name before this resolves with its size and CRC32C. On a failure the partial file
   * is removed and the error rethrown.
   */
  async write(index: number, term: number, chunks: AsyncIterable<Uint8Array>): Promise<StreamedFacts> {
    const name = snapshotFileName({ index, term });
    const tmp = join(this.dir, `${name}.tmp`);
    const fh = await open(tmp, 'w');
    let bytes = 0;
    let checksum = 0;
    try {
      for await (const chunk of chunks) {
        if (!(chunk instanceof Uint8Array)) throw new TypeError('a snapshot chunk must be a Uint8Array');
        checksum = crc32c(chunk, checksum);
        bytes += chunk.length;
        await writeAll(fh, chunk);
      }
      await fh.sync();
    } catch (error) {
      await fh.close().catch(() => {});
      await unlink(tmp).catch(() => {});
      throw error;
    }
    await fh.close();
    await rename(tmp, join(this.dir, name));
    syncDir(this.dir);
    if (!this.known.has(name)) this.known.set(name, 0);
    return { bytes, checksum };
  }

  /** `length` bytes at `offset` of the file of `m`. Throws `StorageError` if it is short. */
  async readChunk(m: SnapshotMetadata, offset: number, length: number): Promise<Uint8Array> {
    const name = snapshotFileName(m);
    return this.using(name, async () => {
      const fh = await open(join(this.dir, name), 'r');
      try {
        const buffer = Buffer.allocUnsafe(length);
        let at = 0;
        while (at < length) {
          const { bytesRead } = await fh.read(buffer, at, length - at, offset + at);
          if (bytesRead === 0)
            throw new StorageError(`snapshot file ${name} ends before byte ${offset + length}`);
          at += bytesRead;
        }
        return buffer;
      } finally {
        await fh.close();
      }
    });
  }

  /**
   * The whole file of `m`, chunk by chunk. Its size and CRC32C are checked against `m`
   * before the last chunk is handed out: a damaged file throws `StorageError` instead.
   */
  read(m: SnapshotMetadata): AsyncIterable<Uint8Array> {
    // Counted from now (not from the first read), so `prune` leaves it to this reader.
    const name = snapshotFileName(m);
    this.known.set(name, (this.known.get(name) ?? 0) + 1);
    return this.readFile(name, m);
  }

  private async *readFile(name: string, m: SnapshotMetadata): AsyncGenerator<Uint8Array> {
    const fh = await open(join(this.dir, name), 'r').catch((error: unknown) => {
      this.release(name);
      throw error;
    });
    try {
      let position = 0;
      let checksum = 0;
      let held: Uint8Array | null = null;
      for (;;) {
        const buffer = Buffer.allocUnsafe(this.chunkBytes);
        const { bytesRead } = await fh.read(buffer, 0, buffer.length, position);
        if (bytesRead === 0) break;
        const chunk = buffer.subarray(0, bytesRead);
        checksum = crc32c(chunk, checksum);
        position += bytesRead;
        // Hand out a chunk only once the next is read: the last waits for the checks.
        if (held !== null) yield held;
        held = chunk;
      }
      if (position !== m.bytes || checksum !== m.checksum) {
        throw new StorageError(
          `snapshot file ${name} is damaged: ${position} bytes with CRC32C ${checksum}, expected ${m.bytes} and ${m.checksum}`,
        );
      }
      if (held !== null) yield held;
    } finally {
      await fh.close();
      this.release(name);
    }
  }

  private async using<T>(name: string, fn: () => Promise<T>): Promise<T> {
    this.known.set(name, (this.known.get(name) ?? 0) + 1);
    try {
      return await fn();
    } finally {
      this.release(name);
    }
  }

  private release(name: string): void {
    const n = this.known.get(name);
    if (n !== undefined) this.known.set(name, Math.max(0, n - 1));
  }

  /**
   * Queue a received chunk for the partial file (offset 0 starts a new one). Writes happen in
   * order; a failure, a gap or too much queued marks the partial file failed.
   */
  receiveChunk(m: SnapshotMetadata, offset: number, data: Uint8Array): void {
    if (offset === 0) this.startReceiving(snapshotFileName(m));
    const r = this.receiving;
    if (r === null || r.failed !== undefined) return;
    if (r.name !== snapshotFileName(m) || offset !== r.size) {
      r.failed = new StorageError(
        `a received chunk at ${offset} does not follow the partial file (${r.size})`,
      );
      return;
    }
    if (r.queued + data.length > this.maxQueuedBytes) {
      r.failed = new StorageError('received chunks arrive faster than the disk writes them');
      return;
    }
    r.size += data.length;
    r.queued += data.length;
    const position = offset;
    r.tail = r.tail.then(async () => {
      if (r.failed !== undefined) return;
      try {
        await writeAll(await r.handle, data, position);
      } catch (error) {
        r.failed = error;
      } finally {
        r.queued -= data.length;
        if (r.queued === 0) this.onDrained?.();
      }
    });
  }

  private startReceiving(name: string): void {
    this.dropReceiving();
    const handle = open(join(this.dir, PARTIAL), 'w');
    const r: Receiving = { name, handle, tail: Promise.resolve(), size: 0, queued: 0, failed: undefined };
    r.tail = handle.then(
      () => {},
      (error: unknown) => {
        r.failed = error;
      },
    );
    this.receiving = r;
  }

  private dropReceiving(): void {
    const r = this.receiving;
    this.receiving = null;
    if (r === null) return;
    void r.tail.then(async () => {
      await (await r.handle.catch(() => null))?.close().catch(() => {});
    });
  }

  /**
   * The received file of `m` is complete: wait for its writes, make it durable, and read it
   * back chunk by chunk (size and CRC32C checked, as `read`). Throws if it is not `m`'s whole
   * snapshot.
   */
  async finishReceiving(m: SnapshotMetadata): Promise<AsyncIterable<Uint8Array>> {
    const r = this.receiving;
    if (r === null || r.name !== snapshotFileName(m)) {
      throw new StorageError(`no received file for snapshot ${snapshotFileName(m)}`);
    }
    await r.tail;
    if (r.failed !== undefined) throw r.failed;
    if (r.size !== m.bytes) throw new StorageError(`received ${r.size} bytes of a ${m.bytes}-byte snapshot`);
    const fh = await r.handle;
    await fh.sync();
    return this.readFile(PARTIAL, m);
  }

  /** The received file of `m` was restored: give it its final name (durably). */
  async keepReceived(m: SnapshotMetadata): Promise<void> {
    const r = this.receiving;
    if (r === null || r.name !== snapshotFileName(m)) throw new StorageError('no received file to keep');
    this.receiving = null;
    await (await r.handle).close();
    await rename(join(this.dir, PARTIAL), join(this.dir, r.name));
    syncDir(this.dir);
    if (!this.known.has(r.name)) this.known.set(r.name, 0);
  }

  /** Give up the partial file (its restore failed). */
  discardReceived(): void {
    this.dropReceiving();
  }

  /** Remove every final file not in `keep` that no reader has open. */
  async prune(keep: ReadonlySet<string>): Promise<string[]> {
    const removed: string[] = [];
    for (const [name, readers] of [...this.known]) {
      if (keep.has(name) || readers > 0) continue;
      this.known.delete(name);
      await unlink(join(this.dir, name)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
      removed.push(name);
    }
    if (removed.length > 0) syncDir(this.dir);
    return removed;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const r = this.receiving;
    this.receiving = null;
    if (r !== null) {
      await r.tail.catch(() => {});
      await (await r.handle.catch(() => null))?.close().catch(() => {});
    }
  }
}

async function writeAll(fh: FileHandle, data: Uint8Array, position?: number): Promise<void> {
  let at = 0;
  while (at < data.length) {
    const { bytesWritten } = await fh.write(
      data,
      at,
      data.length - at,
      position === undefined ? null : position + at,
    );
    at += bytesWritten;
  }
}

/** Make the directory's entries (a rename, an unlink) durable. */
function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
