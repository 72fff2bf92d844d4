/**
 * `ReplicatedMachine`: what `RaftServer` applies committed commands to. It is the user's
 * state machine plus the client-session table of exactly-once proposals (core's
 * `ClientSessions`), which is replicated state too: changed only while applying, in log
 * order, and carried in snapshots.
 *
 * - `apply(data, index)` decodes the entry's data (core's `decodeCommandEntry`): a plain
 *   command goes to the user's `apply`; a session command is first decided by the table
 *   (apply, or answer a retry with the first outcome, or refuse), and a first application's
 *   outcome is recorded, encoded with the result codec (an error as JSON `{name, message,
 *   code}`).
 * - `snapshot()` is the user's bytes alone while the table is empty (so snapshots of a server
 *   that never saw a session are exactly the user's), else an envelope: `00 52 53 4E`
 *   ("\0RSN"), version 1, u32 table length, the table, then the user's bytes. User bytes that
 *   happen to begin with the magic are wrapped too, so they restore unchanged.
 * - `restore(bytes)` checks the envelope and the table before the user's `restore` runs, and
 *   replaces the table only after the user's state was replaced: a refused snapshot changes
 *   nothing.
 * - Streaming (`snapshotStream` / `restoreStream`, D28): the same envelope, always written
 *   (the table is captured with the user's state, then the user's chunks follow), so a
 *   streamed snapshot is also a valid in-memory one and backups read either.
 */
import {
  ClientSessions,
  decodeCommandEntry,
  InvalidArgumentError,
  RaftError,
  type SessionOutcome,
  StorageError,
} from '@raft-io/core';
import type { ResultCodec } from './result-codec.js';
import type { StateMachine } from './state-machine.js';

/** What applying one committed command came to. */
export type ApplyOutcome<R> =
  /** The user's `apply` returned `value`. */
  | { readonly kind: 'value'; readonly value: R }
  /** The user's `apply` threw `error` (the proposal rejects with it). */
  | { readonly kind: 'threw'; readonly error: unknown }
  /** A retry of a session proposal applied at `index` before: its first outcome. */
  | { readonly kind: 'duplicate'; readonly index: number; readonly outcome: SessionOutcome }
  /** Not applied: a refused session entry or a malformed envelope (the same on every node). */
  | { readonly kind: 'refused'; readonly error: RaftError };

/**
 * A session proposal that was refused: an older sequence than the last applied (its result
 * is gone), the same sequence with another command, or an envelope that does not decode.
 * Nothing was applied. Code `SESSION_REFUSED`; `reason` says which.
 */
export class SessionRefusedError extends RaftError {
  constructor(
    readonly reason: 'stale-sequence' | 'command-mismatch' | 'malformed',
    message: string,
  ) {
    super('SESSION_REFUSED', message);
  }
}

const SNAPSHOT_MAGIC = [0x00, 0x52, 0x53, 0x4e] as const;
const SNAPSHOT_VERSION = 1;
const utf8 = new TextEncoder();

