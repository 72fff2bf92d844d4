/**
 * `SyntheticMachine`: a streaming state machine whose snapshot is as large as asked while
 * the machine itself holds a few numbers, the way a disk-backed store (an LSM, a database
 * file) holds far more state than memory. Its state is the count and a running hash of the
 * commands applied; its snapshot is a 24-byte header (count, hash, size) followed by `size`
 * bytes generated from the header, 1 MiB at a time as they are read. `restoreStream` checks
 * every byte against what the header generates and takes the new state only at the end, so a
 * damaged or cut snapshot is refused and the old state kept. What it measures is the raft-io
 * path (take, file, send, receive, restore), whose memory must not grow with the snapshot.
 */
import type { StateMachine } from '../../src/index.js';

const CHUNK = 1024 * 1024;

/** FNV-1a step over a command, kept in 32 bits. */
function mix(hash: number, bytes: Uint8Array): number {
  let h = hash >>> 0;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

/** The generated body chunk `n` of a snapshot whose header is (count, hash). */
function bodyChunk(count: number, hash: number, n: number, length: number): Uint8Array {
  const chunk = Buffer.allocUnsafe(length);
  // A 64-byte pattern per chunk (cheap to make, different in every chunk and snapshot).
  const pattern = Buffer.allocUnsafe(64);
  let x = (hash ^ Math.imul(count + 1, 0x9e3779b1) ^ Math.imul(n + 1, 0x85ebca6b)) >>> 0;
  for (let i = 0; i < 64; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    pattern.writeUInt32BE(x >>> 0, i);
  }
  chunk.fill(pattern);
  return chunk;
}

export class SyntheticMachine implements StateMachine<number> {
  count = 0;
  hash = 0x811c9dc5;
  snapshotsTaken = 0;
  restores = 0;

  /** @param size bytes of generated body in each snapshot */
  constructor(readonly size: number) {}

  apply(command: Uint8Array): number {
    this.count++;
    this.hash = mix(this.hash, command);
    return this.count;
  }

  snapshot(): Uint8Array {
    throw new Error('SyntheticMachine streams its snapshots');
  }

  restore(): void {
    throw new Error('SyntheticMachine streams its snapshots');
  }

  snapshotStream(): AsyncIterable<Uint8Array> {
    // Captured now; the chunks are made as they are read.
    const { count, hash, size } = this;
    this.snapshotsTaken++;
    return (async function* () {
      const header = Buffer.alloc(24);
      header.writeDoubleBE(count, 0);
      header.writeUInt32BE(hash, 8);
      header.writeDoubleBE(size, 16);
      yield header;
      for (let at = 0, n = 0; at < size; at += CHUNK, n++)
        yield bodyChunk(count, hash, n, Math.min(CHUNK, size - at));
    })();
  }

  async restoreStream(chunks: AsyncIterable<Uint8Array>): Promise<void> {
    let header: Buffer | null = null;
    let pending = Buffer.alloc(0);
    let count = 0;
    let hash = 0;
    let size = 0;
    let at = 0;
    let n = 0;
    for await (const chunk of chunks) {
      pending = pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([pending, chunk]);
      if (header === null) {
        if (pending.length < 24) continue;
        header = pending.subarray(0, 24);
        count = header.readDoubleBE(0);
        hash = header.readUInt32BE(8);
        size = header.readDoubleBE(16);
        pending = pending.subarray(24);
      }
      while (pending.length > 0) {
        const length = Math.min(CHUNK, size - at);
        if (length <= 0) throw new Error('snapshot longer than its header says');
        if (pending.length < length) break;
        if (!Buffer.from(bodyChunk(count, hash, n, length)).equals(pending.subarray(0, length))) {
          throw new Error(`snapshot body chunk ${n} does not match its header`);
        }
        pending = pending.subarray(length);
        at += length;
        n++;
      }
    }
    if (header === null || at !== size || pending.length > 0) throw new Error('snapshot cut short');
    this.count = count;
    this.hash = hash;
    this.restores++;
  }
}

/** The state after applying `commands` in order from empty (what every replica must reach). */
export function expectedState(commands: readonly Uint8Array[]): { count: number; hash: number } {
  let hash = 0x811c9dc5;
  for (const c of commands) hash = mix(hash, c);
  return { count: commands.length, hash };
}