function startsWithMagic(bytes: Uint8Array): boolean {
  if (bytes.length < SNAPSHOT_MAGIC.length) return false;
  for (let i = 0; i < SNAPSHOT_MAGIC.length; i++) if (bytes[i] !== SNAPSHOT_MAGIC[i]) return false;
  return true;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** An error as the bytes a session keeps: JSON `{name, message, code?}`, bounded. */
export function encodeStoredError(error: unknown): Uint8Array {
  const e = error instanceof Error ? error : new Error(String(error));
  const code = (error as { code?: unknown } | null)?.code;
  return utf8.encode(
    JSON.stringify({
      name: e.name.slice(0, 128),
      message: e.message.slice(0, 1024),
      ...(typeof code === 'string' ? { code: code.slice(0, 64) } : {}),
    }),
  );
}

/** The stored error's fields, or a placeholder when the bytes are not one. */
export function decodeStoredError(bytes: Uint8Array): { name: string; message: string; code?: string } {
  try {
    const o = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
    return {
      name: typeof o.name === 'string' ? o.name : 'Error',
      message: typeof o.message === 'string' ? o.message : '',
      ...(typeof o.code === 'string' ? { code: o.code } : {}),
    };
  } catch {
    return { name: 'Error', message: 'the stored error does not decode' };
  }
}

export class ReplicatedMachine<R> {
  private sessions = new ClientSessions();

  constructor(
    private readonly sm: StateMachine<R>,
    private readonly codec: ResultCodec<R>,
  ) {}

  /** Clients in the session table now. */
  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Apply a committed command entry's data at `index` (see the module comment). */
  apply(data: Uint8Array, index: number): ApplyOutcome<R> | Promise<ApplyOutcome<R>> {
    const entry = decodeCommandEntry(data);
    if (entry.kind === 'malformed') {
      return {
        kind: 'refused',
        error: new SessionRefusedError('malformed', `a command envelope: ${entry.reason}`),
      };
    }
    if (entry.kind === 'plain') return this.applyUser(entry.command, index, null);
    const { session, command } = entry;
    const decision = this.sessions.begin(index, session, command);
    switch (decision.kind) {
      case 'duplicate':
        return { kind: 'duplicate', index: decision.index, outcome: decision.outcome };
      case 'refused':
        return { kind: 'refused', error: new SessionRefusedError(decision.reason, decision.message) };
      case 'apply':
        return this.applyUser(command, index, (outcome) =>
          this.sessions.record(index, session, command, outcome),
        );
    }
  }

  private applyUser(
    command: Uint8Array,
    index: number,
    record: ((outcome: SessionOutcome) => void) | null,
  ): ApplyOutcome<R> | Promise<ApplyOutcome<R>> {
    let result: R | Promise<R>;
    try {
      result = this.sm.apply(command, index);
    } catch (error) {
      return this.finish({ kind: 'threw', error }, record);
    }
    if (isPromiseLike(result)) {
      return Promise.resolve(result).then(
        (value) => this.finish({ kind: 'value', value }, record),
        (error: unknown) => this.finish({ kind: 'threw', error }, record),
      );
    }
    return this.finish({ kind: 'value', value: result }, record);
  }

  private finish(
    outcome: { kind: 'value'; value: R } | { kind: 'threw'; error: unknown },
    record: ((outcome: SessionOutcome) => void) | null,
  ): ApplyOutcome<R> {
    if (record === null) return outcome;
    if (outcome.kind === 'threw') {
      record({ kind: 'error', result: encodeStoredError(outcome.error) });
      return outcome;
    }
    let bytes: Uint8Array;
    try {
      bytes = this.codec.encode(outcome.value);
    } catch {
      // Deterministic (the same value on every node): a retry learns where it was applied.
      record({ kind: 'not-kept' });
      return outcome;
    }
    record({ kind: 'ok', result: bytes });
    return outcome;
  }

  /** The user's snapshot, with the session table when it holds any client. */
  snapshot(): Uint8Array | Promise<Uint8Array> {
    const data = this.sm.snapshot();
    if (isPromiseLike(data)) return Promise.resolve(data).then((d) => this.wrap(d));
    return this.wrap(data);
  }

  private wrap(data: Uint8Array): Uint8Array {
    if (!(data instanceof Uint8Array))
      throw new InvalidArgumentError('stateMachine.snapshot() must return a Uint8Array');
    if (this.sessions.size === 0 && !startsWithMagic(data)) return data;
    const table = this.sessions.encode();
    const out = new Uint8Array(SNAPSHOT_MAGIC.length + 5 + table.length + data.length);
    out.set(SNAPSHOT_MAGIC, 0);
    out[4] = SNAPSHOT_VERSION;
    new DataView(out.buffer).setUint32(5, table.length);
    out.set(table, 9);
    out.set(data, 9 + table.length);
    return out;
  }

  /**
   * Streaming: capture the table and the user's state now (the user's `snapshotStream`, or
   * `snapshot()` when it has none); the chunks are read later while applies go on.
   */
  async snapshotStream(): Promise<AsyncIterable<Uint8Array>> {
    const table = this.sessions.encode();
    let user: AsyncIterable<Uint8Array>;
    if (typeof this.sm.snapshotStream === 'function') {
      user = await this.sm.snapshotStream();
    } else {
      const data = await this.sm.snapshot();
      if (!(data instanceof Uint8Array))
        throw new InvalidArgumentError('stateMachine.snapshot() must return a Uint8Array');
      user = (async function* () {
        yield data;
      })();
    }
    const header = new Uint8Array(9);
    header.set(SNAPSHOT_MAGIC, 0);
    header[4] = SNAPSHOT_VERSION;
    new DataView(header.buffer).setUint32(5, table.length);
    return (async function* () {
      yield header;
      if (table.length > 0) yield table;
      yield* user;
    })();
  }

  /**
   * Streaming: restore from chunks. The envelope and the table are read and checked first
   * (the table is bounded by `maxTableBytes`), the rest goes to the user's `restoreStream`
   * (or is gathered for `restore`); the table is replaced only once the user's state was.
   */
  async restoreStream(chunks: AsyncIterable<Uint8Array>, maxTableBytes: number): Promise<void> {
    const reader = new ChunkReader(chunks[Symbol.asyncIterator]());
    const header = await reader.take(9);
    if (header === null || !startsWithMagic(header) || header[4] !== SNAPSHOT_VERSION) {
      throw new InvalidArgumentError('streamed snapshot: bad envelope header');
    }
    const length = new DataView(header.buffer, header.byteOffset, header.byteLength).getUint32(5);
    if (length > maxTableBytes)
      throw new InvalidArgumentError('streamed snapshot: the session table is too large');
    const table = length === 0 ? new Uint8Array(0) : await reader.take(length);
    if (table === null) throw new InvalidArgumentError('streamed snapshot: the table runs past the end');
    const sessions = length === 0 ? new ClientSessions() : ClientSessions.decode(table);
    const rest = reader.rest();
    if (typeof this.sm.restoreStream === 'function') {
      await this.sm.restoreStream(rest);
      // Read what the state machine left, so the file's checksum is checked to its end: a
      // failure now comes after the state changed, so it is a storage error (fatal).
      for await (const _ of rest) {
        throw new StorageError(
          'the state machine returned from restoreStream before the end of the snapshot',
        );
      }
    } else {
      const parts: Uint8Array[] = [];
      let size = 0;
      for await (const part of rest) {
        parts.push(part);
        size += part.length;
      }
      const data = new Uint8Array(size);
      let at = 0;
      for (const part of parts) {
        data.set(part, at);
        at += part.length;
      }
      await this.sm.restore(data);
    }
    this.sessions = sessions;
  }

  /**
   * Replace the state with a snapshot's (see the module comment). Throws before changing
   * anything when the envelope or the table is damaged or the user's `restore` throws.
   */
  async restore(bytes: Uint8Array): Promise<void> {
    let sessions = new ClientSessions();
    let data = bytes;
    if (startsWithMagic(bytes)) {
      if (bytes.length < 9 || bytes[4] !== SNAPSHOT_VERSION)
        throw new InvalidArgumentError('snapshot envelope: bad header');
      const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(5);
      if (9 + length > bytes.length)
        throw new InvalidArgumentError('snapshot envelope: the table runs past the end');
      sessions = ClientSessions.decode(bytes.subarray(9, 9 + length));
      data = bytes.subarray(9 + length);
    }
    await this.sm.restore(data);
    this.sessions = sessions;
  }
}

/** Reads exact byte counts off the front of a chunk stream, then hands out the rest. */
class ChunkReader {
  private pending: Uint8Array = new Uint8Array(0);

  constructor(private readonly it: AsyncIterator<Uint8Array>) {}

  /** The next `n` bytes, or null if the stream ends first. */
  async take(n: number): Promise<Uint8Array | null> {
    const parts: Uint8Array[] = [];
    let have = 0;
    while (have < n) {
      if (this.pending.length === 0) {
        const next = await this.it.next();
        if (next.done) return null;
        this.pending = next.value;
        continue;
      }
      const part = this.pending.subarray(0, n - have);
      this.pending = this.pending.subarray(part.length);
      parts.push(part);
      have += part.length;
    }
    if (parts.length === 1) return parts[0]!;
    const out = new Uint8Array(n);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  /** Everything after what was taken. */
  rest(): AsyncIterable<Uint8Array> {
    const self = this;
    return (async function* () {
      if (self.pending.length > 0) yield self.pending;
      self.pending = new Uint8Array(0);
      for (;;) {
        const next = await self.it.next();
        if (next.done) return;
        yield next.value;
      }
    })();
  }
}
